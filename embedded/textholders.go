package embedded

import (
	"github.com/vjkg/vjkg/kg"
)

// A text search's entity candidates are the holders of its rarest word.
// When even that word is common ("bản" of "Bản ghi số"), reading and
// matching thousands of documents that lack another of the query's words
// is wasted, and the bound on candidates (kg.MaxTextCandidates) is spent on
// them: so each other word's holders are marked in a bit set, and only
// entities in all of them are candidates.

// minIntersect is how many holders the rarest word must have for the
// others' to be marked: below it, reading them costs less.
var minIntersect = 2048

// entityWordHolders returns, for each word of q other than skip, the
// entities that hold it as a word (or a word's start) of a current name or
// in their text, and whether each set is kept for other searches (see
// holderSets): the caller gives back the others (releaseSets) once done.
// Numbers of more than four digits are not indexed as text (kg.TextWords),
// so they tell nothing and are left out. The caller holds the read lock.
func (s *Store) entityWordHolders(q kg.TextQuery, skip string) (sets []*bitset, kept []bool) {
	done := map[string]bool{skip: true}
	for _, t := range q.Terms {
		for _, w := range t.Words {
			if done[w] || kg.LongNumber(w) {
				continue
			}
			done[w] = true
			b, k := s.wordHolders(w, !t.Phrase)
			sets, kept = append(sets, b), append(kept, k)
		}
	}
	return sets, kept
}

// wordHolders returns the set of the entities that hold w in a current name
// or their text (prefix: as a word's start), and whether it is kept: a
// set of many is, as nameHolders' ("n" is held by most of 1 M entities,
// marked for each search of it with a rarer word: 13% of searches of short
// words, profiled). The caller holds the read lock.
func (s *Store) wordHolders(w string, prefix bool) (b *bitset, kept bool) {
	g := s.g
	wn := s.wordNameLists(w)
	mark := func(in *bitset) {
		// A phrase's words are whole; a bare word may begin a longer one.
		for _, x := range g.entTexts() {
			for _, id := range x.wordIDs(w, prefix) {
				for _, e := range x.lists[id] {
					in.set(e)
				}
			}
		}
		s.orNameHolders(wn, in)
	}
	n := wn.size()
	for _, x := range g.entTexts() {
		n += x.size(x.wordIDs(w, prefix))
	}
	if n >= holderListsKept {
		if b := s.keptSet(holderKey{w: w, inText: true, whole: !prefix}, len(g.kind), mark); b != nil {
			return b, true
		}
	}
	b = getBits(len(g.kind))
	mark(b)
	return b, false
}

// markNameHolders sets in b the entities with a current name among wn that
// has a word starting with its term. The caller holds the read lock.
func (s *Store) markNameHolders(wn wordNames, b *bitset) {
	x := &s.g.names
	for l := range wn.all() {
		for _, m := range l {
			if s.g.currentName(m) && wn.holds(x, m) {
				b.set(x.ent[m])
			}
		}
	}
}

// holdsAll reports whether e is in every set.
func holdsAll(sets []*bitset, e uint32) bool {
	for _, s := range sets {
		if !s.has(e) {
			return false
		}
	}
	return true
}
