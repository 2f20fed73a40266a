// Package export writes the graph, or any part of it the API can describe,
// in the formats network tools read: GraphML (NetworkX, igraph, yEd,
// Cytoscape), GEXF (Gephi), Cytoscape.js JSON, and CSV node and edge lists.
// Every format carries node kinds, relationship types, properties, dates and
// sources.
package export

import (
	"context"
	"slices"
	"sort"

	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/traverse"
)

// Graph is what an export writes: entities, the relationships among them,
// and the sources they cite.
type Graph struct {
	Entities      []*kg.Entity
	Relationships []*kg.Relationship
	Sources       map[string]*kg.Source
	// AsOf is the day the relationships hold on (YYYY-MM-DD), or "" for
	// any time; with a day, each edge carries its time status.
	AsOf string
}

// Scope names a part of the graph, with the same arguments as the GraphQL
// fields that describe it.
type Scope struct {
	// What: "all" (the default), "neighborhood", "paths" or "list".
	What string
	// neighborhood: ID, Depth, Limit; paths: From, To, MaxHops, MaxPaths.
	ID, From, To          string
	Depth, Limit, MaxHops int
	MaxPaths              int
	Traverse              traverse.Options // relationTypes, kinds, direction, asOf
	// list: the entities the filter selects, and the relationships among them.
	Filter kg.EntityFilter
	// SourceTypes keeps, in any scope, the entities and relationships that
	// sources of these types support (kg.SourcesOfTypes); all when empty.
	SourceTypes []string
}

// Bounds keep one export from asking too much of the store.
type Bounds struct {
	MaxDepth, MaxNodes, MaxHops, MaxPaths int
}

// DefaultBounds match the GraphQL API's.
var DefaultBounds = Bounds{MaxDepth: 3, MaxNodes: 1000, MaxHops: 6, MaxPaths: 50}

// Collect reads the part of the graph sc names. It returns EInvalid for
// arguments out of bounds, ENotFound for an unknown entity.
func Collect(ctx context.Context, s kg.Store, sc Scope, b Bounds) (*Graph, error) {
	ev, err := kg.SourcesOfTypes(ctx, s, sc.SourceTypes)
	if err != nil {
		return nil, err
	}
	sc.Traverse.Evidence, sc.Filter.Evidence = ev, ev
	var g *Graph
	switch sc.What {
	case "", "all":
		g, err = collectAll(ctx, s, sc.Traverse.AsOf, ev)
	case "neighborhood":
		g, err = collectNeighborhood(ctx, s, sc, b)
	case "paths":
		g, err = collectPaths(ctx, s, sc, b)
	case "list":
		g, err = collectList(ctx, s, sc.Filter, sc.Traverse.AsOf)
	default:
		return nil, kg.Errorf(kg.EInvalid, "scope %q: want all, neighborhood, paths or list", sc.What)
	}
	if err != nil {
		return nil, err
	}
	g.AsOf = sc.Traverse.AsOf
	if err := g.loadSources(ctx, s); err != nil {
		return nil, err
	}
	g.sort()
	return g, nil
}

func collectAll(ctx context.Context, s kg.Store, asOf string, ev *kg.SourceSet) (*Graph, error) {
	ents, _, err := s.FindEntities(ctx, kg.EntityFilter{Order: kg.EntityOrder{Field: kg.OrderByID}, Evidence: ev})
	if err != nil {
		return nil, err
	}
	rels, _, err := s.FindRelationships(ctx, kg.RelationshipFilter{AsOf: asOf, Evidence: ev})
	if err != nil {
		return nil, err
	}
	if ev != nil {
		// A relationship the sources support may lead to an entity they
		// do not: keep only edges whose ends are in the file.
		in := map[string]bool{}
		for _, e := range ents {
			in[e.ID] = true
		}
		rels = slices.DeleteFunc(rels, func(r *kg.Relationship) bool { return !in[r.From] || !in[r.To] })
	}
	return &Graph{Entities: ents, Relationships: rels}, nil
}

func inRange(name string, v, lo, hi int) error {
	if v < lo || v > hi {
		return kg.Errorf(kg.EInvalid, "%s must be between %d and %d, got %d", name, lo, hi, v)
	}
	return nil
}

