package neo4j

import (
	"context"
	"sort"

	"github.com/vjkg/vjkg/kg"
)

// Lists by evidence (kg.SourceSet) ask about a handful of sources, each by
// the statement that lists by cited source: "n.sourceKey CONTAINS $sourceKey",
// which starts from the entity_source_key TEXT index. One source is one
// such statement, paged by Neo4j; several are one statement each, in one
// read transaction, whose answers Go unites, orders and pages. A varying
// OR of CONTAINS, or any() over a list parameter, would make the statements
// many or wrong on the stand-in (probe: any(… IN …)).

// citing returns the sources a filter with evidence ev (and perhaps one
// cited source besides) asks about.
func citing(ev *kg.SourceSet, cites string) []string {
	if cites == "" {
		return ev.IDs
	}
	if ev.Has(cites) {
		return []string{cites}
	}
	return nil
}

// findEntitiesByEvidence is FindEntities for a filter with Evidence.
func (s *Store) findEntitiesByEvidence(ctx context.Context, f kg.EntityFilter) ([]*kg.Entity, int, error) {
	srcs := citing(f.Evidence, f.CitesSource)
	f.Evidence = nil
	switch len(srcs) {
	case 0:
		return nil, 0, ctx.Err()
	case 1:
		f.CitesSource = srcs[0]
		return s.FindEntities(ctx, f)
	}
	byID := map[string]*kg.Entity{}
	err := s.oneRead(ctx, func(ctx context.Context) error {
		clear(byID)
		for _, src := range srcs {
			g := f
			g.CitesSource, g.Offset, g.Limit, g.CountOnly = src, 0, 0, false
			found, _, err := s.FindEntities(ctx, g)
			if err != nil {
				return err
			}
			for _, e := range found {
				byID[e.ID] = e
			}
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	all := make([]*kg.Entity, 0, len(byID))
	for _, e := range byID {
		all = append(all, e)
	}
	f.Order.Sort(all)
	return cut(all, f.Offset, f.Limit), len(all), nil
}

// findRelationshipsByEvidence is FindRelationships for a filter with
// Evidence.
func (s *Store) findRelationshipsByEvidence(ctx context.Context, f kg.RelationshipFilter) ([]*kg.Relationship, int, error) {
	srcs := citing(f.Evidence, f.CitesSource)
	f.Evidence = nil
	switch {
	case len(srcs) == 0:
		return nil, 0, ctx.Err()
	case len(srcs) == 1:
		f.CitesSource = srcs[0]
		return s.FindRelationships(ctx, f)
	}
	byID := map[string]*kg.Relationship{}
	err := s.oneRead(ctx, func(ctx context.Context) error {
		clear(byID)
		for _, src := range srcs {
			g := f
			g.CitesSource, g.Offset, g.Limit, g.CountOnly = src, 0, 0, false
			found, _, err := s.FindRelationships(ctx, g)
			if err != nil {
				return err
			}
			for _, r := range found {
				byID[r.ID] = r
			}
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	all := make([]*kg.Relationship, 0, len(byID))
	for _, r := range byID {
		all = append(all, r)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return cut(all, f.Offset, f.Limit), len(all), nil
}

// cut returns the page of xs at offset, of at most limit items (0: all).
func cut[T any](xs []T, offset, limit int) []T {
	xs = xs[min(offset, len(xs)):]
	if limit > 0 {
		xs = xs[:min(limit, len(xs))]
	}
	return xs
}
