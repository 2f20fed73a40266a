package measure_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/vjkg/vjkg/export"
	"github.com/vjkg/vjkg/internal/external"
	"github.com/vjkg/vjkg/internal/testgraph"
	"github.com/vjkg/vjkg/measure"
)

// TestAgreesWithNetworkX computes the measures of the whole seed graph and
// compares every entity's with what NetworkX computes from the GraphML
// export.
func TestAgreesWithNetworkX(t *testing.T) {
	python := external.Python(t)
	g, err := export.Collect(context.Background(), testgraph.Seeded(t), export.Scope{}, export.DefaultBounds)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := export.WriteGraphML(&buf, g); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "graph.graphml")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := external.Output(exec.Command(python, filepath.Join("testdata", "networkx_measures.py"), file))
	if err != nil {
		t.Fatal(err)
	}
	var want map[string][3]float64
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	nodes := make([]string, len(g.Entities))
	for i, e := range g.Entities {
		nodes[i] = e.ID
	}
	got := measure.Compute(nodes, g.Relationships, measure.ByBetweenness)
	if len(got) != len(want) {
		t.Fatalf("%d scores, NetworkX has %d nodes", len(got), len(want))
	}
	for _, s := range got {
		w := want[s.ID]
		if float64(s.Degree) != w[0] || math.Abs(s.Betweenness-w[1]) > 1e-9 || math.Abs(s.PageRank-w[2]) > 1e-6 {
			t.Errorf("%s: degree %d, betweenness %.9f, PageRank %.9f; NetworkX %v", s.ID, s.Degree, s.Betweenness, s.PageRank, w)
		}
	}
	if got[0].ID != "locality:vietnam" {
		t.Errorf("highest betweenness: %s", got[0].ID)
	}
}
