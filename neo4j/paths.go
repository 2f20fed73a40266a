package neo4j

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/traverse"
)

// PathSearch says which shortest-path searches the store hands to Neo4j as
// one allShortestPaths statement, and which it runs in Go as a breadth-first
// search over Expand (traverse.GenericShortestPaths, one round trip per hop).
type PathSearch int

// The path-search modes.
const (
	// PathsCypher sends every search as one statement: types in the
	// pattern, validity and kinds as path predicates. The default.
	PathsCypher PathSearch = iota
	// PathsCypherUnfiltered sends only the searches without AsOf and Kinds
	// as one statement and runs the others in Go. It is for engines that
	// ignore predicates on a shortest path, as the NornicDB stand-in does
	// (README, "Running on Neo4j").
	PathsCypherUnfiltered
	// PathsGo runs every search in Go over Expand.
	PathsGo
)

// ParsePathSearch reads a mode by name: cypher, cypher-unfiltered or go.
func ParsePathSearch(s string) (PathSearch, error) {
	switch s {
	case "", "cypher":
		return PathsCypher, nil
	case "cypher-unfiltered":
		return PathsCypherUnfiltered, nil
	case "go":
		return PathsGo, nil
	}
	return 0, fmt.Errorf("path search %q: want cypher, cypher-unfiltered or go", s)
}

// maxCypherHops bounds the searches sent as Cypher: a variable-length
// pattern's upper bound must be a literal, so there is one statement per
// bound, and Statements() lists them all. Longer searches run in Go.
const maxCypherHops = 8

var _ traverse.PathFinder = (*Store)(nil)

