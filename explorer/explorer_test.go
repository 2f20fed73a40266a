package explorer_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/vjkg/vjkg/api"
	"github.com/vjkg/vjkg/explorer"
	"github.com/vjkg/vjkg/internal/testgraph"
)

// chromiumPath is Debian's chromium package (apt-get install chromium).
const chromiumPath = "/usr/bin/chromium"

// The whole test must end within testTimeout, and each step within
// stepTimeout, so that a failing step is reported while the browser still
// runs. Neither is a performance requirement.
const (
	testTimeout = 60 * time.Second
	stepTimeout = 20 * time.Second
)

const (
	fukuoka   = "locality:fukuoka"
	haNoi     = "locality:ha-noi"
	agreement = "agreement:fukuoka-ha-noi-mous"
	quote     = "tỉnh Fukuoka (Nhật Bản) và thành phố Hà Nội đã ký nhiều biên bản ghi nhớ"
	wantPath  = "Fukuoka → Biên bản ghi nhớ hợp tác Fukuoka – Hà Nội → Hà Nội"
)

// newServer serves the API over the seed data, explorer included, on
// 127.0.0.1, as the server does; opts change the configuration first.
func newServer(t *testing.T, opts ...func(*api.Config)) *httptest.Server {
	t.Helper()
	cfg := api.DefaultConfig
	cfg.Logger = slog.New(slog.DiscardHandler)
	for _, o := range opts {
		o(&cfg)
	}
	ts := httptest.NewServer(api.New(testgraph.Seeded(t), cfg))
	t.Cleanup(ts.Close)
	return ts
}

// browser starts a headless Chromium with a fresh profile and returns a
// context for its first tab; everything run on it ends within timeout. It
// skips the test when Chromium is not installed, unless VJKG_REQUIRE_BROWSER
// is set.
func browser(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	if _, err := exec.LookPath(chromiumPath); err != nil {
		if os.Getenv("VJKG_REQUIRE_BROWSER") != "" {
			t.Fatalf("VJKG_REQUIRE_BROWSER is set but there is no browser: %v (apt-get install chromium fonts-noto-cjk)", err)
		}
		t.Skipf("no browser: %v (apt-get install chromium fonts-noto-cjk to run this test)", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	// A browser that crashes while starting (seen once, on the very first
	// start on a fresh machine) gets one more try; a second failure fails.
	var err error
	for attempt := 1; attempt <= 2; attempt++ {
		var tab context.Context
		if tab, err = startBrowser(ctx, t); err == nil {
			return tab
		}
		t.Logf("start %s (attempt %d): %v", chromiumPath, attempt, err)
	}
	t.Fatalf("start %s: %v", chromiumPath, err)
	return nil
}

// startBrowser starts Chromium with a fresh profile under t.TempDir and
// returns a context for its first tab. The browser stops when the test ends.
func startBrowser(ctx context.Context, t *testing.T) (context.Context, error) {
	profile := t.TempDir()
	t.Cleanup(func() {
		// Chromium's helper processes can write to the profile for a moment
		// after the browser has stopped; t.TempDir's own removal would then
		// fail the test with "directory not empty".
		for range 50 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 800),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-crash-reporter", true),
		chromedp.Flag("lang", "en-US"),
	)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(ctx)
	t.Cleanup(cancelTab)
	if err := chromedp.Do(ctx); err != nil {
		return nil, err
	}
	return ctx, nil
}

// pageProblems collects what a tab reports going wrong: uncaught exceptions,
// console errors, and errors in the browser's own log (failed loads, Content
// Security Policy violations).
type pageProblems struct {
	mu   sync.Mutex
	list []string
}

func watch(ctx context.Context) *pageProblems {
	p := &pageProblems{}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type != chromedp.ConsoleError && !m.IsException() {
				continue
			}
			p.mu.Lock()
			p.list = append(p.list, fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line+1))
			p.mu.Unlock()
		}
	}()
	return p
}

func (p *pageProblems) check(t *testing.T) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, m := range p.list {
		t.Errorf("page reported %s", m)
	}
}

// settled waits until the page has no load under way and cond, a JavaScript
// expression, holds.
func settled(cond string) chromedp.Action[chromedp.Void] {
	return settledWithin(stepTimeout, cond)
}

