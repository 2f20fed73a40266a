package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime/pprof"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/vjkg/vjkg/synth"
)

// request is a GraphQL request body.
type request struct {
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables,omitempty"`
}

// workload is one kind of query: each is measured in its own phase, so that
// its latency and throughput are its own.
type workload struct {
	name, label string
	// next returns a client's i-th request; r is the client's own seeded
	// stream, so the sequence of requests is fixed by the seed.
	next func(r *rand.Rand, client, i int) request
	// found: report the share of answers that found something (paths)
	// rather than the objects per answer.
	found bool
	// counted names the number an answer reports its size in ("total",
	// "totalCount"): the note gives its mean per answer rather than the
	// objects in the answer (a facet answer names no entity).
	counted string
}

// graph is what the load needs to know of the generated graph: its entity
// ids and the words of its names.
type graph struct {
	ids          []string
	common, rare []string
}

// readGraph reads a nodes CSV (columns Id and Label). Common words are the
// most frequent words of names; rare ones are words that occur in one name
// only, long enough not to be a substring of many others.
func readGraph(name string) (*graph, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(h)] = i
	}
	idCol, okID := col["id"]
	labelCol, okLabel := col["label"]
	if !okID || !okLabel {
		return nil, fmt.Errorf("%s: want columns Id and Label", name)
	}
	g := &graph{}
	counts := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		g.ids = append(g.ids, rec[idCol])
		for _, w := range strings.Fields(rec[labelCol]) {
			if utf8.RuneCountInString(w) >= 3 && strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) < 0 {
				counts[w]++
			}
		}
	}
	if len(g.ids) < 2 {
		return nil, fmt.Errorf("%s: fewer than two entities", name)
	}
	words := make([]string, 0, len(counts))
	for w := range counts {
		words = append(words, w)
	}
	// Most frequent first, ties in word order, so that the lists depend
	// only on the file.
	sort.Slice(words, func(i, j int) bool {
		if counts[words[i]] != counts[words[j]] {
			return counts[words[i]] > counts[words[j]]
		}
		return words[i] < words[j]
	})
	g.common = words[:min(20, len(words))]
	for i := len(words) - 1; i >= 0 && len(g.rare) < 200; i-- {
		if w := words[i]; counts[w] == 1 && utf8.RuneCountInString(w) >= 6 {
			g.rare = append(g.rare, w)
		}
	}
	if len(g.rare) == 0 { // a small graph: its least frequent words
		g.rare = words[max(0, len(words)-20):]
	}
	if len(g.common) == 0 {
		return nil, fmt.Errorf("%s: no words in the names", name)
	}
	return g, nil
}

