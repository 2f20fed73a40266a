package api_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vjkg/vjkg/api"
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
}

// nestedShape is the benchmark's nested query (tools/loadgen).
const nestedShape = `query($c: [String!], $t: [LocalityType!]) {
  localities(filter: {country: $c, type: $t}, first: 5) { nodes { id name
    events(first: 3) { nodes { id name ... on Event { participants(first: 3) { nodes { id name } } } } } } } }`

// indirectQueries are documents the direct executor leaves to the
// generated one: other fields, other directives, and failures that only
// show while it runs (a bad cursor, a page too large).
var indirectQueries = []string{
	`{ localities(first: 2) { nodes { id country } } }`,
	`{ localities(first: 2) { nodes { id events { edges { cursor sources { quote } } } } } }`,
	`{ search(text: "Fukuoka") { entity { id } } }`,
	`{ localities(first: 2) { nodes { id ... @defer { name } } } }`,
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
	check := func(query string, vars map[string]any, wantDirect bool) {
		before := strings.Count(log.String(), "direct=true")
		a, b := send(direct, query, vars), send(generated, query, vars)
		if !bytes.Equal(a, b) {
			t.Errorf("answers differ for\n%s\ndirect:    %.2000s\ngenerated: %.2000s", query, a, b)
		}
		// The request's log line is written once the answer is sent:
		// wait for it.
		requests++
		for deadline := time.Now().Add(10 * time.Second); strings.Count(log.String(), "msg=request") < requests && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
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
}
