package explorer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/vjkg/vjkg/explorer"
)

const (
	kanagawa   = "locality:kanagawa"
	vietnamHub = "locality:vietnam"
	japan      = "locality:japan"
	exchange   = "event:vinh-phuc-kanagawa-exchange"
	// An office the sources report on 2021-11-26, without validity dates.
	reportedOffice = "rel:HOLDS_OFFICE:official:hoang-thi-thuy-lan->locality:vinh-phuc#party-secretary"
	// Vĩnh Phúc was part of Việt Nam until its merger on 2025-07-01.
	mergedPartOf = "rel:PART_OF:locality:vinh-phuc->locality:vietnam"
)

// shownPath is a ranked path as the panel and the network show it.
type shownPath struct {
	Score float64
	Nodes []string
}

// listedPaths reads the ranked paths the explorer holds, in panel order.
const listedPaths = `explorer.app.paths.map(p => ({score: p.score, nodes: p.nodes.map(n => n.id)}))`

// TestExplorerRankedPaths: the path panel lists the ranked paths with their
// scores, most specific first; the network highlights the chosen one; the
// analyst can choose another, keep the paths off hubs, and avoid an entity.
// From Vĩnh Phúc to Kanagawa every shortest path runs through a country; off
// the hubs, the telling path runs through the two officials and the
// exchange they took part in.
func TestExplorerRankedPaths(t *testing.T) {
	ts := newServer(t)
	ctx := browser(t, 2*testTimeout)
	problems := watch(ctx)
	run(ctx, t, "open Vĩnh Phúc with the paths to Kanagawa",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(ts.URL+explorer.Prefix+"?id="+vinhPhuc+"&to="+kanagawa),
		settled(`document.querySelector("#path .path-item") !== null`),
	)
	paths := eval[[]shownPath](ctx, t, listedPaths)
	if len(paths) < 3 {
		t.Fatalf("ranked paths: %v, want at least 3", paths)
	}
	for i := 1; i < len(paths); i++ {
		if paths[i].Score > paths[i-1].Score {
			t.Errorf("path %d scores %v, more than path %d's %v: not ranked", i+1, paths[i].Score, i, paths[i-1].Score)
		}
	}
	// Each path's score is written beside it, as the API gave it.
	scores := eval[[]string](ctx, t, `[...document.querySelectorAll("#path .path-item .path-score")].map(e => e.textContent)`)
	if len(scores) != len(paths) {
		t.Errorf("%d scores shown for %d paths", len(scores), len(paths))
	}
	for i := range min(len(scores), len(paths)) {
		if want := strconv.FormatFloat(paths[i].Score, 'g', 3, 64); scores[i] != want {
			t.Errorf("path %d: score shown %q, want %s", i+1, scores[i], want)
		}
	}
	checkHighlighted(ctx, t, paths[0], 1)

	run(ctx, t, "choose the second path",
		chromedp.Click(chromedp.CSS(`#path .path-item[data-rank="2"] .path-choose`)),
		settled(`document.querySelector('#path .path-item[data-rank="2"]').classList.contains("chosen")`),
	)
	checkHighlighted(ctx, t, paths[1], 2)
	if got := urlParam(ctx, t, "path"); got != "1" {
		t.Errorf("URL path = %q, want 1 (the second path)", got)
	}

	run(ctx, t, "avoid hubs with more than 30 relationships",
		setValue("path-hubs", "30", "change"),
		settled(`new URLSearchParams(location.search).get("maxDegree") === "30" && document.querySelector("#path .path-item") !== null`),
	)
	offHubs := eval[[]shownPath](ctx, t, listedPaths)
	if len(offHubs) == 0 {
		t.Fatal("no path off the hubs")
	}
	for _, p := range offHubs {
		if slices.Contains(p.Nodes, vietnamHub) || slices.Contains(p.Nodes, japan) || !slices.Contains(p.Nodes, exchange) {
			t.Errorf("a path off the hubs %v passes through a country, or not through the exchange", p.Nodes)
		}
		if p.Score <= paths[0].Score {
			t.Errorf("the path off the hubs scores %v, not more than the best through a hub (%v)", p.Score, paths[0].Score)
		}
	}
	checkHighlighted(ctx, t, offHubs[0], 1)

	run(ctx, t, "avoid the exchange",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#path .path-item.chosen .path-avoid[data-id=%q]`, exchange))),
		settled(fmt.Sprintf(`document.querySelector('#path .chip[data-avoid=%q]') !== null`, exchange)),
	)
	if got := eval[[]shownPath](ctx, t, listedPaths); len(got) != 0 {
		t.Errorf("paths off the hubs and the exchange: %v, want none", got)
	}
	if got := text(ctx, t, "#path .chip"); !strings.Contains(got, "Vĩnh Phúc") && !strings.Contains(got, "Kanagawa") {
		t.Errorf("the avoided entity is shown as %q, want its name", got)
	}
	if got := urlParam(ctx, t, "avoid"); got != exchange {
		t.Errorf("URL avoid = %q, want %s", got, exchange)
	}
	if got := eval[int](ctx, t, `cy.$(".on-path").length`); got != 0 {
		t.Errorf("%d elements highlighted with no path", got)
	}

	run(ctx, t, "stop avoiding it",
		chromedp.Click(chromedp.CSS(`#path .chip button`)),
		settled(`document.querySelector("#path .chip") === null && document.querySelector("#path .path-item") !== null`),
	)
	if got := eval[[]shownPath](ctx, t, listedPaths); len(got) != len(offHubs) {
		t.Errorf("after the avoided entity is let go: %d paths, want %d", len(got), len(offHubs))
	}
	problems.check(t)
}