// pairs draws n pairs of distinct entity ids.
func (g *graph) pairs(seed uint64, n int) [][2]string {
	r := rand.New(rand.NewPCG(seed, 0))
	out := make([][2]string, n)
	for i := range out {
		a := r.IntN(len(g.ids))
		b := (a + 1 + r.IntN(len(g.ids)-1)) % len(g.ids)
		out[i] = [2]string{g.ids[a], g.ids[b]}
	}
	return out
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// workloads are the query kinds, in the order they run. The filtered lists
// and the nested query draw their filters from small fixed lists; search
// draws words of the graph's names.
func workloads(g *graph, pairs [][2]string, clients int) []workload {
	roles := synth.Roles()
	return []workload{
		{name: "paths", label: "`paths` (maxHops 4, first 1), random pairs", found: true,
			next: func(r *rand.Rand, client, i int) request {
				p := pairs[(client+i*clients)%len(pairs)]
				return request{`query($from: ID!, $to: ID!) { paths(from: $from, to: $to, maxHops: 4, first: 1) {
				  length nodes { id name kind } relationships { type } } }`, map[string]any{"from": p[0], "to": p[1]}}
			}},
		{name: "neighborhood", label: "`neighborhood` (depth 2, limit 100), random entities",
			next: func(r *rand.Rand, client, i int) request {
				return request{`query($id: ID!) { neighborhood(id: $id, depth: 2, limit: 100) {
				  nodes { id name kind } relationships { id type from { id } to { id } } truncated } }`,
					map[string]any{"id": pick(r, g.ids)}}
			}},
		{name: "neighbours", label: "`entity(id)` → `relationships(first: 20)` → the other ends' names, random entities",
			next: func(r *rand.Rand, client, i int) request {
				return request{`query($id: ID!) { entity(id: $id) { id name relationships(first: 20) { nodes { id name } } } }`,
					map[string]any{"id": pick(r, g.ids)}}
			}},
		{name: "search_common", label: "`search` (first 10), common words",
			next: func(r *rand.Rand, client, i int) request { return searchRequest(pick(r, g.common)) }},
		{name: "search_rare", label: "`search` (first 10), rare words",
			next: func(r *rand.Rand, client, i int) request { return searchRequest(pick(r, g.rare)) }},
		{name: "search_roles", label: "`search` (first 10), relationships' roles (words of no name: found through the relationships)",
			next: func(r *rand.Rand, client, i int) request { return searchRequest(pick(r, roles)) }},
		{name: "search_short", label: "`search` (first 10), texts of several one- or two-letter words (each begins most names)",
			next: func(r *rand.Rand, client, i int) request { return searchRequest(pick(r, shortTexts)) }},
		{name: "list_country", label: "`organizations(filter: {country}, first: 20)` with `totalCount`",
			next: func(r *rand.Rand, client, i int) request {
				return request{`query($c: [String!]) { organizations(filter: {country: $c}, first: 20) { totalCount nodes { id name } } }`,
					map[string]any{"c": []string{pick(r, []string{"JP", "VN"})}}}
			}},
		{name: "list_type", label: "`events(filter: {type}, first: 20)` with `totalCount`",
			next: func(r *rand.Rand, client, i int) request {
				return request{`query($t: [EventType!]) { events(filter: {type: $t}, first: 20) { totalCount nodes { id name } } }`,
					map[string]any{"t": []string{pick(r, []string{"FORUM", "VISIT", "MEETING", "CONFERENCE", "FESTIVAL"})}}}
			}},
		{name: "nested", label: "nested: 5 provinces → 3 events each → 3 participants each",
			next: func(r *rand.Rand, client, i int) request {
				f := pick(r, [][2]string{{"VN", "PROVINCE"}, {"JP", "PREFECTURE"}})
				return request{`query($c: [String!], $t: [LocalityType!]) {
				  localities(filter: {country: $c, type: $t}, first: 5) { nodes { id name
				    events(first: 3) { nodes { id name ... on Event { participants(first: 3) { nodes { id name } } } } } } } }`,
					map[string]any{"c": []string{f[0]}, "t": []string{f[1]}}}
			}},
		{name: "relfilter", label: "relationship filter: provinces party to an agreement with a prefecture (`localities(filter: {relationships_SOME: {node: {relationships_SOME}}}, first: 20)`) with `totalCount`",
			next: func(r *rand.Rand, client, i int) request {
				// The question: provinces party to an agreement with
				// a prefecture (or the other way round).
				f := pick(r, [][4]string{{"VN", "PROVINCE", "JP", "PREFECTURE"}, {"JP", "PREFECTURE", "VN", "PROVINCE"}})
				return request{`query($c: [String!], $t: [LocalityType!], $oc: [String!], $ot: [String!]) {
				  localities(first: 20, filter: {country: $c, type: $t, relationships_SOME: {types: [PARTY_TO], direction: OUT, node: {
				    relationships_SOME: {types: [PARTY_TO], direction: IN, node: {country: $oc, type: $ot}}}}}) { totalCount nodes { id name } } }`,
					map[string]any{"c": []string{f[0]}, "t": []string{f[1]}, "oc": []string{f[2]}, "ot": []string{f[3]}}}
			}, counted: "totalCount"},
		{name: "entity_facets", label: "`entityFacets` of the entities related to a country (a hub): by kind, type, country, year",
			next: func(r *rand.Rand, client, i int) request {
				return request{`query($c: [String!]) { entityFacets(filter: {relationships_SOME: {node: {kinds: [LOCALITY], type: ["COUNTRY"], country: $c}}}) {
				  total byKind { value count } byType { value count } byCountry { value count } byYear { value count } } }`,
					map[string]any{"c": []string{pick(r, []string{"JP", "VN"})}}}
			}, counted: "total"},
		{name: "rel_facets", label: "`relationshipFacets(ids: [a hub])`: by type, direction and the other end's kind",
			next: func(r *rand.Rand, client, i int) request {
				// The largest hubs: the generator draws relationship ends
				// from a power law over each kind, rank 0 first.
				return request{`query($ids: [ID!]) { relationshipFacets(ids: $ids) { entities total groups { type direction otherKind count } byType { type count } byOtherKind { kind count } } }`,
					map[string]any{"ids": []string{pick(r, []string{"locality:l0", "locality:l1", "locality:l2", "org:o0", "agreement:a0", "event:e0"})}}}
			}, counted: "total"},
		{name: "typename", label: "`{ __typename }` (the server's ceiling)",
			next: func(r *rand.Rand, client, i int) request { return request{Query: `{ __typename }`} }},
	}
}

// shortTexts are the search's worst case for its size: each word begins
// hundreds of thousands of names and texts at 1 M entities.
var shortTexts = []string{"a e i o u", "th ha", "ng n", "a b c d", "h n", "t v", "ha no", "k s"}

func searchRequest(text string) request {
	return request{`query($text: String!) { search(text: $text, first: 10) { score entity { id name kind } } }`,
		map[string]any{"text": text}}
}

// runLoad runs every workload in turn and records its latencies.
func runLoad(args []string) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	results := fs.String("results", "", "results file")
	url := fs.String("url", "", "the server's base URL")
	nodes := fs.String("nodes", "", "the graph's nodes CSV, for entity ids and words")
	seed := fs.Uint64("seed", 1, "random seed of the query mix")
	clients := fs.Int("clients", 4, "concurrent clients")
	var lim limits
	fs.DurationVar(&lim.duration, "duration", 10*time.Second, "how long each query kind runs")
	fs.IntVar(&lim.max, "requests", 0, "stop a query kind after this many requests (0: run for -duration)")
	fs.IntVar(&lim.min, "min-requests", 20, "run a query kind past -duration until this many requests have completed,\nso that slow kinds have percentiles worth the name")
	npairs := fs.Int("pairs", 1000, "number of random pairs for paths")
	pairsOut := fs.String("pairs-out", "", "file to write the pairs to (one \"from to\" a line), for NetworkX")
	only := fs.String("only", "", "comma-separated query kinds to run (default: all)")
	timeout := fs.Duration("timeout", time.Minute, "longest wait for one answer (longer than the server's -request-timeout)")
	ratioRounds := fs.Int("ratio-rounds", 5, "rounds of the interleaved ceiling ratio: nested and { __typename } in turns (0: none)")
	ratioSlice := fs.Duration("ratio-slice", 2*time.Second, "how long each kind runs in one round of the interleaved ratio")
	cpuProfile := fs.String("cpuprofile", "", "write the load generator's own CPU profile to this file (it shares the cores with the server)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *url == "" || *nodes == "" || *results == "" || *clients < 1 || *npairs < 1 {
		return errors.New("-url, -nodes and -results are required; -clients and -pairs must be positive")
	}
	g, err := readGraph(*nodes)
	if err != nil {
		return err
	}
	pairs := g.pairs(*seed, *npairs)
	if *pairsOut != "" {
		var b strings.Builder
		for _, p := range pairs {
			b.WriteString(p[0] + " " + p[1] + "\n")
		}
		if err := os.WriteFile(*pairsOut, []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	client := &http.Client{Timeout: *timeout, Transport: &http.Transport{MaxIdleConnsPerHost: *clients}}
	for key, value := range map[string]any{"load_clients": *clients, "load_duration": lim.duration.Seconds(), "load_min_requests": lim.min} {
		if err := record(*results, key, value); err != nil {
			return err
		}
	}
	selected := func(name string) bool { return *only == "" || slices.Contains(strings.Split(*only, ","), name) }
	byName := map[string]workload{}
	for k, w := range workloads(g, pairs, *clients) {
		byName[w.name] = w
		if !selected(w.name) {
			continue
		}
		res, err := runPhase(client, *url, w, *clients, lim, *seed+uint64(k)<<32)
		if err != nil {
			return fmt.Errorf("%s: %w", w.name, err)
		}
		fmt.Fprintf(os.Stderr, "%-14s %7d requests  p50 %8.2f ms  p99 %8.2f ms  %8.1f req/s  %s\n",
			w.name, len(res.latencies), res.percentile(50), res.percentile(99), res.rate(), res.note(w))
		if err := record(*results, "query", w.name, len(res.latencies), res.percentile(50), res.percentile(99),
			res.rate(), w.label+"|"+res.note(w)); err != nil {
			return err
		}
	}
	if *ratioRounds > 0 && selected("nested") && selected("typename") {
		nested, ceiling, err := interleave(client, *url, byName["nested"], byName["typename"], *clients, *ratioRounds, *ratioSlice, *seed)
		if err != nil {
			return fmt.Errorf("interleaved ratio: %w", err)
		}
		fmt.Fprintf(os.Stderr, "interleaved    nested %.1f req/s, typename %.1f req/s: ratio %.3f\n", nested, ceiling, nested/ceiling)
		if err := record(*results, "ratio", nested/ceiling, nested, ceiling, *ratioRounds, ratioSlice.Seconds()); err != nil {
			return err
		}
	}
	return nil
}

// interleave measures the nested query's throughput against the ceiling's
// with the two in turns, slice by slice, for rounds rounds, and returns
// their rates over all their slices. Each kind's own phase above runs for
// its 10 s minutes apart from the other's, and machines of the kind the
// bench runs on change speed from minute to minute: the same build's ratio
// from those phases moved from 0.43 to 0.66 between runs, while slices in
// turns see the same machine.
func interleave(client *http.Client, url string, nested, ceiling workload, clients, rounds int, slice time.Duration, seed uint64) (nestedRate, ceilingRate float64, err error) {
	var counts [2]int
	var elapsed [2]time.Duration
	for r := range rounds {
		for i, w := range []workload{nested, ceiling} {
			res, err := runPhase(client, url, w, clients, limits{duration: slice, min: 1}, seed+uint64(r)<<40+uint64(i)<<32)
			if err != nil {
				return 0, 0, fmt.Errorf("%s: %w", w.name, err)
			}
			counts[i] += len(res.latencies)
			elapsed[i] += res.elapsed
		}
	}
	return float64(counts[0]) / elapsed[0].Seconds(), float64(counts[1]) / elapsed[1].Seconds(), nil
}

// phaseResult is what one workload measured.
type phaseResult struct {
	latencies []time.Duration
	elapsed   time.Duration
	objects   int // entities (objects with a name) in all answers, or the sum of the counted numbers
	nonEmpty  int // answers with at least one
}

func (p *phaseResult) percentile(q int) float64 {
	if len(p.latencies) == 0 {
		return 0
	}
	slices.Sort(p.latencies)
	i := (len(p.latencies)*q + 99) / 100 // nearest rank
	return float64(p.latencies[max(i-1, 0)]) / float64(time.Millisecond)
}

func (p *phaseResult) rate() float64 { return float64(len(p.latencies)) / p.elapsed.Seconds() }

func (p *phaseResult) note(w workload) string {
	n := max(len(p.latencies), 1)
	if w.found {
		return fmt.Sprintf("%.0f%% found a path", 100*float64(p.nonEmpty)/float64(n))
	}
	if w.counted != "" {
		return fmt.Sprintf("%.0f %s/answer", float64(p.objects)/float64(n), w.counted)
	}
	return fmt.Sprintf("%.0f entities/answer", float64(p.objects)/float64(n))
}

// limits say how long a phase runs: for duration, and then until min
// requests have completed, but never beyond max requests (if max > 0).
type limits struct {
	duration time.Duration
	min, max int
}

// runPhase runs one workload with several clients, after one warm-up
// request (not counted: it also proves the query valid before the clock
// starts). The first error stops the phase.
func runPhase(client *http.Client, url string, w workload, clients int, lim limits, seed uint64) (*phaseResult, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := newCaller(client, url).send(ctx, w.next(rand.New(rand.NewPCG(seed, 1<<20)), 0, 0), w.counted); err != nil {
		return nil, err
	}
	var (
		mu       sync.Mutex
		res      phaseResult
		firstErr error
		sent     atomic.Int64 // requests started
		done     atomic.Int64 // requests completed
		wg       sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(lim.duration)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, uint64(c)))
			caller := newCaller(client, url)
			var mine phaseResult
			for i := 0; ctx.Err() == nil && (time.Now().Before(deadline) || done.Load() < int64(lim.min)); i++ {
				if lim.max > 0 && sent.Add(1) > int64(lim.max) {
					break
				}
				req := w.next(r, c, i)
				t := time.Now()
				objects, err := caller.send(ctx, req, w.counted)
				if err != nil {
					mu.Lock()
					if firstErr == nil && ctx.Err() == nil {
						firstErr = err
					}
					mu.Unlock()
					cancel()
					return
				}
				mine.latencies = append(mine.latencies, time.Since(t))
				done.Add(1)
				mine.objects += objects
				if objects > 0 {
					mine.nonEmpty++
				}
			}
			mu.Lock()
			res.latencies = append(res.latencies, mine.latencies...)
			res.objects += mine.objects
			res.nonEmpty += mine.nonEmpty
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	if firstErr != nil {
		return nil, firstErr
	}
	if len(res.latencies) == 0 {
		return nil, errors.New("no request completed")
	}
	return &res, nil
}

// response is a GraphQL response; a response with errors fails the
// benchmark, since timing error answers would measure nothing useful.
type response struct {
	Data   any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// A caller is one client's connection to the server, with the buffers it
// reuses from request to request: on the two cores the load generator
// shares with the server, reading each answer into a new slice and
// encoding each query anew cost it 17 µs per nested request (profiled),
// time taken from the server it measures.
type caller struct {
	client *http.Client
	url    string
	body   []byte       // the request being sent
	answer bytes.Buffer // the last answer
	// queries are the queries sent so far, JSON-encoded.
	queries map[string][]byte
}

func newCaller(client *http.Client, url string) *caller {
	return &caller{client: client, url: url + "/graphql", queries: map[string][]byte{}}
}

// encode writes req as a JSON request body into c.body.
func (c *caller) encode(req request) error {
	q, ok := c.queries[req.Query]
	if !ok {
		var err error
		if q, err = json.Marshal(req.Query); err != nil {
			return err
		}
		c.queries[req.Query] = q
	}
	c.body = append(append(c.body[:0], `{"query":`...), q...)
	if len(req.Variables) > 0 {
		vars, err := json.Marshal(req.Variables)
		if err != nil {
			return err
		}
		c.body = append(append(c.body, `,"variables":`...), vars...)
	}
	c.body = append(c.body, '}')
	return nil
}

// post sends c.body and returns the answer, valid until the next post.
func (c *caller) post(ctx context.Context) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(c.body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	c.answer.Reset()
	if _, err := c.answer.ReadFrom(resp.Body); err != nil {
		return nil, err
	}
	data := c.answer.Bytes()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d: %.500s", resp.StatusCode, data)
	}
	return data, nil
}

// send posts a request and returns the number of entities (objects with a
// name) in the answer, or with counted, the first number of that name in it.
//
// An answer that starts with data and has no "errors" key is counted from
// its bytes: decoding it cost the load generator, on the same two cores as
// the server, 175 µs per nested answer (40% of what the server spent), and
// checking it 37 µs. The server's own tests check that its answers are JSON.
func (c *caller) send(ctx context.Context, req request, counted string) (int, error) {
	if err := c.encode(req); err != nil {
		return 0, err
	}
	data, err := c.post(ctx)
	if err != nil {
		return 0, err
	}
	if counted == "" && bytes.HasPrefix(data, []byte(`{"data":{`)) && !bytes.Contains(data, []byte(`"errors":`)) {
		return countObjects(data), nil
	}
	var resp response
	if err := json.Unmarshal(data, &resp); err != nil {
		return 0, fmt.Errorf("not a GraphQL response (%v): %.300s", err, data)
	}
	if len(resp.Errors) > 0 {
		e := resp.Errors[0]
		vars, _ := json.Marshal(req.Variables)
		return 0, fmt.Errorf("GraphQL error (1st of %d): %s (code %v, path %v)\nquery: %s\nvariables: %s",
			len(resp.Errors), e.Message, e.Extensions["code"], e.Path, strings.Join(strings.Fields(req.Query), " "), vars)
	}
	if resp.Data == nil {
		return 0, fmt.Errorf("no data in the response: %.300s", data)
	}
	n, _ := firstNumber(resp.Data, counted)
	return n, nil
}

// firstNumber returns the first number named key in v, depth first.
func firstNumber(v any, key string) (int, bool) {
	switch x := v.(type) {
	case map[string]any:
		if n, ok := x[key].(float64); ok {
			return int(n), true
		}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if n, ok := firstNumber(x[k], key); ok {
				return n, true
			}
		}
	case []any:
		for _, y := range x {
			if n, ok := firstNumber(y, key); ok {
				return n, true
			}
		}
	}
	return 0, false
}

// countObjects counts the JSON objects with a "name" in data, by its keys:
// in a JSON string a quote is escaped, so `"name":` is always a key.
func countObjects(data []byte) int {
	return bytes.Count(data, []byte(`"name":`))
}