func collectNeighborhood(ctx context.Context, s kg.Store, sc Scope, b Bounds) (*Graph, error) {
	if sc.Depth == 0 {
		sc.Depth = 1
	}
	if sc.Limit == 0 {
		sc.Limit = 100
	}
	if err := inRange("depth", sc.Depth, 0, b.MaxDepth); err != nil {
		return nil, err
	}
	if err := inRange("limit", sc.Limit, 1, b.MaxNodes); err != nil {
		return nil, err
	}
	sub, err := traverse.Neighborhood(ctx, s, sc.ID, sc.Depth, sc.Traverse, sc.Limit)
	if err != nil {
		return nil, err
	}
	ents, err := s.GetEntities(ctx, sub.Nodes)
	if err != nil {
		return nil, err
	}
	return &Graph{Entities: ents, Relationships: sub.Relationships}, nil
}

func collectPaths(ctx context.Context, s kg.Store, sc Scope, b Bounds) (*Graph, error) {
	if sc.MaxHops == 0 {
		sc.MaxHops = 4
	}
	if sc.MaxPaths == 0 {
		sc.MaxPaths = 10
	}
	if err := inRange("maxHops", sc.MaxHops, 1, b.MaxHops); err != nil {
		return nil, err
	}
	if err := inRange("first", sc.MaxPaths, 1, b.MaxPaths); err != nil {
		return nil, err
	}
	paths, err := traverse.ShortestPaths(ctx, s, sc.From, sc.To, sc.MaxHops, sc.Traverse, sc.MaxPaths)
	if err != nil {
		return nil, err
	}
	ids, rels := map[string]bool{}, map[string]*kg.Relationship{}
	for _, p := range paths {
		for _, n := range p.Nodes {
			ids[n] = true
		}
		for _, r := range p.Relationships {
			rels[r.ID] = r
		}
	}
	ents, err := s.GetEntities(ctx, keys(ids))
	if err != nil {
		return nil, err
	}
	g := &Graph{Entities: ents}
	for _, r := range rels {
		g.Relationships = append(g.Relationships, r)
	}
	return g, nil
}

func collectList(ctx context.Context, s kg.Store, f kg.EntityFilter, asOf string) (*Graph, error) {
	f.Offset, f.Limit = 0, 0
	ents, _, err := s.FindEntities(ctx, f)
	if err != nil {
		return nil, err
	}
	g := &Graph{Entities: ents}
	if len(ents) == 0 {
		return g, nil
	}
	in := map[string]bool{}
	for _, e := range ents {
		in[e.ID] = true
	}
	rels, err := s.Expand(ctx, kg.ExpandQuery{IDs: keys(in), AsOf: asOf, Evidence: f.Evidence})
	if err != nil {
		return nil, err
	}
	for _, r := range rels {
		if in[r.From] && in[r.To] {
			g.Relationships = append(g.Relationships, r)
		}
	}
	return g, nil
}

// loadSources fetches every source the graph's facts cite, in one call.
func (g *Graph) loadSources(ctx context.Context, s kg.Store) error {
	ids := map[string]bool{}
	for _, e := range g.Entities {
		for _, c := range e.Citations {
			ids[c.SourceID] = true
		}
		for _, f := range e.Figures {
			ids[f.Citation.SourceID] = true
		}
	}
	for _, r := range g.Relationships {
		for _, c := range r.Citations {
			ids[c.SourceID] = true
		}
	}
	found, err := s.GetSources(ctx, keys(ids))
	if err != nil {
		return err
	}
	g.Sources = map[string]*kg.Source{}
	for _, src := range found {
		g.Sources[src.ID] = src
	}
	return nil
}

// sort puts entities in id order and relationships in export order, so
// that exports are reproducible.
func (g *Graph) sort() {
	sort.Slice(g.Entities, func(i, j int) bool { return g.Entities[i].ID < g.Entities[j].ID })
	sortRelationships(g.Relationships)
}

// sortRelationships puts relationships in the order exports write them:
// by the entity they leave, then by id. It is the order a streamed export
// finds them in, a page of entities at a time.
func sortRelationships(rels []*kg.Relationship) {
	sort.Slice(rels, func(i, j int) bool {
		if rels[i].From != rels[j].From {
			return rels[i].From < rels[j].From
		}
		return rels[i].ID < rels[j].ID
	})
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
