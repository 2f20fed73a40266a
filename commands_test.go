package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func runCommand(t *testing.T, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := dispatch(context.Background(), args, func(k string) string { return env[k] }, &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

func TestCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"DATA_DIR": filepath.Join(dir, "data")}
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// Karatsu is not in the seed; Saga, the prefecture it links to, is.
	nodes := write("nodes.csv", "Id,Label,kind,type,country,source,quote\nlocality:karatsu,Karatsu,locality,city,JP,source:iso-3166-2-jp,JP-41 Saga\n")
	edges := write("edges.csv", "Source,Target,relation,citations\nlocality:karatsu,locality:saga,PART_OF,\"[{\"\"source\"\":\"\"source:iso-3166-2-jp\"\",\"\"quote\"\":\"\"JP-41 Saga\"\"}]\"\n")

	t.Run("CheckNeedsReferencesInTheFiles", func(t *testing.T) {
		_, stderr, err := runCommand(t, env, "check", nodes)
		if err == nil || !strings.Contains(stderr, `unknown source "source:iso-3166-2-jp"`) || !strings.Contains(stderr, "nodes.csv:2") {
			t.Errorf("check: %v\n%s", err, stderr)
		}
	})
	t.Run("Import", func(t *testing.T) {
		out, stderr, err := runCommand(t, env, "import", nodes, edges)
		if err != nil {
			t.Fatalf("import: %v\n%s", err, stderr)
		}
		if !strings.Contains(out, "1 entities (1 new") || !strings.Contains(stderr, "100% 2/2 records") {
			t.Errorf("import said:\n%s\n%s", out, stderr)
		}
		out, _, _ = runCommand(t, env, "import", nodes, edges)
		if !strings.Contains(out, "1 entities (0 new, 0 changed, 1 unchanged)") {
			t.Errorf("second import said: %s", out)
		}
	})
	t.Run("ImportInvalid", func(t *testing.T) {
		bad := write("bad.csv", "Id,Label,kind,type,source,quote\nlocality:x,X,locality,planet,source:iso-3166-2-jp,q\n")
		_, stderr, err := runCommand(t, env, "import", bad)
		if err == nil || !strings.Contains(err.Error(), "nothing was written") || !strings.Contains(stderr, `bad.csv:2: entity "locality:x": field type`) {
			t.Errorf("invalid import: %v\n%s", err, stderr)
		}
	})
	t.Run("Export", func(t *testing.T) {
		out := filepath.Join(dir, "karatsu.graphml")
		_, stderr, err := runCommand(t, env, "export", "-scope", "neighborhood", "-id", "locality:karatsu", "-o", out)
		if err != nil {
			t.Fatalf("export: %v\n%s", err, stderr)
		}
		data, _ := os.ReadFile(out)
		if !bytes.Contains(data, []byte(`<node id="locality:karatsu">`)) || !bytes.Contains(data, []byte(`<node id="locality:saga">`)) {
			t.Errorf("export:\n%.500s", data)
		}
		_, _, err = runCommand(t, env, "export", "-format", "pdf")
		if err == nil || !strings.Contains(err.Error(), "format") {
			t.Errorf("bad format: %v", err)
		}
	})
	t.Run("Unknown", func(t *testing.T) {
		if _, _, err := runCommand(t, env, "frobnicate"); err == nil {
			t.Error("an unknown command succeeded")
		}
	})
}

// TestExampleImportFiles imports the README's example files into a seeded
// store, twice.
func TestExampleImportFiles(t *testing.T) {
	env := map[string]string{"DATA_DIR": filepath.Join(t.TempDir(), "data")}
	files, _ := filepath.Glob(filepath.Join("examples", "import", "*.*"))
	var args []string
	for _, f := range files {
		if !strings.HasSuffix(f, ".md") {
			args = append(args, f)
		}
	}
	if len(args) != 4 {
		t.Fatalf("example files: %v", args)
	}
	out, stderr, err := runCommand(t, env, append([]string{"import"}, args...)...)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	if !strings.Contains(out, "2 sources (2 new") || !strings.Contains(out, "2 entities (2 new") || !strings.Contains(out, "3 relationships (3 new") {
		t.Errorf("import said: %s", out)
	}
	out, _, _ = runCommand(t, env, append([]string{"import"}, args...)...)
	if !strings.Contains(out, "0 write batch(es)") || strings.Contains(out, "revision") {
		t.Errorf("second import said: %s", out)
	}

	// The first import is one revision by the -actor given (the seed is
	// revision 1); compaction deletes both.
	env["DATA_DIR"] = filepath.Join(t.TempDir(), "data2")
	out, stderr, err = runCommand(t, env, append([]string{"import", "-actor", "researcher", "-message", "examples"}, args...)...)
	if err != nil || !strings.Contains(out, "; revision 2") {
		t.Fatalf("import with an actor: %v %s%s", err, out, stderr)
	}
	if _, _, err := runCommand(t, env, "history", "compact", "-before", "someday"); err == nil {
		t.Error("compact accepted a bad day")
	}
	tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)
	out, stderr, err = runCommand(t, env, "history", "compact", "-before", tomorrow)
	if err != nil || !strings.Contains(out, "deleted 2 revision(s)") {
		t.Errorf("compact: %v %s%s", err, out, stderr)
	}
}

// TestGenerate writes a synthetic graph twice, compares the files, and
// checks them with the check command.
func TestGenerate(t *testing.T) {
	dirs := []string{filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")}
	for _, dir := range dirs {
		out, stderr, err := runCommand(t, nil, "generate", "-entities", "300", "-seed", "3", "-out", dir)
		if err != nil || !strings.Contains(out, "generated 300 entities and 1500 relationships") {
			t.Fatalf("generate: %v\n%s%s", err, out, stderr)
		}
	}
	var names []string
	for _, f := range []string{"sources.csv", "nodes.csv", "edges.csv"} {
		a, errA := os.ReadFile(filepath.Join(dirs[0], f))
		b, errB := os.ReadFile(filepath.Join(dirs[1], f))
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			t.Errorf("%s: not the same twice (%v, %v)", f, errA, errB)
		}
		names = append(names, filepath.Join(dirs[0], f))
	}
	out, stderr, err := runCommand(t, nil, append([]string{"check"}, names...)...)
	if err != nil || !strings.Contains(out, "ok: 5 sources, 300 entities, 1500 relationships") {
		t.Errorf("check: %v\n%s%s", err, out, stderr)
	}
	if _, _, err := runCommand(t, nil, "generate", "-entities", "300"); err == nil {
		t.Error("generate without -out succeeded")
	}
}

// TestCoverage writes the seed's coverage report, as the committed
// docs/seed-coverage.md was written.
func TestCoverage(t *testing.T) {
	out := filepath.Join(t.TempDir(), "coverage.md")
	if _, stderr, err := runCommand(t, nil, "coverage", "-o", out); err != nil {
		t.Fatalf("coverage: %v\n%s", err, stderr)
	}
	got, err := os.ReadFile(out)
	want, errWant := os.ReadFile(filepath.Join("docs", "seed-coverage.md"))
	if err != nil || errWant != nil || !bytes.Equal(got, want) {
		t.Errorf("the report differs from docs/seed-coverage.md (%v, %v)", err, errWant)
	}
}
