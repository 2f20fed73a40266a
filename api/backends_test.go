package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/vjkg/vjkg/api"
	"github.com/vjkg/vjkg/internal/nornic"
	"github.com/vjkg/vjkg/neo4j"
)

// newNeo4jServer serves the seed dataset from Neo4j: NEO4J_TEST_URI if set,
// else a NornicDB the test starts. It skips when there is neither (fails
// with VJKG_REQUIRE_NEO4J, as the project's test command sets it).
func newNeo4jServer(t testing.TB, configure ...func(*api.Config)) *server {
	t.Helper()
	c := neo4j.Config{URI: os.Getenv("NEO4J_TEST_URI"), Username: os.Getenv("NEO4J_TEST_USERNAME"),
		Password: os.Getenv("NEO4J_TEST_PASSWORD"), Database: os.Getenv("NEO4J_TEST_DATABASE"), Logger: quietLog}
	if c.URI == "" {
		if _, ok := nornic.Binary(); !ok {
			if os.Getenv("VJKG_REQUIRE_NEO4J") != "" {
				t.Fatalf("no Bolt server: set NEO4J_TEST_URI or %s", nornic.EnvBinary)
			}
			t.Skip("no Bolt server: set NEO4J_TEST_URI or " + nornic.EnvBinary)
		}
		c.URI = nornic.Start(t, nornic.Options{}).URI()
		if err := nornic.AddLookupIndexes(context.Background(), c.URI); err != nil {
			t.Fatal(err)
		}
		// NornicDB ignores predicates on a shortest path (README, "Running
		// on Neo4j"): searches with a day or kinds run in Go there.
		c.PathSearch = neo4j.PathsCypherUnfiltered
	}
	s, err := neo4j.Open(c)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.Ready():
	case <-time.After(60 * time.Second):
		t.Fatalf("Neo4j not ready: %v", s.Ping(context.Background()))
	}
	if err := s.Wipe(context.Background()); err != nil { // a real NEO4J_TEST_URI may hold an earlier run's data
		t.Fatal(err)
	}
	return serve(t, s, configure...)
}

