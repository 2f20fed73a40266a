package embedded

import (
	"bytes"
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/vjkg/vjkg/kg"
)

var _ kg.Searcher = (*Store)(nil)

// Search implements kg.Searcher on the name index, in three tiers of
// falling score, each skipped when it cannot change the first limit hits:
//
//  1. names starting with the query (whole-name matches among them), from
//     the lists under the query's first three bytes;
//  2. names with a word starting with the query, from the word lists;
//  3. names containing the query (MinSubstring bytes or more), from the
//     intersection of its trigrams' lists.
//
// Tiers 1 and 2 walk long lists shortest name first (byLength) and stop
// once no longer name can enter the first limit hits, so a common word
// scores a few of its names, not all.
//
// Every candidate is scored with the same formulas as kg.SearchQuery's
// NameScore, from the folded forms the index keeps; only the documents of
// the hits returned are read.
func (s *Store) Search(ctx context.Context, q kg.SearchQuery, kinds []kg.Kind, limit int) ([]kg.SearchHit, error) {
	s.mu.RLock()
	g := s.g
	sc := getScores(len(g.kind))
	defer sc.release()
	kindMask := kindMaskOf(kinds)
	x := &g.names
	qc := []byte(q.Compact)
	lq := len(qc)
	offer := func(m uint32, score float64) {
		e := x.ent[m]
		if score <= 0 || !g.currentName(m) || (kindMask != 0 && kindMask&(1<<g.kind[e]) == 0) {
			return
		}
		if m == g.nameFirst[e] {
			score += 0.05 // the primary name
		}
		sc.offer(e, rounded(score))
	}
	// enough reports whether limit entities already score above what a
	// tier can give at best (a name one byte longer than the query).
	enough := func(best float64) bool {
		return limit > 0 && sc.kth(limit) > rounded(best+0.05)
	}

	// Every name that matches at all contains the query. When the names
	// containing it are few — its rarest trigram is rare, or a longer
	// query's trigrams meet in few names — score them all and be done.
	if lq >= kg.MinSubstring {
		rarest := x.rarestTrigram(qc)
		if rarest <= rareTrigram || (lq > 3 && rareTrigram >= 0) {
			most := fewNames
			if rarest <= rareTrigram {
				most = -1
			}
			if cands, ok := x.containingUpTo(qc, most); ok {
				// A name scores at most as one that starts with the query
				// (or is it), so one that could not reach the k-th best so
				// far is not scored.
				floor := int32(-1)
				for _, m := range cands {
					ln := int(x.clen[m])
					best := 1.0
					if ln > lq {
						best = kg.PrefixScore(lq, ln) + 0.05
					}
					if rounded(best) < floor {
						continue
					}
					offer(m, q.NameScore(x.folded(m), x.foldKey[m], false))
					if limit > 0 {
						floor = sc.kth(limit)
					}
				}
				return s.hits(ctx, sc, limit)
			}
		}
	}

	// 1. Names that start with the query, shortest first: past the query's
	// length, a longer name scores less.
	prefixCodes, wordCodes := x.codes()
	lo, hi := prefixRange(qc)
	x.walkByLength(x.byPrefix, &x.prefixByLength, prefixCodes, lo, hi, fourth(qc),
		func(l int) bool { return l > lq && enough(kg.PrefixScore(lq, l)) },
		func(m uint32) bool {
			switch {
			case int(x.clen[m]) < lq, lq > 3 && !x.compactHasPrefix(m, qc):
			case int(x.clen[m]) == lq:
				offer(m, q.NameScore(x.folded(m), x.foldKey[m], false))
			default:
				offer(m, kg.PrefixScore(lq, int(x.clen[m])))
			}
			return true
		})
	// 2. Names with a word that starts with the query, shortest first. A
	// name that starts with the query was offered in tier 1 with the score
	// NameScore gives it here, so what a name can add is a word's score,
	// which falls with its length, or a substring's, below that.
	if !enough(kg.WordScore(lq, lq+1)) {
		first, _, multi := strings.Cut(q.Folded, " ")
		w := []byte(first)
		wlo, whi := prefixRange(w)
		if multi && len(w) < 3 {
			wlo, whi = prefix3(w), prefix3(w) // the query's first word is whole
		}
		seen := 0
		x.walkByLength(x.byWord, &x.wordByLength, wordCodes, wlo, whi, fourth(w),
			func(l int) bool { return enough(kg.WordScore(lq, l)) },
			func(m uint32) bool {
				if seen++; seen&0x3ff == 0 && ctx.Err() != nil {
					return false
				}
				if !multi {
					if x.compactHasPrefix(m, qc) {
						return true // a tier 1 match, offered there
					}
					// Up to three bytes the list itself says a word starts
					// with the query; a longer one is checked. Either way
					// the score is NameScore's, from the compact length.
					if len(w) <= 3 || kg.HasWordPrefix(x.folded(m), q.Folded) {
						offer(m, kg.WordScore(lq, int(x.clen[m])))
						return true
					}
				}
				offer(m, q.NameScore(x.folded(m), x.foldKey[m], false))
				return true
			})
	}
	// 3. Names that contain the query. One that starts with it, or has a
	// word that does, was offered above with a better score, or scores too
	// little to be among the first (enough). So each scores as a substring,
	// by its length alone, and one too long to reach the k-th best so far
	// is passed over unread: "ng n" is in some 30,000 names of a million
	// entities, and scoring each one's text was most of its search.
	if lq >= kg.MinSubstring && !enough(kg.SubstringScore(lq, lq+1)) {
		floor := int32(-1)
		var buf [512]byte
		for _, m := range x.containingView(qc) {
			ln := int(x.clen[m])
			score := kg.SubstringScore(lq, ln)
			if rounded(score+0.05) < floor {
				continue
			}
			// Only a query of three bytes is its one trigram: a longer
			// one's lists meet in names that need not hold it.
			if lq > 3 && !bytes.Contains(x.compact(buf[:0], m), qc) {
				continue
			}
			offer(m, score)
			if limit > 0 {
				floor = sc.kth(limit)
			}
		}
	}
	return s.hits(ctx, sc, limit)
}

