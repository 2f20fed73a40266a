package graph

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vjkg/vjkg/graph/model"
	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/traverse"
)

// nodes answers nodes(ids:) with one store call per kind of record asked
// for (entities, sources, relationships), whatever the number of ids, in
// the order asked, nil where an id is unknown.
func (r *Resolver) nodes(ctx context.Context, ids []string) ([]model.Node, error) {
	var ents, srcs, rels []string
	for _, id := range ids {
		switch {
		case strings.HasPrefix(id, kg.SourceIDPrefix):
			srcs = append(srcs, id)
		case strings.HasPrefix(id, "rel:"):
			rels = append(rels, id)
		default:
			ents = append(ents, id)
		}
	}
	l := r.loaders(ctx)
	byID := map[string]model.Node{}
	if len(ents) > 0 {
		found, err := l.Entities.LoadAll(ctx, ents)
		if err != nil {
			return nil, err
		}
		for _, e := range found {
			if e != nil {
				byID[e.ID] = model.WrapEntity(e).(model.Node)
			}
		}
	}
	if len(srcs) > 0 {
		found, err := l.Sources.LoadAll(ctx, srcs)
		if err != nil {
			return nil, err
		}
		for _, src := range found {
			if src != nil {
				byID[src.ID] = &model.Source{Source: src}
			}
		}
	}
	if len(rels) > 0 {
		found, err := r.Store.GetRelationships(ctx, rels)
		if err != nil {
			return nil, err
		}
		for _, rel := range found {
			byID[rel.ID] = &model.Relationship{Relationship: rel}
		}
	}
	out := make([]model.Node, len(ids))
	for i, id := range ids {
		out[i] = byID[id]
	}
	return out, nil
}

// traversal reads the options paths and neighborhood share.
func (r *Resolver) traversal(ctx context.Context, types []model.RelationType, kinds []model.EntityKind, direction *model.Direction, asOf *model.Date,
	sourceTypes []model.SourceType, avoid []string, maxDegree *int) (traverse.Options, error) {
	o := traverse.Options{Types: relTypesOf(types), Kinds: kindsOf(kinds), AsOf: model.DayOf(asOf), Direction: directionOf(direction), Avoid: avoid}
	var err error
	if o.Evidence, err = r.evidence(ctx, sourceTypes); err != nil {
		return o, err
	}
	if len(avoid) > r.Limits.MaxIDs {
		return o, kg.Errorf(kg.EInvalid, "avoid: at most %d ids, got %d", r.Limits.MaxIDs, len(avoid))
	}
	if maxDegree != nil {
		if *maxDegree < 1 {
			return o, kg.Errorf(kg.EInvalid, "maxDegree must be at least 1, got %d", *maxDegree)
		}
		o.MaxDegree = *maxDegree
	}
	return o, nil
}

// shortestPaths finds the shortest paths and, when the query asks for
// their scores, scores them with one kg.Degrees call for all their
// entities.
func (r *Resolver) shortestPaths(ctx context.Context, from, to string, hops int, o traverse.Options, n int) ([]traverse.ScoredPath, error) {
	paths, err := traverse.ShortestPaths(ctx, r.Store, from, to, hops, o, n)
	if err != nil {
		return nil, err
	}
	out := make([]traverse.ScoredPath, len(paths))
	for i, p := range paths {
		out[i].Path = p
	}
	if !slices.Contains(graphql.CollectAllFields(ctx), "score") {
		return out, nil
	}
	var inner []string
	for _, p := range paths {
		if len(p.Nodes) > 2 {
			inner = append(inner, p.Nodes[1:len(p.Nodes)-1]...)
		}
	}
	degrees, err := kg.Degrees(ctx, r.Store, inner)
	if err != nil {
		return nil, err
	}
	for i, p := range paths {
		k := max(len(p.Nodes)-2, 0)
		out[i].Score = traverse.PathScore(degrees[:k])
		degrees = degrees[k:]
	}
	return out, nil
}