// sameAnswerQueries cover every kind of read the API offers.
var sameAnswerQueries = []string{
	`{ locality(id: "locality:fukuoka") { name aliases localNames { lang value } isoCode country localityType validFrom { value }
	   agreements { totalCount edges { cursor role direction type validFrom { value } sources { quote source { id title published { value precision } } }
	     node { id name ... on Agreement { agreementType topics date { value } parties { edges { role node { id name } } } outcomes { nodes { name } } } } } } } }`,
	`{ search(text: "Ha Noi", first: 20) { score entity { id name kind } } }`,
	`{ search(text: "vinh phuc", kinds: [LOCALITY, EVENT]) { score entity { id } } }`,
	`{ search(text: "福岡") { score entity { id } } }`,
	`{ paths(from: "locality:fukuoka", to: "locality:ha-noi") { length nodes { id } relationships { id type } } }`,
	`{ paths(from: "locality:kanagawa", to: "locality:tochigi", first: 10) { length nodes { id } relationships { id } } }`,
	`{ paths(from: "locality:fukuoka", to: "locality:ha-noi", relationTypes: [PART_OF, COOPERATES_WITH], asOf: "2020-01-01") { nodes { id } } }`,
	`{ neighborhood(id: "locality:fukuoka", depth: 2, limit: 500) { nodes { id name } relationships { id type } depths { id depth } truncated } }`,
	`{ neighborhood(id: "locality:vinh-phuc", asOf: "2025-07-01") { nodes { id } relationships { id } } }`,
	`{ neighborhood(id: "locality:vietnam", depth: 2, limit: 20, kinds: [LOCALITY, EVENT]) { nodes { id } truncated } }`,
	`{ neighborhood(id: "official:pham-minh-chinh", direction: OUT, relationTypes: [PARTICIPATED_IN, HOLDS_OFFICE]) { nodes { id } } }`,
	`{ localities(filter: {country: ["VN"]}, first: 100) { totalCount nodes { id name } pageInfo { hasNextPage endCursor } } }`,
	`{ localities(filter: {country: ["JP"], type: [PREFECTURE]}, orderBy: {field: NAME, direction: DESC}, first: 3, after: "bzow") { totalCount nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
	`{ localities(filter: {name: "da nang"}) { totalCount nodes { id } } }`,
	`{ localities(filter: {country: ["VN"]}, last: 7, before: "bzozMA") { totalCount nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
	`{ events(orderBy: {field: START}, last: 5) { nodes { id } pageInfo { hasPreviousPage } } relationships(last: 4) { nodes { id } } sources(last: 2) { nodes { id } } }`,
	`{ localities(filter: {dateFrom: "2025-06-01", dateTo: "2025-06-30"}, first: 100) { totalCount nodes { id validTo { value } } } }`,
	`{ events(orderBy: {field: START, direction: DESC}, first: 100) { totalCount nodes { id startDate { value } } } }`,
	`{ events(orderBy: {field: START}, first: 100) { nodes { id } } }`,
	`{ events(filter: {type: [FORUM, VISIT], dateFrom: "2021-01-01"}) { totalCount nodes { id } } }`,
	`{ agreements(first: 100) { totalCount nodes { id name agreementType date { value precision earliest latest } } } }`,
	`{ organizations(filter: {type: [MINISTRY], country: ["JP", "VN"]}) { totalCount nodes { id name country } } }`,
	`{ officials(first: 100, orderBy: {field: ID}) { totalCount nodes { id name officialType offices { edges { role node { id } } } } } }`,
	`{ entities(filter: {kinds: [AGREEMENT, EVENT], name: "fukuoka"}) { totalCount nodes { id kind } } }`,
	`{ relationships(filter: {types: [MERGED_INTO]}, first: 100) { totalCount nodes { id from { id } to { id } validFrom { value } properties { key value } } } }`,
	`{ relationships(filter: {asOf: "2024-01-01"}, first: 50, after: "bzoxMA") { totalCount nodes { id } pageInfo { hasNextPage } } }`,
	`{ sources(first: 100) { totalCount nodes { id title publisher author url language published { value } sourceType note } } }`,
	`{ event(id: "event:vj-local-cooperation-forum-2025") { figures { label value unit qualifier date { value } source { quote } } place { nodes { id } }
	   organizers { edges { role node { id } } } participants { totalCount edges { role node { id } } } parts { nodes { id } } concerns { nodes { id } } } }`,
	`{ locality(id: "locality:vinh-phuc") { figures { label value } mergedInto { edges { node { id } } } partOf(asOf: "2025-01-01") { nodes { id } }
	   relationships(direction: IN) { totalCount edges { type node { id } } } officials { edges { role properties { key value } node { id } } } } }`,
	`{ nodes(ids: ["locality:ha-noi", "source:iso-3166-2-vn", "rel:PARTY_TO:locality:fukuoka->agreement:fukuoka-ha-noi-mous", "locality:nowhere"]) { id __typename } }`,
	`{ stats { entities relationships sources byKind { kind count } } }`,
	`{ measures(first: 10, orderBy: BETWEENNESS) { entity { id } degree inDegree outDegree betweenness pageRank } }`,
	`{ measures(id: "locality:fukuoka", depth: 2, orderBy: PAGERANK, asOf: "2024-01-01") { entity { id } degree betweenness pageRank } }`,
	`{ paths(from: "locality:fukuoka", to: "locality:atlantis") { length } }`,
	`{ localities(first: 500) { totalCount } }`,
}

// TestBackendsAnswerAlike sends the same GraphQL documents to the API over
// the embedded store and over Neo4j (through Bolt) and requires the same
// JSON, byte for byte: data and errors alike.
func TestBackendsAnswerAlike(t *testing.T) {
	embedded, graph := newServer(t), newNeo4jServer(t)
	for _, q := range sameAnswerQueries {
		a, b := embedded.post(t, "", q, nil), graph.post(t, "", q, nil)
		ja, _ := json.Marshal(map[string]any{"data": a.Data, "errors": a.Errors})
		jb, _ := json.Marshal(map[string]any{"data": b.Data, "errors": b.Errors})
		if !bytes.Equal(ja, jb) {
			t.Errorf("answers differ for\n%s\nembedded: %.1500s\nneo4j:    %.1500s", q, ja, jb)
		}
		if len(a.Data) < 20 && len(a.Errors) == 0 {
			t.Errorf("suspiciously empty answer for %s: %s", q, a.Data)
		}
	}
}

// TestMutationsOnNeo4j runs a create, update and delete through the API on
// Neo4j, and reads each change back.
func TestMutationsOnNeo4j(t *testing.T) {
	s := newNeo4jServer(t)
	r := s.post(t, testKey, createOrg, orgInput("Công ty Thương mại Fukuoka"))
	if len(r.Errors) > 0 {
		t.Fatalf("create: %+v", r.Errors)
	}
	s.wantError(t, testKey, createOrg, orgInput("Công ty Thương mại Fukuoka"), "CONFLICT", "already exists")
	s.wantError(t, "", createOrg, orgInput("x"), "UNAUTHENTICATED", "")
	rel := `mutation { createRelationship(input: {type: LOCATED_IN, from: "org:cong-ty-thuong-mai-fukuoka", to: "locality:fukuoka",
	  sources: [{source: "source:vj-local-forum-2025", quote: "tỉnh Fukuoka (Nhật Bản)"}]}) { id } }`
	decode(t, s.post(t, testKey, rel, nil), &struct{}{})
	s.wantError(t, testKey, `mutation { createRelationship(input: {type: LOCATED_IN, from: "org:cong-ty-thuong-mai-fukuoka", to: "locality:atlantis",
	  sources: [{source: "source:vj-local-forum-2025", quote: "q"}]}) { id } }`, nil, "NOT_FOUND", "locality:atlantis")
	var got struct {
		Locality struct{ Relationships struct{ TotalCount int } }
	}
	s.query(t, `{ locality(id: "locality:fukuoka") { relationships(types: [LOCATED_IN]) { totalCount } } }`, nil, &got)
	if got.Locality.Relationships.TotalCount != 1 {
		t.Errorf("LOCATED_IN count = %d", got.Locality.Relationships.TotalCount)
	}
	var upd struct{ UpdateEntity struct{ Name string } }
	decode(t, s.post(t, testKey, `mutation { updateEntity(id: "org:cong-ty-thuong-mai-fukuoka", input: {name: "Fukuoka Trading"}) { name } }`, nil), &upd)
	var found struct {
		Search []struct{ Entity struct{ ID string } }
	}
	s.query(t, `{ search(text: "fukuoka trading") { entity { id } } }`, nil, &found)
	if len(found.Search) == 0 || found.Search[0].Entity.ID != "org:cong-ty-thuong-mai-fukuoka" {
		t.Errorf("search after the update: %+v", found)
	}
	var del struct {
		DeleteEntity struct{ DeletedRelationships int }
	}
	decode(t, s.post(t, testKey, `mutation { deleteEntity(id: "org:cong-ty-thuong-mai-fukuoka") { deletedRelationships } }`, nil), &del)
	if del.DeleteEntity.DeletedRelationships != 1 {
		t.Errorf("deleted = %+v", del)
	}
	s.query(t, `{ locality(id: "locality:fukuoka") { relationships(types: [LOCATED_IN]) { totalCount } } }`, nil, &got)
	if got.Locality.Relationships.TotalCount != 0 {
		t.Errorf("the deleted entity's relationship is still there")
	}
}

// TestNeo4jLostMidRun stops the database under a running API: queries fail
// with extensions.code UNAVAILABLE, /readyz says so, and both recover by
// themselves when the database is back.
func TestNeo4jLostMidRun(t *testing.T) {
	if _, ok := nornic.Binary(); !ok {
		newNeo4jServer(t) // skips, or fails under VJKG_REQUIRE_NEO4J
	}
	db := nornic.Start(t, nornic.Options{})
	store, err := neo4j.Open(neo4j.Config{URI: db.URI(), Logger: quietLog, Timeout: time.Second, MaxRetryTime: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	<-store.Ready()
	s := serve(t, store)
	q := `{ locality(id: "locality:ha-noi") { name } }`
	var ok struct{ Locality struct{ Name string } }
	s.query(t, q, nil, &ok)

	db.Kill()
	s.wantError(t, "", q, nil, "UNAVAILABLE", "Neo4j is unreachable")
	if res, body := s.get(t, "/readyz"); res.StatusCode != 503 {
		t.Errorf("/readyz with Neo4j down: %d %s", res.StatusCode, body)
	}

	if err := db.Restart(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		r := s.post(t, "", q, nil)
		if len(r.Errors) == 0 && bytes.Contains(r.Data, []byte("Hà Nội")) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the API did not recover within 30s of Neo4j's return: %+v", r.Errors)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if res, _ := s.get(t, "/readyz"); res.StatusCode != 200 {
		t.Errorf("/readyz after recovery: %d", res.StatusCode)
	}
}
