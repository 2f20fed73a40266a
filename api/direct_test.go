package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vjkg/vjkg/api"
	"github.com/vjkg/vjkg/internal/testgraph"
)

// directQueries are documents the direct executor answers (graph/direct.go):
// lists and single entities, their ids, kinds and names, relationship
// connections of every kind and direction, pages from either end, totals,
// page info, edges of entity lists, fragments on types and interfaces,
// aliases, repeated fields, @skip and @include, and variables.
var directQueries = []struct {
	query string
	vars  map[string]any
}{
	{nestedShape, map[string]any{"c": []string{"VN"}, "t": []string{"PROVINCE"}}},
	{nestedShape, map[string]any{"c": []string{"JP"}, "t": []string{"PREFECTURE"}}},
	{`{ __typename localities(first: 3) { __typename totalCount pageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor }
	    edges { __typename cursor node { __typename id kind name } } nodes { id } } }`, nil},
	{`{ entities(first: 40) { totalCount nodes { __typename id kind name
	    ... on Locality { agreements(first: 2) { totalCount nodes { id name } } officials { nodes { name } } }
	    ... on Event { participants(last: 2) { pageInfo { hasPreviousPage hasNextPage startCursor endCursor } nodes { kind name } } }
	    ... on Entity { relationships(first: 3, direction: OUT) { totalCount nodes { id } } } } } }`, nil},
	{`query($first: Int, $after: String, $skipName: Boolean!, $withKind: Boolean!) {
	    events(first: $first, after: $after) { totalCount pageInfo { endCursor hasNextPage }
	      nodes { id name @skip(if: $skipName) kind @include(if: $withKind) n: name
	        participants(first: 2) { totalCount } organizers(first: 1) { nodes { id } } } } }`,
		map[string]any{"first": 4, "after": "bzox", "skipName": true, "withKind": true}},
	{`fragment E on Entity { id name }
	  fragment L on Locality { ...E events(first: 2) { nodes { ...E ... on Event { concerns(first: 1) { nodes { ...E } } } } } }
	  { locality(id: "locality:fukuoka") { ...L ...E kind } a: entity(id: "locality:ha-noi") { ...E ... on Locality { ...L } }
	    missing: entity(id: "locality:nowhere") { id } }`, nil},
	{`{ organizations(first: 5, filter: {country: ["JP"]}) { nodes { id name partners(first: 2) { nodes { id name } } agreements { totalCount } } }
	   officials(last: 2) { pageInfo { hasPreviousPage startCursor } nodes { id name offices(first: 1) { nodes { id name } } } }
	   agreements(first: 3) { edges { cursor node { id name parties { nodes { name } } signatories { totalCount } } } } }`, nil},
	{`{ localities(first: 2, filter: {country: ["VN"]}) { nodes { id name
	    a: relationships(first: 2) { nodes { id } } b: relationships(last: 2, types: [PARTY_TO], direction: OUT) { totalCount nodes { id } }
	    events(first: 1) { nodes { id } } events(first: 1) { totalCount } } } }`, nil},
	// Relationship edges: their cursors, ends, directions, types, roles.
	{`{ locality(id: "locality:fukuoka") { agreements { totalCount edges { __typename cursor role direction type
	    node { id name ... on Agreement { parties { edges { role node { id name } } } } } } } }
	   localities(first: 30, filter: {country: ["VN"]}) { nodes { name officials { edges { role direction node { name } } }
	    relationships(last: 3) { edges { cursor type direction node { __typename id } } } } } }`, nil},
	// Neighbourhoods, paths and search, with relationships' ends written
	// from the relationship or loaded.
	{`{ neighborhood(id: "locality:ha-noi", depth: 2, limit: 60) { truncated nodes { __typename id name kind ... on Locality { events(first: 1) { totalCount } } }
	    relationships { __typename id type t: type from { __typename id kind } to { id name } } } }`, nil},
	{`query($from: ID!, $to: ID!) { paths(from: $from, to: $to, maxHops: 4, first: 3) { length score nodes { id name kind }
	    relationships { type from { id } to { id kind } } } }`, map[string]any{"from": "locality:fukuoka", "to": "locality:ha-noi"}},
	{`{ search(text: "Ha Noi", first: 10) { score entity { __typename id name kind } }
	   s2: search(text: "vinh phuc", kinds: [LOCALITY, EVENT]) { score entity { id ... on Locality { partOf { nodes { name } } } } } }`, nil},
	// Fields it hands to the generated executor's: scalars, lists, dates,
	// citations, provenance, search snippets, depths.
	{`{ localities(first: 2) { nodes { id country } } search(text: "Fukuoka") { snippet field entity { id } } }`, nil},
	{`{ locality(id: "locality:fukuoka") { name aliases localNames { lang value } isoCode country localityType validFrom { value }
	    agreements { totalCount edges { cursor role direction type validFrom { value } sources { quote source { id title published { value precision } } }
	      node { id name ... on Agreement { agreementType topics date { value } parties { edges { role node { id name } } } outcomes { nodes { name } } } } } } } }`, nil},
	{`{ events(first: 5) { nodes { id provenance { citations source { id title } } sources { quote source { id sourceType } }
	    participants { edges { sources { source { id } } node { name provenance { source { id } } } } } } } }`, nil},
	{`{ neighborhood(id: "locality:fukuoka") { depths { depth } relationships { id validFrom { value } from { name } } } }`, nil},
}

