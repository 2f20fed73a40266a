// Command hostile measures a server binary against the hostile inputs of
// issue 7 (figures), or keeps one under mixed load for a while (soak). It
// starts the binary itself, on a graph of synthetic organisations beside
// the seed, and reads the server's memory from /proc (Linux).
//
//	go run ./scripts/hostile figures -bin /tmp/vjkg-before
//	go run ./scripts/hostile soak -bin /tmp/vjkg -duration 30m
//
// figures restarts the server for each case, so that one case's leftovers
// (a core still busy, memory still held) do not weigh on the next, and
// prints a Markdown table: the time until every request of the case was
// answered (or gave up), the server's peak resident memory during it and
// its resident memory after, the statuses seen, and the slowest answer
// another client got meanwhile.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vjkg/vjkg/internal/hostile"
	"github.com/vjkg/vjkg/internal/testgraph"
)

const key = "hostile-measurement-key-0123456789"

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: hostile figures|soak [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "figures":
		err = figures(os.Args[2:])
	case "soak":
		err = soak(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostile:", err)
		os.Exit(1)
	}
}

// server is a running binary.
type server struct {
	bin, dir, url string
	cmd           *exec.Cmd
	log           *os.File
}

// prepare makes a data directory with the seed and n synthetic
// organisations, imported with the binary's own import command.
func prepare(bin, dir string, n int) error {
	nodes, edges := testgraph.SyntheticCSV(n)
	np, ep := filepath.Join(dir, "nodes.csv"), filepath.Join(dir, "edges.csv")
	if err := os.WriteFile(np, nodes, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(ep, edges, 0o644); err != nil {
		return err
	}
	cmd := exec.Command("nice", "-n", "10", bin, "import", "-data-dir", filepath.Join(dir, "data"), np, ep)
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	return cmd.Run()
}

func start(bin, dir string, args ...string) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	log, err := os.OpenFile(filepath.Join(dir, "server.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("nice", append([]string{"-n", "10", bin, "-host", "127.0.0.1", "-port", strconv.Itoa(port),
		"-data-dir", filepath.Join(dir, "data"), "-api-keys", key, "-log-level", "warn"}, args...)...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{bin: bin, dir: dir, url: fmt.Sprintf("http://127.0.0.1:%d", port), cmd: cmd, log: log}
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if res, err := http.Get(s.url + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return s, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.stop()
	return nil, errors.New("the server did not become ready")
}

func (s *server) stop() {
	s.cmd.Process.Kill()
	s.cmd.Wait()
	s.log.Close()
}

// pid is the server's (nice execs it, so it is the command's).
func (s *server) pid() int { return s.cmd.Process.Pid }

// memory returns the server's resident and peak resident memory in MB.
func (s *server) memory() (rss, peak float64) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", s.pid()))
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(fields[1], 64)
		switch fields[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			peak = kb / 1024
		}
	}
	return rss, peak
}

// resetPeak makes the peak resident memory the current one.
func (s *server) resetPeak() {
	os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", s.pid()), []byte("5"), 0)
}

// request is one HTTP request of a case.
type request struct {
	method, path, ctype string
	body                []byte
	key                 bool
}

func graphql(query string) request {
	b, _ := json.Marshal(map[string]any{"query": query})
	return request{method: "POST", path: "/graphql", ctype: "application/json", body: b}
}

// result is what one request got.
type result struct {
	status int    // 0: no answer
	note   string // why there was no answer, or the error code
	bytes  int64
}

func (s *server) do(ctx context.Context, r request) result {
	req, err := http.NewRequestWithContext(ctx, r.method, s.url+r.path, bytes.NewReader(r.body))
	if err != nil {
		return result{note: err.Error()}
	}
	if r.ctype != "" {
		req.Header.Set("Content-Type", r.ctype)
	}
	if r.key {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return result{note: "no answer"}
		}
		return result{note: "connection: " + shortErr(err)}
	}
	defer res.Body.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(res.Body, head)
	rest, err := io.Copy(io.Discard, res.Body)
	out := result{status: res.StatusCode, bytes: int64(n) + rest}
	var body struct {
		ID     string // an import job's
		Errors []struct {
			Extensions struct{ Code string }
		}
	}
	if json.Unmarshal(head[:n], &body) == nil {
		switch {
		case len(body.Errors) > 0:
			out.note = body.Errors[0].Extensions.Code
		case res.StatusCode == http.StatusAccepted:
			out.note = body.ID
		}
	}
	if err != nil {
		out.note = "body cut: " + shortErr(err)
	}
	return out
}

