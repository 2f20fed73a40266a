package explorer_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/vjkg/vjkg/explorer"
)

type point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// positions reads every drawn node's position.
func positions(ctx context.Context, t *testing.T) map[string]point {
	t.Helper()
	return eval[map[string]point](ctx, t, `Object.fromEntries(cy.nodes().map(n => [n.id(), n.position()]))`)
}

// clickAt clicks where a JavaScript expression says, in page coordinates.
func clickAt(what, expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		at, err := chromedp.Evaluate[point](fmt.Sprintf(`(() => {
			const p = %s, r = cy.container().getBoundingClientRect();
			return {x: r.left + p.x, y: r.top + p.y};
		})()`, expr))(ctx, t)
		if err != nil {
			return fmt.Errorf("locate %s: %w", what, err)
		}
		_, err = chromedp.MouseClickXY(at.X, at.Y)(ctx, t)
		return err
	})
}

func js(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[any](expr+";\nnull")(ctx, t)
		return err
	})
}

// downloads lets the tab save files into dir, under their own names.
func downloads(dir string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir,
		})
		return err
	})
}

// waitFile waits for a finished download whose name ends with suffix and
// returns its path.
func waitFile(t *testing.T, dir, suffix string) string {
	t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), suffix) {
				return filepath.Join(dir, e.Name())
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no file *%s was downloaded into %s", suffix, dir)
	return ""
}