// nestedShape is the benchmark's nested query (tools/loadgen).
const nestedShape = `query($c: [String!], $t: [LocalityType!]) {
  localities(filter: {country: $c, type: $t}, first: 5) { nodes { id name
    events(first: 3) { nodes { id name ... on Event { participants(first: 3) { nodes { id name } } } } } } } }`

// indirectQueries are documents the direct executor leaves to the
// generated one: other root fields, introspection, @defer, fragments on
// Node, and failures that only show while it runs (a bad cursor, a page
// too large or negative).
var indirectQueries = []string{
	`{ stats { entities relationships } }`,
	`{ relationships(first: 2) { nodes { id } } }`,
	`{ __schema { queryType { name } } }`,
	`{ localities(first: 2) { nodes { id ... @defer { name } } } }`,
	`{ localities(first: 2) { nodes { ... on Node { id } } } }`,
	`{ localities(first: 2) { nodes { id events(first: 2, after: "not a cursor") { totalCount nodes { id } } } } }`,
	`{ localities(first: 100000) { nodes { id } } }`,
	`{ locality(id: "locality:fukuoka") { id events(first: -1) { nodes { id } } } }`,
}

// TestDirectAnswersAlike sends the same documents to a server whose direct
// executor is on and one whose is off, over the same seed, and requires
// the same bytes; the request log says which the direct executor answered.
func TestDirectAnswersAlike(t *testing.T) {
	var log syncBuffer
	direct := newServer(t, func(c *api.Config) { c.Logger = slog.New(slog.NewTextHandler(&log, nil)) })
	generated := newServer(t, func(c *api.Config) { c.GraphQL.Direct = false })
	send := func(s *server, query string, vars map[string]any) []byte {
		body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		_, raw := s.send(t, http.MethodPost, "/graphql", "", "application/json", bytes.NewReader(body))
		return raw
	}
	requests := 0
	// sendDirect sends to the direct server, and waits for the request's
	// log line, written once the answer is sent.
	sendDirect := func(query string, vars map[string]any) []byte {
		a := send(direct, query, vars)
		requests++
		for deadline := time.Now().Add(10 * time.Second); strings.Count(log.String(), "msg=request") < requests && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
		return a
	}
	check := func(query string, vars map[string]any, wantDirect bool) {
		before := strings.Count(log.String(), "direct=true")
		a, b := sendDirect(query, vars), send(generated, query, vars)
		if !bytes.Equal(a, b) {
			t.Errorf("answers differ for\n%s\ndirect:    %.2000s\ngenerated: %.2000s", query, a, b)
		}
		// Again, from the plan the first answer left (directPlan).
		if again := sendDirect(query, vars); !bytes.Equal(again, b) {
			t.Errorf("second answer differs for\n%s\ndirect:    %.2000s\ngenerated: %.2000s", query, again, b)
		}
		if answered := strings.Count(log.String(), "direct=true") > before; answered != wantDirect {
			t.Errorf("answered directly: %v, want %v, for\n%s\n%.300s", answered, wantDirect, query, a)
		}
		if len(a) < 40 {
			t.Errorf("suspiciously short answer for %s: %s", query, a)
		}
	}
	for _, q := range directQueries {
		check(q.query, q.vars, true)
	}
	for _, q := range indirectQueries {
		check(q, nil, false)
	}
	// One document, other variables: the plan is the document's, the
	// arguments and conditions each answer's own.
	for _, q := range []struct {
		query string
		vars  []map[string]any
	}{
		{`query($n: Int, $c: [String!]) { localities(first: $n, filter: {country: $c}) { nodes { id name events(first: $n) { nodes { id name } } } } }`,
			[]map[string]any{{"n": 1, "c": []string{"JP"}}, {"n": 3, "c": []string{"VN"}}, {"n": 2, "c": []string{"JP"}}}},
		{`query($x: Boolean!) { localities(first: 3) { nodes { id name @include(if: $x) kind @skip(if: $x) } } }`,
			[]map[string]any{{"x": true}, {"x": false}, {"x": true}}},
	} {
		var answers [][]byte
		for _, v := range q.vars {
			check(q.query, v, true)
			answers = append(answers, sendDirect(q.query, v))
		}
		if bytes.Equal(answers[0], answers[1]) {
			t.Errorf("the same answer for other variables: %s\n%s", q.query, answers[0])
		}
	}
	// The documents of the other comparisons, whichever answers them.
	for _, q := range append(append([]string{}, sameAnswerQueries...), inOrderQueries...) {
		a, b := send(direct, q, nil), send(generated, q, nil)
		if !bytes.Equal(a, b) {
			t.Errorf("answers differ for\n%s\ndirect:    %.2000s\ngenerated: %.2000s", q, a, b)
		}
	}
}

