package kg

import (
	"context"
	"slices"
)

// Quantifier says how many of an entity's relationships a RelCondition
// asks about.
type Quantifier string

// The quantifiers, as @neo4j/graphql names its relationship filters.
const (
	// Some: at least one of the relationships leads to a matching entity.
	Some Quantifier = "SOME"
	// None: none of them does (an entity without such relationships passes).
	None Quantifier = "NONE"
	// All: every one of them does (an entity without such relationships
	// passes, as all() over an empty list is true in Cypher).
	All Quantifier = "ALL"
)

// Match is a condition on entities beyond what EntityFilter says of an
// entity's own fields: conditions on its relationships, and AND, OR and NOT
// over matches. Every part given must hold; the zero Match holds for every
// entity.
type Match struct {
	// Filter is a condition on the entity's own fields (ids, kinds, types,
	// countries, names, dates); its order and paging are not used.
	Filter EntityFilter
	// Rels must all hold.
	Rels []RelCondition
	// And must all hold.
	And []Match
	// Or: at least one must hold, when any is given.
	Or []Match
	// Not must not hold, when given.
	Not *Match
}

// RelCondition is a condition on an entity's relationships. Types,
// Direction and AsOf choose which relationships it looks at (all types,
// both directions, at any time when empty); Other is what the entity at
// their other end must match (nil: any entity); Quantifier says how many
// of them must lead to such an entity.
type RelCondition struct {
	Quantifier Quantifier
	Types      []RelType
	Direction  Direction // relative to the entity; "" means DirBoth
	AsOf       string    // YYYY-MM-DD, or "" for any time
	// Evidence keeps the relationships that count under it; nil keeps all.
	Evidence *SourceSet
	Other    *Match
}

// HasRelEvidence reports whether a relationship condition of m, at any
// depth, asks which sources support the relationships.
func (m *Match) HasRelEvidence() bool {
	if m == nil {
		return false
	}
	for _, rc := range m.Rels {
		if rc.Evidence != nil || rc.Other.HasRelEvidence() {
			return true
		}
	}
	for i := range m.And {
		if m.And[i].HasRelEvidence() {
			return true
		}
	}
	for i := range m.Or {
		if m.Or[i].HasRelEvidence() {
			return true
		}
	}
	return m.Not.HasRelEvidence()
}

// HasOwn reports whether f filters on an entity's own fields (its order and
// paging aside).
func (f *EntityFilter) HasOwn() bool {
	return len(f.IDs)+len(f.Kinds)+len(f.Types)+len(f.Countries) > 0 || f.Needle() != "" || f.From != "" || f.To != "" ||
		f.CitesSource != "" || f.Evidence != nil
}

// Own returns f's conditions on an entity's own fields, without order or paging.
func (f EntityFilter) Own() EntityFilter {
	return EntityFilter{IDs: f.IDs, Kinds: f.Kinds, Types: f.Types, Countries: f.Countries, Text: f.Text,
		WholeName: f.WholeName, From: f.From, To: f.To, CitesSource: f.CitesSource, Evidence: f.Evidence}
}

// IsZero reports whether m holds for every entity.
func (m *Match) IsZero() bool {
	return m == nil || (!m.Filter.HasOwn() && len(m.Rels) == 0 && len(m.And) == 0 && len(m.Or) == 0 && m.Not == nil)
}

// Size returns how deep m nests (a match inside a relationship condition,
// AND, OR or NOT is one level deeper) and how many matches and
// relationship conditions it holds in all: the bounds a caller checks
// before evaluating it, since each costs a pass over a set of entities.
func (m *Match) Size() (depth, parts int) {
	if m == nil {
		return 0, 0
	}
	depth, parts = 1, 1
	sub := func(x *Match) {
		d, p := x.Size()
		depth, parts = max(depth, d+1), parts+p
	}
	for _, rc := range m.Rels {
		parts++
		if rc.Other != nil {
			sub(rc.Other)
		}
	}
	for i := range m.And {
		sub(&m.And[i])
	}
	for i := range m.Or {
		sub(&m.Or[i])
	}
	if m.Not != nil {
		sub(m.Not)
	}
	return depth, parts
}

// Matcher is implemented by stores that evaluate a Match themselves (an
// in-memory index); its answers must be GenericFindMatching's.
type Matcher interface {
	// FindMatching is FindEntities for the entities that match m as well
	// as f.
	FindMatching(ctx context.Context, f EntityFilter, m *Match) ([]*Entity, int, error)
}

// FindMatching returns one page of the entities that match both f (its
// own fields, in its order and paging) and m, and their number in all: the
// store's FindEntities when m adds nothing, the store's own Matcher when it
// has one, else GenericFindMatching.
func FindMatching(ctx context.Context, s Store, f EntityFilter, m *Match) ([]*Entity, int, error) {
	if m.IsZero() {
		return s.FindEntities(ctx, f)
	}
	if x, ok := s.(Matcher); ok {
		return x.FindMatching(ctx, f, m)
	}
	return GenericFindMatching(ctx, s, f, m)
}

