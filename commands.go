package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vjkg/vjkg/coverage"
	"github.com/vjkg/vjkg/export"
	"github.com/vjkg/vjkg/importer"
	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/seed"
	"github.com/vjkg/vjkg/synth"
)

// pathInputs checks that the named files can be read and returns them as
// the loader's inputs, which it streams.
func pathInputs(names []string) ([]seed.Input, error) {
	if len(names) == 0 {
		return nil, errors.New("name at least one file (.yaml, .yml or .csv)")
	}
	var inputs []seed.Input
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			return nil, err
		}
		f.Close()
		inputs = append(inputs, seed.PathInput(n))
	}
	return inputs, nil
}

// reportProblems prints every problem of an invalid input, one a line.
func reportProblems(err error, stderr io.Writer) error {
	var ps seed.Problems
	if errors.As(err, &ps) {
		for _, p := range ps {
			fmt.Fprintln(stderr, p)
		}
		return fmt.Errorf("%d problem(s): nothing was written", len(ps))
	}
	return err
}

// runCheck validates files without a store: references must resolve within
// the files themselves.
func runCheck(args []string, stdout, stderr io.Writer) error {
	inputs, err := pathInputs(args)
	if err != nil {
		return err
	}
	n, err := seed.Check(context.Background(), seed.Options{}, inputs...)
	if err != nil {
		return reportProblems(err, stderr)
	}
	fmt.Fprintf(stdout, "ok: %d sources, %d entities, %d relationships\n", n.Sources, n.Entities, n.Relationships)
	return nil
}

// openForCommand opens the configured store, waits (a minute at most) for
// it to be ready, and seeds it if it is empty (unless -seed=false), as the
// server would.
func openForCommand(ctx context.Context, cfg *config, stderr io.Writer) (kg.Store, error) {
	s, ready, err := openStore(cfg, newLogger(cfg, stderr))
	if err != nil {
		return nil, err
	}
	select {
	case <-ready:
		if cfg.Seed {
			if _, err := seed.SeedIfEmpty(ctx, s); err != nil {
				s.Close()
				return nil, fmt.Errorf("seed: %w", err)
			}
		}
		return s, nil
	case <-time.After(time.Minute):
		err = s.Ping(ctx)
	case <-ctx.Done():
		err = ctx.Err()
	}
	s.Close()
	return nil, fmt.Errorf("the store is not available: %v", kg.ErrorMessage(err))
}

// runImport validates the files against the store, then imports them in
// batches with a progress bar on stderr and a summary on stdout.
func runImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var batchSize int
	var note kg.Note
	cfg, names, err := parseConfig("vjkg import", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.IntVar(&batchSize, "batch-size", importer.DefaultBatchSize, "records per write transaction")
		fs.StringVar(&note.Actor, "actor", "cli", "who imports: the name the import's revision records")
		fs.StringVar(&note.Message, "message", "", "why: recorded with the import's revision")
	}, true)
	if err != nil {
		fmt.Fprintln(stderr, "vjkg import:", err)
		return errUsage
	}
	cfg.LogLevel = max(cfg.LogLevel, slog.LevelWarn) // warnings and errors only: the progress bar owns the terminal
	if err := kg.CheckNote(note); err != nil || note.Actor == "" {
		fmt.Fprintln(stderr, "vjkg import: -actor must be 1 to 64 bytes, -message at most 1,000")
		return errUsage
	}
	ctx = kg.WithNote(ctx, note)
	inputs, err := pathInputs(names)
	if err != nil {
		return err
	}
	s, err := openForCommand(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer s.Close()
	count, err := importer.Check(ctx, s, inputs...)
	if err != nil {
		return reportProblems(err, stderr)
	}
	bar := newProgressBar(stderr)
	sum, err := importer.Import(ctx, s, inputs, importer.Options{BatchSize: batchSize, Total: count.Total(),
		Entities: count.Entities, Relationships: count.Relationships, Progress: bar.update})
	bar.done()
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "imported:", sum)
	return nil
}

// runExport writes the graph, or the part its flags name, to -o or stdout.
func runExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	params := map[string]*string{}
	var out string
	cfg, _, err := parseConfig("vjkg export", args, getenv, stderr, func(fs *flag.FlagSet) {
		for _, p := range export.Params {
			params[p] = fs.String(p, "", "export parameter, as for GET /export?"+p+"=")
		}
		fs.StringVar(&out, "o", "", "file to write (default: standard output)")
	}, false)
	if err != nil {
		fmt.Fprintln(stderr, "vjkg export:", err)
		return errUsage
	}
	q := url.Values{}
	for k, v := range params {
		if *v != "" {
			q.Set(k, *v)
		}
	}
	if out != "" && q.Get("format") == "" {
		q.Set("format", formatFromName(out))
	}
	format, scope, opts, err := export.ParseQuery(q)
	if err != nil {
		return errors.New(kg.ErrorMessage(err))
	}
	s, err := openForCommand(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer s.Close()
	x, err := export.Prepare(ctx, s, scope, export.DefaultBounds)
	if err != nil {
		return errors.New(kg.ErrorMessage(err))
	}
	w := stdout
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	if err := x.Write(ctx, w, format, opts); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "exported %d entities as %s\n", x.Entities(), format)
	return nil
}

