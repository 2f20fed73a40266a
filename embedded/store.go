// Package embedded is the embedded store: kg.Store on a bbolt file, the
// zero-setup default. Every write is a bbolt transaction, fsynced on commit,
// so a committed write survives a crash or kill -9. Reads never touch the
// disk: the whole graph is held in memory, with adjacency lists for
// traversal and precomputed search keys.
package embedded

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vjkg/vjkg/kg"
	bbolt "go.etcd.io/bbolt"
)

var (
	bucketEntities      = []byte("entities")
	bucketRelationships = []byte("relationships")
	bucketSources       = []byte("sources")
)

// FileName is the name of the database file inside the data directory.
const FileName = "graph.db"

// Store is the embedded kg.Store.
type Store struct {
	db     *bbolt.DB
	closed atomic.Bool

	// writeMu serialises Apply, so that the checks it makes against memory
	// still hold when its transaction commits.
	writeMu sync.Mutex

	mu            sync.RWMutex // guards everything below
	entities      map[string]*kg.Entity
	searchText    map[string]string // entity id → SearchText
	relationships map[string]*kg.Relationship
	sources       map[string]*kg.Source
	out, in       map[string]map[string]*kg.Relationship // entity id → relationship id → relationship

	gen uint64 // counts writes; guarded by mu

	// sorted caches every entity in each order lists have asked for, so that
	// a list query is one filtered scan, not a sort. An entry is good for
	// the generation it was built in. Lock order: mu, then sortedMu.
	sortedMu sync.Mutex
	sorted   map[kg.EntityOrder]sortedList
}

type sortedList struct {
	gen      uint64
	entities []*kg.Entity
}

var _ kg.Store = (*Store)(nil)

// Open opens (creating if needed) the store in directory dir and loads it
// into memory.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dir, FileName)
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		if errors.Is(err, bbolt.ErrTimeout) {
			return nil, fmt.Errorf("open %s: another process holds it open", path)
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := &Store{db: db}
	if err := s.load(); err != nil {
		db.Close()
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return s, nil
}

func (s *Store) load() error {
	s.entities = map[string]*kg.Entity{}
	s.searchText = map[string]string{}
	s.relationships = map[string]*kg.Relationship{}
	s.sources = map[string]*kg.Source{}
	s.out = map[string]map[string]*kg.Relationship{}
	s.in = map[string]map[string]*kg.Relationship{}
	return s.db.Update(func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{bucketEntities, bucketRelationships, bucketSources} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		err := tx.Bucket(bucketSources).ForEach(func(k, v []byte) error {
			var src kg.Source
			if err := json.Unmarshal(v, &src); err != nil {
				return fmt.Errorf("source %s: %w", k, err)
			}
			s.sources[src.ID] = &src
			return nil
		})
		if err != nil {
			return err
		}
		err = tx.Bucket(bucketEntities).ForEach(func(k, v []byte) error {
			var e kg.Entity
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("entity %s: %w", k, err)
			}
			s.putEntity(&e)
			return nil
		})
		if err != nil {
			return err
		}
		return tx.Bucket(bucketRelationships).ForEach(func(k, v []byte) error {
			var r kg.Relationship
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("relationship %s: %w", k, err)
			}
			s.putRelationship(&r)
			return nil
		})
	})
}

// Close closes the database file.
func (s *Store) Close() error {
	s.closed.Store(true)
	return s.db.Close()
}

// Ping reports whether the database is open.
func (s *Store) Ping(ctx context.Context) error {
	if s.closed.Load() {
		return kg.Errorf(kg.EUnavailable, "the embedded store is closed")
	}
	return ctx.Err()
}

func (s *Store) putEntity(e *kg.Entity) {
	s.entities[e.ID] = e
	s.searchText[e.ID] = e.SearchText()
}

func (s *Store) putRelationship(r *kg.Relationship) {
	if old := s.relationships[r.ID]; old != nil {
		s.dropRelationship(old)
	}
	s.relationships[r.ID] = r
	link(s.out, r.From, r)
	link(s.in, r.To, r)
}