// settledWithin is settled with a step's own bound: drawing a thousand
// entities took 29 s once on a busy 2-core machine.
func settledWithin(bound time.Duration, cond string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.body.dataset.busy === "0" && (%s)`, cond),
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(bound))
}

// clickNode clicks a node of the network where it is drawn, as a user would.
func clickNode(id string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		type point struct {
			X float64 `json:"x"`
			Y float64 `json:"y"`
		}
		at, err := chromedp.Evaluate[point](fmt.Sprintf(`(() => {
			const n = cy.getElementById(%q), p = n.renderedPosition(), r = cy.container().getBoundingClientRect();
			return {x: r.left + p.x, y: r.top + p.y};
		})()`, id))(ctx, t)
		if err != nil {
			return fmt.Errorf("locate node %s: %w", id, err)
		}
		_, err = chromedp.MouseClickXY(at.X, at.Y)(ctx, t)
		return err
	})
}

// shown is a JavaScript condition: the element is drawn and not hidden by
// the day the view shows.
func shown(id string) string {
	return fmt.Sprintf(`(e => e.nonempty() && !e.hasClass("time-hidden"))(cy.getElementById(%q))`, id)
}

// setValue sets a control's value and fires an event on it ("change" for a
// select, "input" for a date field), as picking a value does.
func setValue(id, value, event string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](fmt.Sprintf(
			`(e => { e.value = %q; return e.dispatchEvent(new Event(%q, {bubbles: true})); })(document.getElementById(%q))`,
			value, event, id))(ctx, t)
		return err
	})
}

// run runs the actions of one step, and fails the test, saying which step
// and what the status line read, if they fail.
func run(ctx context.Context, t *testing.T, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	stepCtx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(stepCtx, actions...); err != nil {
		status, _ := chromedp.Run(ctx, chromedp.TextContent(chromedp.ID("status")))
		t.Fatalf("%s: %v (status line: %q)", step, err, status)
	}
}

func eval[T any](ctx context.Context, t *testing.T, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func text(ctx context.Context, t *testing.T, sel string) string {
	t.Helper()
	return eval[string](ctx, t, fmt.Sprintf(`document.querySelector(%q)?.textContent ?? ""`, sel))
}

// TestExplorer drives the explorer in Chromium as an analyst would: search
// for Fukuoka, read its panel and quotes, expand the network, find the path
// to Hà Nội, and share the link.
func TestExplorer(t *testing.T) {
	ts := newServer(t)
	ctx := browser(t, testTimeout)
	problems := watch(ctx)

	run(ctx, t, "open the explorer",
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(ts.URL+explorer.Prefix),
		chromedp.WaitVisible(chromedp.ID("search")),
		settled("true"),
	)

	// Search, diacritic-insensitively on the server, and open the result.
	result := fmt.Sprintf(`#search-results button[data-id=%q]`, fukuoka)
	run(ctx, t, "search for Fukuoka",
		chromedp.SendKeys(chromedp.ID("search"), "Fukuoka"),
		chromedp.WaitVisible(chromedp.CSS(result)),
	)
	if got := text(ctx, t, result); !strings.Contains(got, "Fukuoka") || !strings.Contains(got, "Locality") {
		t.Errorf("search result = %q, want the name Fukuoka and the kind Locality", got)
	}
	run(ctx, t, "open Fukuoka",
		chromedp.Click(chromedp.CSS(result)),
		settled(fmt.Sprintf(`cy.getElementById(%q).nonempty()`, agreement)),
	)

	// The panel: name, properties, and the quote the facts come from.
	if got := text(ctx, t, "#entity h2"); got != "Fukuoka" {
		t.Errorf("entity panel heading = %q, want Fukuoka", got)
	}
	panel := text(ctx, t, "#entity")
	for _, want := range []string{quote, "福岡県", "PREFECTURE", "JP-40", "PARTY_TO", "Biên bản ghi nhớ hợp tác Fukuoka – Hà Nội"} {
		if !strings.Contains(panel, want) {
			t.Errorf("entity panel lacks %q; it reads:\n%s", want, panel)
		}
	}

	// Labels carry the Japanese name on a second line.
	if got := eval[string](ctx, t, fmt.Sprintf(`cy.getElementById(%q).style("label")`, fukuoka)); !strings.Contains(got, "福岡県") {
		t.Errorf("Fukuoka's node label = %q, want it to contain 福岡県", got)
	}

	// Expand the agreement: select it where it is drawn, then Expand.
	run(ctx, t, "select the agreement",
		clickNode(agreement),
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`cy.getElementById(%q).selected()`, agreement)),
		chromedp.Click(chromedp.ID("expand")),
		settled(fmt.Sprintf(`cy.getElementById(%q).nonempty()`, haNoi)),
	)
	if !eval[bool](ctx, t, fmt.Sprintf(`cy.getElementById(%q).hasClass("expanded")`, agreement)) {
		t.Error("the expanded agreement is not marked as expanded")
	}

	// The shortest path to Hà Nội, chosen through the second search box.
	pathResult := fmt.Sprintf(`#path-results button[data-id=%q]`, haNoi)
	run(ctx, t, "find the path to Hà Nội",
		chromedp.SendKeys(chromedp.ID("path-to"), "Ha Noi"),
		chromedp.WaitVisible(chromedp.CSS(pathResult)),
		chromedp.Click(chromedp.CSS(pathResult)),
		settled(`document.querySelector("#path .path-summary") !== null`),
	)
	if got := text(ctx, t, "#path .path-summary"); got != wantPath {
		t.Errorf("#path lists %q, want %q", got, wantPath)
	}
	onPath := eval[[]string](ctx, t, `cy.$(".on-path").map(e => e.id())`)
	for _, id := range []string{fukuoka, agreement, haNoi} {
		if !slices.Contains(onPath, id) {
			t.Errorf("the network highlights %v, want %s among them", onPath, id)
		}
	}
	if len(onPath) != 5 {
		t.Errorf("the network highlights %d elements (%v), want 3 entities and 2 relationships", len(onPath), onPath)
	}

	// The URL records the view.
	link := eval[string](ctx, t, "location.href")
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("id") != fukuoka || q.Get("to") != haNoi || q.Get("depth") != "1" || !strings.Contains(q.Get("expand"), agreement) {
		t.Errorf("URL %s does not record id=%s, depth=1, to=%s and expand=%s", link, fukuoka, haNoi, agreement)
	}

	// Nothing came from anywhere but the server.
	for _, r := range eval[[]string](ctx, t, `performance.getEntriesByType("resource").map(e => e.name)`) {
		if !strings.HasPrefix(r, ts.URL+"/") {
			t.Errorf("the page loaded %s, from outside its server", r)
		}
	}

	if dir := os.Getenv("VJKG_SCREENSHOT_DIR"); dir != "" {
		// The network with the path, the card closed so that it shows whole.
		run(ctx, t, "close the card", chromedp.Click(chromedp.CSS("#card .card-close")), chromedp.Click(chromedp.ID("fit")))
		screenshot(ctx, t, dir+"/explorer.png")
	}

	// A shared link restores the view in a new tab.
	tab, cancel := chromedp.NewContext(ctx)
	defer cancel()
	tabProblems := watch(tab)
	run(tab, t, "open the shared link",
		chromedp.Navigate(link),
		settled(fmt.Sprintf(`document.querySelector("#path .path-summary") !== null && cy.getElementById(%q).nonempty()`, haNoi)),
	)
	if got := text(tab, t, "#entity h2"); got != "Fukuoka" {
		t.Errorf("restored entity panel heading = %q, want Fukuoka", got)
	}
	if got := text(tab, t, "#path .path-summary"); got != wantPath {
		t.Errorf("restored #path lists %q, want %q", got, wantPath)
	}
	if got := eval[[]string](tab, t, `cy.nodes(".root, .expanded").map(n => n.id()).sort()`); strings.Join(got, " ") != agreement+" "+fukuoka {
		t.Errorf("restored network roots and expansions = %v, want %s and %s", got, fukuoka, agreement)
	}
	if got := text(tab, t, "#path .path-head strong"); got != "Hà Nội" {
		t.Errorf("restored path target = %q, want Hà Nội", got)
	}

	// Opening another entity from the panel keeps the path target; Back
	// returns to the shared view.
	run(tab, t, "open the agreement from the panel",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#entity .entity-link[data-id=%q]`, agreement))),
		settled(fmt.Sprintf(`new URLSearchParams(location.search).get("id") === %q && document.querySelector("#entity h2").textContent !== "Fukuoka"`, agreement)),
	)
	if got, want := text(tab, t, "#path .path-summary"), "Biên bản ghi nhớ hợp tác Fukuoka – Hà Nội → Hà Nội"; got != want {
		t.Errorf("#path from the agreement lists %q, want %q", got, want)
	}
	run(tab, t, "go back",
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Evaluate[chromedp.Void](`history.back()`)(ctx, t)
			return err
		}),
		settled(fmt.Sprintf(`location.href === %q && document.querySelector("#entity h2").textContent === "Fukuoka" && document.querySelector("#path .path-summary") !== null`, link)),
	)

	problems.check(t)
	tabProblems.check(t)
}

