// Package embedded is the embedded store: kg.Store on a bbolt file, the
// zero-setup default, sized for a million entities and five million
// relationships on one small machine.
//
// Each entity and relationship is a JSON document in bbolt, keyed by a
// record number, beside a small binary index record (records.go). Opening
// the store reads only the index records; documents are read when a query
// returns them. In memory sits a compact index (graph.go): flat arrays by
// record number for lists, filters and traversals, adjacency lists, and a
// search index of folded names (names.go). Every write is one bbolt
// transaction, fsynced on commit, so a committed write survives a crash or
// kill -9, and the in-memory index changes only after the commit.
package embedded

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vjkg/vjkg/kg"
	bbolt "go.etcd.io/bbolt"
)

// The buckets of the file. Record numbers are keys in the first four;
// sources, which are few, are keyed by id.
var (
	bucketEntities      = []byte("entity-docs")
	bucketEntityIndex   = []byte("entity-index")
	bucketRelationships = []byte("rel-docs")
	bucketRelIndex      = []byte("rel-index")
	bucketSources       = []byte("source-docs")
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

	mu        sync.RWMutex // guards g and sources; reads hold it for reading
	g         *graph
	sources   map[string]*kg.Source
	orders    orders
	sortedAdj sortedAdjacency
	// ranking: a goroutine is bringing the name order up to date for
	// search (nameRanker).
	ranking atomic.Bool
	// holders keeps the sets of terms of many names (nameHolders).
	holders holderSets
	// degreeSums keeps the relationships' counts of terms (relTextNums).
	degreeSums degreeSums

	entityCache *docCache[kg.Entity]
	relCache    *docCache[kg.Relationship]
}

var (
	_ kg.Store = (*Store)(nil)
)

// Open opens (creating if needed) the store in directory dir and loads its
// index into memory. A store written by earlier versions, which kept
// documents by id, is converted on first open.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dir, FileName)
	// The map free list stays fast in a file of millions of pages.
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: 2 * time.Second, FreelistType: bbolt.FreelistMapType})
	if err != nil {
		if errors.Is(err, bbolt.ErrTimeout) {
			return nil, fmt.Errorf("open %s: another process holds it open", path)
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := &Store{db: db, orders: newOrders(),
		entityCache: newDocCache[kg.Entity](cachedEntities), relCache: newDocCache[kg.Relationship](cachedRelationships)}
	if err := s.load(); err != nil {
		db.Close()
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	if err := s.migrate(); err != nil {
		db.Close()
		return nil, fmt.Errorf("convert %s: %w", path, err)
	}
	if err := s.storeLabels(); err != nil {
		db.Close()
		return nil, fmt.Errorf("store names in the index of %s: %w", path, err)
	}
	go s.warm()
	return s, nil
}

// warm sorts, in the background once the store is open, the adjacency
// lists that reads would otherwise sort on first use (every hub's, in the
// API's order; see adjacencyInto), the id orders they compare by, and the
// name order of lists, so that the first queries through a hub or the
// first list after a start do not pay for it. At
// 1,000,000 entities (3,890 hubs, 2.4 M entries) this takes about 0.2 s of
// CPU, and the first 2-hop neighbourhoods of a dozen entities after a start
// took 1-5 ms instead of 3-31 ms (the first query 0.14 s instead of 0.64 s).
func (s *Store) warm() {
	s.mu.RLock()
	n := len(s.g.kind)
	s.mu.RUnlock()
	for e := range n {
		if e%4096 == 0 && s.closed.Load() {
			return
		}
		s.mu.RLock()
		g := s.g
		if e < len(g.out) && g.kind[e] != 0 && len(g.out[e])+len(g.in[e]) >= minSortedDegree {
			s.adjacencyInto(uint32(e), nil)
		}
		s.mu.RUnlock()
	}
	// The lists' default order, by name, with each cell's positions in it:
	// built on first use otherwise, which made the first list after a start
	// at 1,000,000 entities take over a second.
	if s.closed.Load() {
		return
	}
	s.mu.RLock()
	s.orders.byField[kg.OrderByName].cellPositions(s.g)
	s.mu.RUnlock()
}

// load reads every index record into a new in-memory index. Entities and
// relationships are read side by side (they are independent until the
// adjacency lists are built).
func (s *Store) load() error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{bucketEntities, bucketEntityIndex, bucketRelationships, bucketRelIndex, bucketSources,
			bucketRevisions, bucketChanges, bucketRecordChanges} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	g := newGraph()
	s.sources = map[string]*kg.Source{}
	// Entities and relationships fill disjoint columns of g, so they load
	// side by side; the adjacency lists need both, and come after.
	var entErr, relErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		relErr = s.db.View(func(tx *bbolt.Tx) error {
			b := tx.Bucket(bucketRelIndex)
			if seq := b.Sequence(); seq > 0 && seq < 1<<32 {
				g.reserveRels(int(seq) + 1)
			}
			return b.ForEach(func(k, v []byte) error {
				rec, err := decodeRelRecord(v)
				if err != nil || len(k) != 4 {
					return fmt.Errorf("relationship record %x: %v", k, err)
				}
				g.putRel(num(k), &rec, false)
				return nil
			})
		})
	}()
	entErr = s.db.View(func(tx *bbolt.Tx) error {
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
		b := tx.Bucket(bucketEntityIndex)
		if seq := b.Sequence(); seq > 0 && seq < 1<<32 {
			g.reserve(int(seq) + 1)
		}
		// The words and sources go to a goroutine of their own, in
		// batches: the entity side was the longer of the two by a third.
		// Names' words on a third: each of the two was the longer side.
		texts, names := make(chan []entityText, 4), make(chan []entityText, 4)
		var textsDone sync.WaitGroup
		textsDone.Add(2)
		go func() {
			defer textsDone.Done()
			for batch := range texts {
				for _, t := range batch {
					g.putEntityText(t.n, t.words, t.sources)
				}
			}
		}()
		go func() {
			defer textsDone.Done()
			for batch := range names {
				for _, t := range batch {
					g.putNameWords(t.first, t.names)
				}
			}
		}()
		batch := make([]entityText, 0, textBatch)
		err = b.ForEach(func(k, v []byte) error {
			rec, err := decodeEntityRecord(v)
			if err != nil || len(k) != 4 {
				return fmt.Errorf("entity record %x: %v", k, err)
			}
			g.putEntityIndex(num(k), &rec)
			if batch = append(batch, entityText{num(k), rec.words, rec.sources, g.nameFirst[num(k)], rec.names}); len(batch) == textBatch {
				texts <- batch
				names <- batch
				batch = make([]entityText, 0, textBatch)
			}
			return nil
		})
		texts <- batch
		names <- batch
		close(texts)
		close(names)
		textsDone.Wait()
		return err
	})
	wg.Wait()
	if err := errors.Join(entErr, relErr); err != nil {
		return err
	}
	for n, t := range g.relType {
		if t != 0 && (!g.live(g.from[n]) || !g.live(g.to[n])) {
			return fmt.Errorf("relationship %d joins missing entities %d and %d", n, g.from[n], g.to[n])
		}
	}
	g.link()
	s.g = g
	debug.FreeOSMemory() // hand back what loading allocated and dropped, before serving
	return nil
}

