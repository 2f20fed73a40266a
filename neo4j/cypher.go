package neo4j

import (
	"fmt"
	"strings"

	"github.com/vjkg/vjkg/kg"
)

// Every Cypher statement the backend sends is built here, from fixed text and
// the fixed lists of labels and relationship types; values always travel as
// parameters. Statements() enumerates them all, so that a test can check
// each one with Neo4j's own Cypher front end.
//
// The statements keep to the subset of Cypher that both Neo4j 5 and the
// NornicDB stand-in answer the same way (see ../shared/nornicdb-vs-neo4j.md):
// anchored lookups, UNWIND batches, one-hop typed expansions, plain property
// ordering, SET n = row, DETACH DELETE. Results are whole JSON documents
// (the doc property) decoded in Go; no map projections are built in Cypher.

// labels maps each kind to its node label. Entity nodes carry :Entity and
// their kind's label.
var labels = map[kg.Kind]string{
	kg.KindLocality:     "Locality",
	kg.KindOfficial:     "Official",
	kg.KindOrganization: "Organization",
	kg.KindAgreement:    "Agreement",
	kg.KindEvent:        "Event",
}

// Statement is one Cypher statement with the parameters it takes.
type Statement struct {
	Name   string
	Cypher string
	Params []string
}

// schemaStatements create the constraints and indexes, idempotently.
func schemaStatements() []Statement {
	out := []Statement{
		{"constraint entity id", "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE", nil},
		{"constraint source id", "CREATE CONSTRAINT source_id IF NOT EXISTS FOR (s:Source) REQUIRE s.id IS UNIQUE", nil},
		{"index entity kind", "CREATE INDEX entity_kind IF NOT EXISTS FOR (n:Entity) ON (n.kind)", nil},
		{"index entity sort name", "CREATE INDEX entity_sort_name IF NOT EXISTS FOR (n:Entity) ON (n.sortName)", nil},
		{"index entity start", "CREATE INDEX entity_start IF NOT EXISTS FOR (n:Entity) ON (n.startKey)", nil},
	}
	for _, t := range kg.RelTypes() {
		out = append(out, Statement{"index relationship id " + string(t),
			fmt.Sprintf("CREATE INDEX rel_id_%s IF NOT EXISTS FOR ()-[r:%s]-() ON (r.id)", strings.ToLower(string(t)), t), nil})
	}
	return out
}

var (
	stmtGetEntities = Statement{"get entities",
		"MATCH (n:Entity) WHERE n.id IN $ids RETURN n.doc AS doc", []string{"ids"}}
	stmtEntityKinds = Statement{"entity kinds",
		"MATCH (n:Entity) WHERE n.id IN $ids RETURN n.id AS id, n.kind AS kind", []string{"ids"}}
	stmtGetSources = Statement{"get sources",
		"MATCH (s:Source) WHERE s.id IN $ids RETURN s.doc AS doc", []string{"ids"}}
	stmtFindSources = Statement{"find sources",
		"MATCH (s:Source) RETURN s.doc AS doc ORDER BY s.id SKIP $skip LIMIT $limit", []string{"skip", "limit"}}
	stmtCountSources = Statement{"count sources",
		"MATCH (s:Source) RETURN count(s) AS total", nil}
	stmtSourceIDs = Statement{"source ids",
		"MATCH (s:Source) WHERE s.id IN $ids RETURN s.id AS id", []string{"ids"}}
	stmtGetRelationships = Statement{"get relationships",
		"MATCH (:Entity)-[r]->(:Entity) WHERE r.id IN $ids RETURN r.doc AS doc", []string{"ids"}}
	stmtRelationshipIDs = Statement{"relationship ids",
		"MATCH (:Entity)-[r]->(:Entity) WHERE r.id IN $ids RETURN r.id AS id", []string{"ids"}}
	stmtUpsertSources = Statement{"upsert sources",
		"UNWIND $rows AS row MERGE (s:Source {id: row.id}) SET s = row", []string{"rows"}}
	stmtDeleteRelationships = Statement{"delete relationships",
		"MATCH (:Entity)-[r]->(:Entity) WHERE r.id IN $ids DELETE r", []string{"ids"}}
	stmtDeleteEntities = Statement{"delete entities",
		"MATCH (n:Entity) WHERE n.id IN $ids DETACH DELETE n", []string{"ids"}}
	stmtPing = Statement{"ping", "RETURN 1 AS ok", nil}
	// stmtWipe empties the database between test cases; only tests send it.
	stmtWipe = Statement{"wipe (tests only)", "MATCH (n) DETACH DELETE n", nil}
)

