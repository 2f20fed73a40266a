package api_test

import (
	"bytes"
	"context"
	"io"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vjkg/vjkg/api"
	"github.com/vjkg/vjkg/graph"
	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/neo4j"
)

// TestOneStoreCallPerLevel shows the loaders at work: a query for N
// localities, each with its agreements and their parties, costs one store
// call per level of the query, whatever N is.
func TestOneStoreCallPerLevel(t *testing.T) {
	t.Run("Embedded", func(t *testing.T) { testOneStoreCallPerLevel(t, newServer(t)) })
	t.Run("Neo4j", func(t *testing.T) {
		s := newNeo4jServer(t)
		warmUp(t, s)
		tx0, st0 := s.backend.(*neo4j.Store).Sent()
		testOneStoreCallPerLevel(t, s)
		tx1, st1 := s.backend.(*neo4j.Store).Sent()
		// Each store call is one read transaction; FindEntities sends two
		// statements in it (the count and the page), the others one.
		if tx1-tx0 != 5 || st1-st0 != 6 {
			t.Errorf("Bolt round trips: %d transactions, %d statements; want 5 and 6", tx1-tx0, st1-st0)
		}
		t.Logf("nested query on Neo4j: %d transactions, %d statements", tx1-tx0, st1-st0)
	})
}

const nestedQuery = `{
	  localities(first: 75, filter: {country: ["VN", "JP"]}) {   # level 1: FindEntities
	    nodes {
	      name
	      agreements {                                          # level 2: PageRelationships
	        edges {
	          node {                                            # level 3: GetEntities
	            name
	            ... on Agreement {
	              parties { edges { node { name } } }           # level 4: PageRelationships, level 5: EntityOutlines (names only)
	            }
	          }
	        }
	      }
	    }
	  }
	}`

// warmUp sends a first query, so that the complexity limit's count of the
// graph (taken on the first request, then once a minute) is not counted
// as the nested query's.
func warmUp(t *testing.T, s *server) {
	t.Helper()
	var got struct {
		Typename string `json:"__typename"`
	}
	s.query(t, `{ __typename }`, nil, &got)
}

func testOneStoreCallPerLevel(t *testing.T, s *server) {
	warmUp(t, s)
	q := nestedQuery
	s.store.Reset()
	var got struct {
		Localities struct {
			Nodes []struct {
				Agreements struct{ Edges []any }
			}
		}
	}
	s.query(t, q, nil, &got)
	withAgreements := 0
	for _, n := range got.Localities.Nodes {
		if len(n.Agreements.Edges) > 0 {
			withAgreements++
		}
	}
	if len(got.Localities.Nodes) < 40 || withAgreements < 3 {
		t.Fatalf("the query should span many parents: %d localities, %d with agreements", len(got.Localities.Nodes), withAgreements)
	}
	calls := s.store.Calls()
	// The parties' names come from the store's outlines; the agreements,
	// asked for their parties, are read whole.
	want := map[string]int{"FindEntities": 1, "PageRelationships": 2, "GetEntities": 1, "EntityOutlines": 1}
	for m, n := range want {
		if calls[m] != n {
			t.Errorf("%s calls = %d, want %d (all calls: %v)", m, calls[m], n, calls)
		}
	}
	if s.store.Total() != 5 {
		t.Errorf("total store calls = %d, want 5 (one per level): %v", s.store.Total(), calls)
	}
}

