package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	coderws "github.com/coder/websocket"
	"github.com/vjkg/vjkg/api"
	"github.com/vjkg/vjkg/internal/nornic"
	"github.com/vjkg/vjkg/neo4j"
)

const aliceKey = "alice-key-0123456789abcdef"

func withAlice(c *api.Config) { c.APIKeys = []string{"alice:" + aliceKey, testKey} }

// TestHistoryEmbedded and TestHistoryNeo4j run the same revision tests over
// HTTP and WebSocket against each backend.
func TestHistoryEmbedded(t *testing.T) { testHistory(t, newServer(t, withAlice, fastFeed)) }
func TestHistoryNeo4j(t *testing.T)    { testHistory(t, newNeo4jServer(t, withAlice, fastFeed)) }

func fastFeed(c *api.Config) { c.GraphQL.HistoryPoll = 20 * time.Millisecond }

type changeJSON struct {
	Position      int
	RecordID      string
	RecordType    string
	Operation     string
	ChangedFields []string
	Before, After map[string]any
	Revision      struct {
		Seq     int
		Actor   string
		Message *string
		Reverts *int
	}
}

const changeFields = `position recordId recordType operation changedFields before after revision { seq actor message reverts }`

func testHistory(t *testing.T, s *server) {
	// The seed's load is the first revision, by "seed".
	var seed struct{ Revision struct{ Actor string } }
	s.query(t, `{ revision(seq: 1) { actor } }`, nil, &seed)
	if seed.Revision.Actor != "seed" {
		t.Errorf("revision 1 is by %q, want seed", seed.Revision.Actor)
	}
	var head struct{ Changes struct{ Nodes []changeJSON } }
	s.query(t, `{ changes(newestFirst: true, first: 1) { nodes { position } } }`, nil, &head)
	if len(head.Changes.Nodes) != 1 {
		t.Fatal("no changes after the seed")
	}
	start := head.Changes.Nodes[0].Position

	// A subscriber from the current position, before any write.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	live := subscribe(t, ctx, s, "", fmt.Sprintf(`subscription { changes(since: %d) { %s } }`, start, changeFields))

	// A mutation by alice, with a message, then an update by the other key.
	create := `mutation($m: String) { createEntity(input: {kind: ORGANIZATION, name: "Công ty Lịch sử", type: "COMPANY",
	  sources: [{source: "source:vj-local-forum-2025", quote: "tỉnh Fukuoka (Nhật Bản)"}]}, message: $m) { id } }`
	decode(t, s.post(t, aliceKey, create, map[string]any{"m": "add a company"}), &struct{}{})
	update := `mutation { updateEntity(id: "org:cong-ty-lich-su", input: {description: "A test company."}) { id } }`
	decode(t, s.post(t, testKey, update, nil), &struct{}{})

	var org struct {
		Entity struct {
			Revisions struct {
				Nodes    []changeJSON
				PageInfo struct{ HasNextPage bool }
			}
		}
	}
	s.query(t, `{ entity(id: "org:cong-ty-lich-su") { ... on Organization { revisions { nodes { `+changeFields+` } pageInfo { hasNextPage } } } } }`, nil, &org)
	revs := org.Entity.Revisions.Nodes
	if len(revs) != 2 {
		t.Fatalf("the company's history: %+v", revs)
	}
	upd, created := revs[0], revs[1]
	if created.Operation != "CREATE" || created.Revision.Actor != "alice" || created.Revision.Message == nil ||
		*created.Revision.Message != "add a company" || created.After["name"] != "Công ty Lịch sử" || created.Before != nil {
		t.Errorf("creation: %+v", created)
	}
	if upd.Operation != "UPDATE" || upd.Revision.Actor != "key-2" || strings.Join(upd.ChangedFields, ",") != "description" ||
		upd.Before["description"] != nil || upd.After["description"] != "A test company." {
		t.Errorf("update: %+v", upd)
	}

	// Revert: the update is undone; undoing the creation conflicts with
	// the revert that now holds the record's latest change.
	var rv struct {
		Revert struct {
			Seq, ChangeCount int
			Reverts          *int
			Actor            string
		}
	}
	decode(t, s.post(t, aliceKey, fmt.Sprintf(`mutation { revert(revision: %d) { seq changeCount reverts actor } }`, upd.Revision.Seq), nil), &rv)
	if rv.Revert.Reverts == nil || *rv.Revert.Reverts != upd.Revision.Seq || rv.Revert.ChangeCount != 1 || rv.Revert.Actor != "alice" {
		t.Errorf("revert: %+v", rv.Revert)
	}
	var desc struct{ Entity struct{ Description *string } }
	s.query(t, `{ entity(id: "org:cong-ty-lich-su") { description } }`, nil, &desc)
	if desc.Entity.Description != nil {
		t.Errorf("after the revert the description is %q", *desc.Entity.Description)
	}
	s.wantError(t, aliceKey, fmt.Sprintf(`mutation { revert(revision: %d) { seq } }`, created.Revision.Seq), nil, "CONFLICT", "after revision")
	s.wantError(t, "", fmt.Sprintf(`mutation { revert(revision: %d) { seq } }`, upd.Revision.Seq), nil, "UNAUTHENTICATED", "")
	s.wantError(t, aliceKey, `mutation { revert(revision: 999999) { seq } }`, nil, "NOT_FOUND", "999999")

	// An import over HTTP is one revision, by the key's name, with the message.
	csv := "Id,Label,kind,type,country,source,quote\n" +
		"org:history-a,History A,organization,company,JP,source:vj-local-forum-2025,tỉnh Fukuoka (Nhật Bản)\n" +
		"org:history-b,History B,organization,company,JP,source:vj-local-forum-2025,tỉnh Fukuoka (Nhật Bản)\n"
	rev := importCSV(t, s, "nodes.csv", csv, "two companies")

	// The feed from the start position: every change above, in order,
	// paged by cursor, filterable.
	all := feedFrom(t, s, start, "")
	var got []string
	for _, c := range all {
		got = append(got, c.Operation+" "+c.RecordID)
	}
	want := []string{"CREATE org:cong-ty-lich-su", "UPDATE org:cong-ty-lich-su", "UPDATE org:cong-ty-lich-su", "CREATE org:history-a", "CREATE org:history-b"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("feed:\n got %v\nwant %v", got, want)
	}
	if all[3].Revision.Seq != rev || all[4].Revision.Seq != rev || all[3].Revision.Actor != "alice" ||
		all[3].Revision.Message == nil || *all[3].Revision.Message != "two companies" {
		t.Errorf("the import's changes: %+v %+v (revision %d)", all[3].Revision, all[4].Revision, rev)
	}
	if byKey2 := feedFrom(t, s, start, `actor: "key-2"`); len(byKey2) != 1 || byKey2[0].Operation != "UPDATE" {
		t.Errorf("key-2's changes: %+v", byKey2)
	}

	// The subscriber saw the same five changes, each once, in order.
	for i, w := range want {
		c := next(t, ctx, live)
		if c.Operation+" "+c.RecordID != w || c.Position != all[i].Position {
			t.Errorf("live change %d: %s %s at %d, want %s at %d", i, c.Operation, c.RecordID, c.Position, w, all[i].Position)
		}
	}
	live.Close(coderws.StatusNormalClosure, "")

	// Reconnect from the last position seen: the change made while away
	// comes first, then live ones, nothing twice.
	last := all[len(all)-1].Position
	decode(t, s.post(t, aliceKey, `mutation { updateEntity(id: "org:history-a", input: {description: "Away."}) { id } }`, nil), &struct{}{})
	again := subscribe(t, ctx, s, aliceKey, fmt.Sprintf(`subscription { changes(since: %d, recordTypes: [ENTITY]) { %s } }`, last, changeFields))
	decode(t, s.post(t, aliceKey, `mutation { updateEntity(id: "org:history-b", input: {description: "Back."}) { id } }`, nil), &struct{}{})
	a, b := next(t, ctx, again), next(t, ctx, again)
	if a.RecordID != "org:history-a" || b.RecordID != "org:history-b" || a.Position != last+1 || b.Position != last+2 {
		t.Errorf("after reconnecting: %s at %d, %s at %d (last seen %d)", a.RecordID, a.Position, b.RecordID, b.Position, last)
	}
	again.Close(coderws.StatusNormalClosure, "")

	// Queries do not go over the WebSocket, nor subscriptions over POST.
	s.wantError(t, "", `subscription { changes { position } }`, nil, "BAD_USER_INPUT", "WebSocket")
	q := subscribe(t, ctx, s, "", `{ stats { entities } }`)
	qctx, qstop := context.WithTimeout(ctx, 10*time.Second)
	defer qstop()
	if _, msg, err := q.Read(qctx); err != nil || !strings.Contains(string(msg), "only subscriptions") {
		t.Errorf("a query over WebSocket: %s (%v)", msg, err)
	}
	q.Close(coderws.StatusNormalClosure, "")
	// A wrong key in the init payload closes the connection.
	bad := dialWS(t, ctx, s)
	_ = bad.Write(ctx, coderws.MessageText, []byte(`{"type":"connection_init","payload":{"Authorization":"Bearer wrong-key-0123456789"}}`))
	short, stop := context.WithTimeout(ctx, 10*time.Second)
	defer stop()
	for {
		_, msg, err := bad.Read(short)
		if err != nil {
			if coderws.CloseStatus(err) == -1 {
				t.Errorf("a wrong key: the connection was not closed (%v)", err)
			}
			break
		}
		if strings.Contains(string(msg), "connection_ack") {
			t.Errorf("a wrong key was accepted: %s", msg)
			break
		}
	}
	bad.CloseNow()
}

