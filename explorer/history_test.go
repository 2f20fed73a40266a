package explorer_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/vjkg/vjkg/api"
	"github.com/vjkg/vjkg/explorer"
)

// editorKey is alice's API key on the history tests' server: the tests
// write with it; the page, which holds no key, only reads.
const editorKey = "alice-key-0123456789abcdef"

// withEditor gives the server an API key named alice and a change feed
// that polls every 20 ms, so that live changes arrive quickly.
func withEditor(c *api.Config) {
	c.APIKeys = []string{"alice:" + editorKey}
	c.GraphQL.HistoryPoll = 20 * time.Millisecond
}

// mutate sends a mutation with alice's key and fails the test on any error.
func mutate(t *testing.T, ts *httptest.Server, query string, vars map[string]any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+editorKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var r struct{ Errors []struct{ Message string } }
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil || len(r.Errors) > 0 || res.StatusCode != http.StatusOK {
		t.Fatalf("%s: %s %v %v", query, res.Status, err, r.Errors)
	}
}

const updateEntity = `mutation($id: ID!, $input: UpdateEntityInput!, $m: String) { updateEntity(id: $id, input: $input, message: $m) { id } }`

// lastPosition is the position of the newest change in the graph.
func lastPosition(t *testing.T, ts *httptest.Server) int {
	t.Helper()
	var head struct {
		Changes struct{ Nodes []struct{ Position int } }
	}
	post(t, ts, `{ changes(newestFirst: true, first: 1) { nodes { position } } }`, nil, &head)
	if len(head.Changes.Nodes) != 1 {
		t.Fatal("the graph has no change")
	}
	return head.Changes.Nodes[0].Position
}

// liveItems is a JavaScript expression: the positions the live list shows,
// in its order.
const liveItems = `[...document.querySelectorAll("#live .live-change")].map(li => Number(li.dataset.position))`