// TestExplorerFilters changes the date, the relationship types, the depth
// and the kinds, and checks the network, the URL and the download links follow,
// and that the URL restores the controls.
func TestExplorerFilters(t *testing.T) {
	ts := newServer(t)
	ctx := browser(t, testTimeout)
	problems := watch(ctx)
	const (
		vinhPhuc = "locality:vinh-phuc"
		phuTho   = "locality:phu-tho"
		hoaBinh  = "locality:hoa-binh"
		vietnam  = "locality:vietnam"
	)
	has := shown
	change := func(id, value string) chromedp.Action[chromedp.Void] { return setValue(id, value, "change") }
	urlQuery := func() url.Values {
		u, err := url.Parse(eval[string](ctx, t, "location.href"))
		if err != nil {
			t.Fatal(err)
		}
		return u.Query()
	}

	run(ctx, t, "open Vĩnh Phúc",
		chromedp.Navigate(ts.URL+explorer.Prefix+"?id="+vinhPhuc),
		settled(has(vinhPhuc)+" && "+has(vietnam)),
	)

	// Before the 2025 merger Vĩnh Phúc is part of Việt Nam; after, it has
	// merged into Phú Thọ.
	run(ctx, t, "as of 2024-01-01",
		setValue("as-of", "2024-01-01", "input"),
		settled(`location.search.includes("asOf=2024-01-01") && `+has(vietnam)+` && !`+has(phuTho)),
	)
	run(ctx, t, "as of 2025-07-01",
		setValue("as-of", "2025-07-01", "input"),
		settled(`location.search.includes("asOf=2025-07-01") && `+has(phuTho)+` && !`+has(vietnam)),
	)
	if got := text(ctx, t, "#entity .relationships h3"); !strings.Contains(got, "as of 2025-07-01") {
		t.Errorf("entity panel relationships heading = %q, want it to say as of 2025-07-01", got)
	}

	// Only MERGED_INTO, two hops: Phú Thọ and the other province merged into it.
	run(ctx, t, "follow only MERGED_INTO",
		chromedp.Click(chromedp.ID("types-none")),
		chromedp.Click(chromedp.CSS(`#type-filters input[value="MERGED_INTO"]`)),
		settled(`new URLSearchParams(location.search).get("relationTypes") === "MERGED_INTO" && cy.edges().every(e => e.data("type") === "MERGED_INTO")`),
	)
	// Hòa Bình, two merger steps away, is loaded, but not drawn on
	// 2025-07-01: it ceased to exist on 2025-06-30. With any date it is.
	run(ctx, t, "depth 2",
		change("depth", "2"),
		settled(`new URLSearchParams(location.search).get("depth") === "2" && cy.getElementById("`+hoaBinh+`").nonempty() && !`+has(hoaBinh)),
	)
	if !eval[bool](ctx, t, `cy.getElementById("`+vinhPhuc+`").hasClass("defunct")`) {
		t.Error("Vĩnh Phúc, the open entity, is not drawn as no longer existing on 2025-07-01")
	}
	run(ctx, t, "any date",
		chromedp.Click(chromedp.ID("as-of-clear")),
		settled(`!location.search.includes("asOf") && `+has(hoaBinh)),
	)
	run(ctx, t, "back to 2025-07-01",
		setValue("as-of", "2025-07-01", "input"),
		settled(`location.search.includes("asOf=2025-07-01") && !`+has(hoaBinh)),
	)

	// Without localities, nothing but Vĩnh Phúc itself is left.
	run(ctx, t, "hide localities",
		chromedp.Click(chromedp.CSS(`#kind-filters input[value="LOCALITY"]`)),
		settled(`new URLSearchParams(location.search).get("kinds") === "OFFICIAL,ORGANIZATION,AGREEMENT,EVENT" && explorer.app.graph.onScreen().nodes().length === 1`),
	)

	want := "/export?format=graphml&scope=neighborhood&id=" + vinhPhuc +
		"&depth=2&kinds=OFFICIAL,ORGANIZATION,AGREEMENT,EVENT&relationTypes=MERGED_INTO&asOf=2025-07-01"
	if got := eval[string](ctx, t, `document.querySelector('#export-list a[data-format="graphml"]').getAttribute("href")`); got != want {
		t.Errorf("GraphML link = %s, want %s", got, want)
	}
	q := urlQuery()
	if q.Get("id") != vinhPhuc || q.Get("asOf") != "2025-07-01" {
		t.Errorf("URL query %v does not record id and asOf", q)
	}

	// The URL restores the controls.
	run(ctx, t, "reload",
		chromedp.Reload(),
		settled(has(vinhPhuc)),
	)
	type controls struct {
		Depth string   `json:"depth"`
		AsOf  string   `json:"asOf"`
		Kinds []string `json:"kinds"`
		Types []string `json:"types"`
	}
	got := eval[controls](ctx, t, `({
		depth: document.getElementById("depth").value,
		asOf: document.getElementById("as-of").value,
		kinds: [...document.querySelectorAll("#kind-filters input:checked")].map(e => e.value),
		types: [...document.querySelectorAll("#type-filters input:checked")].map(e => e.value),
	})`)
	if got.Depth != "2" || got.AsOf != "2025-07-01" || strings.Join(got.Kinds, ",") != "OFFICIAL,ORGANIZATION,AGREEMENT,EVENT" ||
		strings.Join(got.Types, ",") != "MERGED_INTO" {
		t.Errorf("restored controls = %+v, want depth 2, as of 2025-07-01, no LOCALITY, only MERGED_INTO", got)
	}
	problems.check(t)
}

