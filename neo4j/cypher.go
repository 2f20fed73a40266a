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
	// Scan, when set, says why the statement reads without starting from an
	// index: it reads no data, changes the schema, or reads a whole label or
	// every relationship by its nature (a count, a full list, an export).
	// Every other statement starts from an index (TestStatementsStartFromAnIndex).
	Scan string
	// Optional marks a schema statement that only makes reads faster: if
	// the server rejects it (NornicDB has no TEXT indexes), the store logs
	// a warning and works without it.
	Optional bool
}

// schemaStatements create the constraints and indexes, idempotently. Every
// read or write by id starts from one of them: the entity and source id
// constraints (each backed by a range index), and one relationship index on
// id per type, since Neo4j indexes relationship properties per type.
func schemaStatements() []Statement {
	const scan = "schema"
	out := []Statement{
		{Name: "constraint entity id", Cypher: "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE", Scan: scan},
		{Name: "constraint source id", Cypher: "CREATE CONSTRAINT source_id IF NOT EXISTS FOR (s:Source) REQUIRE s.id IS UNIQUE", Scan: scan},
	}
	// One range index per property an entity list filters on by equality.
	// Not on the date spans, whose filters are ranges: NornicDB answers a
	// range predicate on an indexed property with rows repeated more at each
	// query (README, "Running on Neo4j"). sortName's index is older than
	// this note; no statement starts from it (see findEntities).
	for _, p := range []struct{ name, prop string }{{"kind", "kind"}, {"sort_name", "sortName"},
		{"type", "type"}, {"country", "country"}} {
		out = append(out, Statement{Name: "index entity " + p.prop,
			Cypher: fmt.Sprintf("CREATE INDEX entity_%s IF NOT EXISTS FOR (n:Entity) ON (n.%s)", p.name, p.prop), Scan: scan})
	}
	// A TEXT index answers CONTAINS, the search filter, without reading
	// every entity.
	out = append(out, Statement{Name: "text index entity searchText",
		Cypher: "CREATE TEXT INDEX entity_search_text IF NOT EXISTS FOR (n:Entity) ON (n.searchText)", Scan: scan, Optional: true},
		Statement{Name: "text index entity sources",
			Cypher: "CREATE TEXT INDEX entity_source_key IF NOT EXISTS FOR (n:Entity) ON (n.sourceKey)", Scan: scan, Optional: true})
	out = append(out, historySchema()...)
	for _, t := range kg.RelTypes() {
		out = append(out, Statement{Name: "index relationship id " + string(t),
			Cypher: fmt.Sprintf("CREATE INDEX rel_id_%s IF NOT EXISTS FOR ()-[r:%s]-() ON (r.id)", strings.ToLower(string(t)), t), Scan: scan})
	}
	return out
}

var (
	stmtGetEntities = Statement{Name: "get entities",
		Cypher: "MATCH (n:Entity) WHERE n.id IN $ids RETURN n.doc AS doc", Params: []string{"ids"}}
	stmtEntityKinds = Statement{Name: "entity kinds",
		Cypher: "MATCH (n:Entity) WHERE n.id IN $ids RETURN n.id AS id, n.kind AS kind", Params: []string{"ids"}}
	stmtGetSources = Statement{Name: "get sources",
		Cypher: "MATCH (s:Source) WHERE s.id IN $ids RETURN s.doc AS doc", Params: []string{"ids"}}
	stmtFindSources = Statement{Name: "find sources",
		Cypher: "MATCH (s:Source) RETURN s.doc AS doc ORDER BY s.id SKIP $skip LIMIT $limit",
		Params: []string{"skip", "limit"}, Scan: "the sources list: every source, sorted (sources are few)"}
	stmtCountSources = Statement{Name: "count sources",
		Cypher: "MATCH (s:Source) RETURN count(s) AS total", Scan: "a label count, which Neo4j keeps in its count store"}
	stmtSourceIDs = Statement{Name: "source ids",
		Cypher: "MATCH (s:Source) WHERE s.id IN $ids RETURN s.id AS id", Params: []string{"ids"}}
	stmtUpsertSources = Statement{Name: "upsert sources",
		Cypher: "UNWIND $rows AS row MERGE (s:Source {id: row.id}) SET s = row", Params: []string{"rows"}}
	stmtDeleteEntities = Statement{Name: "delete entities",
		Cypher: "MATCH (n:Entity) WHERE n.id IN $ids DETACH DELETE n", Params: []string{"ids"}}
	// stmtDegrees counts each entity's relationships; an entity without
	// any has no row. (With UNWIND $ids AS id in front, NornicDB names the
	// first column after its first value rather than id.)
	stmtDegrees = Statement{Name: "degrees",
		Cypher: "MATCH (n:Entity)-[r]-() WHERE n.id IN $ids RETURN n.id AS id, count(r) AS total", Params: []string{"ids"}}
	stmtPing = Statement{Name: "ping", Cypher: "RETURN 1 AS ok", Scan: "reads no data"}
	// stmtWipe empties the database between test cases; only tests send it.
	stmtWipe = Statement{Name: "wipe (tests only)", Cypher: "MATCH (n) DETACH DELETE n", Scan: "empties the whole database, for tests"}
)

