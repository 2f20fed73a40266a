package neo4j

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/vjkg/vjkg/internal/external"
	"github.com/vjkg/vjkg/kg"
)

// sampleParams gives each parameter a value of the type the backend sends,
// so that the front end's type checks see what Neo4j would see.
var sampleParams = map[string]any{
	"ids": []string{"locality:ha-noi"}, "kinds": []string{"LOCALITY"}, "types": []string{"PART_OF"},
	"countries": []string{"VN"}, "text": "hanoi", "from": "2020-01-01", "to": "2020-12-31", "asOf": "2020-01-01", "sourceKey": "|source:x|",
	"skip": 0, "limit": 20,
	"id": "history", "token": "t", "seq": 1, "pos": 1, "doc": "{}", "record": "locality:ha-noi", "actor": "alice",
	"seqs": []int64{1}, "positions": []int64{1}, "before": "2026-01-01T00:00:00.000000000Z",
	"rows": []map[string]any{{"id": "x", "from": "a", "to": "b", "role": "", "fromKey": minDay, "toKey": maxDay, "sourceKey": "", "doc": "{}", "title": "t"}},
}

// allowedWarnings lists the warnings we accept, with the reason.
var allowedWarnings = map[string]string{}

// TestCypherIsValidNeo4j checks every statement of Statements() with Neo4j's
// Cypher front end (npm @neo4j-cypher/language-support, installed by
// scripts/test.sh from tools/cypherlint/package-lock.json): no errors, and no
// warnings but the ones allowedWarnings explains.
func TestCypherIsValidNeo4j(t *testing.T) {
	lint := filepath.Join("..", "tools", "cypherlint")
	if _, err := os.Stat(filepath.Join(lint, "node_modules", "@neo4j-cypher", "language-support")); err != nil {
		if os.Getenv("VJKG_REQUIRE_CYPHERLINT") != "" {
			t.Fatal("the Cypher front end is not installed: run npm ci in tools/cypherlint")
		}
		t.Skip("the Cypher front end is not installed (npm ci in tools/cypherlint; scripts/test.sh does it)")
	}
	statements := Statements()
	type entry struct {
		Name   string         `json:"name"`
		Cypher string         `json:"cypher"`
		Params map[string]any `json:"params"`
	}
	var entries []entry
	declared := regexp.MustCompile(`\$([a-zA-Z]+)`)
	for _, st := range statements {
		params := map[string]any{}
		for _, p := range st.Params {
			v, ok := sampleParams[p]
			if !ok {
				t.Fatalf("%s: no sample value for $%s", st.Name, p)
			}
			params[p] = v
		}
		// Every $name in the text must be declared, and every declared one used.
		for _, m := range declared.FindAllStringSubmatch(st.Cypher, -1) {
			if _, ok := params[m[1]]; !ok {
				t.Errorf("%s: uses undeclared $%s", st.Name, m[1])
			}
		}
		for p := range params {
			if !strings.Contains(st.Cypher, "$"+p) {
				t.Errorf("%s: declares $%s but does not use it", st.Name, p)
			}
		}
		entries = append(entries, entry{st.Name, st.Cypher, params})
	}
	var labelList []string
	for _, l := range labels {
		labelList = append(labelList, l)
	}
	schema := map[string]any{
		"labels":            append(labelList, "Entity", "Source", "History", "Revision", "Change"),
		"relationshipTypes": stringList(kg.RelTypes()),
		"propertyKeys": []string{"id", "kind", "name", "sortName", "searchText", "type", "country", "dated",
			"spanFirst", "spanLast", "startKey", "doc", "role", "fromKey", "toKey", "title", "from", "to", "sourceKey",
			"seq", "pos", "lockedBy", "record", "actor", "time"},
	}
	// The front end takes about 40 ms a statement: split the work across
	// the machine's cores.
	workers := max(runtime.NumCPU(), 1)
	chunks := make([][]entry, workers)
	for i, e := range entries {
		chunks[i*workers/len(entries)] = append(chunks[i*workers/len(entries)], e)
	}
	type result struct {
		Name        string
		Diagnostics []struct {
			Severity int
			Message  string
		}
	}
	outs := make([][]result, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range chunks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			file := filepath.Join(t.TempDir(), fmt.Sprintf("statements-%d.json", w))
			data, _ := json.Marshal(map[string]any{"schema": schema, "statements": chunks[w]})
			if errs[w] = os.WriteFile(file, data, 0o644); errs[w] != nil {
				return
			}
			out, err := external.Output(exec.Command("node", filepath.Join(lint, "lint.mjs"), file))
			if err != nil {
				errs[w] = err
				return
			}
			errs[w] = json.Unmarshal(out, &outs[w])
		}()
	}
	wg.Wait()
	var results []result
	for w := range outs {
		if errs[w] != nil {
			t.Fatal(errs[w])
		}
		results = append(results, outs[w]...)
	}
	if len(results) != len(statements) {
		t.Fatalf("linted %d statements, sent %d", len(results), len(statements))
	}
	for i, r := range results {
		for _, d := range r.Diagnostics {
			if d.Severity == 2 {
				if _, ok := allowedWarnings[d.Message]; ok {
					continue
				}
			}
			t.Errorf("%s: severity %d: %s\n    %s", r.Name, d.Severity, d.Message, statements[i].Cypher)
		}
	}
	t.Logf("%d statements checked by Neo4j's Cypher front end", len(results))
}
