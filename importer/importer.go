// Package importer writes a validated batch (from seed-format or CSV files,
// see package seed) into a store in batches of bounded size, reporting
// progress, and skipping records that are already there unchanged, so that
// importing the same files twice writes nothing the second time.
package importer

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/seed"
)

// Options tune an import.
type Options struct {
	BatchSize int // records per transaction; 500 when zero
	// Progress, if set, is told after each batch how many records of the
	// total have been handled.
	Progress func(done, total int)
}

// Summary says what an import did.
type Summary struct {
	Sources, Entities, Relationships Counts
	Batches                          int
	Duration                         time.Duration
}

// Counts splits records into those created, changed and left as they were.
type Counts struct {
	Created, Updated, Unchanged int
}

// Total is the number of records counted.
func (c Counts) Total() int { return c.Created + c.Updated + c.Unchanged }

func (s Summary) String() string {
	line := func(what string, c Counts) string {
		return fmt.Sprintf("%d %s (%d new, %d changed, %d unchanged)", c.Total(), what, c.Created, c.Updated, c.Unchanged)
	}
	return fmt.Sprintf("%s; %s; %s; %d write batch(es) in %s",
		line("sources", s.Sources), line("entities", s.Entities), line("relationships", s.Relationships),
		s.Batches, s.Duration.Round(time.Millisecond))
}

// Check parses files and validates them against the store: references may
// point to entities and sources the store already holds. It returns
// seed.Problems (every problem with file, line and reason) when the input is
// invalid; nothing is written either way.
func Check(ctx context.Context, s kg.Store, files ...seed.File) (*kg.Batch, error) {
	return seed.ParseWith(seed.Options{Known: func(ents, srcs []string) (map[string]bool, map[string]bool, error) {
		known, knownSrc := map[string]bool{}, map[string]bool{}
		found, err := s.GetEntities(ctx, ents)
		if err != nil {
			return nil, nil, err
		}
		for _, e := range found {
			known[e.ID] = true
		}
		foundSrc, err := s.GetSources(ctx, srcs)
		if err != nil {
			return nil, nil, err
		}
		for _, src := range foundSrc {
			knownSrc[src.ID] = true
		}
		return known, knownSrc, nil
	}}, files...)
}

// Import writes b into s: sources, then entities, then relationships, each in
// transactions of at most BatchSize records, so that every relationship's
// ends exist when it is written. Records equal to what the store holds are
// not written again. If a batch fails, the batches before it stay written
// (the error says how far the import got); importing again resumes, since
// what landed is skipped as unchanged.
func Import(ctx context.Context, s kg.Store, b *kg.Batch, o Options) (Summary, error) {
	start := time.Now()
	size := o.BatchSize
	if size <= 0 {
		size = 500
	}
	total := len(b.Sources) + len(b.Entities) + len(b.Relationships)
	done := 0
	var sum Summary
	step := func(n int, write *kg.Batch) error {
		if !write.Empty() {
			if err := s.Apply(ctx, write); err != nil {
				return fmt.Errorf("after %d of %d records: %w", done, total, err)
			}
			sum.Batches++
		}
		done += n
		if o.Progress != nil {
			o.Progress(done, total)
		}
		return nil
	}
	for i := 0; i < len(b.Sources); i += size {
		chunk := b.Sources[i:min(i+size, len(b.Sources))]
		old, err := s.GetSources(ctx, ids(chunk, func(x *kg.Source) string { return x.ID }))
		if err != nil {
			return sum, err
		}
		changed := diff(chunk, old, func(x *kg.Source) string { return x.ID }, &sum.Sources)
		if err := step(len(chunk), &kg.Batch{Sources: changed}); err != nil {
			return sum, err
		}
	}
	for i := 0; i < len(b.Entities); i += size {
		chunk := b.Entities[i:min(i+size, len(b.Entities))]
		old, err := s.GetEntities(ctx, ids(chunk, func(x *kg.Entity) string { return x.ID }))
		if err != nil {
			return sum, err
		}
		changed := diff(chunk, old, func(x *kg.Entity) string { return x.ID }, &sum.Entities)
		if err := step(len(chunk), &kg.Batch{Entities: changed}); err != nil {
			return sum, err
		}
	}
	for i := 0; i < len(b.Relationships); i += size {
		chunk := b.Relationships[i:min(i+size, len(b.Relationships))]
		old, err := s.GetRelationships(ctx, ids(chunk, func(x *kg.Relationship) string { return x.ID }))
		if err != nil {
			return sum, err
		}
		changed := diff(chunk, old, func(x *kg.Relationship) string { return x.ID }, &sum.Relationships)
		if err := step(len(chunk), &kg.Batch{Relationships: changed}); err != nil {
			return sum, err
		}
	}
	sum.Duration = time.Since(start)
	return sum, nil
}

func ids[T any](xs []T, id func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = id(x)
	}
	return out
}

// diff returns the records of chunk that are new or differ from old, and
// counts them. Records compare by their JSON form, which is how both stores
// keep them.
func diff[T any](chunk, old []T, id func(T) string, c *Counts) []T {
	before := map[string]string{}
	for _, x := range old {
		before[id(x)] = canonical(x)
	}
	var out []T
	for _, x := range chunk {
		prev, ok := before[id(x)]
		switch {
		case !ok:
			c.Created++
			out = append(out, x)
		case prev != canonical(x):
			c.Updated++
			out = append(out, x)
		default:
			c.Unchanged++
		}
	}
	return out
}

func canonical(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