// Relationships are found by id through their type's id index, so each
// lookup names one type: relationshipsByID, relationshipIDs and
// deleteRelationships are one statement per type, and the store runs the
// ones it needs (see findRelationshipsByID).

// byRelationshipID is a statement that finds relationships of type t by
// id through rel_id_<t> and then does what tail says.
func byRelationshipID(name string, t kg.RelType, tail string) Statement {
	return Statement{Name: name + " " + string(t),
		Cypher: fmt.Sprintf("MATCH ()-[r:%s]->() WHERE r.id IN $ids %s", t, tail), Params: []string{"ids"}}
}

// relationshipsByID returns the documents of the relationships of type t
// with the given ids.
func relationshipsByID(t kg.RelType) Statement {
	return byRelationshipID("get relationships", t, "RETURN r.doc AS doc")
}

// relationshipIDs returns which of the ids are relationships of type t.
func relationshipIDs(t kg.RelType) Statement {
	return byRelationshipID("relationship ids", t, "RETURN r.id AS id")
}

// deleteRelationships deletes the relationships of type t with the given ids.
func deleteRelationships(t kg.RelType) Statement {
	return byRelationshipID("delete relationships", t, "DELETE r")
}

// upsertEntities writes entity rows of one kind: MERGE on the unique id,
// replace every property (so a field cleared in Go is removed), and set the
// kind's label.
func upsertEntities(k kg.Kind) Statement {
	return Statement{Name: "upsert entities " + labels[k],
		Cypher: fmt.Sprintf("UNWIND $rows AS row MERGE (n:Entity {id: row.id}) SET n = row SET n:%s", labels[k]), Params: []string{"rows"}}
}

// createRelationships creates relationship rows of one type. Apply first
// deletes any relationship with the same id, so this is an upsert; the
// properties are spelt out in the CREATE pattern, the form that works on
// every engine we test with.
func createRelationships(t kg.RelType) Statement {
	return Statement{Name: "create relationships " + string(t),
		Cypher: fmt.Sprintf("UNWIND $rows AS row MATCH (a:Entity {id: row.from}) MATCH (b:Entity {id: row.to}) "+
			"CREATE (a)-[r:%s {id: row.id, role: row.role, fromKey: row.fromKey, toKey: row.toKey, sourceKey: row.sourceKey, doc: row.doc}]->(b)", t),
		Params: []string{"rows"}}
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
	return Statement{Name: fmt.Sprintf("expand %s typed=%v asOf=%v", dir, typed, asOf),
		Cypher: "UNWIND $ids AS id MATCH " + pattern + whereClause(where) + " RETURN r.doc AS doc", Params: params}
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
	ids, kinds, types, countries, text, from, to, cites bool
}

func shapeOf(f kg.EntityFilter) entityFilterShape {
	return entityFilterShape{len(f.IDs) > 0, len(f.Kinds) > 0, len(f.Types) > 0, len(f.Countries) > 0, f.Text != "", f.From != "", f.To != "", f.CitesSource != ""}
}

// sourceKey is how a record keeps the sources it cites, "|id|id|", so that
// "cites this source" is one CONTAINS of "|id|" (served by a TEXT index),
// which every engine we test with answers alike.
func sourceKey(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return "|" + strings.Join(ids, "|") + "|"
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
	add(s.cites, "n.sourceKey CONTAINS $sourceKey", "sourceKey")
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

// findEntities pages through the entities that match s. A filter other
// than dates starts the read from its property's index (Neo4j picks the
// most selective); the matches are then sorted. Neo4j could read the
// sortName or id index in order and stop at the end of the page, given
// WHERE n.sortName IS NOT NULL (true of every entity), but NornicDB answers
// that with rows repeated more at each query, so the lists sort.
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
	return Statement{Name: fmt.Sprintf("find entities %+v by %s", s, order),
		Cypher: "MATCH (n:Entity)" + whereClause(conds) + " RETURN n.doc AS doc ORDER BY " + order + " SKIP $skip LIMIT $limit",
		Params: append(params, "skip", "limit"), Scan: s.scan("the entity list")}
}