// TestExplorerAnalyst works as an analyst used to Bloom and Gephi Lite
// would: reads an edge's quotes away from the centre, expands without the
// picture moving, undoes and redoes, hides and collapses, moves through
// the network with the keyboard, exports exactly what is on screen, and
// saves the view by name.
func TestExplorerAnalyst(t *testing.T) {
	ts := newServer(t)
	ctx := browser(t, 3*testTimeout)
	problems := watch(ctx)
	dir := t.TempDir()

	run(ctx, t, "open Fukuoka and expand the agreement",
		chromedp.EmulateViewport(1280, 800),
		downloads(dir),
		chromedp.Navigate(ts.URL+explorer.Prefix+"?id="+fukuoka),
		settled(shown(agreement)),
		clickNode(agreement),
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`cy.getElementById(%q).selected()`, agreement)),
		chromedp.Click(chromedp.ID("expand")),
		settled(shown(haNoi)),
	)

	// Search replaces what the box held: the open entity's name is not in
	// it, and focusing it selects whatever is.
	run(ctx, t, "type a new search",
		chromedp.SendKeys(chromedp.ID("search"), "Ha Noi"),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#search-results button[data-id=%q]`, haNoi))),
	)
	if got := eval[string](ctx, t, `document.getElementById("search").value`); got != "Ha Noi" {
		t.Errorf("search box = %q, want Ha Noi", got)
	}
	run(ctx, t, "leave the search", js(`document.getElementById("search").value = ""; document.getElementById("search").dispatchEvent(new Event("input"))`),
		chromedp.KeyEvent(kb.Escape))

	// A details card on a relationship away from the centre, with its
	// quote; the view stays as it is.
	edge := eval[string](ctx, t, fmt.Sprintf(`cy.edges().filter(e => e.source().id() !== %q && e.target().id() !== %q && !e.hasClass("time-hidden")).map(e => e.id()).sort()[0]`, fukuoka, fukuoka))
	if edge == "" {
		t.Fatal("no relationship away from Fukuoka is drawn")
	}
	before := positions(ctx, t)
	run(ctx, t, "open the card of "+edge,
		chromedp.Click(chromedp.ID("legend-toggle")),
		chromedp.Click(chromedp.CSS("#card .card-close")),
		clickAt(edge, fmt.Sprintf(`cy.getElementById(%q).renderedMidpoint()`, edge)),
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.querySelector('#card[data-id=%q] .citations q') !== null`, edge), chromedp.WithPollingTimeout(stepTimeout)),
	)
	card := text(ctx, t, "#card")
	quoteText := text(ctx, t, "#card .citations q")
	if quoteText == "" || !strings.Contains(card, "Sources") || !strings.Contains(card, "From") {
		t.Errorf("the card of %s lacks its quote or ends; it reads:\n%s", edge, card)
	}
	if after := positions(ctx, t); len(after) != len(before) || moved(before, after) != "" {
		t.Errorf("opening a card changed the view: %d nodes before, %d after; %s", len(before), len(after), moved(before, after))
	}

	// Expanding keeps every position; new nodes start beside their neighbour.
	before = positions(ctx, t)
	run(ctx, t, "expand Hà Nội",
		js(fmt.Sprintf(`cy.$(":selected").unselect(); cy.getElementById(%q).select()`, haNoi)),
		chromedp.Click(chromedp.ID("expand")),
		settled(fmt.Sprintf(`cy.nodes().length > %d`, len(before))),
	)
	after := positions(ctx, t)
	if m := moved(before, after); m != "" {
		t.Errorf("expanding moved nodes that were drawn: %s", m)
	}
	hanoi := after[haNoi]
	for id, p := range after {
		if _, old := before[id]; !old && math.Hypot(p.X-hanoi.X, p.Y-hanoi.Y) > 600 {
			t.Errorf("new node %s is %.0f px from Hà Nội, which brought it in", id, math.Hypot(p.X-hanoi.X, p.Y-hanoi.Y))
		}
	}

	// Undo returns to the view before the expansion, positions included;
	// Redo (Ctrl+Shift+Z) and Back step the same way.
	run(ctx, t, "undo",
		chromedp.Click(chromedp.ID("undo")),
		settled(fmt.Sprintf(`cy.nodes().length === %d`, len(before))),
	)
	if m := moved(before, positions(ctx, t)); m != "" {
		t.Errorf("after undo: %s", m)
	}
	run(ctx, t, "redo",
		js(`document.activeElement.blur()`),
		chromedp.KeyEvent("z", chromedp.KeyModifiers(chromedp.ModifierCtrl, chromedp.ModifierShift)),
		settled(fmt.Sprintf(`cy.nodes().length === %d`, len(after))),
	)
	run(ctx, t, "back",
		js(`history.back()`),
		settled(fmt.Sprintf(`cy.nodes().length === %d`, len(before))),
	)
	run(ctx, t, "forward",
		js(`history.forward()`),
		settled(fmt.Sprintf(`cy.nodes().length === %d`, len(after))),
	)

	// Hide a node and undo it with Ctrl+Z.
	leaf := eval[string](ctx, t, fmt.Sprintf(`cy.nodes().filter(n => n.degree() === 1 && n.id() !== %q).map(n => n.id()).sort()[0]`, fukuoka))
	run(ctx, t, "hide "+leaf,
		js(fmt.Sprintf(`cy.$(":selected").unselect(); cy.getElementById(%q).select()`, leaf)),
		chromedp.Click(chromedp.ID("hide")),
		settled(fmt.Sprintf(`cy.getElementById(%q).empty() && !document.getElementById("show-hidden").hidden`, leaf)),
		js(`document.activeElement.blur()`),
		chromedp.KeyEvent("z", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		settled(fmt.Sprintf(`cy.getElementById(%q).nonempty()`, leaf)),
	)

	// Keyboard: focus the network, move with the arrows, open a card with
	// Enter, step onto a relationship with ].
	run(ctx, t, "focus the network", chromedp.Focus(chromedp.ID("graph")), chromedp.Poll[chromedp.Void](`cy.$(".kbd-focus").length === 1`))
	first := eval[string](ctx, t, `cy.$(".kbd-focus").id()`)
	for _, key := range []string{kb.ArrowRight, kb.ArrowDown, kb.ArrowLeft, kb.ArrowUp} {
		run(ctx, t, "press an arrow", chromedp.KeyEvent(key))
		if eval[string](ctx, t, `cy.$(".kbd-focus").id()`) != first {
			break
		}
	}
	focused := eval[string](ctx, t, `cy.$(".kbd-focus").id()`)
	if focused == first {
		t.Errorf("the arrow keys did not move the focus from %s", first)
	}
	if live := text(ctx, t, "#graph-live"); !strings.Contains(live, "Enter for details") {
		t.Errorf("the live region says %q", live)
	}
	run(ctx, t, "Enter opens the card",
		chromedp.KeyEvent(kb.Enter),
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.querySelector('#card[data-id=%q] h2') !== null && cy.getElementById(%q).selected()`, focused, focused)),
	)
	run(ctx, t, "] and Enter open a relationship's card",
		chromedp.Focus(chromedp.ID("graph")),
		chromedp.KeyEvent("]"),
		chromedp.Poll[chromedp.Void](`cy.$(".kbd-focus").isEdge()`),
		chromedp.KeyEvent(kb.Enter),
		chromedp.Poll[chromedp.Void](`document.querySelector('#card[data-group="edge"] .citations') !== null`),
	)

	// Exports hold exactly what is on screen, with positions. The buttons
	// are clicked from the page's script: the list is drawn again as the
	// view settles, and a click by DOM node id may find the old node gone.
	onScreen := eval[int](ctx, t, `explorer.app.graph.onScreen().nodes().length`)
	edgesOnScreen := eval[int](ctx, t, `explorer.app.graph.onScreen().edges().length`)
	run(ctx, t, "export GEXF", js(`document.querySelector('#export-list button[data-format="gexf"]').click()`))
	gexfPath := waitFile(t, dir, ".gexf")
	if want := fmt.Sprintf("fukuoka-view-%d-nodes-%d-edges.gexf", onScreen, edgesOnScreen); filepath.Base(gexfPath) != want {
		t.Errorf("GEXF file name %s, want %s", filepath.Base(gexfPath), want)
	}
	var gexf struct {
		Graph struct {
			Mode  string `xml:"mode,attr"`
			Nodes []struct {
				ID       string `xml:"id,attr"`
				Position struct {
					X string `xml:"x,attr"`
				} `xml:"position"`
				Color struct {
					R string `xml:"r,attr"`
				} `xml:"color"`
				Size struct {
					Value string `xml:"value,attr"`
				} `xml:"size"`
			} `xml:"nodes>node"`
			Edges []struct {
				ID string `xml:"id,attr"`
			} `xml:"edges>edge"`
		} `xml:"graph"`
	}
	readXML(t, gexfPath, &gexf)
	if len(gexf.Graph.Nodes) != onScreen || len(gexf.Graph.Edges) != edgesOnScreen {
		t.Errorf("GEXF holds %d nodes and %d edges; the screen %d and %d", len(gexf.Graph.Nodes), len(gexf.Graph.Edges), onScreen, edgesOnScreen)
	}
	for _, n := range gexf.Graph.Nodes {
		if n.Position.X == "" || n.Color.R == "" || n.Size.Value == "" {
			t.Errorf("GEXF node %s lacks viz position, colour or size", n.ID)
			break
		}
	}
	run(ctx, t, "export GraphML, Cytoscape JSON and the timeline",
		js(`document.querySelector('#export-list button[data-format="graphml"]').click()`),
		js(`document.querySelector('#export-list button[data-format="cyjs"]').click()`),
		js(`document.querySelector('#export-list button[data-format="gexf-timeline"]').click()`),
	)
	var graphml struct {
		Nodes []struct {
			Data []struct {
				Key string `xml:"key,attr"`
			} `xml:"data"`
		} `xml:"graph>node"`
	}
	readXML(t, waitFile(t, dir, ".graphml"), &graphml)
	if len(graphml.Nodes) != onScreen {
		t.Errorf("GraphML holds %d nodes; the screen %d", len(graphml.Nodes), onScreen)
	}
	var cyjs struct {
		Elements struct {
			Nodes []struct {
				Position *point `json:"position"`
			} `json:"nodes"`
		} `json:"elements"`
	}
	b, err := os.ReadFile(waitFile(t, dir, ".cyjs"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &cyjs); err != nil || len(cyjs.Elements.Nodes) != onScreen || cyjs.Elements.Nodes[0].Position == nil {
		t.Errorf("Cytoscape JSON: %v, %d nodes with positions; the screen %d", err, len(cyjs.Elements.Nodes), onScreen)
	}
	timeline := waitFile(t, dir, "timeline-"+fmt.Sprint(eval[int](ctx, t, `cy.nodes().length`))+"-nodes-"+fmt.Sprint(eval[int](ctx, t, `cy.edges().length`))+"-edges.gexf")
	readXML(t, timeline, &gexf)
	if gexf.Graph.Mode != "dynamic" {
		t.Errorf("the timeline GEXF's mode is %q, want dynamic", gexf.Graph.Mode)
	}

	// Collapse a hub: Việt Nam's provinces that link to nothing else fold
	// into one count node.
	run(ctx, t, "open Việt Nam and collapse it",
		chromedp.Navigate(ts.URL+explorer.Prefix+"?id=locality:vietnam"),
		settled(`cy.nodes().length > 10`),
		js(`cy.getElementById("locality:vietnam").select()`),
		chromedp.Click(chromedp.ID("collapse")),
		settled(`cy.getElementById("collapsed:locality:vietnam").nonempty()`),
	)
	if n := eval[int](ctx, t, `cy.getElementById("collapsed:locality:vietnam").data("count")`); n < 2 {
		t.Errorf("the count node holds %d entities", n)
	}

	// A named view, kept in the browser, survives a reload.
	run(ctx, t, "save the view",
		chromedp.SendKeys(chromedp.ID("view-name"), "Việt Nam collapsed"),
		chromedp.Click(chromedp.ID("view-save")),
		chromedp.Reload(),
		settled(`document.querySelector('#saved-views .view-open[data-name="Việt Nam collapsed"]') !== null`),
	)
	problems.check(t)
}

// moved names the first node of before that is not where it was in after.
func moved(before, after map[string]point) string {
	for id, p := range before {
		q, ok := after[id]
		if !ok {
			return id + " is gone"
		}
		if math.Abs(p.X-q.X) > 0.5 || math.Abs(p.Y-q.Y) > 0.5 {
			return fmt.Sprintf("%s moved from (%.1f, %.1f) to (%.1f, %.1f)", id, p.X, p.Y, q.X, q.Y)
		}
	}
	return ""
}

func readXML(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