// checkHighlighted checks that the network highlights exactly the chosen
// path (its entities and as many relationships) and the panel marks it.
func checkHighlighted(ctx context.Context, t *testing.T, p shownPath, rank int) {
	t.Helper()
	nodes := eval[[]string](ctx, t, `cy.nodes(".on-path").map(n => n.id()).sort()`)
	edges := eval[int](ctx, t, `cy.edges(".on-path").length`)
	want := slices.Sorted(slices.Values(p.Nodes))
	if !slices.Equal(nodes, want) || edges != len(p.Nodes)-1 {
		t.Errorf("the network highlights %v and %d relationships, want the chosen path %v", nodes, edges, p.Nodes)
	}
	if got := eval[[]string](ctx, t, `[...document.querySelectorAll("#path .path-item.chosen")].map(e => e.dataset.rank)`); !slices.Equal(got, []string{fmt.Sprint(rank)}) {
		t.Errorf("the panel marks paths %v as chosen, want %d", got, rank)
	}
}

func urlParam(ctx context.Context, t *testing.T, name string) string {
	t.Helper()
	return eval[string](ctx, t, fmt.Sprintf(`new URLSearchParams(location.search).get(%q) ?? ""`, name))
}

// TestExplorerTimeStatus: on the day the time bar shows, the details card
// of a relationship says whether its dates confirm the day (HOLDS), leave
// it open (UNKNOWN: an office known only from a report on another day) or
// rule it out (OUTSIDE), with the days it is reported on; the UNKNOWN
// relationships are drawn dotted, as the legend says. The drawing works the
// status out in the page; it must agree with the API's on every edge.
func TestExplorerTimeStatus(t *testing.T) {
	ts := newServer(t)
	ctx := browser(t, 2*testTimeout)
	problems := watch(ctx)
	open := func(day, sel string) {
		t.Helper()
		run(ctx, t, "open Vĩnh Phúc as of "+day,
			chromedp.EmulateViewport(1280, 900),
			chromedp.Navigate(ts.URL+explorer.Prefix+"?id="+vinhPhuc+"&depth=2&asOf="+day+"&sel="+url.QueryEscape(sel)),
			settled(`document.querySelector("#card [data-status]") !== null`),
		)
	}
	cardStatus := func() string {
		return eval[string](ctx, t, `document.querySelector("#card [data-status]")?.dataset.status ?? ""`)
	}
	dotted := func(id string) bool {
		return eval[bool](ctx, t, fmt.Sprintf(`(e => e.hasClass("time-unknown") && e.style("line-style") === "dotted")(cy.getElementById(%q))`, id))
	}

	open("2024-01-01", reportedOffice)
	if got := cardStatus(); got != "UNKNOWN" {
		t.Errorf("the office reported on 2021-11-26, on 2024-01-01: card says %q, want UNKNOWN", got)
	}
	if got := text(ctx, t, "#card .props"); !strings.Contains(got, "Reported on2021-11-26") || !strings.Contains(got, "On 2024-01-01") {
		t.Errorf("the card's properties %q lack the report date or the day", got)
	}
	if !dotted(reportedOffice) {
		t.Error("the UNKNOWN office is not drawn dotted")
	}
	if got := text(ctx, t, "#legend .marks"); !strings.Contains(got, "dotted: not known to hold that day") {
		t.Errorf("the legend's marks %q do not explain the dotted lines", got)
	}
	agree(ctx, t, ts.URL, "2024-01-01")

	run(ctx, t, "move the time bar to the report's day",
		setValue("as-of", "2021-11-26", "input"),
		settled(`new URLSearchParams(location.search).get("asOf") === "2021-11-26" && document.querySelector('#card [data-status="HOLDS"]') !== null`),
	)
	if dotted(reportedOffice) {
		t.Error("on the day of its report the office is still drawn dotted")
	}
	agree(ctx, t, ts.URL, "2021-11-26")

	open("2026-01-01", mergedPartOf)
	if got := cardStatus(); got != "OUTSIDE" {
		t.Errorf("Vĩnh Phúc part of Việt Nam after its merger: card says %q, want OUTSIDE", got)
	}
	agree(ctx, t, ts.URL, "2026-01-01")
	problems.check(t)
}