// feedFrom reads the whole change feed after pos, a page of 2 at a time.
func feedFrom(t *testing.T, s *server, pos int, filter string) []changeJSON {
	t.Helper()
	var out []changeJSON
	after := ""
	for range 100 {
		var page struct {
			Changes struct {
				Nodes    []changeJSON
				PageInfo struct {
					HasNextPage bool
					EndCursor   *string
				}
			}
		}
		args := fmt.Sprintf("since: %d, first: 2", pos)
		if filter != "" {
			args += ", " + filter
		}
		if after != "" {
			args += fmt.Sprintf(", after: %q", after)
		}
		s.query(t, `{ changes(`+args+`) { nodes { `+changeFields+` } pageInfo { hasNextPage endCursor } } }`, nil, &page)
		out = append(out, page.Changes.Nodes...)
		if !page.Changes.PageInfo.HasNextPage {
			return out
		}
		after = *page.Changes.PageInfo.EndCursor
	}
	t.Fatal("the feed does not end")
	return nil
}

// importCSV posts one CSV file to /import with a message, waits for the
// job and returns the revision it reports.
func importCSV(t *testing.T, s *server, name, body, message string) int {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	w, _ := mw.CreateFormFile("file", name)
	w.Write([]byte(body))
	mw.Close()
	res, raw := s.send(t, http.MethodPost, "/import?message="+url.QueryEscape(message), aliceKey, mw.FormDataContentType(), &buf)
	if res.StatusCode != http.StatusAccepted {
		t.Fatalf("import: %d %s", res.StatusCode, raw)
	}
	loc := res.Header.Get("Location")
	for range 600 {
		_, raw := s.send(t, http.MethodGet, loc, aliceKey, "", nil)
		var job struct {
			State    string
			Revision int
		}
		json.Unmarshal(raw, &job)
		switch job.State {
		case "done":
			return job.Revision
		case "invalid", "failed":
			t.Fatalf("import job: %s", raw)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the import job did not finish")
	return 0
}

func dialWS(t *testing.T, ctx context.Context, s *server) *coderws.Conn {
	t.Helper()
	c, _, err := coderws.Dial(ctx, "ws"+strings.TrimPrefix(s.URL, "http")+"/graphql",
		&coderws.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// subscribe opens a graphql-transport-ws connection (with key in the init
// payload unless "") and starts one operation.
func subscribe(t *testing.T, ctx context.Context, s *server, key, query string) *coderws.Conn {
	t.Helper()
	c := dialWS(t, ctx, s)
	payload := map[string]any{}
	if key != "" {
		payload["Authorization"] = "Bearer " + key
	}
	init, _ := json.Marshal(map[string]any{"type": "connection_init", "payload": payload})
	if err := c.Write(ctx, coderws.MessageText, init); err != nil {
		t.Fatal(err)
	}
	if _, msg, err := c.Read(ctx); err != nil || !strings.Contains(string(msg), "connection_ack") {
		t.Fatalf("init: %s (%v)", msg, err)
	}
	sub, _ := json.Marshal(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": query}})
	if err := c.Write(ctx, coderws.MessageText, sub); err != nil {
		t.Fatal(err)
	}
	return c
}

// next reads the next change a subscription sends.
func next(t *testing.T, ctx context.Context, c *coderws.Conn) changeJSON {
	t.Helper()
	for {
		_, msg, err := c.Read(ctx)
		if err != nil {
			t.Fatalf("reading the subscription: %v", err)
		}
		var m struct {
			Type    string
			Payload struct {
				Data   struct{ Changes changeJSON }
				Errors []gqlError
			}
		}
		if err := json.Unmarshal(msg, &m); err != nil {
			t.Fatal(err)
		}
		switch m.Type {
		case "next":
			if len(m.Payload.Errors) > 0 {
				t.Fatalf("subscription error: %+v", m.Payload.Errors)
			}
			return m.Payload.Data.Changes
		case "ping", "pong", "ka":
			continue
		default:
			t.Fatalf("subscription message: %s", msg)
		}
	}
}

// TestHistoryAcrossProcesses runs two API servers over one Neo4j, as two
// processes behind a load balancer would be: a subscriber to one sees the
// changes written through the other, each once, in order.
func TestHistoryAcrossProcesses(t *testing.T) {
	if _, ok := nornic.Binary(); !ok {
		newNeo4jServer(t) // skips, or fails under VJKG_REQUIRE_NEO4J
	}
	db := nornic.Start(t, nornic.Options{})
	if err := nornic.AddLookupIndexes(context.Background(), db.URI()); err != nil {
		t.Fatal(err)
	}
	servers := make([]*server, 2)
	for i := range servers {
		store, err := neo4j.Open(neo4j.Config{URI: db.URI(), Logger: quietLog, PathSearch: neo4j.PathsCypherUnfiltered})
		if err != nil {
			t.Fatal(err)
		}
		<-store.Ready()
		servers[i] = serve(t, store, withAlice, fastFeed)
	}
	a, b := servers[0], servers[1]
	var head struct{ Changes struct{ Nodes []changeJSON } }
	a.query(t, `{ changes(newestFirst: true, first: 1) { nodes { position } } }`, nil, &head)
	start := head.Changes.Nodes[0].Position
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	live := subscribe(t, ctx, a, "", fmt.Sprintf(`subscription { changes(since: %d) { %s } }`, start, changeFields))
	for i, name := range []string{"Tokyo One", "Tokyo Two", "Tokyo Three"} {
		w := []*server{b, a, b}[i] // written through either process
		decode(t, w.post(t, aliceKey, fmt.Sprintf(`mutation { updateEntity(id: "locality:fukuoka", input: {aliases: [%q]}) { id } }`, name), nil), &struct{}{})
	}
	last := start
	for i := range 3 {
		c := next(t, ctx, live)
		if c.RecordID != "locality:fukuoka" || c.Position != last+1 || c.Revision.Actor != "alice" {
			t.Errorf("change %d through the other process: %s at %d by %s (after %d)", i, c.RecordID, c.Position, c.Revision.Actor, last)
		}
		last = c.Position
	}
	live.Close(coderws.StatusNormalClosure, "")
}