func TestLimits(t *testing.T) {
	s := newServer(t, func(c *api.Config) {
		c.MaxBodyBytes = 4096
		c.GraphQL.Document.MaxDepth = 6
		c.GraphQL.MaxComplexity = 5000
	})
	t.Run("ErrDepth", func(t *testing.T) {
		// Seven hops: a connection's edges and node count as no level of their own.
		s.wantError(t, "", `{ locality(id: "locality:fukuoka") { partOf { edges { node { ... on Locality { parts { edges { node { ... on Locality {
		  partOf { nodes { ... on Locality { parts { nodes { ... on Locality { partOf { nodes { id } } } } } } } } } } } } } } } } } }`, nil, "DEPTH_LIMIT_EXCEEDED", "depth 7")
	})
	t.Run("ErrComplexity", func(t *testing.T) {
		s.wantError(t, "", `{ localities(first: 100) { nodes { relationships(first: 100) { edges { node { id } } } } } }`, nil, "COMPLEXITY_LIMIT_EXCEEDED", "complexity")
	})
	t.Run("ErrBodySize", func(t *testing.T) {
		res, err := http.Post(s.URL+"/graphql", "application/json", strings.NewReader(`{"query":"{ stats { entities } }","pad":"`+strings.Repeat("x", 5000)+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("status = %d, want 413", res.StatusCode)
		}
	})
	t.Run("ErrTimeout", func(t *testing.T) {
		slow := newServer(t, func(c *api.Config) { c.RequestTimeout = time.Nanosecond })
		slow.wantError(t, "", `{ localities { totalCount } }`, nil, "TIMEOUT", "longer than the server allows")
	})
	t.Run("IntrospectionOn", func(t *testing.T) {
		var got struct {
			Schema struct{ QueryType struct{ Name string } } `json:"__schema"`
		}
		s.query(t, `{ __schema { queryType { name } } }`, nil, &got)
		if got.Schema.QueryType.Name != "Query" {
			t.Errorf("introspection = %+v", got)
		}
	})
	t.Run("IntrospectionOff", func(t *testing.T) {
		off := newServer(t, func(c *api.Config) { c.GraphQL.Introspection = false })
		r := off.post(t, "", `{ __schema { queryType { name } } }`, nil)
		if r.code() != "INTROSPECTION_DISABLED" {
			t.Errorf("introspection answered while disabled: %s %+v", r.Data, r.Errors)
		}
		// Nor is the schema published as SDL.
		res, body := off.send(t, http.MethodGet, "/schema.graphql", "", "", nil)
		if res.StatusCode != http.StatusUnprocessableEntity || !bytes.Contains(body, []byte("INTROSPECTION_DISABLED")) {
			t.Errorf("GET /schema.graphql with introspection off: %s %s", res.Status, body)
		}
	})
}

func TestRoutes(t *testing.T) {
	s := newServer(t)
	get := func(path string, header ...string) (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		res, err := s.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res, string(body)
	}
	if res, body := get("/healthz"); res.StatusCode != 200 || !strings.Contains(body, `"ok"`) {
		t.Errorf("/healthz: %d %s", res.StatusCode, body)
	}
	if res, body := get("/readyz"); res.StatusCode != 200 || !strings.Contains(body, `"ready"`) {
		t.Errorf("/readyz: %d %s", res.StatusCode, body)
	}
	if res, body := get("/"); res.StatusCode != 200 || !strings.Contains(body, "graphiql") {
		t.Errorf("GraphiQL page: %d", res.StatusCode)
	}
	if res, _ := get("/nowhere"); res.StatusCode != 404 {
		t.Errorf("/nowhere: %d", res.StatusCode)
	}
	t.Run("RequestID", func(t *testing.T) {
		res, _ := get("/healthz", "X-Request-ID", "trace-me-42")
		if got := res.Header.Get("X-Request-ID"); got != "trace-me-42" {
			t.Errorf("X-Request-ID echoed as %q", got)
		}
		res, _ = get("/healthz")
		if got := res.Header.Get("X-Request-ID"); len(got) != 16 {
			t.Errorf("a new request id should be 16 hex digits, got %q", got)
		}
	})
	t.Run("GET", func(t *testing.T) {
		res, body := get(`/graphql?query={stats{sources}}`)
		if res.StatusCode != 200 || !strings.Contains(body, `"sources"`) {
			t.Errorf("GET query: %d %s", res.StatusCode, body)
		}
	})
	t.Run("CORS", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodOptions, s.URL+"/graphql", nil)
		req.Header.Set("Origin", "https://explorer.example")
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
		res, err := s.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if got := res.Header.Get("Access-Control-Allow-Origin"); got != "https://explorer.example" {
			t.Errorf("allowed origin = %q", got)
		}
		res, _ = get("/graphql?query={stats{sources}}", "Origin", "https://evil.example")
		if got := res.Header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("a foreign origin was allowed: %q", got)
		}
	})
	t.Run("ReadyzWhileLoading", func(t *testing.T) {
		loading := newServer(t, func(c *api.Config) {
			c.Ready = func(context.Context) error { return kg.Errorf(kg.EUnavailable, "loading the seed dataset") }
		})
		res, err := http.Get(loading.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "loading the seed dataset") {
			t.Errorf("/readyz while loading: %d %s", res.StatusCode, body)
		}
	})
	t.Run("ReadyzWhenStoreClosed", func(t *testing.T) {
		closed := newServer(t)
		closed.store.Close()
		res, err := http.Get(closed.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("/readyz with a closed store: %d", res.StatusCode)
		}
	})
}