// TestExplorerShowsErrors checks that errors from the API reach the status
// line with their code rather than vanishing.
func TestExplorerShowsErrors(t *testing.T) {
	ts := newServer(t)
	ctx := browser(t, testTimeout)
	for _, tc := range []struct {
		name, query, code string
	}{
		{"NotFound", "?id=locality:nowhere", "NOT_FOUND"},
		{"BadDate", "?id=" + fukuoka + "&asOf=2025-13-45", "BAD_USER_INPUT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run(ctx, t, "open "+tc.query,
				chromedp.Navigate(ts.URL+explorer.Prefix+tc.query),
				settled(`document.getElementById("status").dataset.kind === "error"`),
			)
			if got := text(ctx, t, "#status .code"); got != tc.code {
				t.Errorf("status code = %q, want %s; status reads %q", got, tc.code, text(ctx, t, "#status"))
			}
		})
	}
}

// TestHandler checks the files are served under the prefix with their types.
func TestHandler(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle(explorer.Prefix, explorer.Handler())
	ts := httptest.NewServer(mux)
	defer ts.Close()
	for path, wantType := range map[string]string{
		"/explorer/":                             "text/html",
		"/explorer/app.js":                       "text/javascript",
		"/explorer/style.css":                    "text/css",
		"/explorer/vendor/cytoscape.min.js":      "text/javascript",
		"/explorer/vendor/cytoscape.min.LICENSE": "",
	} {
		res, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || len(body) == 0 {
			t.Errorf("GET %s: %s, %d bytes", path, res.Status, len(body))
		}
		if got := res.Header.Get("Content-Type"); !strings.HasPrefix(got, wantType) {
			t.Errorf("GET %s: Content-Type %q, want %s", path, got, wantType)
		}
		if res.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("GET %s: no Content-Security-Policy", path)
		}
	}
	res, err := http.Get(ts.URL + "/explorer/nothing.js")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /explorer/nothing.js: %s, want 404", res.Status)
	}
}