// ShortestPaths implements traverse.PathFinder: one read transaction, which
// holds one allShortestPaths statement, and a second statement only when no
// path is found (to tell "not connected" from "no such entity"). The engine
// returns every shortest path; Go checks each against the options, puts them
// in GenericShortestPaths' order and cuts them to limit.
func (s *Store) ShortestPaths(ctx context.Context, from, to string, maxHops int, o traverse.Options, limit int) ([]traverse.Path, error) {
	filtered := o.AsOf != "" || len(o.Kinds) > 0
	if from == to || maxHops < 1 || maxHops > maxCypherHops || s.cfg.PathSearch == PathsGo ||
		(s.cfg.PathSearch == PathsCypherUnfiltered && filtered) {
		return traverse.GenericShortestPaths(ctx, s, from, to, maxHops, o, limit)
	}
	if len(o.Avoid) > 0 || o.MaxDegree > 0 || o.Evidence != nil {
		// Avoiding entities and hubs runs in Go, in one read transaction: a
		// degree bound on the nodes of a path needs COUNT {} in the path
		// predicate, which the stand-in does not run (probe: COUNT { … }).
		// So does evidence: a CONTAINS on every node and relationship of a
		// path needs all() over nodes(p), which it does not run either.
		var out []traverse.Path
		err := s.oneRead(ctx, func(ctx context.Context) (err error) {
			out, err = traverse.GenericShortestPaths(ctx, s, from, to, maxHops, o, limit)
			return err
		})
		return out, err
	}
	for _, t := range o.Types {
		if _, ok := kg.Rule(t); !ok {
			return nil, kg.Errorf(kg.EInvalid, "unknown relationship type %q", t)
		}
	}
	dir := o.Direction
	if dir == "" {
		dir = kg.DirBoth
	}
	st := shortestPaths(dir, maxHops, o.Types, o.AsOf != "", len(o.Kinds) > 0)
	params := pick(map[string]any{"from": from, "to": to, "asOf": o.AsOf, "kinds": stringList(o.Kinds)}, st.Params)
	var paths []traverse.Path
	err := s.tx(ctx, driver.AccessModeRead, func(t driver.ManagedTransaction) error {
		paths = nil
		recs, err := s.collect(ctx, t, st, params)
		if err != nil {
			return err
		}
		for _, rec := range recs {
			p, err := decodePath(st, rec, from, to)
			if err != nil {
				return err
			}
			paths = append(paths, p)
		}
		if len(paths) > 0 {
			return nil
		}
		recs, err = s.collect(ctx, t, stmtEntityKinds, map[string]any{"ids": []string{from, to}})
		if err != nil {
			return err
		}
		found, err := strs(recs, "id")
		if err != nil {
			return err
		}
		for _, id := range []string{from, to} {
			if !slices.Contains(found, id) {
				return kg.Errorf(kg.ENotFound, "entity %q does not exist", id)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, p := range paths {
		if !follows(p, o, to) {
			return nil, fmt.Errorf("%s: Neo4j returned a path that breaks the options %+v: %v", st.Name, o, p.Nodes)
		}
	}
	return orderPaths(paths, limit), nil
}

// decodePath reads a path column: each relationship's document, and the
// nodes in walking order from `from`, worked out from the documents so that
// no engine-specific node ids are needed.
func decodePath(st Statement, rec *driver.Record, from, to string) (traverse.Path, error) {
	v, isNil, err := driver.GetRecordValue[driver.Path](rec, "p")
	if err != nil || isNil {
		return traverse.Path{}, fmt.Errorf("%s: record without a path: %v", st.Name, err)
	}
	p := traverse.Path{Nodes: []string{from}}
	at := from
	for _, r := range v.Relationships {
		raw, err := driver.GetProperty[string](r, "doc")
		if err != nil {
			return traverse.Path{}, fmt.Errorf("%s: relationship without a doc: %w", st.Name, err)
		}
		rel := new(kg.Relationship)
		if err := json.Unmarshal([]byte(raw), rel); err != nil {
			return traverse.Path{}, fmt.Errorf("%s: bad doc: %w", st.Name, err)
		}
		if rel.From != at && rel.To != at {
			return traverse.Path{}, fmt.Errorf("%s: relationship %s does not touch %s", st.Name, rel.ID, at)
		}
		at = rel.Other(at)
		p.Nodes = append(p.Nodes, at)
		p.Relationships = append(p.Relationships, rel)
	}
	if at != to {
		return traverse.Path{}, fmt.Errorf("%s: path ends at %s, not %s", st.Name, at, to)
	}
	return p, nil
}

// follows reports whether every step of p is one a traversal with o may
// take: the check that an engine honoured the statement's predicates.
func follows(p traverse.Path, o traverse.Options, to string) bool {
	for i, r := range p.Relationships {
		at, next := p.Nodes[i], p.Nodes[i+1]
		kind := r.ToKind
		if r.To != next {
			kind = r.FromKind
		}
		switch {
		case o.Direction == kg.DirOut && r.From != at,
			o.Direction == kg.DirIn && r.To != at,
			len(o.Types) > 0 && !slices.Contains(o.Types, r.Type),
			!r.ValidOn(o.AsOf),
			len(o.Kinds) > 0 && next != to && !slices.Contains(o.Kinds, kind):
			return false
		}
	}
	return true
}

// orderPaths puts paths in GenericShortestPaths' order — by the ids of their
// relationships read from the end back to the start — drops repeats, and
// keeps the first limit (all when limit is 0).
func orderPaths(paths []traverse.Path, limit int) []traverse.Path {
	key := func(p traverse.Path) []string {
		ids := make([]string, len(p.Relationships))
		for i, r := range p.Relationships {
			ids[len(ids)-1-i] = r.ID
		}
		return ids
	}
	slices.SortFunc(paths, func(a, b traverse.Path) int { return slices.Compare(key(a), key(b)) })
	paths = slices.CompactFunc(paths, func(a, b traverse.Path) bool { return slices.Equal(key(a), key(b)) })
	if limit > 0 && len(paths) > limit {
		paths = paths[:limit]
	}
	return paths
}

// shortestPaths finds every shortest path from $from to $to of at most hops
// relationships. Both ends are found through the entity id constraint. The
// types are written into the pattern from the fixed list (a typed expansion
// follows only those relationships); validity and the kinds of the nodes in
// between are path predicates, which Neo4j checks during the search.
func shortestPaths(dir kg.Direction, hops int, types []kg.RelType, asOf, kinds bool) Statement {
	rel := "[*.." + fmt.Sprint(hops) + "]"
	if len(types) > 0 {
		rel = "[:" + strings.Join(stringList(types), "|") + "*.." + fmt.Sprint(hops) + "]"
	}
	pattern := map[kg.Direction]string{
		kg.DirOut:  "(a:Entity {id: $from})-" + rel + "->(b:Entity {id: $to})",
		kg.DirIn:   "(a:Entity {id: $from})<-" + rel + "-(b:Entity {id: $to})",
		kg.DirBoth: "(a:Entity {id: $from})-" + rel + "-(b:Entity {id: $to})",
	}[dir]
	var where []string
	params := []string{"from", "to"}
	if asOf {
		where = append(where, "all(r IN relationships(p) WHERE r.fromKey <= $asOf AND r.toKey >= $asOf)")
		params = append(params, "asOf")
	}
	if kinds {
		where = append(where, "all(n IN nodes(p) WHERE n.id = $from OR n.id = $to OR n.kind IN $kinds)")
		params = append(params, "kinds")
	}
	return Statement{Name: fmt.Sprintf("shortest paths %s hops=%d types=%v asOf=%v kinds=%v", dir, hops, types, asOf, kinds),
		Cypher: "MATCH p = allShortestPaths(" + pattern + ")" + whereClause(where) + " RETURN p", Params: params}
}
