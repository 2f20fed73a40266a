package embedded

import (
	"context"
	"math"
	"slices"
	"sync/atomic"

	"github.com/vjkg/vjkg/kg"
)

var _ kg.EntityTextRanker = (*Store)(nil)

// EntityTextHits implements kg.EntityTextRanker: each candidate is scored
// from the word lists of its description, figures and quotes and from its
// names in the name index (kg.TextQuery.MatchEntityMasks), and the first
// are chosen by their keys (rankKey). An entity indexed with its words mixed
// (changed since the store was opened, or written before record version 6)
// is read whole and matched.
func (s *Store) EntityTextHits(ctx context.Context, q kg.TextQuery, kinds []kg.Kind, max, first int) ([]kg.TextHit, bool, error) {
	if !q.Indexable() {
		return nil, false, nil
	}
	sc := getTextScratch()
	defer sc.release()
	s.mu.RLock()
	g := s.g
	if hits, ok := s.primaryNameHits(q, kinds, first, sc); ok {
		s.mu.RUnlock()
		return hits, true, nil
	}
	nums := s.entityTextNums(q, kinds, max, sc.nums)
	sc.nums = nums
	if len(nums) > maxRanked {
		s.mu.RUnlock()
		return nil, false, nil
	}
	holders, done := s.termNameSets(q, len(nums))
	defer done()
	// Each candidate's score (0: none) and the field that decided it
	// (its place in entityFields).
	scores := grown(sc.scores, len(nums))
	fields := grown(sc.fields, len(nums))
	byNames := grown(sc.byNames, len(nums))
	sc.scores, sc.fields, sc.byNames = scores, fields, byNames
	// Scored by its names first: that decides the score of a candidate
	// whose names hold every term. Any other's is at most what it would be
	// with every term in its text as well; only those whose most could
	// still be among the first need their text's masks, which merge every
	// list of each term's words with the candidates (for two one-letter
	// words, 20,000 candidates' masks cost 11 ms of a 28 ms search at 1 M
	// entities, profiled).
	var mixed []int // places of the candidates to read whole
	open := sc.open[:0]
	kth := kthBest{k: first}
	allTerms := uint64(1)<<len(q.Terms) - 1
	for i, e := range nums {
		if g.entWords[e] != wordsApart {
			mixed = append(mixed, i)
			continue
		}
		m := &byNames[i]
		g.nameMasks(e, q, holders, m)
		score, field, ok := q.MatchEntityMasks(*m)
		withText := *m
		withText.Description, withText.Figure, withText.Quote = allTerms, allTerms, allTerms
		most, _, _ := q.MatchEntityMasks(withText)
		// Equal whenever ok with today's weights (a name's outweighs any
		// text's); compared, so that other weights cannot make it wrong.
		if ok && most == score {
			scores[i], fields[i] = score, uint8(slices.Index(entityFields[:], field))
			kth.offer(thousandths(score))
			continue
		}
		open = append(open, openScore{place: i, most: thousandths(most)})
	}
	sc.open = open
	// In thousandths, as rankKey ranks them.
	bound := kth.value()
	textCands, places := sc.textCands[:0], sc.places[:0]
	for _, o := range open {
		if o.most >= bound {
			textCands, places = append(textCands, nums[o.place]), append(places, o.place)
		}
	}
	sc.textCands, sc.places = textCands, places
	cut := len(open) - len(places)
	textCut.Add(int64(cut))
	if len(places) > 0 {
		texts := g.entTexts()
		masks := termMasks(q, textCands, sc.masks[:], texts[0], texts[1], texts[2])
		copy(sc.masks[:], masks)
		for k, i := range places {
			m := byNames[i]
			m.Description, m.Figure, m.Quote = masks[0][k], masks[1][k], masks[2][k]
			if score, field, ok := q.MatchEntityMasks(m); ok {
				scores[i], fields[i] = score, uint8(slices.Index(entityFields[:], field))
			}
		}
	}
	s.mu.RUnlock()
	if betweenTextLocks != nil {
		betweenTextLocks()
	}
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	whole := map[int]kg.TextHit{} // by place
	if len(mixed) > 0 {
		mixedNums := make([]uint32, len(mixed))
		for k, i := range mixed {
			mixedNums[k] = nums[i]
		}
		docs, err := s.readEntities(mixedNums)
		if err != nil {
			return nil, false, err
		}
		for k, d := range docs {
			if d == nil {
				continue // deleted since
			}
			if m, ok := q.Match(kg.EntityFields(d)); ok {
				whole[mixed[k]] = kg.TextHit{Entity: d, Score: m.Score, Match: m}
				scores[mixed[k]] = m.Score
			}
		}
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	ranker := s.nameRanker()
	keys := sc.keys[:0]
	for i, e := range nums {
		// Entities deleted since they were scored are left out.
		if scores[i] > 0 && g.live(e) {
			keys = append(keys, newRankKey(scores[i], ranker.of(e), uint32(i)))
		}
	}
	sc.keys = keys
	ranked := ranker.first(keys, first)
	if cut > 0 && (len(ranked) < first || thousandths(scores[ranked[first-1].place()]) < bound) {
		// Entities that made the bound were deleted while the mixed
		// were read: one left out might be among the first now.
		boundMissed.Add(1)
		return nil, false, nil
	}
	out := make([]kg.TextHit, len(ranked))
	outlines := make([]kg.Entity, len(out))
	for k, key := range ranked {
		i := int(key.place())
		if h, ok := whole[i]; ok {
			out[k] = h
			continue
		}
		if !g.outlineEntity(&outlines[k], nums[i]) {
			return nil, false, nil // a name the index could not keep
		}
		// Rounded as search ranks hits (a name's score is not).
		score := math.Round(scores[i]*1000) / 1000
		match := kg.TextMatch{Score: score, FieldText: kg.FieldText{Field: entityFields[fields[i]]}}
		out[k] = kg.TextHit{Entity: &outlines[k], Score: score, Match: match}
	}
	return out, true, nil
}

// boundMissed counts the searches whose bound on their text's scores
// failed (see EntityTextHits), which then read every candidate whole;
// textCut the candidates whose text's masks a bound spared.
var boundMissed, textCut atomic.Int64

// betweenTextLocks, if set (by tests), runs while EntityTextHits holds no
// lock between scoring and ranking, where writes may come in.
var betweenTextLocks func()

// openScore is a candidate whose text may lift its score: its place and
// the most it may score, in thousandths.
type openScore struct {
	place int
	most  float64
}

// thousandths is a score as rankKey ranks it.
func thousandths(score float64) float64 { return math.Round(score * 1000) }

// maxKth is the largest k kthBest tells the k-th best score of.
const maxKth = 32

// kthBest keeps the highest k of the scores offered (k ≤ maxKth), to tell
// the k-th: a candidate that scores below it cannot be among the first k.
// It tells 0 until k were offered, and for k out of its range.
type kthBest struct {
	k, n int
	top  [maxKth]float64 // the highest n, highest first
}

func (b *kthBest) offer(x float64) {
	if b.k < 1 || b.k > maxKth {
		return
	}
	if b.n == b.k {
		if x <= b.top[b.n-1] {
			return
		}
		b.n-- // the least gives way
	}
	i := b.n
	for ; i > 0 && b.top[i-1] < x; i-- {
		b.top[i] = b.top[i-1]
	}
	b.top[i] = x
	b.n++
}

func (b *kthBest) value() float64 {
	if b.k < 1 || b.n < b.k {
		return 0
	}
	return b.top[b.k-1]
}

// nameMasks sets m's name fields for entity n: how well its best name
// matches q as a name, and which terms (all bare words) its primary name
// and its other names hold as a word's start, told by holders where it has
// a set for the term (termNameSets). The caller holds the read lock.
func (g *graph) nameMasks(n uint32, q kg.TextQuery, holders []*bitset, m *kg.EntityMasks) {
	x := &g.names
	first := g.nameFirst[n]
	for k := first; k < g.nameEnd(n); k++ {
		if q.Names.Compact != "" {
			if s := q.Names.NameScore(x.folded(k), x.foldKey[k], k == first); s > m.NameScore {
				m.NameScore = s
			}
		}
		for i, t := range q.Terms {
			var holds bool
			if holders[i] != nil {
				holds = holders[i].has(k)
			} else {
				holds = kg.HasWordPrefix(x.folded(k), t.Words[0])
			}
			if !holds {
				continue
			}
			if k == first {
				m.Name |= 1 << i
			} else {
				m.OtherNames |= 1 << i
			}
		}
	}
}

// entityFields are the fields kg.TextQuery.MatchEntityMasks decides by.
var entityFields = [...]kg.Field{kg.FieldName, kg.FieldAlias, kg.FieldDescription, kg.FieldFigure, kg.FieldQuote}

// nameSetsShort is how many names a term's lists may hold to be gathered
// in a set, for a search of so many candidates.
var nameSetsShort = func(candidates int) int { return 32*candidates + 1024 }

// termNameSets returns, for each of q's terms (all bare words), a set of
// the names with a word starting with it (stale ones too: nameMasks looks
// only at current names), or nil where a term's names are so many that
// looking at the candidates' names costs less; and a function to call once
// done with them. Two short words ("bí thư") checked in each of 20,000
// candidates' names took a quarter of a search. The caller holds the read
// lock.
func (s *Store) termNameSets(q kg.TextQuery, candidates int) (sets []*bitset, done func()) {
	sets = make([]*bitset, len(q.Terms))
	kept := make([]bool, len(q.Terms))
	for i, t := range q.Terms {
		wn := s.wordNameLists(t.Words[0])
		if !wn.exact {
			continue
		}
		if wn.size() > nameSetsShort(candidates) {
			// Too many to gather for one search, but a kept set serves
			// every search of the term until the names change ("n" and
			// "h" checked in 20,000 candidates' names: 40% of a search
			// for "h n" at 1 M entities, profiled).
			if b := s.keptNamesHolding(wn); b != nil {
				sets[i], kept[i] = b, true
			}
			continue
		}
		sets[i], kept[i] = s.namesHolding(wn)
	}
	return sets, func() { releaseSets(sets, kept) }
}
