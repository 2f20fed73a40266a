package explorer_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/vjkg/vjkg/explorer"
)

const article = "source:thoidai-2021-vn-jp-localities"

// markedRanges reads the source view's text as the page shows it: the
// code-point ranges inside marks, merged, and the records each mark links
// to, so that the test can hold them against the API's offsets.
const markedRanges = `(() => {
	let at = 0;
	const ranges = [], records = new Set();
	for (const n of document.querySelector("#source-view .source-text").childNodes) {
		const len = Array.from(n.textContent).length;
		if (n.nodeType === 1 && n.matches("mark.passage")) {
			const last = ranges[ranges.length - 1];
			if (last && last[1] === at) last[1] = at + len; else ranges.push([at, at + len]);
			n.dataset.records.split(" ").forEach(r => records.add(r));
		}
		at += len;
	}
	return {ranges, records: [...records].sort(), length: at};
})()`

type sourcePage struct {
	Source struct {
		Text      string
		Citations struct {
			PageInfo struct {
				HasNextPage bool
				EndCursor   string
			}
			Edges []struct {
				Entity       *struct{ ID string }
				Relationship *struct{ ID string }
				Quotes       []struct{ Start, End int }
			}
		}
	}
}

// wantRanges asks the API for every quote's offsets in the source and
// returns them merged, with the ids of the citing records.
func wantRanges(t *testing.T, ts *httptest.Server, id string) (text string, ranges [][2]int, records []string) {
	t.Helper()
	var spans [][2]int
	after := ""
	for {
		var page sourcePage
		post(t, ts, `query($id: ID!, $after: String) { source(id: $id) { text citations(first: 100, after: $after) {
			pageInfo { hasNextPage endCursor } edges { entity { id } relationship { id } quotes { start end } } } } }`,
			map[string]any{"id": id, "after": after}, &page)
		text = page.Source.Text
		for _, e := range page.Source.Citations.Edges {
			if e.Entity != nil {
				records = append(records, e.Entity.ID)
			} else {
				records = append(records, e.Relationship.ID)
			}
			for _, q := range e.Quotes {
				spans = append(spans, [2]int{q.Start, q.End})
			}
		}
		if !page.Source.Citations.PageInfo.HasNextPage {
			break
		}
		after = page.Source.Citations.PageInfo.EndCursor
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	for _, s := range spans {
		if n := len(ranges); n > 0 && s[0] <= ranges[n-1][1] {
			ranges[n-1][1] = max(ranges[n-1][1], s[1])
		} else {
			ranges = append(ranges, s)
		}
	}
	slices.Sort(records)
	return text, ranges, slices.Compact(records)
}

func post(t *testing.T, ts *httptest.Server, query string, vars map[string]any, out any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	res, err := http.Post(ts.URL+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var r struct {
		Data   json.RawMessage
		Errors []struct{ Message string }
	}
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil || len(r.Errors) > 0 {
		t.Fatalf("%s: %v %v", query, err, r.Errors)
	}
	if err := json.Unmarshal(r.Data, out); err != nil {
		t.Fatal(err)
	}
}

// TestExplorerSource reads an article in the source view: every passage a
// citation quotes is marked where the API's offsets say, each mark linked
// to what it supports (a click selects it in the network, opening it when
// it is not drawn); from an entity's card, "Passages about this" opens on
// its first passage and steps through the others; a source whose text the
// graph does not hold lists its citations.
func TestExplorerSource(t *testing.T) {
	ts := newServer(t)
	ctx := browser(t, 2*testTimeout)
	problems := watch(ctx)
	wantText, want, wantRecords := wantRanges(t, ts, article)
	if len(want) < 10 {
		t.Fatalf("the article has %d quoted passages; the seed cites it more", len(want))
	}

	run(ctx, t, "open Fukuoka and the list of sources",
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(ts.URL+explorer.Prefix+"?id="+fukuoka),
		settled(shown(agreement)),
		chromedp.Click(chromedp.ID("sources-open")),
	)
	run(ctx, t, "wait for the list",
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#source-view [data-source-open=%q]`, article))),
	)
	run(ctx, t, "open the article",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#source-view [data-source-open=%q]`, article))),
		settled(`document.querySelector("#source-view .source-text mark.passage") !== null`),
	)
	type marked struct {
		Ranges  [][2]int
		Records []string
		Length  int
	}
	got := eval[marked](ctx, t, markedRanges)
	if got.Length != len([]rune(wantText)) {
		t.Errorf("the view shows %d code points of text, the source holds %d", got.Length, len([]rune(wantText)))
	}
	if !slices.Equal(got.Ranges, want) {
		t.Errorf("marked ranges differ from the quotes' offsets:\n got  %v\n want %v", got.Ranges, want)
	}
	if !slices.Equal(got.Records, wantRecords) {
		t.Errorf("the marks link %d records, the API lists %d citing the source:\n got  %q\n want %q", len(got.Records), len(wantRecords), got.Records, wantRecords)
	}

	// A mark whose record is not drawn: clicking it opens its entity and
	// selects it.
	far := eval[string](ctx, t, `[...document.querySelectorAll("#source-view mark.passage")].map(m => m.dataset.records.split(" ")[0]).find(id => !id.startsWith("rel:") && cy.getElementById(id).empty()) || ""`)
	if far == "" {
		t.Fatal("every entity the article supports is drawn around Fukuoka")
	}
	run(ctx, t, "click the passage of "+far,
		js(fmt.Sprintf(`[...document.querySelectorAll("#source-view mark.passage")].find(m => m.dataset.records.split(" ")[0] === %q).click()`, far)),
		settled(fmt.Sprintf(`cy.getElementById(%q).selected()`, far)),
	)
	// A relationship's mark whose relationship is drawn selects the edge.
	rel := eval[string](ctx, t, `[...document.querySelectorAll("#source-view mark.passage")].map(m => m.dataset.records.split(" ")[0]).find(id => id.startsWith("rel:") && cy.getElementById(id).nonempty()) || ""`)
	if rel == "" {
		t.Fatalf("no relationship around %s is marked in the article", far)
	}
	run(ctx, t, "click the passage of "+rel,
		js(fmt.Sprintf(`[...document.querySelectorAll("#source-view mark.passage")].find(m => m.dataset.records.split(" ")[0] === %q).click()`, rel)),
		settled(fmt.Sprintf(`cy.getElementById(%q).selected() && document.querySelector('#card[data-id=%q]') !== null`, rel, rel)),
	)

	// From Hà Nội's card to the passages about it, and through them.
	run(ctx, t, "open Hà Nội's passages",
		chromedp.Click(chromedp.CSS("#source-view .card-close")),
		chromedp.Navigate(ts.URL+explorer.Prefix+"?id="+haNoi),
		settled(shown(haNoi)),
		clickNode(haNoi),
		chromedp.WaitVisible(chromedp.CSS(`#card button[data-action="passages"]`)),
		chromedp.Click(chromedp.CSS(`#card button[data-action="passages"]`)),
		settled(`document.querySelector("#source-view .passage-count") !== null && document.querySelector("#source-view mark.current") !== null`),
	)
	count := text(ctx, t, "#source-view .passage-count")
	var total int
	if _, err := fmt.Sscanf(count, "Passage 1 of %d about", &total); err != nil || total < 2 {
		t.Fatalf("the passage count reads %q; want passage 1 of several", count)
	}
	about := `[...document.querySelectorAll("#source-view mark.current")].every(m => m.dataset.records.split(" ").some(id => id === %[1]q || (id.startsWith("rel:") && (id.includes(":" + %[1]q + "->") || id.endsWith("->" + %[1]q) || id.includes("->" + %[1]q + "#")))))`
	if !eval[bool](ctx, t, fmt.Sprintf(about, haNoi)) {
		t.Errorf("the first passage about Hà Nội supports nothing about it: %q", text(ctx, t, "#source-view mark.current"))
	}
	first := eval[string](ctx, t, `document.getElementById("source-view").dataset.current`)
	if !eval[bool](ctx, t, `document.getElementById("passage-prev").disabled`) {
		t.Error("Previous is enabled on the first passage")
	}
	run(ctx, t, "next passage",
		chromedp.Click(chromedp.ID("passage-next")),
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.getElementById("source-view").dataset.current !== %q`, first)),
	)
	if c := text(ctx, t, "#source-view .passage-count"); !strings.HasPrefix(c, "Passage 2 of") {
		t.Errorf("after Next the count reads %q", c)
	}
	if !eval[bool](ctx, t, fmt.Sprintf(about, haNoi)) {
		t.Errorf("the second passage about Hà Nội supports nothing about it: %q", text(ctx, t, "#source-view mark.current"))
	}
	run(ctx, t, "previous passage",
		chromedp.Click(chromedp.ID("passage-prev")),
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.getElementById("source-view").dataset.current === %q`, first)),
	)
	if bad := eval[[]string](ctx, t, textContrast); len(bad) > 0 {
		t.Errorf("text below WCAG AA contrast with the source view open:\n%s", strings.Join(bad, "\n"))
	}

	// A reference source: no text, its citations listed, each linked.
	run(ctx, t, "open a reference source",
		chromedp.Click(chromedp.ID("sources-open")),
		chromedp.WaitVisible(chromedp.CSS(`#source-view [data-source-open="source:iso-3166-2-jp"]`)),
		chromedp.Click(chromedp.CSS(`#source-view [data-source-open="source:iso-3166-2-jp"]`)),
		settled(`document.querySelector("#source-view .source-citations li button.record-link") !== null`),
	)
	if eval[bool](ctx, t, `document.querySelector("#source-view .source-text") !== null`) {
		t.Error("a source without text shows a text")
	}
	// A citation in the details card opens its source on the passage.
	run(ctx, t, "read a citation in its source",
		chromedp.Click(chromedp.CSS("#source-view .card-close")),
		chromedp.Navigate(ts.URL+explorer.Prefix+"?id="+fukuoka+"&sel="+agreement),
		settled(`document.querySelector("#card .citations .source-read") !== null`),
		chromedp.Click(chromedp.CSS("#card .citations .source-read")),
		settled(`document.querySelector("#source-view mark.current") !== null`),
	)
	want0 := eval[string](ctx, t, `document.querySelector("#card .citations .source-read").dataset.quote`)
	if got := text(ctx, t, "#source-view mark.current"); got == "" || !strings.Contains(want0, got) {
		t.Errorf("the current passage reads %q; the citation quotes %q", got, want0)
	}
	problems.check(t)
}