// GenericFindMatching is FindMatching over FindEntities and Expand: the
// reference a Matcher must agree with. It lists the entities that match
// f's own fields, keeps those that match m (MatchIDs), and asks
// FindEntities for the page of those, in f's order.
func GenericFindMatching(ctx context.Context, s Store, f EntityFilter, m *Match) ([]*Entity, int, error) {
	keep, err := MatchingIDs(ctx, s, f.Own(), m)
	if err != nil || len(keep) == 0 {
		return nil, 0, err
	}
	page := f
	page.IDs = keep
	return s.FindEntities(ctx, page)
}

// MatchingIDs returns the ids of every entity that matches f's own fields
// and m, in no particular order.
func MatchingIDs(ctx context.Context, s Store, f EntityFilter, m *Match) ([]string, error) {
	found, _, err := s.FindEntities(ctx, f.Own())
	if err != nil {
		return nil, err
	}
	cand := make([]string, len(found))
	for i, e := range found {
		cand[i] = e.ID
	}
	return MatchIDs(ctx, s, m, cand)
}

// MatchIDs returns the ids among cand of the entities that match m, in
// cand's order. Each own-field filter costs one FindEntities over the
// candidates, each relationship condition one Expand from them: the
// candidates always come from the level above (the list's own filter, or
// the other ends of the relationships a condition looks at), so no step
// reads more than the entities it is asked about.
func MatchIDs(ctx context.Context, s Store, m *Match, cand []string) ([]string, error) {
	if m == nil || len(cand) == 0 {
		return cand, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if m.Filter.HasOwn() {
		f := m.Filter.Own()
		f.IDs = cand
		if len(m.Filter.IDs) > 0 {
			f.IDs = keepIDs(cand, setOfIDs(m.Filter.IDs), true)
			if len(f.IDs) == 0 {
				return nil, nil
			}
		}
		found, _, err := s.FindEntities(ctx, f)
		if err != nil {
			return nil, err
		}
		ok := make(map[string]bool, len(found))
		for _, e := range found {
			ok[e.ID] = true
		}
		cand = keepIDs(cand, ok, true)
	}
	var err error
	for _, rc := range m.Rels {
		if cand, err = matchRel(ctx, s, rc, cand); err != nil || len(cand) == 0 {
			return cand, err
		}
	}
	for i := range m.And {
		if cand, err = MatchIDs(ctx, s, &m.And[i], cand); err != nil || len(cand) == 0 {
			return cand, err
		}
	}
	if len(m.Or) > 0 {
		// Each alternative looks only at the candidates no earlier one took.
		matched := map[string]bool{}
		for i := range m.Or {
			sub, err := MatchIDs(ctx, s, &m.Or[i], keepIDs(cand, matched, false))
			if err != nil {
				return nil, err
			}
			for _, id := range sub {
				matched[id] = true
			}
		}
		cand = keepIDs(cand, matched, true)
	}
	if m.Not != nil && len(cand) > 0 {
		sub, err := MatchIDs(ctx, s, m.Not, cand)
		if err != nil {
			return nil, err
		}
		cand = keepIDs(cand, setOfIDs(sub), false)
	}
	return cand, nil
}

// matchRel keeps the candidates whose relationships meet rc: one Expand
// from all of them, then the other ends are matched against rc.Other as
// candidates in their turn.
func matchRel(ctx context.Context, s Store, rc RelCondition, cand []string) ([]string, error) {
	rels, err := s.Expand(ctx, ExpandQuery{IDs: cand, Types: rc.Types, Direction: rc.Direction, AsOf: rc.AsOf, Evidence: rc.Evidence})
	if err != nil {
		return nil, err
	}
	in := setOfIDs(cand)
	others := map[string][]string{}
	var distinct []string
	seen := map[string]bool{}
	see := func(at, other string) {
		others[at] = append(others[at], other)
		if !seen[other] {
			seen[other] = true
			distinct = append(distinct, other)
		}
	}
	for _, r := range rels {
		if rc.Direction != DirIn && in[r.From] {
			see(r.From, r.To)
		}
		if rc.Direction != DirOut && in[r.To] {
			see(r.To, r.From)
		}
	}
	good := seen
	if rc.Other != nil {
		ok, err := MatchIDs(ctx, s, rc.Other, distinct)
		if err != nil {
			return nil, err
		}
		good = setOfIDs(ok)
	}
	out := cand[:0:0]
	for _, id := range cand {
		n := 0
		for _, o := range others[id] {
			if good[o] {
				n++
			}
		}
		if rc.Quantifier.Holds(n, len(others[id])) {
			out = append(out, id)
		}
	}
	return out, nil
}

// Holds reports whether q holds of an entity good of whose all
// relationships lead to a matching entity.
func (q Quantifier) Holds(good, all int) bool {
	switch q {
	case None:
		return good == 0
	case All:
		return good == all
	default:
		return good > 0
	}
}

func setOfIDs(ids []string) map[string]bool {
	set := make(map[string]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return set
}

// keepIDs returns the ids for which set says want, in order, in a new slice.
func keepIDs(ids []string, set map[string]bool, want bool) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if set[id] == want {
			out = append(out, id)
		}
	}
	return slices.Clip(out)
}
