package importer_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/vjkg/vjkg/importer"
	"github.com/vjkg/vjkg/internal/testgraph"
	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/seed"
)

var ctx = context.Background()

func seededStore(t *testing.T) kg.Store { return testgraph.Seeded(t) }

// A researcher's file that links new entities to ones already in the graph.
var researcherFiles = []seed.File{
	{Name: "sources.csv", Data: []byte("id,title,language,type\nsource:survey-2026,Local cooperation survey 2026,en,dataset\n")},
	{Name: "nodes.csv", Data: []byte("Id,Label,kind,type,country,source,quote\n" +
		"locality:karatsu,Karatsu,locality,city,JP,source:survey-2026,Karatsu answered the survey\n")},
	{Name: "edges.csv", Data: []byte("Source,Target,relation,citations\n" +
		`locality:karatsu,locality:ha-noi,COOPERATES_WITH,"[{""source"":""source:survey-2026"",""quote"":""Karatsu works with Hà Nội""}]"` + "\n" +
		`locality:karatsu,locality:saga,PART_OF,"[{""source"":""source:iso-3166-2-jp"",""quote"":""JP-41 Saga""}]"` + "\n")},
}

func counts(t *testing.T, s kg.Store) (int, int) {
	_, n, err := s.FindEntities(ctx, kg.EntityFilter{})
	if err != nil {
		t.Fatal(err)
	}
	_, r, err := s.FindRelationships(ctx, kg.RelationshipFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n, r
}

func TestImportIsIdempotent(t *testing.T) {
	s := seededStore(t)
	n0, r0 := counts(t, s)
	in := importer.Files(researcherFiles...)
	if _, err := importer.Check(ctx, s, in...); err != nil {
		t.Fatalf("references to entities already in the store must resolve: %v", err)
	}
	first, err := importer.Import(ctx, s, in, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if first.Entities.Created != 1 || first.Relationships.Created != 2 || first.Sources.Created != 1 || first.Batches != 3 {
		t.Errorf("first import: %s", first)
	}
	n1, r1 := counts(t, s)
	if n1 != n0+1 || r1 != r0+2 {
		t.Errorf("after the first import: %d entities, %d relationships; want %d and %d", n1, r1, n0+1, r0+2)
	}
	if _, err := importer.Check(ctx, s, in...); err != nil {
		t.Fatal(err)
	}
	second, err := importer.Import(ctx, s, in, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if second.Batches != 0 || second.Entities.Unchanged != 1 || second.Relationships.Unchanged != 2 || second.Sources.Unchanged != 1 {
		t.Errorf("the second import should change nothing: %s", second)
	}
	if n2, r2 := counts(t, s); n2 != n1 || r2 != r1 {
		t.Errorf("the second import changed the counts: %d→%d, %d→%d", n1, n2, r1, r2)
	}
}

func TestInvalidInputWritesNothing(t *testing.T) {
	s := seededStore(t)
	n0, r0 := counts(t, s)
	bad := append([]seed.File{}, researcherFiles...)
	bad[2] = seed.File{Name: "edges.csv", Data: []byte(strings.Replace(string(researcherFiles[2].Data), "locality:ha-noi", "locality:atlantis", 1))}
	_, err := importer.Check(ctx, s, importer.Files(bad...)...)
	var ps seed.Problems
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].File != "edges.csv" || ps[0].Line != 2 || !strings.Contains(ps[0].Reason, "locality:atlantis") {
		t.Fatalf("problems = %v", err)
	}
	if n, r := counts(t, s); n != n0 || r != r0 {
		t.Errorf("an invalid import wrote something")
	}
}

func TestBatchesAndProgress(t *testing.T) {
	s := seededStore(t)
	var rows strings.Builder
	rows.WriteString("Id,Label,kind,type,source,quote\n")
	for i := range 1000 {
		fmt.Fprintf(&rows, "event:e%04d,Event %d,event,meeting,source:vj-local-forum-2025,q\n", i, i)
	}
	in := importer.Files(seed.File{Name: "events.csv", Data: []byte(rows.String())})
	n, err := importer.Check(ctx, s, in...)
	if err != nil || n.Entities != 1000 {
		t.Fatal(n, err)
	}
	var progress []int
	sum, err := importer.Import(ctx, s, in, importer.Options{BatchSize: 100, Total: n.Total(), Progress: func(done, total int) {
		if total != 1000 {
			t.Errorf("total = %d", total)
		}
		progress = append(progress, done)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Batches != 10 || len(progress) != 10 || progress[0] != 100 || progress[9] != 1000 {
		t.Errorf("batches = %d, progress = %v", sum.Batches, progress)
	}
}