// entityText is what loading hands to the goroutine that indexes
// entities' words, sources and names' words.
type entityText struct {
	n       uint32
	words   entityWords
	sources []string
	first   uint32 // the number of its first name
	names   []nameForm
}

const textBatch = 1024

func num(k []byte) uint32 {
	return uint32(k[0])<<24 | uint32(k[1])<<16 | uint32(k[2])<<8 | uint32(k[3])
}

// reserve makes room for n entities in all, so that loading or importing
// a graph of known size grows each array once rather than doubling its way
// there (each doubling copies the array and touches new memory, at 3 ms
// per MB on a VM that hands out no zero pages). It never shrinks.
func (g *graph) reserve(n int) {
	atLeast(&g.kind, n)
	atLeast(&g.typ, n)
	atLeast(&g.country, n)
	atLeast(&g.cell, n)
	atLeast(&g.start, n)
	atLeast(&g.spanFirst, n)
	atLeast(&g.spanLast, n)
	atLeast(&g.idOff, n)
	atLeast(&g.idLen, n)
	atLeast(&g.nameFirst, n)
	atLeast(&g.nameCount, n)
	atLeast(&g.labelOff, n)
	atLeast(&g.labelLen, n)
	atLeast(&g.letters, n)
	atLeast(&g.entWords, n)
	// The byte arrays' sizes are guesses on the generous side: growing
	// one of hundreds of megabytes copies it, while room never written to
	// costs address space, not memory.
	atLeast(&g.ids, 24*n)
	atLeast(&g.labels, 48*n)
	atLeast(&g.out, n)
	atLeast(&g.in, n)
	g.entityNums.reserve(n, g.entityID)
	g.names.reserve(2*n, 64*n)
	g.entCiters.reserve(n)
}

// reserveRels makes room for n relationships in all, as reserve does for
// entities.
func (g *graph) reserveRels(n int) {
	atLeast(&g.relType, n)
	atLeast(&g.from, n)
	atLeast(&g.to, n)
	atLeast(&g.validFrom, n)
	atLeast(&g.validTo, n)
	atLeast(&g.idMode, n)
	atLeast(&g.relWords, n)
	g.relCiters.reserve(n)
}

// atLeast grows the capacity of *s to n, keeping its elements. Not
// slices.Grow, which clears the room it adds and so touches every page of
// it at once: the room of a reservation is touched only as it is written,
// and the generous guesses' room never written to stays address space.
func atLeast[T any](s *[]T, n int) {
	if cap(*s) < n {
		grown := make([]T, len(*s), n)
		copy(grown, *s)
		*s = grown
	}
}

// Reserve implements kg.Reserver: the in-memory index makes room for that
// many entities and relationships in all (numbers start at 1), so that an
// import into an empty store grows each array once. A store already that
// large is left as it is: importing files again reserves nothing.
func (s *Store) Reserve(entities, relationships int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.g.reserve(entities + 1)
	s.g.reserveRels(relationships + 1)
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
