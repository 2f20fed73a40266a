package embedded

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"

	"github.com/vjkg/vjkg/kg"
)

var _ kg.ThroughRanker = (*Store)(nil)

// ThroughHits implements kg.ThroughRanker on entity numbers: each
// candidate is scored from its masks (kg.TextQuery.MatchMasks; those of
// a relationship indexed with its words mixed from its document's text,
// read with the lock released), and the first entities are chosen by their
// best keys (rankKey: ordered as SearchText ranks), so that only they are
// made into outlines.
func (s *Store) ThroughHits(ctx context.Context, q kg.TextQuery, kinds []kg.Kind, max, first int) ([]kg.TextHit, bool, error) {
	if !q.Indexable() {
		return nil, false, nil
	}
	kindMask := kindMaskOf(kinds)
	sc := getTextScratch()
	defer sc.release()
	s.mu.RLock()
	g := s.g
	nums := s.relTextNums(q, nil, max, sc.nums)
	sc.nums = nums
	if 2*len(nums) > maxRanked {
		s.mu.RUnlock()
		return nil, false, nil
	}
	role, quote := g.relTermMasks(q, nums, sc.masks[:2])
	sc.masks[0], sc.masks[1] = role, quote
	endMask, done := s.endMasker(q, len(nums))
	defer done()
	// Each candidate's match, kept packed (throughMatch): a map of the
	// entities' best, keyed by number, was 3 MB a search.
	matches := grown(sc.matches, len(nums))
	sc.matches = matches
	var mixed []int // places of the candidates whose documents tell
	var memo matchMemo
	for i, n := range nums {
		if g.relWords[n] != wordsApart {
			mixed = append(mixed, i)
			continue
		}
		matches[i] = memo.match(q, kg.RelTextCandidate{Role: role[i], Quote: quote[i],
			From: endMask(g.from[n]), To: endMask(g.to[n])})
	}
	s.mu.RUnlock()
	var docs []*kg.Relationship
	if len(mixed) > 0 {
		mixedNums := make([]uint32, len(mixed))
		for k, i := range mixed {
			mixedNums[k] = nums[i]
		}
		var err error
		if docs, err = s.readRelationships(mixedNums); err != nil {
			return nil, false, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for k, i := range mixed {
		if d, n := docs[k], nums[i]; d != nil && g.liveRel(n) {
			matches[i] = packThrough(q.MatchMasks(kg.RelTextCandidate{Role: q.TermsIn(d.Role), Quote: q.TermsIn(kg.RelationshipQuotes(d)...),
				From: endMask(g.from[n]), To: endMask(g.to[n])}))
		}
	}
	// One key for each entity found through each candidate: its score,
	// its rank, then the candidate's place and which end, so that the
	// first key of an entity is its best, through the first candidate
	// that gives it.
	ranker := s.nameRanker()
	keys := sc.keys[:0]
	for i, n := range nums {
		m := matches[i]
		if m == 0 || !g.liveRel(n) {
			continue
		}
		score := kg.ThroughScore(m.score())
		for end, e := range [2]uint32{g.from[n], g.to[n]} {
			if !m.through(end) || (kindMask != 0 && kindMask&(1<<g.kind[e]) == 0) {
				continue
			}
			keys = append(keys, newRankKey(score, ranker.of(e), uint32(i<<1|end)))
		}
	}
	sc.keys = keys
	ranked := ranker.first(keys, first)
	out := make([]kg.TextHit, len(ranked))
	ents, rels := make([]kg.Entity, len(out)), make([]kg.Relationship, len(out))
	for i, key := range ranked {
		place := key.place()
		n, m := nums[place>>1], matches[place>>1]
		e := [2]uint32{g.from[n], g.to[n]}[place&1]
		if !g.outlineEntity(&ents[i], e) {
			return nil, false, nil // a name the index could not keep
		}
		g.outlineInto(&rels[i], n)
		out[i] = kg.TextHit{Entity: &ents[i], Relationship: &rels[i], Score: kg.ThroughScore(m.score()),
			Match: kg.TextMatch{Score: m.score(), FieldText: kg.FieldText{Field: m.field()}}}
	}
	return out, true, nil
}

// matchMemo keeps the matches of the masks scored last: thousands of
// candidates have a few kinds of masks (a role word's: the role's bit and
// no other), and scoring them was a fifth of a search.
// Its slots start empty, as the masks of no match: no term anywhere.
type matchMemo struct {
	masks   [64]kg.RelTextCandidate
	matches [64]throughMatch
}

func (m *matchMemo) match(q kg.TextQuery, c kg.RelTextCandidate) throughMatch {
	h := (c.Role*0x9e3779b97f4a7c15 ^ c.Quote*0xc2b2ae3d27d4eb4f ^ c.From*0x165667b19e3779f9 ^ c.To*0x27d4eb2f165667c5) >> 58
	if m.masks[h] != c {
		m.masks[h], m.matches[h] = c, packThrough(q.MatchMasks(c))
	}
	return m.matches[h]
}

// throughMatch is a kg.MaskMatch packed into 32 bits (0: no match): from
// the lowest bit, whether the to end and the from end are found through
// it, a bit set for a match, its field (two bits), and the relationship's
// score in thousandths.
type throughMatch uint32

// throughFields are the fields a relationship's match is decided by.
var throughFields = [...]kg.Field{kg.FieldRole, kg.FieldQuote, kg.FieldEnd}

func packThrough(m kg.MaskMatch, ok bool) throughMatch {
	field := slices.Index(throughFields[:], m.Field)
	if !ok || field < 0 {
		return 0
	}
	p := throughMatch(math.Round(m.Score*1000))<<5 | throughMatch(field)<<3 | 1<<2
	if m.ThroughFrom {
		p |= 1 << 1
	}
	if m.ThroughTo {
		p |= 1
	}
	return p
}

func (m throughMatch) score() float64  { return float64(m>>5) / 1000 }
func (m throughMatch) field() kg.Field { return throughFields[m>>3&3] }

// through reports whether the entity at end (0: from, 1: to) is found.
func (m throughMatch) through(end int) bool { return m&(1<<(1-end)) != 0 }

// A rankKey orders hits as search ranks them: by score (in thousandths,
// best first), then rank in the name order (the primary name folded, which
// is kg's SortName, then id), then a place the caller chooses (a
// candidate's, which breaks ties of one entity's keys).
type rankKey uint64

// maxRanked bounds the places rankKey holds.
const maxRanked = 1<<20 - 1

func newRankKey(score float64, rank, place uint32) rankKey {
	inverse := uint64(1<<12-1) - uint64(min(max(math.Round(score*1000), 0), 1<<12-1))
	return rankKey(inverse<<52 | uint64(rank)<<20 | uint64(place))
}

func (k rankKey) rank() uint32  { return uint32(k >> 20) }
func (k rankKey) place() uint32 { return uint32(k & maxRanked) }

// firstDistinct returns, in order, the first key of each of the first
// `first` ranks among keys (all, for first <= 0); it reorders keys. Keys
// of one rank are one entity's: its first is its best.
func firstDistinct(keys []rankKey, first int) []rankKey {
	k := len(keys)
	if first > 0 {
		k = min(first, len(keys))
	}
	for {
		smallest(keys, k)
		seen := make(map[uint32]bool, k)
		out := make([]rankKey, 0, min(k, max(first, 0)))
		for _, key := range keys[:k] {
			if !seen[key.rank()] {
				seen[key.rank()] = true
				out = append(out, key)
			}
		}
		if first <= 0 || len(out) >= first || k == len(keys) {
			if first > 0 && len(out) > first {
				out = out[:first]
			}
			return out
		}
		k = min(2*k, len(keys)) // the first were one entity's more than once
	}
}

// nameRanker tells the rank part of entities' keys and chooses the first
// keys: ranks in the name order when it is up to date, or else entity
// numbers, and then the first are chosen by comparing names (as a heap did
// before ranks), while the order is brought up to date on a goroutine of
// its own, not on the search's time.
type nameRanker struct {
	g    *graph
	rank []uint32 // nil: keys hold entity numbers
}

// nameRanker returns the ranker for a search. The caller holds the read
// lock.
func (s *Store) nameRanker() nameRanker {
	o := s.orders.byField[kg.OrderByName]
	if rank, ok := o.current(); ok && !noNameRanks {
		return nameRanker{g: s.g, rank: rank}
	}
	if s.ranking.CompareAndSwap(false, true) {
		go func() {
			defer s.ranking.Store(false)
			s.mu.RLock()
			defer s.mu.RUnlock()
			if !s.closed.Load() {
				o.ready(s.g)
			}
		}()
	}
	return nameRanker{g: s.g}
}

// noNameRanks makes every search choose its first keys by names (tests).
var noNameRanks = false

func (r nameRanker) of(e uint32) uint32 {
	if r.rank != nil {
		return r.rank[e]
	}
	return e
}

// first is firstDistinct, by names where the keys hold entity numbers.
func (r nameRanker) first(keys []rankKey, first int) []rankKey {
	if r.rank != nil {
		return firstDistinct(keys, first)
	}
	// The best key of each entity: its keys side by side, best first.
	byEntity := make([]uint64, len(keys))
	for i, k := range keys {
		byEntity[i] = uint64(k.rank())<<32 | uint64(k>>52)<<20 | uint64(k.place())
	}
	slices.Sort(byEntity)
	var best []rankKey
	for i, b := range byEntity {
		if i == 0 || b>>32 != byEntity[i-1]>>32 {
			best = append(best, rankKey(b>>20&(1<<12-1))<<52|rankKey(b>>32)<<20|rankKey(b&maxRanked))
		}
	}
	compare := func(a, b rankKey) int {
		if c := cmp.Compare(a>>52, b>>52); c != 0 {
			return c
		}
		ea, eb := a.rank(), b.rank()
		if c := strings.Compare(r.g.sortName(ea), r.g.sortName(eb)); c != 0 {
			return c
		}
		return strings.Compare(r.g.entityID(ea), r.g.entityID(eb))
	}
	if first <= 0 {
		slices.SortFunc(best, compare)
		return best
	}
	return smallestFunc(best, first, compare)
}

// outlineEntity writes into e entity n's outline: its id, kind and name as
// shown; false if the index could not keep the name.
func (g *graph) outlineEntity(e *kg.Entity, n uint32) bool {
	label := g.label(n)
	*e = kg.Entity{ID: g.entityID(n), Kind: g.entityKind(n), Name: label}
	return label != ""
}
