package testgraph

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"testing"

	"github.com/vjkg/vjkg/importer"
	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/seed"
)

// SyntheticCSV writes n synthetic organisations and 2n relationships among
// them (each cooperates with the next and with one further on) as the CSV
// node and edge lists the importer reads, for tests and measurements that
// need a graph larger than the seed. Every fact cites the seed's ISO
// 3166-2 source, so the files import into a seeded store.
func SyntheticCSV(n int) (nodes, edges []byte) { return SyntheticCSVNamed("synthetic", n) }

// SyntheticCSVNamed is SyntheticCSV with ids org:<name>-000000 and on, so
// that several synthetic graphs can live side by side.
func SyntheticCSVNamed(name string, n int) (nodes, edges []byte) {
	id := func(i int) string { return fmt.Sprintf("org:%s-%06d", name, i) }
	var nb, eb bytes.Buffer
	nw, ew := csv.NewWriter(&nb), csv.NewWriter(&eb)
	nw.Write([]string{"Id", "Label", "kind", "type", "country", "description", "source", "quote"})
	ew.Write([]string{"Source", "Target", "relation", "role", "citations"})
	const cite = `[{"source":"source:iso-3166-2-jp","quote":"JP-40 Fukuoka"}]`
	country := []string{"JP", "VN"}
	for i := range n {
		nw.Write([]string{id(i), fmt.Sprintf("Organisation %s %d", name, i), "organization", "company", country[i%2],
			fmt.Sprintf("A synthetic company, number %d of %d, that exists to make the graph large enough to measure.", i, n),
			"source:iso-3166-2-jp", "JP-40 Fukuoka"})
		targets := []int{(i + 1) % n}
		if further := (i*7 + 3) % n; further != targets[0] {
			targets = append(targets, further)
		}
		for _, j := range targets {
			if j != i {
				ew.Write([]string{id(i), id(j), "COOPERATES_WITH", "partner", cite})
			}
		}
	}
	nw.Flush()
	ew.Flush()
	return nb.Bytes(), eb.Bytes()
}

// AddSynthetic imports SyntheticCSV(n) into s, which must hold the seed.
func AddSynthetic(tb testing.TB, s kg.Store, n int) {
	tb.Helper()
	nodes, edges := SyntheticCSV(n)
	ctx := context.Background()
	in := importer.Files(seed.File{Name: "nodes.csv", Data: nodes}, seed.File{Name: "edges.csv", Data: edges})
	if _, err := importer.Check(ctx, s, in...); err != nil {
		tb.Fatal(err)
	}
	if _, err := importer.Import(ctx, s, in, importer.Options{BatchSize: 5000}); err != nil {
		tb.Fatal(err)
	}
}
