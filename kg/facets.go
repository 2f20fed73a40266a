package kg

import (
	"context"
	"sort"
	"strconv"
)

// FacetField is something entities are counted by.
type FacetField string

// The fields entities can be counted by.
const (
	FacetKind    FacetField = "KIND"
	FacetType    FacetField = "TYPE"    // the kind's subtype
	FacetCountry FacetField = "COUNTRY" // ISO 3166-1 alpha-2
	FacetYear    FacetField = "YEAR"    // the year of the start date (founded, signed, held)
)

// FacetFields lists every FacetField.
var FacetFields = []FacetField{FacetKind, FacetType, FacetCountry, FacetYear}

// Of returns e's value of the field: "" when e has none.
func (f FacetField) Of(e *Entity) string {
	switch f {
	case FacetKind:
		return string(e.Kind)
	case FacetType:
		return e.Type
	case FacetCountry:
		return e.Country
	case FacetYear:
		if e.Start.IsZero() {
			return ""
		}
		return strconv.Itoa(e.Start.Year)
	}
	return ""
}

// FacetCount is how many entities have one value of a field; Value "" counts
// the entities without one.
type FacetCount struct {
	Value string
	Count int
}

// EntityFacets are the counts of a set of entities by some fields: Total
// entities in all, and per field the count of each value, largest first,
// ties by value. The counts of a field add up to Total.
type EntityFacets struct {
	Total  int
	Counts map[FacetField][]FacetCount
}

// Faceter is implemented by stores that count facets themselves; their
// answers must be GenericFacets'.
type Faceter interface {
	Facets(ctx context.Context, f EntityFilter, m *Match, fields []FacetField) (EntityFacets, error)
}

// Facets counts the entities that match f's own fields and m by each of
// fields: the store's own Faceter when it has one, else GenericFacets.
func Facets(ctx context.Context, s Store, f EntityFilter, m *Match, fields []FacetField) (EntityFacets, error) {
	if x, ok := s.(Faceter); ok {
		return x.Facets(ctx, f.Own(), m, fields)
	}
	return GenericFacets(ctx, s, f.Own(), m, fields)
}

// GenericFacets is Facets over FindEntities and Expand, counting in Go the
// entities it reads: the reference a Faceter must agree with.
func GenericFacets(ctx context.Context, s Store, f EntityFilter, m *Match, fields []FacetField) (EntityFacets, error) {
	f = f.Own()
	if !m.IsZero() {
		ids, err := MatchingIDs(ctx, s, f, m)
		if err != nil || len(ids) == 0 {
			return CountFacets(nil, fields), err
		}
		f = EntityFilter{IDs: ids}
	}
	found, _, err := s.FindEntities(ctx, f)
	if err != nil {
		return EntityFacets{}, err
	}
	return CountFacets(found, fields), nil
}

// CountFacets counts es by each of fields.
func CountFacets(es []*Entity, fields []FacetField) EntityFacets {
	out := EntityFacets{Total: len(es), Counts: map[FacetField][]FacetCount{}}
	for _, field := range fields {
		counts := map[string]int{}
		for _, e := range es {
			counts[field.Of(e)]++
		}
		out.Counts[field] = SortFacetCounts(counts)
	}
	return out
}

