package kg

import (
	"bytes"
	"hash/fnv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

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
	if out, ok := foldByRune(s); ok {
		return out
	}
	return foldChain(s)
}

// foldChain is Fold through the transform chain: right for every string,
// and ten times slower than foldByRune.
func foldChain(s string) string {
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

// A foldedRune is what one rune folds to when it folds on its own: letters
// and digits (word), only separators (separator), or neither (mixed, or a
// rune that may combine with its neighbours: the chain decides).
type foldedRune struct {
	word string
	kind uint8
}

const (
	foldByChain uint8 = iota
	foldWord
	foldSeparator
)

// foldRanges are the runes foldByRune knows: Latin (with Vietnamese),
// general and CJK punctuation, kana, the common CJK ideographs and the
// full- and half-width forms. Within
// them, a rune folds alone unless its decomposition holds a mark the chain
// keeps (a kana voicing mark), which could combine with what is next to it.
// No two runes of these ranges compose with each other (as Hangul jamo do),
// so a string of them folds rune by rune.
var foldRanges = [][2]rune{{0, 0x24f}, {0x1e00, 0x1eff}, {0x2000, 0x206f}, {0x3000, 0x30ff}, {0x4e00, 0x9fff}, {0xff00, 0xffef}}

// foldTable is foldChain's answer for each rune of foldRanges, built once.
var foldTable = sync.OnceValue(func() []foldedRune {
	t := make([]foldedRune, 0x10000)
	for _, rg := range foldRanges {
		for r := rg[0]; r <= rg[1]; r++ {
			t[r] = foldAlone(r)
		}
	}
	return t
})

// PrepareFold builds the table Fold reads (about half a second of CPU),
// so that a server can build it before the first request that folds
// text, which would otherwise wait for it.
func PrepareFold() { foldTable() }

// foldAlone folds r on its own, or says it cannot be (foldByChain).
func foldAlone(r rune) foldedRune {
	if r == utf8.RuneError || unicode.Is(unicode.M, r) {
		return foldedRune{}
	}
	chain := transform.Chain(norm.NFKD, runes.Remove(runes.In(latinMarks)), norm.NFKC)
	nfkd, _, err := transform.String(chain, string(r))
	if err != nil {
		return foldedRune{}
	}
	letters, separators := 0, 0
	for _, c := range nfkd {
		switch {
		case unicode.Is(unicode.M, c) || norm.NFD.PropertiesString(string(c)).CCC() != 0:
			return foldedRune{} // a mark that may combine with a neighbour
		case unicode.IsLetter(unicode.ToLower(c)) || unicode.IsNumber(unicode.ToLower(c)):
			letters++
		default:
			separators++
		}
	}
	switch {
	case letters > 0 && separators == 0:
		return foldedRune{word: foldChain(string(r)), kind: foldWord}
	case separators > 0 && letters == 0:
		return foldedRune{kind: foldSeparator}
	}
	return foldedRune{}
}

// foldByRune is Fold through foldTable, for strings whose every rune is in
// it (false otherwise): the names and quotes of Vietnamese, Japanese and
// English text.
func foldByRune(s string) (string, bool) {
	t := foldTable()
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if int(r) >= len(t) {
			return "", false
		}
		switch f := t[r]; f.kind {
		case foldWord:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteString(f.word)
		case foldSeparator:
			space = b.Len() > 0
		default:
			return "", false
		}
	}
	return b.String(), true
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

// SearchQuery is a search text prepared once, to score many names.
type SearchQuery struct {
	Text    string // as typed, without surrounding space
	Compact string // Compact(Text)
	Folded  string // Fold(Text)
	foldKey uint64
	compact []byte
}

// NewSearchQuery prepares text for scoring.
func NewSearchQuery(text string) SearchQuery {
	t := strings.TrimSpace(text)
	c := Compact(t)
	return SearchQuery{Text: t, Compact: c, Folded: Fold(t), foldKey: FoldKey(t), compact: []byte(c)}
}

// MinSubstring is the shortest query, in bytes of its compact form, that
// matches inside a name: shorter ones match only at the start of a name or
// of one of its words, so that "a" does not rank every name with an a.
// One kanji is three bytes.
const MinSubstring = 3

// NameScore scores how well q matches one name, given the name's folded form
// (Fold), its FoldKey, and whether it is the entity's primary name; 0 means
// no match. Stores with their own search index compute the same scores from
// the forms they keep, so the ranking is the same on every backend:
//
//	0.95  the name itself, ignoring case only; 0.9 ignoring diacritics and spaces too
//	0.6 + 0.2·|q|/|name|  the name starts with q
//	0.5 + 0.1·|q|/|name|  a word of the name starts with q
//	0.3 + 0.1·|q|/|name|  q occurs inside the name (MinSubstring bytes or more)
//
// plus 0.05 for the primary name, so that it beats an alias that matches as
// well; lengths are of the compact forms.
func (q SearchQuery) NameScore(folded string, foldKey uint64, primary bool) float64 {
	qc := q.compact
	if len(qc) == 0 {
		return 0
	}
	// The compact form, built without allocating: this runs for every
	// candidate name of a search.
	var buf [512]byte
	nc := buf[:0]
	for i := 0; i < len(folded); i++ {
		if folded[i] != ' ' {
			nc = append(nc, folded[i])
		}
	}
	var s float64
	switch {
	case bytes.Equal(nc, qc):
		s = 0.9
		if foldKey == q.foldKey {
			s = 0.95
		}
	case bytes.HasPrefix(nc, qc):
		s = PrefixScore(len(qc), len(nc))
	case HasWordPrefix(folded, q.Folded):
		s = WordScore(len(qc), len(nc))
	case len(qc) >= MinSubstring && bytes.Contains(nc, qc):
		s = SubstringScore(len(qc), len(nc))
	}
	if primary && s > 0 {
		s += 0.05
	}
	return s
}

// HasWordPrefix reports whether a word of folded (a word starts the string
// or follows a space) starts with prefix.
func HasWordPrefix(folded, prefix string) bool {
	// One search for the prefix, then a look at the byte before it, rather
	// than a look at each word: search checks this for thousands of names
	// per request, and strings.Index is four times faster on them.
	for i := 0; ; {
		j := strings.Index(folded[i:], prefix)
		if j < 0 {
			return false
		}
		if i+j == 0 || folded[i+j-1] == ' ' {
			return true
		}
		i += j + 1
	}
}

// PrefixScore is NameScore for a name of compact length ln that starts with
// a query of compact length lq, without the primary name's bonus.
func PrefixScore(lq, ln int) float64 { return 0.6 + 0.2*float64(lq)/float64(ln) }

// WordScore is NameScore for a name one of whose words starts with the query.
func WordScore(lq, ln int) float64 { return 0.5 + 0.1*float64(lq)/float64(ln) }

// SubstringScore is NameScore for a name the query occurs inside.
func SubstringScore(lq, ln int) float64 { return 0.3 + 0.1*float64(lq)/float64(ln) }

// FoldKey returns a hash that is equal for strings equal under
// strings.EqualFold, so that a store can tell an exact name match without
// keeping the name.
func FoldKey(s string) uint64 {
	h := fnv.New64a()
	var buf [4]byte
	for _, r := range s {
		// The smallest rune of r's case-folding orbit stands for all of it.
		low := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			low = min(low, f)
		}
		n := utf8.EncodeRune(buf[:], low)
		h.Write(buf[:n])
	}
	return h.Sum64()
}

// MatchScore scores how well query matches e's names, from 0 (no match) to
// 1, as the best NameScore of its names.
func MatchScore(query string, e *Entity) float64 {
	return NewSearchQuery(query).Score(e)
}

// Score is MatchScore for a prepared query.
func (q SearchQuery) Score(e *Entity) float64 {
	best := 0.0
	for i, n := range e.Names() {
		best = max(best, q.NameScore(Fold(n), FoldKey(n), i == 0))
	}
	return best
}