// TestGraphiQL opens GraphiQL at / and runs a query: it must work with
// nothing but this server (the scripts are served from the binary) and
// under its strict Content-Security-Policy (a violation is a console error).
func TestGraphiQL(t *testing.T) {
	ts := newServer(t)
	ctx := browser(t, testTimeout)
	problems := watch(ctx)
	run(ctx, t, "open GraphiQL",
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(".graphiql-container .graphiql-execute-button")),
		chromedp.Poll[chromedp.Void](`document.querySelector(".graphiql-query-editor .CodeMirror") !== null`),
	)
	run(ctx, t, "run the default query",
		chromedp.Click(chromedp.CSS(".graphiql-execute-button")),
		chromedp.Poll[chromedp.Void](`document.querySelector(".graphiql-response")?.textContent.includes("Fukuoka")`,
			chromedp.WithPollingTimeout(stepTimeout)),
	)
	for _, r := range eval[[]string](ctx, t, `performance.getEntriesByType("resource").map(e => e.name)`) {
		if !strings.HasPrefix(r, ts.URL+"/") {
			t.Errorf("GraphiQL loaded %s, from outside its server", r)
		}
	}
	if path := os.Getenv("VJKG_SCREENSHOT_DIR"); path != "" {
		screenshot(ctx, t, path+"/graphiql.png")
	}
	problems.check(t)
}

// screenshot saves the tab as it is to a PNG file.
func screenshot(ctx context.Context, t *testing.T, path string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}
