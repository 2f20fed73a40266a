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
	BatchSize int // records per transaction; DefaultBatchSize when zero
	// Progress, if set, is told after each batch how many records of the
	// total have been handled.
	Progress func(done, total int)
	// Total is the number of records (Check's count), for Progress.
	Total int
	// Entities and Relationships are how many of each the inputs hold
	// (Check's count): a store that is a kg.Reserver makes room for them
	// before the first batch.
	Entities, Relationships int
}

// DefaultBatchSize is how many records one write transaction holds unless
// told otherwise: large enough that commits (each an fsync) do not
// dominate, small enough that a batch's memory stays a few megabytes.
const DefaultBatchSize = 5000

// Summary says what an import did.
type Summary struct {
	Sources, Entities, Relationships Counts
	Batches                          int
	Duration                         time.Duration
	// Revision is the one revision the whole import is recorded as (its
	// batches join it); 0 when nothing changed.
	Revision int64
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
	out := fmt.Sprintf("%s; %s; %s; %d write batch(es) in %s",
		line("sources", s.Sources), line("entities", s.Entities), line("relationships", s.Relationships),
		s.Batches, s.Duration.Round(time.Millisecond))
	if s.Revision != 0 {
		out += fmt.Sprintf("; revision %d", s.Revision)
	}
	return out
}

// Check reads the inputs and validates them against the store: references
// may point to entities and sources the store already holds. It returns how
// many records they hold, and seed.Problems (every problem with file, line
// and reason) when the input is invalid; nothing is written either way.
// Memory grows with the number of ids the files define, not with their size.
func Check(ctx context.Context, s kg.Store, inputs ...seed.Input) (seed.Counts, error) {
	return seed.Check(ctx, seed.Options{Known: func(ents, srcs []string) (map[string]bool, map[string]bool, error) {
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
	}}, inputs...)
}

// Import reads the inputs again (Check them first) and writes their records
// into s: sources, then entities, then relationships, each in transactions
// of at most BatchSize records, so that every relationship's ends exist when
// it is written. Records are streamed: reading the files and writing to the
// store run side by side, with at most two batches in memory. Records equal
// to what the store holds are not written again. If a batch fails, the
// batches before it stay written (the error says how far the import got);
// importing again resumes, since what landed is skipped as unchanged.
func Import(ctx context.Context, s kg.Store, inputs []seed.Input, o Options) (Summary, error) {
	start := time.Now()
	size := o.BatchSize
	if size <= 0 {
		size = DefaultBatchSize
	}
	if r, ok := s.(kg.Reserver); ok && o.Entities+o.Relationships > 0 {
		r.Reserve(o.Entities, o.Relationships)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan *kg.Batch, 1)
	var readErr error
	go func() {
		defer close(batches)
		b := &kg.Batch{}
		send := func() error {
			if b.Empty() {
				return nil
			}
			select {
			case batches <- b:
				b = &kg.Batch{}
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		readErr = seed.Each(ctx, inputs, func(r seed.Record) error {
			// Each batch holds one kind of record: a new kind starts a new batch.
			switch {
			case r.Source != nil:
				b.Sources = append(b.Sources, r.Source)
			case r.Entity != nil:
				if len(b.Sources) > 0 {
					if err := send(); err != nil {
						return err
					}
				}
				b.Entities = append(b.Entities, r.Entity)
			case r.Relationship != nil:
				if len(b.Sources)+len(b.Entities) > 0 {
					if err := send(); err != nil {
						return err
					}
				}
				b.Relationships = append(b.Relationships, r.Relationship)
			}
			if len(b.Sources)+len(b.Entities)+len(b.Relationships) >= size {
				return send()
			}
			return nil
		})
		if readErr == nil {
			readErr = send()
		}
	}()
	var sum Summary
	done := 0
	var err error
	for b := range batches {
		if err = write(ctx, s, b, &sum, done, o.Total); err != nil {
			cancel()
			for range batches { // let the reader stop
			}
			break
		}
		done += len(b.Sources) + len(b.Entities) + len(b.Relationships)
		if o.Progress != nil {
			o.Progress(done, max(o.Total, done))
		}
	}
	if err == nil {
		err = readErr
	}
	sum.Duration = time.Since(start)
	return sum, err
}

// write writes the records of b that are new or changed.
func write(ctx context.Context, s kg.Store, b *kg.Batch, sum *Summary, done, total int) error {
	w := &kg.Batch{Revision: sum.Revision}
	switch {
	case len(b.Sources) > 0:
		old, err := s.GetSources(ctx, ids(b.Sources, func(x *kg.Source) string { return x.ID }))
		if err != nil {
			return err
		}
		w.Sources = diff(b.Sources, old, func(x *kg.Source) string { return x.ID }, &sum.Sources)
	case len(b.Entities) > 0:
		old, err := s.GetEntities(ctx, ids(b.Entities, func(x *kg.Entity) string { return x.ID }))
		if err != nil {
			return err
		}
		w.Entities = diff(b.Entities, old, func(x *kg.Entity) string { return x.ID }, &sum.Entities)
	case len(b.Relationships) > 0:
		old, err := s.GetRelationships(ctx, ids(b.Relationships, func(x *kg.Relationship) string { return x.ID }))
		if err != nil {
			return err
		}
		w.Relationships = diff(b.Relationships, old, func(x *kg.Relationship) string { return x.ID }, &sum.Relationships)
	}
	if w.Empty() {
		return nil
	}
	if err := s.Apply(ctx, w); err != nil {
		return fmt.Errorf("after %d of %d records: %w", done, max(total, done), err)
	}
	sum.Revision = w.Revision
	sum.Batches++
	return nil
}

// Files returns in-memory files as inputs.
func Files(files ...seed.File) []seed.Input {
	out := make([]seed.Input, len(files))
	for i, f := range files {
		out[i] = f.Input()
	}
	return out
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