// fourth is the part of the lists walked by length that holds the names
// starting with q (see byLength): its fourth byte, or -1 for all.
func fourth(q []byte) int {
	if len(q) > 3 {
		return int(q[3])
	}
	return -1
}

// rareTrigram is how many names a query's rarest trigram may be in for
// search to score every name containing the query instead of going tier by
// tier.
var rareTrigram = 5000

// fewNames is how many names containing a query search scores one by one
// rather than tier by tier.
const fewNames = 20000

// hits reads the best limit entities' documents. The caller holds the read
// lock; hits releases it.
func (s *Store) hits(ctx context.Context, sc *scores, limit int) ([]kg.SearchHit, error) {
	hits := sc.top(s.g, limit)
	s.mu.RUnlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	nums := make([]uint32, len(hits))
	for i, h := range hits {
		nums[i] = h.entity
	}
	docs, err := s.readEntities(nums)
	if err != nil {
		return nil, err
	}
	out := make([]kg.SearchHit, 0, len(hits))
	for i, h := range hits {
		if docs[i] != nil {
			out = append(out, kg.SearchHit{Entity: docs[i], Score: float64(h.score) / 1000})
		}
	}
	return out, nil
}

// rounded is a score as the API shows it, in thousandths.
func rounded(score float64) int32 {
	return int32(score*1000 + 0.5)
}

// scores keeps each entity's best score during one search, in arrays by
// entity number (stamped with an epoch, as marks are), and a count of
// entities per score, so that the score of the k-th best is known at any
// time without sorting.
type scores struct {
	epoch   uint32
	seen    []uint32
	best    []int32
	touched []uint32
	count   [1101]int
}

var scoresPool sync.Pool

func getScores(n int) *scores {
	s, _ := scoresPool.Get().(*scores)
	if s == nil || len(s.seen) < n {
		s = &scores{seen: make([]uint32, n+n/8), best: make([]int32, n+n/8)}
	}
	s.epoch++
	if s.epoch == 0 {
		clear(s.seen)
		s.epoch = 1
	}
	s.touched = s.touched[:0]
	s.count = [1101]int{}
	return s
}

func (s *scores) release() { scoresPool.Put(s) }

func (s *scores) offer(e uint32, score int32) {
	score = min(max(score, 0), 1100)
	if s.seen[e] != s.epoch {
		s.seen[e], s.best[e] = s.epoch, score
		s.touched = append(s.touched, e)
		s.count[score]++
		return
	}
	if score > s.best[e] {
		s.count[s.best[e]]--
		s.best[e] = score
		s.count[score]++
	}
}

// kth returns the k-th best score so far, or -1 if fewer than k entities
// have one.
func (s *scores) kth(k int) int32 {
	n := 0
	for v := len(s.count) - 1; v >= 0; v-- {
		if n += s.count[v]; n >= k {
			return int32(v)
		}
	}
	return -1
}

type hit struct {
	entity uint32
	score  int32
}

// top returns the best limit entities (0: all), best first, ties by sort
// name and then id, as kg.GenericSearch orders them.
func (s *scores) top(g *graph, limit int) []hit {
	floor := int32(0)
	if limit > 0 {
		floor = max(s.kth(limit), 0)
	}
	var hits []hit
	for _, e := range s.touched {
		if b := s.best[e]; b >= floor && b > 0 {
			hits = append(hits, hit{e, b})
		}
	}
	compare := func(a, b hit) int {
		if a.score != b.score {
			return cmp.Compare(b.score, a.score)
		}
		if c := strings.Compare(g.sortName(a.entity), g.sortName(b.entity)); c != 0 {
			return c
		}
		return strings.Compare(g.entityID(a.entity), g.entityID(b.entity))
	}
	if limit > 0 && limit < len(hits) {
		return smallestFunc(hits, limit, compare)
	}
	slices.SortFunc(hits, compare)
	return hits
}

// smallestFunc returns the k smallest of xs by compare, in order, keeping
// a sorted window of k while scanning once.
func smallestFunc[T any](xs []T, k int, compare func(a, b T) int) []T {
	top := make([]T, 0, k+1)
	for _, x := range xs {
		if len(top) == k && compare(x, top[k-1]) >= 0 {
			continue
		}
		i, _ := slices.BinarySearchFunc(top, x, compare)
		top = slices.Insert(top, i, x)
		if len(top) > k {
			top = top[:k]
		}
	}
	return top
}