// FuzzDirectAnswersAlike sends arbitrary documents and variables to two
// handlers over one seeded store, one with the direct executor and one
// without, and requires the same bytes. `go test` runs the seeds (every
// document of TestDirectAnswersAlike); `go test -fuzz FuzzDirectAnswersAlike
// ./api/` searches further.
func FuzzDirectAnswersAlike(f *testing.F) {
	for _, q := range directQueries {
		vars, _ := json.Marshal(q.vars)
		f.Add(q.query, string(vars))
	}
	for _, q := range indirectQueries {
		f.Add(q, "")
	}
	s := testgraph.Seeded(f)
	handler := func(direct bool) http.Handler {
		cfg := api.DefaultConfig
		cfg.Logger = quietLog
		cfg.GraphQL.InOrder, cfg.GraphQL.Direct = true, direct
		return api.New(s, cfg)
	}
	direct, generated := handler(true), handler(false)
	f.Fuzz(func(t *testing.T, query, variables string) {
		raw, ok := fuzzBody(query, variables)
		if !ok {
			return
		}
		answer := func(h http.Handler) []byte {
			req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(raw))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			return rec.Body.Bytes()
		}
		if a, b := answer(direct), answer(generated); !bytes.Equal(a, b) {
			t.Fatalf("answers differ for %q (variables %s)\ndirect:    %.1500s\ngenerated: %.1500s", query, variables, a, b)
		}
	})
}

// TestDirectPlanServesConcurrentAnswers sends one document from several
// clients at once: its plan, and the arguments the plan keeps for fields
// that take no variable, serve every answer, which must all be the first
// one (under -race, a write to what the plan shares is reported).
func TestDirectPlanServesConcurrentAnswers(t *testing.T) {
	s := newServer(t)
	const query = `query($c: [String!]) { localities(first: 60, filter: {country: $c}) { nodes { id name
	  events(first: 3) { totalCount nodes { id name ... on Event { participants(first: 2) { nodes { id name } } } } }
	  agreements(first: 2) { edges { cursor node { id } } }
	  relationships(first: 2, direction: OUT, types: [PARTY_TO, LOCATED_IN]) { totalCount edges { node { id } } } } } }`
	body := func(country string) []byte {
		b, _ := json.Marshal(map[string]any{"query": query, "variables": map[string]any{"c": []string{country}}})
		return b
	}
	want := map[string][]byte{}
	for _, c := range []string{"JP", "VN"} {
		_, raw := s.send(t, http.MethodPost, "/graphql", "", "application/json", bytes.NewReader(body(c)))
		if !bytes.Contains(raw, []byte(`"participants":{"nodes":[{"id"`)) || bytes.Contains(raw, []byte(`"errors"`)) {
			t.Fatalf("%s: %.500s", c, raw)
		}
		want[c] = raw
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8*20)
	for client := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				c := []string{"JP", "VN"}[(client+i)%2]
				res, err := http.Post(s.URL+"/graphql", "application/json", bytes.NewReader(body(c)))
				if err != nil {
					errs <- err.Error()
					return
				}
				raw, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if !bytes.Equal(raw, want[c]) {
					errs <- fmt.Sprintf("%s, client %d, request %d: %.300s", c, client, i, raw)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