func link(adj map[string]map[string]*kg.Relationship, node string, r *kg.Relationship) {
	if adj[node] == nil {
		adj[node] = map[string]*kg.Relationship{}
	}
	adj[node][r.ID] = r
}

func (s *Store) dropRelationship(r *kg.Relationship) {
	delete(s.relationships, r.ID)
	delete(s.out[r.From], r.ID)
	delete(s.in[r.To], r.ID)
}

// GetEntities implements kg.Store.
func (s *Store) GetEntities(ctx context.Context, ids []string) ([]*kg.Entity, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*kg.Entity, 0, len(ids))
	for _, id := range ids {
		if e, ok := s.entities[id]; ok {
			out = append(out, e)
		}
	}
	return out, ctx.Err()
}

// FindEntities implements kg.Store: one scan of the entities in the asked
// order, keeping those that match and counting them.
func (s *Store) FindEntities(ctx context.Context, f kg.EntityFilter) ([]*kg.Entity, int, error) {
	matches := f.Matcher()
	s.mu.RLock()
	defer s.mu.RUnlock()
	ordered := s.inOrder(f.Order)
	var out []*kg.Entity
	total := 0
	for _, e := range ordered {
		if !matches(e, s.searchText[e.ID]) {
			continue
		}
		if total >= f.Offset && (f.Limit <= 0 || len(out) < f.Limit) {
			out = append(out, e)
		}
		total++
	}
	return out, total, ctx.Err()
}

// inOrder returns every entity in order o, sorting once per order and
// write. The caller holds s.mu (read or write).
func (s *Store) inOrder(o kg.EntityOrder) []*kg.Entity {
	s.sortedMu.Lock()
	defer s.sortedMu.Unlock()
	if c, ok := s.sorted[o]; ok && c.gen == s.gen {
		return c.entities
	}
	list := make([]*kg.Entity, 0, len(s.entities))
	for _, e := range s.entities {
		list = append(list, e)
	}
	o.Sort(list)
	if s.sorted == nil {
		s.sorted = map[kg.EntityOrder]sortedList{}
	}
	s.sorted[o] = sortedList{s.gen, list}
	return list
}

func page[T any](all []T, offset, limit int) []T {
	if offset >= len(all) {
		return nil
	}
	all = all[offset:]
	if limit > 0 && limit < len(all) {
		all = all[:limit]
	}
	return all
}

// GetRelationships implements kg.Store.
func (s *Store) GetRelationships(ctx context.Context, ids []string) ([]*kg.Relationship, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*kg.Relationship, 0, len(ids))
	for _, id := range ids {
		if r, ok := s.relationships[id]; ok {
			out = append(out, r)
		}
	}
	return out, ctx.Err()
}