// TestEdgeEndsByIDOnly: a view that asks only for the ends' ids (a graph's
// edge list) loads no entity for them; asking for a name reads their
// outlines, and asking for more reads them whole, with the same names.
func TestEdgeEndsByIDOnly(t *testing.T) {
	s := newServer(t)
	warmUp(t, s)
	type answer struct {
		Neighborhood struct {
			Relationships []struct {
				From struct{ ID, Name string }
			}
		}
	}
	count := func(q string) (map[string]int, map[string]string) {
		s.store.Reset()
		var got answer
		s.query(t, q, nil, &got)
		names := map[string]string{}
		for _, r := range got.Neighborhood.Relationships {
			names[r.From.ID] = r.From.Name
		}
		return s.store.Calls(), names
	}
	ids, _ := count(`{ neighborhood(id: "locality:fukuoka", depth: 2) { relationships { id from { id kind } to { id ... on Locality { id } } } } }`)
	outlined, short := count(`{ neighborhood(id: "locality:fukuoka", depth: 2) { relationships { id from { id name } to { id } } } }`)
	whole, long := count(`{ neighborhood(id: "locality:fukuoka", depth: 2) { relationships { id from { id name description } to { id } } } }`)
	if ids["GetEntities"]+ids["EntityOutlines"] != 0 {
		t.Errorf("ids only: %v, want no entity read", ids)
	}
	if outlined["EntityOutlines"] != 1 || outlined["GetEntities"] != 0 {
		t.Errorf("names only: %v, want one EntityOutlines call and no GetEntities", outlined)
	}
	if whole["GetEntities"] != 1 || whole["EntityOutlines"] != 0 {
		t.Errorf("names and descriptions: %v, want one GetEntities call and no EntityOutlines", whole)
	}
	if len(short) < 10 || !maps.Equal(short, long) {
		t.Errorf("names from outlines differ from names of whole entities:\n%v\n%v", short, long)
	}
}

// TestSchemaSDL: GET /schema.graphql serves the schema the server answers,
// as SDL that parses back into the same types, descriptions included.
func TestSchemaSDL(t *testing.T) {
	s := newServer(t)
	res, body := s.send(t, http.MethodGet, "/schema.graphql", "", "", nil)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /schema.graphql: %s, %s", res.Status, res.Header.Get("Content-Type"))
	}
	if got := res.Header.Get("Content-Disposition"); !strings.Contains(got, `filename="schema.graphql"`) {
		t.Errorf("Content-Disposition = %q, want the file name schema.graphql", got)
	}
	parsed, err := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: string(body)})
	if err != nil {
		t.Fatalf("the SDL does not parse: %v", err)
	}
	want := graph.NewExecutableSchema(graph.Config{}).Schema()
	for name, def := range want.Types {
		got := parsed.Types[name]
		if got == nil || len(got.Fields) != len(def.Fields) || len(got.EnumValues) != len(def.EnumValues) || got.Description != def.Description {
			t.Errorf("type %s differs in the SDL", name)
		}
	}
	if q := parsed.Types["Query"].Fields.ForName("neighborhood"); q == nil || q.Arguments.ForName("limit").Description == "" {
		t.Error("the SDL lacks the description of Query.neighborhood(limit:)")
	}
}

// TestSelectionVerdictsPerPlace: what a resolver decides from its field's
// selection (here: whether a relationship page may be cut as outlines,
// which hold no role) is kept between requests only for a field's own
// selection in a document without directives. A field merged with another
// of its name, and a field whose selection a variable changes, are decided
// anew each time; asked twice, each answers alike.
func TestSelectionVerdictsPerPlace(t *testing.T) {
	s := newServer(t)
	type edges struct {
		Edges []struct{ Role *string }
	}
	firstRole := func(e edges) string {
		if len(e.Edges) == 0 || e.Edges[0].Role == nil {
			return ""
		}
		return *e.Edges[0].Role
	}
	merged := `fragment F on Entity { relationships(first: 2) { edges { node { id } } } }
	{ b: entity(id: "locality:fukuoka") { ...F }
	  a: entity(id: "locality:fukuoka") { ...F relationships(first: 2) { edges { role } } } }`
	conditional := `query($r: Boolean!) { entity(id: "locality:fukuoka") {
	  relationships(first: 2) { edges { role @include(if: $r) node { id } } } } }`
	for round := range 2 {
		var m struct{ A struct{ Relationships edges } }
		s.query(t, merged, nil, &m)
		if got := firstRole(m.A.Relationships); got != "signatory" {
			t.Errorf("round %d, merged field: first role %q, want signatory", round, got)
		}
		for _, include := range []bool{false, true} {
			var c struct{ Entity struct{ Relationships edges } }
			s.query(t, conditional, map[string]any{"r": include}, &c)
			want := map[bool]string{false: "", true: "signatory"}[include]
			if got := firstRole(c.Entity.Relationships); got != want {
				t.Errorf("round %d, role @include(if: %v): first role %q, want %q", round, include, got, want)
			}
		}
	}
}