// scan says why a list or count with this filter reads every entity, or ""
// when a filter starts it from an index.
func (s entityFilterShape) scan(what string) string {
	switch {
	case s.ids || s.kinds || s.types || s.countries || s.text || s.cites:
		return ""
	case s.from || s.to:
		return what + " by dates alone: reads every entity (no range indexes, see schemaStatements)"
	}
	return what + ": reads every entity"
}

func countEntities(s entityFilterShape) Statement {
	conds, params := s.where()
	st := Statement{Name: fmt.Sprintf("count entities %+v", s),
		Cypher: "MATCH (n:Entity)" + whereClause(conds) + " RETURN count(n) AS total", Params: params, Scan: s.scan("the entity count")}
	if s == (entityFilterShape{}) {
		st.Scan = "a label count, which Neo4j keeps in its count store"
	}
	return st
}

// relFilterShape says which parts of a RelationshipFilter without ids are
// set; a filter with ids is answered by findRelationshipsByID.
type relFilterShape struct{ types, asOf, cites bool }

func (s relFilterShape) where() ([]string, []string) {
	var conds, params []string
	if s.types {
		conds, params = append(conds, "type(r) IN $types"), append(params, "types")
	}
	if s.asOf {
		conds, params = append(conds, "r.fromKey <= $asOf", "r.toKey >= $asOf"), append(params, "asOf")
	}
	if s.cites {
		conds, params = append(conds, "r.sourceKey CONTAINS $sourceKey"), append(params, "sourceKey")
	}
	return conds, params
}

// relationshipListScan is why the relationship lists read every relationship.
const relationshipListScan = "the relationship list (exports, network measures, the relationships query) reads every " +
	"relationship of the types; Neo4j counts all of them from its count store"

// The relationship lists name the start's label, (:Entity)-[r]->(), which
// every relationship has: Neo4j still counts them from its count store
// (one labelled end), and NornicDB counts ()-[r]->() wrongly after a
// DETACH DELETE (0 where there are 227).

// findRelationships projects r.id beside the document: NornicDB orders a
// relationship list only by an expression the RETURN clause projects.
func findRelationships(s relFilterShape) Statement {
	conds, params := s.where()
	return Statement{Name: fmt.Sprintf("find relationships %+v", s),
		Cypher: "MATCH (:Entity)-[r]->()" + whereClause(conds) + " RETURN r.doc AS doc, r.id AS id ORDER BY r.id SKIP $skip LIMIT $limit",
		Params: append(params, "skip", "limit"), Scan: relationshipListScan}
}

func countRelationships(s relFilterShape) Statement {
	conds, params := s.where()
	return Statement{Name: fmt.Sprintf("count relationships %+v", s),
		Cypher: "MATCH (:Entity)-[r]->()" + whereClause(conds) + " RETURN count(r) AS total", Params: params, Scan: relationshipListScan}
}

// Statements returns every statement the backend can send.
func Statements() []Statement {
	out := schemaStatements()
	out = append(out, stmtGetEntities, stmtEntityKinds, stmtDegrees, stmtGetSources, stmtFindSources, stmtCountSources,
		stmtSourceIDs, stmtUpsertSources, stmtDeleteEntities, stmtPing, stmtWipe)
	out = append(out, historyStatements()...)
	for _, k := range kg.Kinds {
		out = append(out, upsertEntities(k))
	}
	for _, t := range kg.RelTypes() {
		out = append(out, createRelationships(t), relationshipsByID(t), relationshipIDs(t), deleteRelationships(t))
	}
	for _, d := range []kg.Direction{kg.DirOut, kg.DirIn, kg.DirBoth} {
		for _, typed := range []bool{false, true} {
			for _, asOf := range []bool{false, true} {
				out = append(out, expand(d, typed, asOf))
			}
		}
	}
	for bits := 0; bits < 1<<8; bits++ {
		s := entityFilterShape{bits&1 != 0, bits&2 != 0, bits&4 != 0, bits&8 != 0, bits&16 != 0, bits&32 != 0, bits&64 != 0, bits&128 != 0}
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
	for _, d := range []kg.Direction{kg.DirOut, kg.DirIn, kg.DirBoth} {
		for hops := 1; hops <= maxCypherHops; hops++ {
			for bits := 0; bits < 1<<3; bits++ {
				var types []kg.RelType
				if bits&1 != 0 {
					types = kg.RelTypes()
				}
				out = append(out, shortestPaths(d, hops, types, bits&2 != 0, bits&4 != 0))
			}
		}
		// The types are written into the pattern: each one alone, once.
		for _, t := range kg.RelTypes() {
			out = append(out, shortestPaths(d, 4, []kg.RelType{t}, false, false))
		}
	}
	return out
}