// formatFromName guesses the format from an output file's name.
func formatFromName(name string) string {
	switch lower := strings.ToLower(name); {
	case strings.HasSuffix(lower, "nodes.csv"):
		return "nodes.csv"
	case strings.HasSuffix(lower, "edges.csv"):
		return "edges.csv"
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".gexf":
		return "gexf"
	case ".cyjs", ".json":
		return "cytoscape"
	case ".zip":
		return "csv"
	}
	return "graphml"
}

// progressBar draws "[#####.....] 52% 5200/10000" on a terminal, redrawn in
// place; elsewhere (a log file, CI) it prints a line every tenth.
type progressBar struct {
	w        io.Writer
	terminal bool
	last     int
}

func newProgressBar(w io.Writer) *progressBar {
	terminal := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil {
			terminal = st.Mode()&os.ModeCharDevice != 0
		}
	}
	return &progressBar{w: w, terminal: terminal, last: -1}
}

func (p *progressBar) update(done, total int) {
	if total == 0 {
		return
	}
	pct := done * 100 / total
	if !p.terminal && pct/10 == p.last/10 && done != total {
		return
	}
	p.last = pct
	const width = 30
	filled := width * done / total
	line := fmt.Sprintf("importing [%s%s] %3d%% %d/%d records", strings.Repeat("#", filled), strings.Repeat(".", width-filled), pct, done, total)
	if p.terminal {
		fmt.Fprintf(p.w, "\r%s", line)
	} else {
		fmt.Fprintln(p.w, line)
	}
}

func (p *progressBar) done() {
	if p.terminal && p.last >= 0 {
		fmt.Fprintln(p.w)
	}
}

// runGenerate writes a synthetic graph in the CSV import format, for
// benchmarks: the same flags always give the same files.
func runGenerate(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("vjkg generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	entities := fs.Int("entities", 10000, "number of entities")
	relationships := fs.Int("relationships", 0, "number of relationships (default 5 × entities)")
	seedValue := fs.Uint64("seed", 1, "random seed: the same seed gives the same files")
	out := fs.String("out", "", "directory to write sources.csv, nodes.csv and edges.csv into (required)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	explicit := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { explicit[f.Name] = true })
	if !explicit["relationships"] {
		*relationships = 5 * *entities
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "vjkg generate: name the output directory with -out, and nothing else")
		return errUsage
	}
	start := time.Now()
	g, err := synth.New(synth.Config{Entities: *entities, Relationships: *relationships, Seed: *seedValue})
	if err != nil {
		return err
	}
	if err := g.WriteDir(*out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "generated %d entities and %d relationships in %s (%s): import %s %s %s\n",
		*entities, *relationships, *out, time.Since(start).Round(time.Millisecond),
		synth.SourcesFile, synth.NodesFile, synth.EdgesFile)
	return nil
}

// runCoverage writes the coverage report of the seed articles (Markdown) to
// -o or stdout, and fails when a sentence is neither cited nor excused, so
// that CI and the author of a seed change see it at once.
func runCoverage(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("vjkg coverage", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "file to write (default: standard output)")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return errUsage
	}
	r, err := coverage.Seed()
	if err != nil {
		return err
	}
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	if err := r.WriteMarkdown(w, coverage.Command); err != nil {
		return err
	}
	for _, p := range r.Problems {
		fmt.Fprintln(stderr, p)
	}
	if len(r.Problems) > 0 {
		return fmt.Errorf("%d coverage problem(s)", len(r.Problems))
	}
	return nil
}

// runHistory runs "history compact": it deletes the revisions that began
// before a day, with their changes, and says how many.
func runHistory(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "compact" {
		fmt.Fprintln(stderr, "usage: vjkg history compact -before YYYY-MM-DD [flags]")
		return errUsage
	}
	var before string
	cfg, _, err := parseConfig("vjkg history compact", args[1:], getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&before, "before", "", "delete the revisions that began before this day (YYYY-MM-DD, UTC)")
	}, false)
	if err != nil {
		fmt.Fprintln(stderr, "vjkg history compact:", err)
		return errUsage
	}
	day, err := time.Parse(time.DateOnly, before)
	if err != nil {
		fmt.Fprintln(stderr, "vjkg history compact: -before must be a day such as 2026-01-01")
		return errUsage
	}
	cfg.Seed = false
	s, err := openForCommand(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer s.Close()
	h, err := (&kg.Service{Store: s}).History()
	if err != nil {
		return err
	}
	n, err := h.CompactHistory(ctx, day)
	if err != nil {
		return fmt.Errorf("after %d revisions: %w", n, err)
	}
	fmt.Fprintf(stdout, "deleted %d revision(s) that began before %s\n", n, before)
	return nil
}