// TestExplorerHistory: an entity's card lists its history (the seed's
// creation; then an update made through the API, with its field before and
// after, its actor and message); the live feed, turned on, lists a change
// made after, the network shows a renamed entity, gains a new relationship
// and loses a deleted one without a reload; after the WebSocket is closed, a change
// made while it was down arrives once the feed has reconnected, exactly
// once; the card's history pages with More.
func TestExplorerHistory(t *testing.T) {
	ts := newServer(t, withEditor)
	ctx := browser(t, 2*testTimeout)
	problems := watch(ctx)

	run(ctx, t, "open Fukuoka's card",
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(ts.URL+explorer.Prefix+"?id="+fukuoka+"&sel="+fukuoka),
		settled(`document.querySelector("#card .history .change") !== null`),
	)
	first := `#card .history .change:first-child`
	if got := eval[string](ctx, t, `document.querySelector("#card .history .change").dataset.operation`); got != "CREATE" {
		t.Errorf("Fukuoka's newest change is %s, want the seed's CREATE", got)
	}
	if got := text(ctx, t, first); !strings.Contains(got, "by seed") || !strings.Contains(got, "revision 1") || !strings.Contains(got, "Fukuoka") {
		t.Errorf("the seed's change reads %q; want it by seed, in revision 1, naming Fukuoka", got)
	}
	if n := eval[int](ctx, t, `document.querySelectorAll("#card .history .change").length`); n != 1 {
		t.Errorf("Fukuoka's history lists %d changes, want the seed's one", n)
	}

	// The live feed, from now on.
	run(ctx, t, "turn the live feed on",
		chromedp.Click(chromedp.ID("live-toggle")),
		chromedp.Poll[chromedp.Void](`explorer.live.state === "live" && document.getElementById("live-toggle").getAttribute("aria-pressed") === "true" && new URLSearchParams(location.search).get("live") === "1"`),
	)
	before := eval[[]int](ctx, t, liveItems)
	if len(before) == 0 || before[0] != lastPosition(t, ts) {
		t.Errorf("the live list starts with positions %v; want the latest change, %d, first", before, lastPosition(t, ts))
	}

	// An update through the API: the live list receives it, and the open
	// card's history shows it, with the field before and after.
	const desc = "A prefecture in Kyūshū, partner of Hà Nội."
	mutate(t, ts, updateEntity, map[string]any{"id": fukuoka, "input": map[string]any{"description": desc}, "m": "describe Fukuoka"})
	pos := lastPosition(t, ts)
	run(ctx, t, "the update arrives",
		settled(fmt.Sprintf(`document.querySelector('#live .live-change[data-position="%d"]') !== null && document.querySelectorAll("#card .history .change").length === 2`, pos)),
	)
	if got := text(ctx, t, fmt.Sprintf(`#live .live-change[data-position="%d"]`, pos)); !strings.Contains(got, "Fukuoka") || !strings.Contains(got, "alice") || !strings.Contains(got, "describe Fukuoka") {
		t.Errorf("the live list's item reads %q; want Fukuoka, alice and the message", got)
	}
	upd := first
	if got := eval[string](ctx, t, `document.querySelector("#card .history .change").dataset.operation`); got != "UPDATE" {
		t.Errorf("Fukuoka's newest change is %s, want UPDATE", got)
	}
	head := text(ctx, t, upd+" .change-head")
	rev := text(ctx, t, upd+" .change-rev")
	if !strings.Contains(head, "by alice") || !strings.Contains(rev, "describe Fukuoka") || !strings.HasPrefix(rev, "revision ") {
		t.Errorf("the update reads %q / %q; want it by alice, its revision and the message", head, rev)
	}
	if got := eval[[]string](ctx, t, `[...document.querySelectorAll("#card .history .change:first-child .change-fields dt")].map(e => e.textContent)`); !slices.Equal(got, []string{"description"}) {
		t.Errorf("the update lists the fields %q, want description", got)
	}
	// The seed's description is long: cut, with a button to show it whole.
	field := upd + ` dd[data-field="description"]`
	if got := text(ctx, t, field+" .after"); got != desc {
		t.Errorf("the description after reads %q, want %q", got, desc)
	}
	var seedDesc struct {
		Changes struct {
			Nodes []struct{ Before struct{ Description string } }
		}
	}
	post(t, ts, fmt.Sprintf(`{ changes(since: %d, first: 1) { nodes { before } } }`, pos-1), nil, &seedDesc)
	old := seedDesc.Changes.Nodes[0].Before.Description
	if len([]rune(old)) <= 80 {
		t.Fatalf("the seed's description of Fukuoka is %d characters; the test wants a long one", len([]rune(old)))
	}
	run(ctx, t, "show the old description whole",
		chromedp.Click(chromedp.CSS(field+" .before .value-more")),
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).getAttribute("aria-expanded") === "true"`, field+" .before .value-more")),
	)
	if got := text(ctx, t, field+" .before .value-text"); got != old {
		t.Errorf("the description before reads %q, want %q", got, old)
	}
	if bad := eval[[]string](ctx, t, textContrast); len(bad) > 0 {
		t.Errorf("text below WCAG AA contrast with the history and the live list shown:\n%s", strings.Join(bad, "\n"))
	}
	if dir := os.Getenv("VJKG_SCREENSHOT_DIR"); dir != "" {
		screenshot(ctx, t, dir+"/explorer-history.png")
	}

	// A drawn entity renamed, a drawn relationship deleted: the network
	// follows without a reload.
	const renamed = "Biên bản ghi nhớ Fukuoka – Hà Nội (đổi tên)"
	mutate(t, ts, updateEntity, map[string]any{"id": agreement, "input": map[string]any{"name": renamed}, "m": "rename"})
	run(ctx, t, "the renamed agreement",
		settled(fmt.Sprintf(`cy.getElementById(%q).data("name") === %q && cy.getElementById(%q).style("label").includes(%q)`, agreement, renamed, agreement, renamed)),
	)
	// A new relationship between the open entity and a drawn one appears.
	const kitakyushu = "locality:kitakyushu"
	if !eval[bool](ctx, t, fmt.Sprintf(`cy.getElementById(%q).nonempty() && cy.edges('[type = "BORDERS"]').empty()`, kitakyushu)) {
		t.Fatalf("the view around Fukuoka lacks %s, or already has a BORDERS relationship", kitakyushu)
	}
	mutate(t, ts, `mutation($input: CreateRelationshipInput!) { createRelationship(input: $input, message: "they border") { id } }`,
		map[string]any{"input": map[string]any{"type": "BORDERS", "from": fukuoka, "to": kitakyushu,
			"sources": []map[string]any{{"source": "source:iso-3166-2-jp", "quote": "JP-40 Fukuoka"}}}})
	run(ctx, t, "the new relationship appears",
		settled(fmt.Sprintf(`cy.edges('[type = "BORDERS"]').some(e => e.source().id() === %q && e.target().id() === %q)`, fukuoka, kitakyushu)),
	)
	gone := eval[string](ctx, t, fmt.Sprintf(`cy.edges().map(e => e.id()).find(id => cy.getElementById(id).source().id() !== %[1]q && cy.getElementById(id).target().id() !== %[1]q) || ""`, agreement))
	if gone == "" {
		t.Fatal("no relationship around Fukuoka but the agreement's")
	}
	mutate(t, ts, `mutation($id: ID!) { deleteRelationship(id: $id, message: "wrong") { id } }`, map[string]any{"id": gone})
	run(ctx, t, "the deleted relationship goes",
		settled(fmt.Sprintf(`cy.getElementById(%q).empty()`, gone)),
	)

	// The connection drops; a change made while it is down arrives once
	// the feed has reconnected, from the position it had reached.
	connections := eval[int](ctx, t, `explorer.live.connections`)
	run(ctx, t, "drop the connection and hold it down",
		js(`explorer.live.drop({hold: true})`),
		chromedp.Poll[chromedp.Void](`explorer.live.state === "reconnecting" && explorer.live.ws === null`),
	)
	mutate(t, ts, updateEntity, map[string]any{"id": fukuoka, "input": map[string]any{"aliases": []string{"Fukuoka-ken", "福岡"}}, "m": "while away"})
	away := lastPosition(t, ts)
	if eval[bool](ctx, t, fmt.Sprintf(`document.querySelector('#live .live-change[data-position="%d"]') !== null`, away)) {
		t.Fatal("a change made while the feed was down is listed before it reconnected")
	}
	run(ctx, t, "reconnect",
		js(`explorer.live.reconnect()`),
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`explorer.live.connections > %d && document.querySelector('#live .live-change[data-position="%d"]') !== null`, connections, away)),
	)
	// One more change after it, so that a copy of the first, had the feed
	// sent one, would have arrived before it.
	mutate(t, ts, updateEntity, map[string]any{"id": fukuoka, "input": map[string]any{"aliases": []string{"Fukuoka-ken"}}, "m": "after"})
	after := lastPosition(t, ts)
	run(ctx, t, "the next change arrives",
		settled(fmt.Sprintf(`document.querySelector('#live .live-change[data-position="%d"]') !== null`, after)),
	)
	shown := eval[[]int](ctx, t, liveItems)
	count := 0
	for i, p := range shown {
		if p == away {
			count++
		}
		if i > 0 && p >= shown[i-1] {
			t.Errorf("the live list is not newest first without repeats: %v", shown)
			break
		}
	}
	if count != 1 {
		t.Errorf("the change made while down, %d, is listed %d times: %v", away, count, shown)
	}
	// What came over the WebSocket, before the page drops what it has
	// seen: resumed from the right position, the server sent nothing twice.
	received := eval[[]int](ctx, t, `explorer.live.received`)
	if !slices.IsSorted(received) || len(slices.Compact(slices.Clone(received))) != len(received) || !slices.Contains(received, away) {
		t.Errorf("the feed received %v; want each change once, in order, %d among them", received, away)
	}

	// Six changes now: the card shows five, and More the sixth, the seed's.
	mutate(t, ts, updateEntity, map[string]any{"id": fukuoka, "input": map[string]any{"description": "Fukuoka."}, "m": "shorter"})
	mutate(t, ts, updateEntity, map[string]any{"id": fukuoka, "input": map[string]any{"description": "Fukuoka, a prefecture."}, "m": "longer"})
	run(ctx, t, "the card follows",
		settled(`document.querySelectorAll("#card .history .change").length === 5 && !document.querySelector("#card .history-more").hidden`),
		chromedp.Click(chromedp.CSS("#card .history-more")),
		settled(`document.querySelectorAll("#card .history .change").length === 6`),
	)
	if got := eval[string](ctx, t, `[...document.querySelectorAll("#card .history .change")].pop().dataset.operation`); got != "CREATE" {
		t.Errorf("the oldest change is %s, want the seed's CREATE", got)
	}
	if !eval[bool](ctx, t, `document.querySelector("#card .history-more").hidden`) {
		t.Error("More is still offered after the last page")
	}

	// Clicking a change in the live list selects its record.
	run(ctx, t, "open a change from the live list",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#live .live-change[data-position="%d"] button`, pos))),
		settled(fmt.Sprintf(`cy.getElementById(%q).selected()`, fukuoka)),
	)

	// The URL keeps the feed on through a reload; turned off, it says so.
	run(ctx, t, "reload",
		chromedp.Reload(),
		chromedp.Poll[chromedp.Void](`explorer.live.state === "live" && document.getElementById("live-toggle").getAttribute("aria-pressed") === "true"`),
	)
	run(ctx, t, "turn the live feed off",
		chromedp.Click(chromedp.ID("live-toggle")),
		chromedp.Poll[chromedp.Void](`explorer.live.state === "off" && !new URLSearchParams(location.search).has("live")`),
	)
	problems.check(t)
}
