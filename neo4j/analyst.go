package neo4j

import (
	"context"
	"fmt"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/traverse"
)

// The analyst's queries (relationship filters, facets, stats, ranked
// paths) are the generic versions over FindEntities and Expand, run in Go
// as the store design has it: their Cypher stays in the subset the
// stand-in answers right, and the answers are the embedded store's by
// construction. What the store adds is that each runs in one read
// transaction (oneRead), so that it is one store call, one round trip of
// BEGIN…COMMIT holding its statements, and reads one state of the graph.

var (
	_ kg.Matcher          = (*Store)(nil)
	_ kg.Faceter          = (*Store)(nil)
	_ kg.RelFaceter       = (*Store)(nil)
	_ kg.StatsReader      = (*Store)(nil)
	_ kg.DegreeCounter    = (*Store)(nil)
	_ traverse.PathRanker = (*Store)(nil)
)

// readTxKey carries oneRead's transaction in a context.
type readTxKey struct{}

// oneRead runs fn with every read the store makes for it inside one read
// transaction. The driver may run fn again on a transient failure; fn only
// reads.
func (s *Store) oneRead(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(readTxKey{}).(driver.ManagedTransaction); ok {
		return fn(ctx)
	}
	return s.tx(ctx, driver.AccessModeRead, func(t driver.ManagedTransaction) error {
		return fn(context.WithValue(ctx, readTxKey{}, t))
	})
}

// primitives is the store seen only through kg.Store, so that the generic
// versions below use FindEntities and Expand, not the store's own answers
// (which would call them again).
type primitives struct{ kg.Store }

// FindMatching implements kg.Matcher: kg.GenericFindMatching in one read
// transaction.
func (s *Store) FindMatching(ctx context.Context, f kg.EntityFilter, m *kg.Match) (out []*kg.Entity, total int, err error) {
	err = s.oneRead(ctx, func(ctx context.Context) error {
		out, total, err = kg.GenericFindMatching(ctx, primitives{s}, f, m)
		return err
	})
	return out, total, err
}

// Facets implements kg.Faceter: kg.GenericFacets in one read transaction.
func (s *Store) Facets(ctx context.Context, f kg.EntityFilter, m *kg.Match, fields []kg.FacetField) (out kg.EntityFacets, err error) {
	err = s.oneRead(ctx, func(ctx context.Context) error {
		out, err = kg.GenericFacets(ctx, primitives{s}, f, m, fields)
		return err
	})
	return out, err
}

// RelationshipFacets implements kg.RelFaceter: kg.GenericRelationshipFacets
// in one read transaction.
func (s *Store) RelationshipFacets(ctx context.Context, q kg.RelFacetQuery) (out kg.RelFacets, err error) {
	err = s.oneRead(ctx, func(ctx context.Context) error {
		out, err = kg.GenericRelationshipFacets(ctx, primitives{s}, q)
		return err
	})
	return out, err
}

// Stats implements kg.StatsReader: the eight counts of kg.GenericStats, in
// one read transaction (each from the count store or an index on Neo4j).
func (s *Store) Stats(ctx context.Context) (out kg.Stats, err error) {
	err = s.oneRead(ctx, func(ctx context.Context) error {
		out, err = kg.GenericStats(ctx, primitives{s})
		return err
	})
	return out, err
}

// RankedPaths implements traverse.PathRanker: traverse.GenericRankedPaths,
// its expansions and degree counts in one read transaction.
func (s *Store) RankedPaths(ctx context.Context, from, to string, maxHops int, o traverse.Options, limit int) (out []traverse.ScoredPath, err error) {
	err = s.oneRead(ctx, func(ctx context.Context) error {
		out, err = traverse.GenericRankedPaths(ctx, degreesOf{primitives{s}, s}, from, to, maxHops, o, limit)
		return err
	})
	return out, err
}

// degreesOf is the primitives with the store's own degree count, which
// reads no relationship.
type degreesOf struct {
	primitives
	d kg.DegreeCounter
}

func (x degreesOf) Degrees(ctx context.Context, ids []string) ([]int, error) {
	return x.d.Degrees(ctx, ids)
}

// Degrees implements kg.DegreeCounter with one statement that counts each
// entity's relationships where Neo4j keeps them (with the node), reading
// none of their documents.
func (s *Store) Degrees(ctx context.Context, ids []string) ([]int, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	byID := map[string]int{}
	err := s.tx(ctx, driver.AccessModeRead, func(t driver.ManagedTransaction) error {
		clear(byID)
		recs, err := s.collect(ctx, t, stmtDegrees, map[string]any{"ids": ids})
		if err != nil {
			return err
		}
		for _, rec := range recs {
			id, _, err := driver.GetRecordValue[string](rec, "id")
			if err != nil {
				return fmt.Errorf("%s: %w", stmtDegrees.Name, err)
			}
			n, err := count(stmtDegrees, []*driver.Record{rec})
			if err != nil {
				return err
			}
			byID[id] = n
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]int, len(ids))
	for i, id := range ids {
		out[i] = byID[id] // an entity without relationships has no row
	}
	return out, nil
}