// SortFacetCounts lists counts largest first, ties by value.
func SortFacetCounts(counts map[string]int) []FacetCount {
	out := make([]FacetCount, 0, len(counts))
	for v, n := range counts {
		out = append(out, FacetCount{v, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
	return out
}

// RelFacetQuery asks for counts of the relationships around a set of
// entities, those that match Filter's own fields and Match (Filter.IDs for
// one entity or a few), of Types, in Direction, valid on AsOf, that count
// under Evidence (all types, both directions, at any time, on any source
// when empty).
type RelFacetQuery struct {
	Filter    EntityFilter
	Match     *Match
	Types     []RelType
	Direction Direction
	AsOf      string
	Evidence  *SourceSet
}

// RelFacet counts the relationships of one type that leave (OUT) or enter
// (IN) the set's entities with an entity of one kind at the other end.
type RelFacet struct {
	Type      RelType
	Direction Direction
	OtherKind Kind
	Count     int
}

// RelFacets are the counts of the relationships around a set of Entities
// entities: each entity counts its own relationships, so a relationship
// between two of them counts once at each end (OUT at one, IN at the
// other), and Total is the sum of the groups' counts. Groups come largest
// first, ties by type, direction and kind.
type RelFacets struct {
	Entities int
	Total    int
	Groups   []RelFacet
}

// RelFaceter is implemented by stores that count relationships around a set
// themselves; their answers must be GenericRelationshipFacets'.
type RelFaceter interface {
	RelationshipFacets(ctx context.Context, q RelFacetQuery) (RelFacets, error)
}

// RelationshipFacets counts the relationships around a set of entities by
// type, direction and the other end's kind: the store's own RelFaceter when
// it has one, else GenericRelationshipFacets.
func RelationshipFacets(ctx context.Context, s Store, q RelFacetQuery) (RelFacets, error) {
	q.Filter = q.Filter.Own()
	if x, ok := s.(RelFaceter); ok {
		return x.RelationshipFacets(ctx, q)
	}
	return GenericRelationshipFacets(ctx, s, q)
}

// GenericRelationshipFacets is RelationshipFacets over FindEntities and
// Expand: the reference a RelFaceter must agree with.
func GenericRelationshipFacets(ctx context.Context, s Store, q RelFacetQuery) (RelFacets, error) {
	ids, err := MatchingIDs(ctx, s, q.Filter, q.Match)
	if err != nil || len(ids) == 0 {
		return RelFacets{Groups: []RelFacet{}}, err
	}
	rels, err := s.Expand(ctx, ExpandQuery{IDs: ids, Types: q.Types, Direction: q.Direction, AsOf: q.AsOf, Evidence: q.Evidence})
	if err != nil {
		return RelFacets{}, err
	}
	in := setOfIDs(ids)
	counts := map[RelFacet]int{}
	for _, r := range rels {
		if q.Direction != DirIn && in[r.From] {
			counts[RelFacet{Type: r.Type, Direction: DirOut, OtherKind: r.ToKind}]++
		}
		if q.Direction != DirOut && in[r.To] {
			counts[RelFacet{Type: r.Type, Direction: DirIn, OtherKind: r.FromKind}]++
		}
	}
	return SortRelFacets(len(ids), counts), nil
}

// SortRelFacets turns counts by group into RelFacets, in their order.
func SortRelFacets(entities int, counts map[RelFacet]int) RelFacets {
	out := RelFacets{Entities: entities, Groups: make([]RelFacet, 0, len(counts))}
	for g, n := range counts {
		g.Count = n
		out.Groups = append(out.Groups, g)
		out.Total += n
	}
	sort.Slice(out.Groups, func(i, j int) bool {
		a, b := out.Groups[i], out.Groups[j]
		switch {
		case a.Count != b.Count:
			return a.Count > b.Count
		case a.Type != b.Type:
			return a.Type < b.Type
		case a.Direction != b.Direction:
			return a.Direction > b.Direction // OUT before IN, as in AdjacencyLess
		}
		return a.OtherKind < b.OtherKind
	})
	return out
}

// Stats are the counts of what the graph holds.
type Stats struct {
	Entities, Relationships, Sources int
	ByKind                           map[Kind]int
}

// StatsReader is implemented by stores that count everything Stats holds
// in one call; their answers must be GenericStats'.
type StatsReader interface {
	Stats(ctx context.Context) (Stats, error)
}

// ReadStats counts what the graph holds: one call to the store's own
// StatsReader when it has one, else GenericStats.
func ReadStats(ctx context.Context, s Store) (Stats, error) {
	if x, ok := s.(StatsReader); ok {
		return x.Stats(ctx)
	}
	return GenericStats(ctx, s)
}

// GenericStats counts with one count-only list per number (eight calls):
// the reference a StatsReader must agree with.
func GenericStats(ctx context.Context, s Store) (Stats, error) {
	st := Stats{ByKind: map[Kind]int{}}
	var err error
	if _, st.Entities, err = s.FindEntities(ctx, EntityFilter{CountOnly: true}); err != nil {
		return Stats{}, err
	}
	if _, st.Relationships, err = s.FindRelationships(ctx, RelationshipFilter{CountOnly: true}); err != nil {
		return Stats{}, err
	}
	if _, st.Sources, err = s.FindSources(ctx, 0, 1); err != nil {
		return Stats{}, err
	}
	for _, k := range Kinds {
		_, n, err := s.FindEntities(ctx, EntityFilter{Kinds: []Kind{k}, CountOnly: true})
		if err != nil {
			return Stats{}, err
		}
		st.ByKind[k] = n
	}
	return st, nil
}

// DegreeCounter is implemented by stores that count an entity's
// relationships without reading them; their answers must be
// GenericDegrees'.
type DegreeCounter interface {
	// Degrees returns, for each id, how many relationships the entity has,
	// of any type, in either direction, at any time (0 for an unknown id).
	Degrees(ctx context.Context, ids []string) ([]int, error)
}

// Degrees counts each entity's relationships: the store's own
// DegreeCounter when it has one, else GenericDegrees.
func Degrees(ctx context.Context, s Store, ids []string) ([]int, error) {
	if x, ok := s.(DegreeCounter); ok {
		return x.Degrees(ctx, ids)
	}
	return GenericDegrees(ctx, s, ids)
}

// GenericDegrees is Degrees as count-only relationship pages, one call for
// all the ids: the reference a DegreeCounter must agree with.
func GenericDegrees(ctx context.Context, s Store, ids []string) ([]int, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	qs := make([]RelPageQuery, len(ids))
	for i, id := range ids {
		qs[i] = RelPageQuery{ID: id}
	}
	pages, err := PageRelationships(ctx, s, qs)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(ids))
	for i, p := range pages {
		out[i] = p.Total
	}
	return out, nil
}
