package synth_test

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/seed"
	"github.com/vjkg/vjkg/synth"
)

// files generates a graph in memory.
func files(t *testing.T, c synth.Config) []seed.File {
	t.Helper()
	g, err := synth.New(c)
	if err != nil {
		t.Fatal(err)
	}
	var out []seed.File
	for _, f := range []struct {
		name  string
		write func(io.Writer) error
	}{{synth.SourcesFile, g.WriteSources}, {synth.NodesFile, g.WriteNodes}, {synth.EdgesFile, g.WriteEdges}} {
		var b bytes.Buffer
		if err := f.write(&b); err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		out = append(out, seed.File{Name: f.name, Data: b.Bytes()})
	}
	return out
}

func TestDeterministic(t *testing.T) {
	c := synth.Config{Entities: 3000, Relationships: 15000, Seed: 7}
	a, b := files(t, c), files(t, c)
	for i := range a {
		if !bytes.Equal(a[i].Data, b[i].Data) {
			t.Errorf("%s differs between two runs with the same config", a[i].Name)
		}
	}
	c.Seed = 8
	other := files(t, c)
	for _, i := range []int{1, 2} { // nodes and edges
		if bytes.Equal(a[i].Data, other[i].Data) {
			t.Errorf("%s is the same with another seed", a[i].Name)
		}
	}
}

// TestValid parses a generated graph with the importer's own parser: zero
// problems, and everything the generator promises is there.
func TestValid(t *testing.T) {
	const entities, relationships = 2000, 10000
	fs := files(t, synth.Config{Entities: entities, Relationships: relationships, Seed: 1})
	b, err := seed.Parse(fs...)
	if err != nil {
		t.Fatalf("the parser found problems: %v", err)
	}
	if len(b.Entities) != entities || len(b.Relationships) != relationships {
		t.Fatalf("got %d entities and %d relationships, want %d and %d", len(b.Entities), len(b.Relationships), entities, relationships)
	}
	kinds := map[kg.Kind]int{}
	countries := map[string]bool{}
	var kanji, aliases, diacritics int
	vietnamese := regexp.MustCompile(`[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĐ]`)
	for _, e := range b.Entities {
		kinds[e.Kind]++
		countries[e.Country] = true
		if len(e.LocalNames) > 0 {
			kanji++
		}
		if len(e.Aliases) > 0 {
			aliases++
		}
		if vietnamese.MatchString(e.Name) {
			diacritics++
		}
		if len(e.Citations) != 1 {
			t.Errorf("%s has %d citations", e.ID, len(e.Citations))
		}
	}
	for _, k := range kg.Kinds {
		if kinds[k] == 0 {
			t.Errorf("no %s", k)
		}
	}
	if !countries["VN"] || !countries["JP"] {
		t.Errorf("countries: %v", countries)
	}
	for what, n := range map[string]int{"names in kanji": kanji, "aliases": aliases, "Vietnamese names": diacritics} {
		if n < entities/20 {
			t.Errorf("only %d entities have %s", n, what)
		}
	}

	types := map[kg.RelType]int{}
	precisions := map[kg.Precision]int{}
	degree := map[string]int{}
	var ranges int
	for _, r := range b.Relationships {
		types[r.Type]++
		precisions[r.ValidFrom.Precision()]++
		if !r.ValidTo.IsZero() {
			ranges++
		}
		degree[r.From]++
		degree[r.To]++
		if len(r.Citations) != 1 {
			t.Errorf("%s has %d citations", r.ID, len(r.Citations))
		}
	}
	if len(types) < 10 {
		t.Errorf("only %d relationship types: %v", len(types), types)
	}
	for _, p := range []kg.Precision{kg.PrecisionYear, kg.PrecisionMonth, kg.PrecisionDay} {
		if precisions[p] == 0 {
			t.Errorf("no relationship valid from a date of precision %s", p)
		}
	}
	if ranges == 0 {
		t.Error("no relationship has a validTo")
	}

	// A skewed degree distribution: hubs far above the mean.
	top := 0
	for _, d := range degree {
		top = max(top, d)
	}
	mean := float64(2*relationships) / entities
	if float64(top) < 20*mean {
		t.Errorf("the largest degree is %d, not far above the mean %.1f", top, mean)
	}
}

func TestSmallestGraph(t *testing.T) {
	b, err := seed.Parse(files(t, synth.Config{Entities: synth.MinEntities, Relationships: 20})...)
	if err != nil || len(b.Relationships) != 20 {
		t.Fatalf("%v", err)
	}
}

func TestConfigLimits(t *testing.T) {
	for _, c := range []synth.Config{
		{Entities: synth.MinEntities - 1},
		{Entities: 100, Relationships: -1},
		{Entities: 100, Relationships: 100*synth.MaxRelationshipsPerEntity + 1},
	} {
		if _, err := synth.New(c); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
	// Too dense for its size: an error, not a hang or a short file.
	g, err := synth.New(synth.Config{Entities: synth.MinEntities, Relationships: synth.MinEntities * synth.MaxRelationshipsPerEntity})
	if err != nil {
		t.Fatal(err)
	}
	if err := g.WriteEdges(io.Discard); err == nil || !strings.Contains(err.Error(), "distinct relationships") {
		t.Errorf("got %v", err)
	}
}
