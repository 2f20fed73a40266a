package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// results are the lines the other subcommands, the script and the NetworkX
// script appended: "key value…".
type results struct {
	values  map[string][]string
	queries [][]string // name, requests, p50, p99, rate, label|note
}

func readResults(name string) (*results, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := &results{values: map[string][]string{}}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.SplitN(sc.Text(), " ", 7)
		switch {
		case len(fields) < 2:
		case fields[0] == "query" && len(fields) == 7:
			r.queries = append(r.queries, fields[1:])
		default:
			r.values[fields[0]] = fields[1:]
		}
	}
	return r, sc.Err()
}

// num returns the i-th value of key as a number, and whether there is one.
func (r *results) num(key string, i int) (float64, bool) {
	v := r.values[key]
	if i >= len(v) {
		return 0, false
	}
	x, err := strconv.ParseFloat(v[i], 64)
	return x, err == nil
}

// thousands formats n with thousands separators: 1,000,000.
func thousands(n float64) string {
	s := strconv.FormatInt(int64(n+0.5), 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func mib(kb float64) string { return thousands(kb/1024) + " MiB" }

// runReport prints the results as one markdown table.
func runReport(args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	name := fs.String("results", "", "results file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	r, err := readResults(*name)
	if err != nil {
		return err
	}
	var missing []string
	get := func(key string, i int) float64 {
		x, ok := r.num(key, i)
		if !ok {
			missing = append(missing, key)
		}
		return x
	}
	var b strings.Builder
	row := func(measure, result string, cells ...string) {
		cells = append(cells, "", "", "")[:3]
		fmt.Fprintf(&b, "| %s | %s | %s |\n", measure, result, strings.Join(cells, " | "))
	}
	b.WriteString("| Measure | Result | p50 | p99 | req/s |\n|---|---|---:|---:|---:|\n")
	entities, rels, records := get("graph", 0), get("graph", 1), get("records", 0)
	row("Graph (`vjkg generate`)", fmt.Sprintf("%s entities, %s relationships, %s records in all; generated in %.2f s",
		thousands(entities), thousands(rels), thousands(records), get("generate_seconds", 0)))
	importSeconds := get("import_seconds", 0)
	row("`vjkg import` into a fresh embedded store (validation + writes)",
		fmt.Sprintf("%.1f s: **%s records/s**", importSeconds, thousands(records/importSeconds)))
	row("Importer peak memory (max RSS)", mib(get("import_maxrss_kb", 0)))
	row("Server start to ready (`/readyz` 200)", fmt.Sprintf("%.2f s", get("ready_seconds", 0)))
	row("Server resident memory when ready (VmRSS; VmHWM)", mib(get("rss_ready_kb", 0))+"; "+mib(get("hwm_ready_kb", 0)))
	row("Server resident memory after the load (VmRSS; VmHWM)", mib(get("rss_after_kb", 0))+"; "+mib(get("hwm_after_kb", 0)))
	row("Load", fmt.Sprintf("%.0f clients, %.0f s per query kind and at least %.0f requests (after one warm-up request), server request timeout %.0f s",
		get("load_clients", 0), get("load_duration", 0), get("load_min_requests", 0), get("request_timeout", 0)))
	rates := map[string]float64{}
	for _, q := range r.queries {
		label, note, _ := strings.Cut(q[5], "|")
		rate, _ := strconv.ParseFloat(q[4], 64)
		rates[q[0]] = rate
		requests, _ := strconv.ParseFloat(q[1], 64)
		row(label, fmt.Sprintf("%s requests; %s", thousands(requests), note),
			ms(q[2]), ms(q[3]), perSecond(rate))
	}
	if len(r.queries) == 0 {
		missing = append(missing, "query")
	}
	row("NetworkX `bidirectional_shortest_path`, in-process, the same pairs",
		fmt.Sprintf("%s pairs; %.0f%% found a path (any length)", thousands(get("networkx", 0)), get("networkx", 3)),
		ms(fmt.Sprint(get("networkx", 1))), ms(fmt.Sprint(get("networkx", 2))))
	if rates["typename"] > 0 {
		row("Throughput ratio: nested / `__typename`, from their phases above", fmt.Sprintf("%.3g (%s / %s req/s)",
			rates["nested"]/rates["typename"], perSecond(rates["nested"]), perSecond(rates["typename"])))
	}
	if ratio, ok := r.num("ratio", 0); ok {
		nested, ceiling := get("ratio", 1), get("ratio", 2)
		row(fmt.Sprintf("Throughput ratio: nested / `__typename`, interleaved (%.0f rounds of %g s each, in turns)", get("ratio", 3), get("ratio", 4)),
			fmt.Sprintf("**%.3g** (%s / %s req/s)", ratio, perSecond(nested), perSecond(ceiling)))
	}
	if len(missing) > 0 {
		return fmt.Errorf("the results lack %s", strings.Join(missing, ", "))
	}
	fmt.Print(b.String())
	return nil
}

func perSecond(rate float64) string {
	if rate < 10 {
		return fmt.Sprintf("%.2f", rate)
	}
	return thousands(rate)
}

func ms(v string) string {
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return v
	}
	if x < 10 {
		return fmt.Sprintf("%.2f ms", x)
	}
	return fmt.Sprintf("%.0f ms", x)
}