// upsertEntities writes entity rows of one kind: MERGE on the unique id,
// replace every property (so a field cleared in Go is removed), and set the
// kind's label.
func upsertEntities(k kg.Kind) Statement {
	return Statement{"upsert entities " + labels[k],
		fmt.Sprintf("UNWIND $rows AS row MERGE (n:Entity {id: row.id}) SET n = row SET n:%s", labels[k]), []string{"rows"}}
}

// createRelationships creates relationship rows of one type. Apply first
// deletes any relationship with the same id, so this is an upsert; the
// properties are spelt out in the CREATE pattern, the form that works on
// every engine we test with.
func createRelationships(t kg.RelType) Statement {
	return Statement{"create relationships " + string(t),
		fmt.Sprintf("UNWIND $rows AS row MATCH (a:Entity {id: row.from}) MATCH (b:Entity {id: row.to}) "+
			"CREATE (a)-[r:%s {id: row.id, role: row.role, fromKey: row.fromKey, toKey: row.toKey, doc: row.doc}]->(b)", t),
		[]string{"rows"}}
}

// expand returns relationships that touch any of $ids. Types and the day are
// optional filters; Go checks both again on the decoded documents.
func expand(dir kg.Direction, typed, asOf bool) Statement {
	pattern := map[kg.Direction]string{
		kg.DirOut:  "(n:Entity {id: id})-[r]->(m:Entity)",
		kg.DirIn:   "(n:Entity {id: id})<-[r]-(m:Entity)",
		kg.DirBoth: "(n:Entity {id: id})-[r]-(m:Entity)",
	}[dir]
	var where []string
	params := []string{"ids"}
	if typed {
		where = append(where, "type(r) IN $types")
		params = append(params, "types")
	}
	if asOf {
		where = append(where, "r.fromKey <= $asOf", "r.toKey >= $asOf")
		params = append(params, "asOf")
	}
	return Statement{fmt.Sprintf("expand %s typed=%v asOf=%v", dir, typed, asOf),
		"UNWIND $ids AS id MATCH " + pattern + whereClause(where) + " RETURN r.doc AS doc", params}
}