// agree checks the status the page works out for each drawn relationship
// on day against the API's status(on: day).
func agree(ctx context.Context, t *testing.T, base, day string) {
	t.Helper()
	page, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](fmt.Sprintf(`(async () => {
		const {statusOn} = await import("./time.js");
		return Object.fromEntries(cy.edges().filter(e => e.data("type") !== "COLLAPSED").map(e => [e.id(), statusOn(e.data(), %q)]));
	})()`, day), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if len(page) < 5 {
		t.Fatalf("only %d relationships drawn", len(page))
	}
	ids := slices.Sorted(maps.Keys(page))
	seen := map[string]bool{}
	for chunk := range slices.Chunk(ids, 100) { // nodes(ids:) takes 100 at a time
		body, _ := json.Marshal(map[string]any{
			"query":     `query($ids: [ID!]!, $day: Date) { nodes(ids: $ids) { id ... on Relationship { status(on: $day) } } }`,
			"variables": map[string]any{"ids": chunk, "day": day},
		})
		res, err := http.Post(base+"/graphql", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var out struct {
			Data struct{ Nodes []struct{ ID, Status string } }
		}
		err = json.NewDecoder(res.Body).Decode(&out)
		res.Body.Close()
		if err != nil || len(out.Data.Nodes) != len(chunk) {
			t.Fatalf("the API's statuses: %v, %d for %d ids", err, len(out.Data.Nodes), len(chunk))
		}
		for _, n := range out.Data.Nodes {
			seen[n.Status] = true
			if page[n.ID] != n.Status {
				t.Errorf("%s on %s: the page draws it as %q, the API says %q", n.ID, day, page[n.ID], n.Status)
			}
		}
	}
	if !seen["UNKNOWN"] {
		t.Errorf("on %s no drawn relationship is UNKNOWN: the comparison tells little", day)
	}
}