// pathsOut presents paths, loading every path's entities in one store call.
func (r *Resolver) pathsOut(ctx context.Context, paths []traverse.ScoredPath, asOf string) ([]*model.Path, error) {
	var ids []string
	for _, p := range paths {
		ids = append(ids, p.Nodes...)
	}
	ents, err := r.entitiesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*model.Path, len(paths))
	for i, p := range paths {
		mp := &model.Path{Nodes: ents[:len(p.Nodes)], Length: len(p.Relationships), Score: p.Score, Relationships: []*model.Relationship{}}
		ents = ents[len(p.Nodes):]
		for _, rel := range p.Relationships {
			mp.Relationships = append(mp.Relationships, &model.Relationship{Relationship: rel, AsOf: asOf})
		}
		out[i] = mp
	}
	return out, nil
}

// facetFields are the facets the query selects, so that the store counts
// no other.
func facetFields(ctx context.Context) []kg.FacetField {
	var out []kg.FacetField
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		switch f.Name {
		case "byKind":
			out = append(out, kg.FacetKind)
		case "byType":
			out = append(out, kg.FacetType)
		case "byCountry":
			out = append(out, kg.FacetCountry)
		case "byYear":
			out = append(out, kg.FacetYear)
		}
	}
	return out
}

func entityFacetsOut(f kg.EntityFacets) *model.EntityFacets {
	counts := func(field kg.FacetField) []*model.FacetCount {
		out := make([]*model.FacetCount, 0, len(f.Counts[field]))
		for _, c := range f.Counts[field] {
			fc := &model.FacetCount{Count: c.Count}
			if c.Value != "" {
				v := c.Value
				fc.Value = &v
			}
			out = append(out, fc)
		}
		return out
	}
	return &model.EntityFacets{Total: f.Total, ByKind: counts(kg.FacetKind), ByType: counts(kg.FacetType),
		ByCountry: counts(kg.FacetCountry), ByYear: counts(kg.FacetYear)}
}

// relFacetQuery reads the set relationshipFacets counts around: the ids, or
// the entities that match the filter, or (with neither) every entity.
func (r *Resolver) relFacetQuery(ctx context.Context, ids []string, filter *model.EntityFilter) (kg.RelFacetQuery, error) {
	switch {
	case ids != nil && filter != nil:
		return kg.RelFacetQuery{}, kg.Errorf(kg.EInvalid, "give ids or filter, not both")
	case ids != nil:
		if len(ids) > r.Limits.MaxIDs {
			return kg.RelFacetQuery{}, kg.Errorf(kg.EInvalid, "ids: at most %d ids, got %d", r.Limits.MaxIDs, len(ids))
		}
		if len(ids) == 0 {
			return kg.RelFacetQuery{}, kg.Errorf(kg.EInvalid, "ids: give at least one id")
		}
		return kg.RelFacetQuery{Filter: kg.EntityFilter{IDs: ids}}, nil
	}
	f, m, err := r.query(ctx, fromEntityFilter(filter))
	return kg.RelFacetQuery{Filter: f, Match: m}, err
}

func relationshipFacetsOut(f kg.RelFacets) *model.RelationshipFacets {
	out := &model.RelationshipFacets{Entities: f.Entities, Total: f.Total, Groups: []*model.RelationshipFacetGroup{},
		ByType: []*model.RelationTypeCount{}, ByOtherKind: []*model.KindCount{}}
	byType := map[kg.RelType]int{}
	byKind := map[kg.Kind]int{}
	for _, g := range f.Groups {
		out.Groups = append(out.Groups, &model.RelationshipFacetGroup{Type: model.RelationType(g.Type),
			Direction: model.Direction(g.Direction), OtherKind: model.EntityKind(g.OtherKind), Count: g.Count})
		byType[g.Type] += g.Count
		byKind[g.OtherKind] += g.Count
	}
	for t, n := range byType {
		out.ByType = append(out.ByType, &model.RelationTypeCount{Type: model.RelationType(t), Count: n})
	}
	sort.Slice(out.ByType, func(i, j int) bool {
		a, b := out.ByType[i], out.ByType[j]
		return a.Count > b.Count || (a.Count == b.Count && a.Type < b.Type)
	})
	for k, n := range byKind {
		out.ByOtherKind = append(out.ByOtherKind, &model.KindCount{Kind: model.EntityKind(k), Count: n})
	}
	sort.Slice(out.ByOtherKind, func(i, j int) bool {
		a, b := out.ByOtherKind[i], out.ByOtherKind[j]
		return a.Count > b.Count || (a.Count == b.Count && a.Kind < b.Kind)
	})
	return out
}