func whereClause(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// entityFilterShape says which parts of an EntityFilter are set; each shape
// is one statement.
type entityFilterShape struct {
	ids, kinds, types, countries, text, from, to bool
}

func shapeOf(f kg.EntityFilter) entityFilterShape {
	return entityFilterShape{len(f.IDs) > 0, len(f.Kinds) > 0, len(f.Types) > 0, len(f.Countries) > 0, f.Text != "", f.From != "", f.To != ""}
}

func (s entityFilterShape) where() ([]string, []string) {
	var conds, params []string
	add := func(on bool, cond, param string) {
		if on {
			conds, params = append(conds, cond), append(params, param)
		}
	}
	add(s.ids, "n.id IN $ids", "ids")
	add(s.kinds, "n.kind IN $kinds", "kinds")
	add(s.types, "n.type IN $types", "types")
	add(s.countries, "n.country IN $countries", "countries")
	add(s.text, "n.searchText CONTAINS $text", "text")
	if s.from || s.to {
		conds = append(conds, "n.dated = true")
	}
	add(s.from, "n.spanLast >= $from", "from")
	add(s.to, "n.spanFirst <= $to", "to")
	return conds, params
}

// orderKeys maps an order field to the property it sorts by.
var orderKeys = map[kg.OrderField]string{
	kg.OrderByName:  "n.sortName",
	kg.OrderByStart: "n.startKey",
	kg.OrderByID:    "n.id",
}

func findEntities(s entityFilterShape, o kg.EntityOrder) Statement {
	conds, params := s.where()
	key, ok := orderKeys[o.Field]
	if !ok {
		key = "n.id"
	}
	dir := ""
	if o.Desc {
		dir = " DESC"
	}
	order := key + dir
	if key != "n.id" {
		order += ", n.id"
	}
	return Statement{fmt.Sprintf("find entities %+v by %s", s, order),
		"MATCH (n:Entity)" + whereClause(conds) + " RETURN n.doc AS doc ORDER BY " + order + " SKIP $skip LIMIT $limit",
		append(params, "skip", "limit")}
}

func countEntities(s entityFilterShape) Statement {
	conds, params := s.where()
	return Statement{fmt.Sprintf("count entities %+v", s),
		"MATCH (n:Entity)" + whereClause(conds) + " RETURN count(n) AS total", params}
}

type relFilterShape struct{ ids, types, asOf bool }

func (s relFilterShape) where() ([]string, []string) {
	var conds, params []string
	if s.ids {
		conds, params = append(conds, "r.id IN $ids"), append(params, "ids")
	}
	if s.types {
		conds, params = append(conds, "type(r) IN $types"), append(params, "types")
	}
	if s.asOf {
		conds, params = append(conds, "r.fromKey <= $asOf", "r.toKey >= $asOf"), append(params, "asOf")
	}
	return conds, params
}

// findRelationships projects r.id beside the document: NornicDB orders a
// relationship list only by an expression the RETURN clause projects.
func findRelationships(s relFilterShape) Statement {
	conds, params := s.where()
	return Statement{fmt.Sprintf("find relationships %+v", s),
		"MATCH (:Entity)-[r]->(:Entity)" + whereClause(conds) + " RETURN r.doc AS doc, r.id AS id ORDER BY r.id SKIP $skip LIMIT $limit",
		append(params, "skip", "limit")}
}

func countRelationships(s relFilterShape) Statement {
	conds, params := s.where()
	return Statement{fmt.Sprintf("count relationships %+v", s),
		"MATCH (:Entity)-[r]->(:Entity)" + whereClause(conds) + " RETURN count(r) AS total", params}
}

// Statements returns every statement the backend can send.
func Statements() []Statement {
	out := schemaStatements()
	out = append(out, stmtGetEntities, stmtEntityKinds, stmtGetSources, stmtFindSources, stmtCountSources,
		stmtSourceIDs, stmtGetRelationships, stmtRelationshipIDs, stmtUpsertSources, stmtDeleteRelationships,
		stmtDeleteEntities, stmtPing, stmtWipe)
	for _, k := range kg.Kinds {
		out = append(out, upsertEntities(k))
	}
	for _, t := range kg.RelTypes() {
		out = append(out, createRelationships(t))
	}
	for _, d := range []kg.Direction{kg.DirOut, kg.DirIn, kg.DirBoth} {
		for _, typed := range []bool{false, true} {
			for _, asOf := range []bool{false, true} {
				out = append(out, expand(d, typed, asOf))
			}
		}
	}
	for bits := 0; bits < 1<<7; bits++ {
		s := entityFilterShape{bits&1 != 0, bits&2 != 0, bits&4 != 0, bits&8 != 0, bits&16 != 0, bits&32 != 0, bits&64 != 0}
		out = append(out, countEntities(s))
		for _, f := range []kg.OrderField{kg.OrderByName, kg.OrderByStart, kg.OrderByID} {
			for _, desc := range []bool{false, true} {
				out = append(out, findEntities(s, kg.EntityOrder{Field: f, Desc: desc}))
			}
		}
	}
	for bits := 0; bits < 1<<3; bits++ {
		s := relFilterShape{bits&1 != 0, bits&2 != 0, bits&4 != 0}
		out = append(out, findRelationships(s), countRelationships(s))
	}
	return out
}
