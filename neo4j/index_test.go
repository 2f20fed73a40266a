package neo4j

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// index is one index the schema statements create: on a node label's
// property, or on a relationship type's property.
type index struct {
	name, kind string // kind: "range" (also a uniqueness constraint's) or "text"
	rel        bool
}

// schemaIndexes reads the indexes the schema statements create, keyed by
// "Label.property" or "[TYPE].property".
func schemaIndexes(t *testing.T) map[string]index {
	t.Helper()
	var (
		constraint = regexp.MustCompile(`^CREATE CONSTRAINT (\w+) IF NOT EXISTS FOR \(\w+:(\w+)\) REQUIRE \w+\.(\w+) IS UNIQUE$`)
		nodeIndex  = regexp.MustCompile(`^CREATE (TEXT )?INDEX (\w+) IF NOT EXISTS FOR \(\w+:(\w+)\) ON \(\w+\.(\w+)\)$`)
		relIndex   = regexp.MustCompile(`^CREATE INDEX (\w+) IF NOT EXISTS FOR \(\)-\[\w+:(\w+)\]-\(\) ON \(\w+\.(\w+)\)$`)
	)
	out := map[string]index{}
	for _, st := range schemaStatements() {
		switch {
		case constraint.MatchString(st.Cypher):
			m := constraint.FindStringSubmatch(st.Cypher)
			out[m[2]+"."+m[3]] = index{name: m[1], kind: "range"}
		case nodeIndex.MatchString(st.Cypher):
			m := nodeIndex.FindStringSubmatch(st.Cypher)
			kind := "range"
			if m[1] != "" {
				kind = "text"
			}
			out[m[3]+"."+m[4]] = index{name: m[2], kind: kind}
		case relIndex.MatchString(st.Cypher):
			m := relIndex.FindStringSubmatch(st.Cypher)
			out["["+m[2]+"]."+m[3]] = index{name: m[1], kind: "range", rel: true}
		default:
			t.Fatalf("schema statement not understood: %s", st.Cypher)
		}
	}
	return out
}

var (
	unwindPrefix = regexp.MustCompile(`^UNWIND \$(\w+) AS (\w+) `)
	// (v:Label {prop: value}) as the first node of a MATCH or MERGE, also
	// inside allShortestPaths( … ).
	inlineAnchor = regexp.MustCompile(`^(?:MATCH|MERGE) (?:\w+ = (?:allShortestPaths|shortestPath)\()?\((\w*):(\w+) \{(\w+): ([^}]+)\}\)`)
	// (v:Label) WHERE conditions, or (v:Label)-[r]-() WHERE conditions on v
	// (Neo4j seeks v in the index, then expands)
	nodeWhere = regexp.MustCompile(`^MATCH \((\w+):(\w+)\)(?:-\[\w*\]-\(\))? WHERE (.+?)(?: RETURN | DELETE | DETACH DELETE |$)`)
	// ()-[r:TYPE]->() WHERE conditions
	relWhere  = regexp.MustCompile(`^MATCH \(\)-\[(\w+):(\w+)\]->\(\) WHERE (.+?)(?: RETURN | DELETE |$)`)
	condition = regexp.MustCompile(`^(\w+)\.(\w+) (IN|=|>=|<=|CONTAINS) \$(\w+)$`)
)

