package kg

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// latinMarks are the combining diacritical marks (U+0300–U+036F): every
// Vietnamese tone and vowel mark, but not the Japanese voicing marks, so that
// が and か stay apart.
var latinMarks = &unicode.RangeTable{R16: []unicode.Range16{{Lo: 0x0300, Hi: 0x036f, Stride: 1}}}

// foldChains hold transformers that decompose, drop Latin diacritics and
// recompose compatibility forms such as full-width letters and half-width
// katakana. A chain owns buffers, so chains are pooled rather than built
// for every string.
var foldChains = sync.Pool{New: func() any {
	return transform.Chain(norm.NFKD, runes.Remove(runes.In(latinMarks)), norm.NFKC)
}}

// Fold returns s as search compares it: lower case, without diacritics, đ as
// d, every run of punctuation and spaces as one space. "Hà Nội", "HÀ NỘI" and
// "ha  noi" all fold to "ha noi"; "Thanh Hóa" and "Thanh Hoá" to "thanh hoa".
func Fold(s string) string {
	chain := foldChains.Get().(transform.Transformer)
	out, _, err := transform.String(chain, s)
	foldChains.Put(chain)
	if err != nil {
		out = s
	}
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(out) {
		switch {
		case r == 'đ':
			r = 'd'
		case !unicode.IsLetter(r) && !unicode.IsNumber(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Compact is Fold without spaces, so that "Hanoi" and "Ha Noi" meet.
func Compact(s string) string {
	return strings.ReplaceAll(Fold(s), " ", "")
}

// Names returns every name an entity answers to: its name, aliases and local
// names, in that order and without repeats.
func (e *Entity) Names() []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	add(e.Name)
	for _, a := range e.Aliases {
		add(a)
	}
	for _, n := range e.LocalNames {
		add(n.Value)
	}
	return out
}

// SearchText returns the compact forms of all of e's names joined and wrapped
// in "|": "|hanoi|thudo|". A store keeps it so that one substring test finds
// candidates (CONTAINS in Cypher), and "|q|" tests for an exact name.
func (e *Entity) SearchText() string {
	var b strings.Builder
	b.WriteByte('|')
	seen := map[string]bool{}
	for _, n := range e.Names() {
		c := Compact(n)
		if c == "" || seen[c] {
			continue
		}
		seen[c] = true
		b.WriteString(c)
		b.WriteByte('|')
	}
	return b.String()
}

// SortName is the key lists are ordered by when ordered by name: the folded
// name, so that "Đà Nẵng" sorts among the D's and not after Z.
func (e *Entity) SortName() string { return Fold(e.Name) }

// MatchScore scores how well query matches e's names, from 0 (no match) to 1
// (the query is the name itself, diacritics included). Exact matches rank
// first, then exact alias matches, then prefixes, word prefixes and
// substrings.
func MatchScore(query string, e *Entity) float64 {
	qc := Compact(query)
	if qc == "" {
		return 0
	}
	qf := Fold(query)
	best := 0.0
	for i, n := range e.Names() {
		nc := Compact(n)
		var s float64
		switch {
		case nc == qc:
			s = 0.9
			if strings.EqualFold(strings.TrimSpace(query), n) {
				s = 0.95
			}
		case strings.HasPrefix(nc, qc):
			s = 0.6 + 0.2*float64(len(qc))/float64(len(nc))
		case strings.HasPrefix(Fold(n), qf) || strings.Contains(" "+Fold(n), " "+qf):
			s = 0.5 + 0.1*float64(len(qc))/float64(len(nc))
		case strings.Contains(nc, qc):
			s = 0.3 + 0.1*float64(len(qc))/float64(len(nc))
		}
		if i == 0 && s > 0 {
			s += 0.05 // the primary name beats an alias that matches as well
		}
		if s > best {
			best = s
		}
	}
	return best
}
