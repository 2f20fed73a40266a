package graph

import (
	"context"
	"math"

	"github.com/vjkg/vjkg/graph/model"
	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/traverse"
)

// measureSet gathers the entities and relationships a measures query is
// computed over: a neighbourhood, or the whole graph when it is small
// enough. Kinds, types, asOf and source types filter both.
func (r *Resolver) measureSet(ctx context.Context, id *string, depth *int, relationTypes []model.RelationType, kinds []model.EntityKind, asOf *model.Date, sourceTypes []model.SourceType, limit *int) ([]string, []*kg.Relationship, error) {
	max, err := bounded("limit", limit, 1000, 1, r.Limits.MaxNeighborhoodNodes)
	if err != nil {
		return nil, nil, err
	}
	o := traverse.Options{Types: relTypesOf(relationTypes), Kinds: kindsOf(kinds), AsOf: model.DayOf(asOf)}
	if o.Evidence, err = r.evidence(ctx, sourceTypes); err != nil {
		return nil, nil, err
	}
	if id != nil {
		d, err := bounded("depth", depth, 2, 0, r.Limits.MaxNeighborhoodDepth)
		if err != nil {
			return nil, nil, err
		}
		g, err := traverse.Neighborhood(ctx, r.Store, *id, d, o, max)
		if err != nil {
			return nil, nil, err
		}
		return g.Nodes, g.Relationships, nil
	}
	ents, total, err := r.Store.FindEntities(ctx, kg.EntityFilter{Kinds: o.Kinds, Evidence: o.Evidence, Order: kg.EntityOrder{Field: kg.OrderByID}, Limit: max})
	if err != nil {
		return nil, nil, err
	}
	if total > max {
		return nil, nil, kg.Errorf(kg.EInvalid, "the graph holds %d entities, more than limit %d: give an id to measure a neighbourhood", total, max)
	}
	rels, _, err := r.Store.FindRelationships(ctx, kg.RelationshipFilter{Types: o.Types, AsOf: o.AsOf, Evidence: o.Evidence})
	if err != nil {
		return nil, nil, err
	}
	nodes := make([]string, len(ents))
	for i, e := range ents {
		nodes[i] = e.ID
	}
	return nodes, rels, nil
}

// round keeps six decimals, so that answers read well and compare equal
// across backends.
func round(x float64) float64 { return math.Round(x*1e6) / 1e6 }