// Expand implements kg.Store.
func (s *Store) Expand(ctx context.Context, q kg.ExpandQuery) ([]*kg.Relationship, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	seen := map[string]bool{}
	var out []*kg.Relationship
	add := func(rels map[string]*kg.Relationship) {
		for id, r := range rels {
			if seen[id] || (len(q.Types) > 0 && !slices.Contains(q.Types, r.Type)) || !r.ValidOn(q.AsOf) {
				continue
			}
			seen[id] = true
			out = append(out, r)
		}
	}
	for _, id := range q.IDs {
		if q.Direction != kg.DirIn {
			add(s.out[id])
		}
		if q.Direction != kg.DirOut {
			add(s.in[id])
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, ctx.Err()
}

// FindRelationships implements kg.Store.
func (s *Store) FindRelationships(ctx context.Context, f kg.RelationshipFilter) ([]*kg.Relationship, int, error) {
	s.mu.RLock()
	var all []*kg.Relationship
	for _, r := range s.relationships {
		if (len(f.IDs) == 0 || slices.Contains(f.IDs, r.ID)) &&
			(len(f.Types) == 0 || slices.Contains(f.Types, r.Type)) && r.ValidOn(f.AsOf) {
			all = append(all, r)
		}
	}
	s.mu.RUnlock()
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return page(all, f.Offset, f.Limit), len(all), ctx.Err()
}

// GetSources implements kg.Store.
func (s *Store) GetSources(ctx context.Context, ids []string) ([]*kg.Source, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*kg.Source, 0, len(ids))
	for _, id := range ids {
		if src, ok := s.sources[id]; ok {
			out = append(out, src)
		}
	}
	return out, ctx.Err()
}

// FindSources implements kg.Store.
func (s *Store) FindSources(ctx context.Context, offset, limit int) ([]*kg.Source, int, error) {
	s.mu.RLock()
	all := make([]*kg.Source, 0, len(s.sources))
	for _, src := range s.sources {
		all = append(all, src)
	}
	s.mu.RUnlock()
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return page(all, offset, limit), len(all), ctx.Err()
}

// Apply implements kg.Store: it checks the batch against memory, writes it
// in one bbolt transaction (fsynced on commit), then updates memory.
func (s *Store) Apply(ctx context.Context, b *kg.Batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()

	if err := b.Check(s.existing(b)); err != nil {
		return err
	}
	cascade := s.cascade(b)
	err := s.db.Update(func(tx *bbolt.Tx) error {
		for _, src := range b.Sources {
			if err := put(tx, bucketSources, src.ID, src); err != nil {
				return err
			}
		}
		for _, e := range b.Entities {
			if err := put(tx, bucketEntities, e.ID, e); err != nil {
				return err
			}
		}
		for _, r := range b.Relationships {
			if err := put(tx, bucketRelationships, r.ID, r); err != nil {
				return err
			}
		}
		for _, id := range cascade {
			if err := tx.Bucket(bucketRelationships).Delete([]byte(id)); err != nil {
				return err
			}
		}
		for _, id := range b.DeleteEntities {
			if err := tx.Bucket(bucketEntities).Delete([]byte(id)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("write batch: %w", err)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++
	for _, src := range b.Sources {
		s.sources[src.ID] = src
	}
	for _, e := range b.Entities {
		s.putEntity(e)
	}
	for _, r := range b.Relationships {
		s.putRelationship(r)
	}
	for _, id := range cascade {
		if r := s.relationships[id]; r != nil {
			s.dropRelationship(r)
		}
	}
	for _, id := range b.DeleteEntities {
		delete(s.entities, id)
		delete(s.searchText, id)
		delete(s.out, id)
		delete(s.in, id)
	}
	return nil
}

// existing reports what the store holds of the records b touches.
func (s *Store) existing(b *kg.Batch) kg.Existing {
	ents, rels, srcs := b.Needs()
	s.mu.RLock()
	defer s.mu.RUnlock()
	ex := kg.Existing{Entities: map[string]kg.Kind{}, Relationships: map[string]bool{}, Sources: map[string]bool{}}
	for _, id := range ents {
		if e, ok := s.entities[id]; ok {
			ex.Entities[id] = e.Kind
		}
	}
	for _, id := range rels {
		ex.Relationships[id] = s.relationships[id] != nil
	}
	for _, id := range srcs {
		ex.Sources[id] = s.sources[id] != nil
	}
	return ex
}

// cascade returns the ids of the relationships b deletes: those it names,
// and those that touch an entity it deletes (including ones it upserts).
func (s *Store) cascade(b *kg.Batch) []string {
	ids := map[string]bool{}
	for _, id := range b.DeleteRelationships {
		ids[id] = true
	}
	doomed := map[string]bool{}
	for _, id := range b.DeleteEntities {
		doomed[id] = true
	}
	s.mu.RLock()
	for id := range doomed {
		for rid := range s.out[id] {
			ids[rid] = true
		}
		for rid := range s.in[id] {
			ids[rid] = true
		}
	}
	s.mu.RUnlock()
	for _, r := range b.Relationships {
		if doomed[r.From] || doomed[r.To] {
			ids[r.ID] = true
		}
	}
	out := make([]string, 0, len(ids))
	for id := range ids {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

func put(tx *bbolt.Tx, bucket []byte, id string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.Bucket(bucket).Put([]byte(id), data)
}