// anchor returns the index a statement starts from, read from its text the
// way Neo4j's planner would find it: an equality, list, range or CONTAINS
// predicate on an indexed property of the first labelled node (or typed
// relationship) matched, with its value from a parameter, or "" if there is
// none.
func anchor(idx map[string]index, cypher string) string {
	bound := map[string]bool{} // variables that hold a parameter's elements
	if m := unwindPrefix.FindStringSubmatch(cypher); m != nil {
		bound[m[2]] = true
		cypher = cypher[len(m[0]):]
	}
	fromParam := func(v string) bool {
		if strings.HasPrefix(v, "$") {
			return true
		}
		base, _, _ := strings.Cut(v, ".")
		return bound[base]
	}
	if m := inlineAnchor.FindStringSubmatch(cypher); m != nil {
		if ix, ok := idx[m[2]+"."+m[3]]; ok && ix.kind == "range" && fromParam(strings.TrimSpace(m[4])) {
			return ix.name
		}
		return ""
	}
	where := func(v, key, conds string) string {
		for _, c := range strings.Split(conds, " AND ") {
			m := condition.FindStringSubmatch(c)
			if m == nil || m[1] != v {
				continue
			}
			ix, ok := idx[key+"."+m[2]]
			if ok && (ix.kind == "text") == (m[3] == "CONTAINS") {
				return ix.name
			}
		}
		return ""
	}
	if m := nodeWhere.FindStringSubmatch(cypher); m != nil {
		return where(m[1], m[2], m[3])
	}
	if m := relWhere.FindStringSubmatch(cypher); m != nil {
		return where(m[1], "["+m[2]+"]", m[3])
	}
	return ""
}

// TestStatementsStartFromAnIndex checks, on the text (no Neo4j planner runs
// here), that every statement starts from an index, or says why it need
// not (Statement.Scan): so that no read or write by id scans a label or
// every relationship as the graph grows.
func TestStatementsStartFromAnIndex(t *testing.T) {
	idx := schemaIndexes(t)
	used := map[string]int{}
	scans := map[string]int{}
	for _, st := range Statements() {
		name := anchor(idx, st.Cypher)
		switch {
		case name == "" && st.Scan == "":
			t.Errorf("%s starts from no index and gives no reason:\n    %s", st.Name, st.Cypher)
		case name != "" && st.Scan != "":
			t.Errorf("%s starts from %s but says it scans (%s):\n    %s", st.Name, name, st.Scan, st.Cypher)
		case name != "":
			used[name]++
		default:
			scans[st.Scan]++
		}
	}
	for _, ix := range idx {
		// entity_sort_name only serves an ordered read NornicDB cannot run
		// (findEntities).
		if used[ix.name] == 0 && ix.name != "entity_sort_name" {
			t.Errorf("no statement starts from index %s", ix.name)
		}
	}
	var b strings.Builder
	for name, n := range used {
		fmt.Fprintf(&b, "\n  %4d from %s", n, name)
	}
	for why, n := range scans {
		fmt.Fprintf(&b, "\n  %4d without: %s", n, why)
	}
	t.Logf("statements by the index they start from:%s", b.String())
}

// TestAnchorReadsIndexes makes sure the check above can fail.
func TestAnchorReadsIndexes(t *testing.T) {
	idx := schemaIndexes(t)
	for cypher, want := range map[string]string{
		"MATCH (n:Entity) WHERE n.id IN $ids RETURN n.doc AS doc":                                 "entity_id",
		"MATCH (n:Entity) WHERE n.name IN $ids RETURN n.doc AS doc":                               "",
		"MATCH (n:Entity) WHERE n.searchText CONTAINS $text RETURN n.doc AS doc":                  "entity_search_text",
		"MATCH (n:Entity) WHERE n.searchText = $text RETURN n.doc AS doc":                         "",
		"MATCH (:Entity)-[r]->(:Entity) WHERE r.id IN $ids RETURN r.doc AS doc":                   "",
		"MATCH ()-[r:PART_OF]->() WHERE r.id IN $ids RETURN r.doc AS doc":                         "rel_id_part_of",
		"MATCH ()-[r:PART_OF]->() WHERE r.role IN $ids RETURN r.doc AS doc":                       "",
		"UNWIND $ids AS id MATCH (n:Entity {id: id})-[r]->(m:Entity) RETURN r.doc":                "entity_id",
		"UNWIND $ids AS id MATCH (n:Entity {id: 'x'})-[r]->(m:Entity) RETURN r.doc":               "",
		"MATCH (n:Entity {id: other.id}) RETURN n":                                                "",
		"MATCH p = allShortestPaths((a:Entity {id: $from})-[*..4]-(b:Entity {id: $to})) RETURN p": "entity_id",
	} {
		if got := anchor(idx, cypher); got != want {
			t.Errorf("anchor(%q) = %q, want %q", cypher, got, want)
		}
	}
}