func shortErr(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	return s
}

// probe asks a cheap query every 100 ms; it returns the slowest answer and
// the failures once stopped.
func (s *server) probe() func() (time.Duration, int) {
	stop := make(chan struct{})
	var slowest time.Duration
	var failed int
	done := make(chan struct{})
	go func() {
		defer close(done)
		q := graphql(`{ locality(id: "locality:fukuoka") { name } }`)
		for {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			start := time.Now()
			r := s.do(ctx, q)
			cancel()
			slowest = max(slowest, time.Since(start))
			if r.status != 200 {
				failed++
			}
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	}()
	return func() (time.Duration, int) {
		close(stop)
		<-done
		return slowest, failed
	}
}

// hostileCase is one row of the figures.
type hostileCase struct {
	name     string
	parallel int
	req      func(s *server) request
	follow   func(ctx context.Context, s *server, r result) result // e.g. an import job to its end
}

func cases(importNodes, importEdges []byte) []hostileCase {
	q := func(doc string) func(*server) request { return func(*server) request { return graphql(doc) } }
	export := func(*server) request {
		return request{method: "GET", path: "/export?format=gexf", key: true}
	}
	var distinct atomic.Int64
	return []hostileCase{
		{name: "40-fragment chain (1.6 KB)", parallel: 1, req: q(hostile.FragmentChain(40))},
		{name: "32 fragment chains in parallel", parallel: 32, req: q(hostile.FragmentChain(40))},
		{name: "1,000 aliases (33 KB)", parallel: 1, req: q(hostile.Aliases(1000))},
		{name: "3,000 aliases", parallel: 1, req: q(hostile.Aliases(3000))},
		{name: "10,000 duplicate fields", parallel: 1, req: q(hostile.DuplicateFields(10000))},
		{name: "120 distinct 420 KB documents of aliased fields (4 at a time)", parallel: 120, req: func(*server) request {
			return graphql(hostile.LargeAliases(int(distinct.Add(1)), 420<<10))
		}},
		{name: "120 distinct 420 KB documents, query and comment (4 at a time)", parallel: 120, req: func(*server) request {
			return graphql(hostile.LargeComment(int(distinct.Add(1)), 420<<10))
		}},
		{name: "1 whole-graph GEXF export", parallel: 1, req: export},
		{name: "8 whole-graph GEXF exports in parallel", parallel: 8, req: export},
		{name: "16 whole-graph GEXF exports in parallel", parallel: 16, req: export},
		{name: fmt.Sprintf("%d MB import (nodes and edges)", (len(importNodes)+len(importEdges))/1_000_000), parallel: 1, req: func(*server) request {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			w, _ := mw.CreateFormFile("file", "nodes.csv")
			w.Write(importNodes)
			w, _ = mw.CreateFormFile("file", "edges.csv")
			w.Write(importEdges)
			mw.Close()
			return request{method: "POST", path: "/import", ctype: mw.FormDataContentType(), body: body.Bytes(), key: true}
		}, follow: followJob},
	}
}

// followJob follows an import job (answered 202) to its end, polling its
// report; an import answered at once (200, as before jobs) is left as is.
func followJob(ctx context.Context, s *server, r result) result {
	if r.status != http.StatusAccepted {
		return r
	}
	for {
		req, _ := http.NewRequestWithContext(ctx, "GET", s.url+"/import/"+r.note, nil)
		req.Header.Set("Authorization", "Bearer "+key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return result{status: r.status, note: "job: no end"}
		}
		var report struct{ State string }
		json.NewDecoder(res.Body).Decode(&report)
		res.Body.Close()
		if report.State != "checking" && report.State != "importing" {
			return result{status: r.status, note: "job " + report.State}
		}
		select {
		case <-ctx.Done():
			return result{status: r.status, note: "job: no end"}
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// runCase runs a case and returns its row. A request gives up after
// timeout; requests not sent within caseTimeout are not sent.
func runCase(s *server, c hostileCase, timeout, caseTimeout time.Duration) string {
	s.resetPeak()
	stopProbe := s.probe()
	start := time.Now()
	results := make([]result, c.parallel)
	for i := range results {
		results[i] = result{note: "not sent: the case ran out of time"}
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, min(c.parallel, 32))
	if strings.Contains(c.name, "4 at a time") {
		sem = make(chan struct{}, 4)
	}
	for i := range c.parallel {
		if time.Since(start) > caseTimeout {
			break
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			results[i] = s.do(ctx, c.req(s))
			if c.follow != nil {
				results[i] = c.follow(ctx, s, results[i])
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	slowest, failed := stopProbe()
	rss, peak := s.memory()
	outcomes := map[string]int{}
	for _, r := range results {
		k := strconv.Itoa(r.status)
		if r.status == 0 {
			k = "-"
		}
		if r.note != "" {
			k += " " + r.note
		}
		outcomes[k]++
	}
	var seen []string
	for k, n := range outcomes {
		seen = append(seen, fmt.Sprintf("%d× %s", n, k))
	}
	sort.Strings(seen)
	probe := slowest.Round(time.Millisecond).String()
	if failed > 0 {
		probe += fmt.Sprintf(", %d failed", failed)
	}
	return fmt.Sprintf("| %s | %s | %.0f MB | %.0f MB | %s | %s |", c.name, took.Round(10*time.Millisecond), peak, rss, strings.Join(seen, ", "), probe)
}

func figures(args []string) error {
	fs := flag.NewFlagSet("figures", flag.ExitOnError)
	bin := fs.String("bin", "", "the server binary to measure")
	n := fs.Int("entities", 50000, "synthetic organisations beside the seed")
	importBytes := fs.Int("import-bytes", 65_000_000, "size of the import case's files")
	timeout := fs.Duration("timeout", 30*time.Second, "how long a request may take before it counts as not answered")
	caseTimeout := fs.Duration("case-timeout", 2*time.Minute, "how long a case may go on sending requests")
	only := fs.String("only", "", "run only the cases whose name contains this")
	serverArgs := fs.String("server-args", "", "more flags for the server, space-separated (e.g. -request-timeout 2s)")
	fs.Parse(args)
	if *bin == "" {
		return errors.New("-bin is required")
	}
	dir, err := os.MkdirTemp("", "hostile-figures-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Fprintf(os.Stderr, "preparing %d synthetic organisations in %s\n", *n, dir)
	if err := prepare(*bin, dir, *n); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	importNodes, importEdges := testgraph.SyntheticCSVNamed("imported", *importBytes/480)
	fmt.Printf("%s %s, %d synthetic organisations beside the seed; a request gives up after %v, a case stops sending after %v\n\n", *bin, *serverArgs, *n, *timeout, *caseTimeout)
	fmt.Println("| case | time | peak RSS | RSS after | answers | another client's slowest answer |")
	fmt.Println("|---|---|---|---|---|---|")
	for _, c := range cases(importNodes, importEdges) {
		if *only != "" && !strings.Contains(c.name, *only) {
			continue
		}
		s, err := start(*bin, dir, strings.Fields(*serverArgs)...)
		if err != nil {
			return err
		}
		rss, _ := s.memory()
		fmt.Fprintf(os.Stderr, "%s (server at %.0f MB)\n", c.name, rss)
		fmt.Println(runCase(s, c, *timeout, *caseTimeout))
		s.stop()
	}
	return nil
}

// soakStats counts what each kind of client got in one interval.
type soakStats struct {
	mu         sync.Mutex
	ok         map[string]int
	unexpected map[string]int
	latencies  []time.Duration // of ordinary reads
}

func newSoakStats() *soakStats {
	return &soakStats{ok: map[string]int{}, unexpected: map[string]int{}}
}

func (st *soakStats) add(kind string, r result, expected bool, took time.Duration) {
	st.mu.Lock()
	defer st.mu.Unlock()
	k := fmt.Sprintf("%s %d %s", kind, r.status, r.note)
	if expected {
		st.ok[kind]++
	} else {
		st.unexpected[k]++
	}
	if kind == "read" && r.status == 200 {
		st.latencies = append(st.latencies, took)
	}
}

func (st *soakStats) take() (ok, unexpected map[string]int, p50, p99 time.Duration) {
	st.mu.Lock()
	defer st.mu.Unlock()
	ok, unexpected, lat := st.ok, st.unexpected, st.latencies
	st.ok, st.unexpected, st.latencies = map[string]int{}, map[string]int{}, nil
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) > 0 {
		p50, p99 = lat[len(lat)/2], lat[len(lat)*99/100]
	}
	return ok, unexpected, p50, p99
}

// soak runs ordinary readers, a writer and a hostile client against one
// server for a while and reports, every interval, the server's memory and
// what the clients got; anything a client should not have got (a 5xx other
// than a timeout it asked for, a refused ordinary read, a lost connection)
// counts as an error.
func soak(args []string) error {
	fs := flag.NewFlagSet("soak", flag.ExitOnError)
	bin := fs.String("bin", "", "the server binary")
	duration := fs.Duration("duration", 30*time.Minute, "how long to run")
	interval := fs.Duration("interval", 30*time.Second, "how often to report")
	n := fs.Int("entities", 5000, "synthetic organisations beside the seed")
	readers := fs.Int("readers", 4, "ordinary clients reading at once")
	fs.Parse(args)
	if *bin == "" {
		return errors.New("-bin is required")
	}
	dir, err := os.MkdirTemp("", "hostile-soak-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := prepare(*bin, dir, *n); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	s, err := start(*bin, dir, "-request-timeout", "5s", "-export-timeout", "20s")
	if err != nil {
		return err
	}
	defer s.stop()
	st := newSoakStats()
	ctx, cancel := context.WithTimeout(context.Background(), *duration)
	defer cancel()
	var wg sync.WaitGroup
	run := func(f func(i int)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				f(i)
			}
		}()
	}
	timed := func(r request) (result, time.Duration) {
		rctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		start := time.Now()
		res := s.do(rctx, r)
		return res, time.Since(start)
	}
	reads := []request{
		graphql(`{ search(text: "ha noi", first: 10) { score entity { id name } } }`),
		graphql(`{ neighborhood(id: "locality:fukuoka", depth: 2, limit: 200) { nodes { id name } relationships { id type } } }`),
		graphql(`{ localities(first: 50) { nodes { name agreements { edges { node { name } } } } } }`),
		graphql(`{ paths(from: "locality:fukuoka", to: "locality:ha-noi") { length nodes { name } } }`),
		graphql(`{ organizations(filter: {name: "synthetic 12"}, first: 20) { totalCount nodes { id } } }`),
		graphql(`{ stats { entities relationships byKind { kind count } } }`),
		{method: "GET", path: "/export?format=graphml&scope=neighborhood&id=locality:fukuoka&depth=2"},
	}
	for range *readers {
		run(func(i int) {
			r := reads[i%len(reads)]
			res, took := timed(r)
			// exports may be turned away while hostile ones run (429)
			st.add("read", res, res.status == 200 && res.note == "" || res.status == 429 && strings.HasPrefix(r.path, "/export"), took)
		})
	}
	run(func(i int) { // a measures query now and then: expensive, may be turned away
		res, took := timed(graphql(`{ measures(id: "locality:vietnam", depth: 2, limit: 500, first: 5) { entity { id } betweenness } }`))
		st.add("measures", res, res.status == 200 && res.note == "" || res.status == 429, took)
		time.Sleep(time.Second)
	})
	// A writer: create, update, relate, delete. Its entities stay out of
	// what the readers read: a read that meets an entity deleted under it
	// gets NOT_FOUND for that field, which is the store's consistency, not
	// what this test looks at.
	run(func(i int) {
		id := fmt.Sprintf("org:soak-%d-%d", time.Now().UnixNano(), i)
		steps := []string{
			fmt.Sprintf(`mutation { createEntity(input: {id: %q, kind: ORGANIZATION, name: "Soak %d", type: "COMPANY", country: "JP", sources: [{source: "source:iso-3166-2-jp", quote: "JP-40 Fukuoka"}]}) { id } }`, id, i),
			fmt.Sprintf(`mutation { updateEntity(id: %q, input: {description: "written by the soak test"}) { id } }`, id),
			fmt.Sprintf(`mutation { createRelationship(input: {type: COOPERATES_WITH, from: %q, to: "org:synthetic-000000", sources: [{source: "source:iso-3166-2-jp", quote: "JP-40 Fukuoka"}]}) { id } }`, id),
			fmt.Sprintf(`mutation { deleteEntity(id: %q) { deletedRelationships } }`, id),
		}
		for _, m := range steps {
			r := graphql(m)
			r.key = true
			res, took := timed(r)
			st.add("write", res, res.status == 200 && res.note == "", took)
		}
	})
	hostileReqs := []struct {
		r      request
		expect func(result) bool
	}{
		{graphql(hostile.FragmentChain(40)), status(422)},
		{graphql(hostile.Aliases(1000)), status(422)},
		{graphql(hostile.DuplicateFields(10000)), status(422)},
		{graphql(hostile.LargeTokens(420 << 10)), status(422)},
		{request{method: "GET", path: "/export?format=gexf", key: true}, status(200, 429)},
		{request{method: "GET", path: "/export?format=gexf"}, status(200, 401)}, // anonymous: refused beyond the limit
		{request{method: "POST", path: "/graphql", ctype: "application/json", body: bytes.Repeat([]byte(" "), 2<<20)}, status(413)},
		{request{method: "GET", path: "/explorer/%ff"}, status(404)},
		{graphql(`mutation { deleteEntity(id: "org:nothing") { id } }`), status(401)},
	}
	run(func(i int) {
		h := hostileReqs[i%len(hostileReqs)]
		res, took := timed(h.r)
		st.add("hostile", res, h.expect(res), took)
	})
	run(func(i int) { // a client that hangs up, and a distinct large document now and then
		hctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		s.do(hctx, graphql(`{ measures(limit: 1000) { entity { id } } }`))
		cancel()
		res, took := timed(graphql(hostile.LargeComment(i, 100<<10)))
		st.add("hostile", res, res.status == 200, took)
		time.Sleep(200 * time.Millisecond)
	})

	fmt.Printf("soak of %s for %v: %d readers, a writer, a measures client, two hostile clients; %d synthetic organisations\n\n", *bin, *duration, *readers, *n)
	fmt.Println("| elapsed | RSS | answered as expected | unexpected | read p50 | read p99 |")
	fmt.Println("|---|---|---|---|---|---|")
	began := time.Now()
	var firstRSS, maxRSS, lastRSS float64
	total := map[string]int{}
	report := func() {
		ok, bad, p50, p99 := st.take()
		rss, _ := s.memory()
		if firstRSS == 0 {
			firstRSS = rss
		}
		maxRSS, lastRSS = max(maxRSS, rss), rss
		var okText, badText []string
		for k, v := range ok {
			okText = append(okText, fmt.Sprintf("%s %d", k, v))
		}
		for k, v := range bad {
			badText = append(badText, fmt.Sprintf("%s ×%d", k, v))
			total[k] += v
		}
		sort.Strings(okText)
		sort.Strings(badText)
		fmt.Printf("| %v | %.0f MB | %s | %s | %v | %v |\n", time.Since(began).Round(time.Second), rss, strings.Join(okText, ", "),
			strings.Join(badText, ", "), p50.Round(100*time.Microsecond), p99.Round(100*time.Microsecond))
	}
	tick := time.NewTicker(*interval)
	defer tick.Stop()
	for done := false; !done; {
		select {
		case <-tick.C:
			report()
		case <-ctx.Done():
			done = true
		}
	}
	wg.Wait()
	report()
	fmt.Printf("\nRSS: %.0f MB after the first interval, %.0f MB at most, %.0f MB at the end\n", firstRSS, maxRSS, lastRSS)
	if len(total) > 0 {
		fmt.Println("unexpected answers:")
		for k, v := range total {
			fmt.Printf("  %s ×%d\n", k, v)
		}
		return errors.New("some clients got unexpected answers")
	}
	fmt.Println("no unexpected answers")
	return nil
}

func status(want ...int) func(result) bool {
	return func(r result) bool {
		for _, w := range want {
			if r.status == w {
				return true
			}
		}
		return false
	}
}
