// Package synth generates synthetic knowledge graphs of any size, for
// benchmarks and load tests, in the CSV import format (sources.csv,
// nodes.csv, edges.csv) that `vjkg import` and POST /import read.
//
// The graphs look like the real one where it matters for performance: every
// entity kind with its subtypes and countries, Vietnamese names with their
// diacritics and Japanese names in rōmaji and kanji, aliases, dates at every
// precision, one citation on every record, and a skewed degree distribution
// (relationship ends are drawn from a power law, so a few countries,
// provinces and large companies gather tens of thousands of relationships in
// a graph of a million entities, as capitals and big firms do). Every
// relationship type joins only the kinds kg.RelRules allows, and no two
// relationships share a type and both ends, so every file passes the
// importer's validation.
//
// The same Config always gives byte-identical files. Output is streamed:
// memory stays constant whatever the number of entities and relationships
// (only one entity's relationships are held at a time, to keep them
// distinct).
package synth

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"os"
	"path/filepath"
	"strconv"

	"github.com/vjkg/vjkg/kg"
)

// Limits of a Config.
const (
	// MinEntities leaves room for the two countries and every other kind.
	MinEntities = 10
	// MaxRelationshipsPerEntity bounds the average degree: the generator
	// keeps relationships distinct, which a nearly complete graph would
	// make slow or impossible.
	MaxRelationshipsPerEntity = 50
)

// Config says what to generate.
type Config struct {
	Entities      int    // at least MinEntities
	Relationships int    // at most MaxRelationshipsPerEntity × Entities
	Seed          uint64 // the same seed gives the same files
}

// The file names WriteDir writes, in the order they are to be imported.
const (
	SourcesFile = "sources.csv"
	NodesFile   = "nodes.csv"
	EdgesFile   = "edges.csv"
)

// Generator writes one synthetic graph. Its methods may be called in any
// order and any number of times; each gives the same bytes every time.
type Generator struct {
	cfg   Config
	kinds [numKinds]kindRange
	// specs lists, per kind, the relationships an entity of that kind may
	// start, with their weights.
	specs       [numKinds][]edgeSpec
	specWeights [numKinds][]int
	specTotal   [numKinds]int
	// targets draws the rank of a relationship's far end among the
	// entities of each kind.
	targets [numKinds]powerLaw
}

// kindRange is the block of entity numbers one kind occupies: entities are
// numbered 0…Entities-1, localities first.
type kindRange struct {
	kind   kg.Kind
	prefix string // id prefix including a letter: "org:o"
	start  int
	count  int
}

// The kinds in the order of their blocks, with their share of the entities
// (in percent) and the relative number of relationships each entity starts.
const (
	locality = iota
	official
	organization
	agreement
	event
	numKinds
)

var kindTable = [numKinds]struct {
	kind    kg.Kind
	prefix  string
	percent int
	outward int
}{
	{kg.KindLocality, "locality:l", 5, 3},
	{kg.KindOfficial, "official:p", 25, 2},
	{kg.KindOrganization, "org:o", 40, 2},
	{kg.KindAgreement, "agreement:a", 15, 2},
	{kg.KindEvent, "event:e", 15, 2},
}

// targetSkew is the power law's exponent for relationship ends. Tuned so
// that with 1,000,000 entities and 5,000,000 relationships the largest
// hubs have tens of thousands of relationships.
const targetSkew = 0.9

// New checks c and returns its generator.
func New(c Config) (*Generator, error) {
	switch {
	case c.Entities < MinEntities:
		return nil, fmt.Errorf("entities: %d is fewer than %d", c.Entities, MinEntities)
	case c.Entities > 1<<31-1:
		return nil, fmt.Errorf("entities: %d is too many", c.Entities)
	case c.Relationships < 0:
		return nil, errors.New("relationships: must not be negative")
	case c.Relationships > MaxRelationshipsPerEntity*c.Entities:
		return nil, fmt.Errorf("relationships: %d is more than %d per entity", c.Relationships, MaxRelationshipsPerEntity)
	}
	g := &Generator{cfg: c}
	var counts [numKinds]int
	others := 0
	for k, t := range kindTable {
		if k != organization {
			counts[k] = max(c.Entities*t.percent/100, 1+boolInt(k == locality)) // two countries at least
			others += counts[k]
		}
	}
	counts[organization] = c.Entities - others // the largest kind takes the rounding
	start := 0
	for k, t := range kindTable {
		g.kinds[k] = kindRange{kind: t.kind, prefix: t.prefix, start: start, count: counts[k]}
		g.targets[k] = newPowerLaw(counts[k], targetSkew)
		start += counts[k]
	}
	specs, err := indexSpecs(edgeSpecs)
	if err != nil {
		return nil, err
	}
	for _, s := range specs {
		g.specs[s.from] = append(g.specs[s.from], s)
		g.specWeights[s.from] = append(g.specWeights[s.from], s.weight)
		g.specTotal[s.from] += s.weight
	}
	return g, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// WriteDir writes SourcesFile, NodesFile and EdgesFile into dir, creating it
// if needed.
func (g *Generator) WriteDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range []struct {
		name  string
		write func(io.Writer) error
	}{{SourcesFile, g.WriteSources}, {NodesFile, g.WriteNodes}, {EdgesFile, g.WriteEdges}} {
		if err := writeFile(filepath.Join(dir, f.name), f.write); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(name string, write func(io.Writer) error) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", name, err)
	}
	return f.Close()
}

// Random streams: one per file (and one for out-degrees), so that each file
// depends only on the Config and not on what was written before it.
const (
	streamNodes = iota + 1
	streamDegrees
	streamEdges
)

func (g *Generator) rng(stream uint64) *rng { return newRNG(g.cfg.Seed, stream) }

// sources are the synthetic documents every record cites.
var sources = []struct{ id, title, publisher, language, typ string }{
	{"source:synth-registry", "Sổ đăng ký hợp tác địa phương Việt – Nhật (dữ liệu tổng hợp)", "vjkg generate", "vi", "DATASET"},
	{"source:synth-news-vi", "Tin hợp tác Việt – Nhật (dữ liệu tổng hợp)", "vjkg generate", "vi", "ARTICLE"},
	{"source:synth-news-ja", "日越地方協力ニュース（合成データ）", "vjkg generate", "ja", "ARTICLE"},
	{"source:synth-gazette", "Công báo tổng hợp (dữ liệu tổng hợp)", "vjkg generate", "vi", "LEGAL"},
	{"source:synth-reference", "Synthetic reference of Vietnam–Japan local cooperation", "vjkg generate", "en", "REFERENCE"},
}

// WriteSources writes the sources file.
func (g *Generator) WriteSources(w io.Writer) error {
	bw := bufio.NewWriter(w)
	c := &rowWriter{w: bw}
	if err := c.row("id", "title", "publisher", "language", "published", "type", "note"); err != nil {
		return err
	}
	note := fmt.Sprintf("Synthetic data: vjkg generate -entities %d -relationships %d -seed %d",
		g.cfg.Entities, g.cfg.Relationships, g.cfg.Seed)
	for _, s := range sources {
		if err := c.row(s.id, s.title, s.publisher, s.language, "2026", s.typ, note); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteNodes writes the entities file.
func (g *Generator) WriteNodes(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	c := &rowWriter{w: bw}
	if err := c.row("Id", "Label", "kind", "type", "country", "aliases", "name_ja", "start", "end", "topics",
		"figures", "source", "quote"); err != nil {
		return err
	}
	e := newEntityMaker(g.rng(streamNodes))
	for k, kr := range g.kinds {
		for i := range kr.count {
			n := e.make(k, i)
			c.id(kr.prefix, i)
			for _, f := range []string{n.name, string(kr.kind), n.typ, n.country, n.aliases, n.nameJa, n.start,
				n.end, n.topics, n.figures, n.source, n.name} {
				c.field(f)
			}
			if err := c.end(); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// outWeight is how many relationships the next entity of a kind starts,
// relative to the others: the kind's share times a random factor, ten times
// larger for one entity in a hundred.
func (g *Generator) outWeight(r *rng, kind int) uint64 {
	w := uint64(kindTable[kind].outward * (4 + r.n(12)))
	if r.n(100) == 0 {
		w *= 10
	}
	return w
}

// WriteEdges writes the relationships file. Each entity's out-degree is its
// share of the total, so the file holds exactly Relationships rows; the
// far ends are drawn from a power law over the entities of the kind the
// relationship type allows.
func (g *Generator) WriteEdges(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	c := &rowWriter{w: bw}
	if err := c.row("Source", "Target", "relation", "role", "valid_from", "valid_to", "properties", "citations"); err != nil {
		return err
	}
	// The out-degrees are replayed from their stream twice, once to sum
	// them and once to use them, rather than kept in a slice.
	var total uint64
	degrees := g.rng(streamDegrees)
	for k, kr := range g.kinds {
		for range kr.count {
			total += g.outWeight(degrees, k)
		}
	}
	degrees = g.rng(streamDegrees)
	r := g.rng(streamEdges)
	m := uint64(g.cfg.Relationships)
	var cum, written uint64
	carry := 0 // relationships an entity could not place, passed to the next
	// seen holds the (type, far end) pairs of the current entity's
	// relationships: their ids must differ.
	seen := map[uint64]bool{}
	var e edgeRow
	for k, kr := range g.kinds {
		for i := range kr.count {
			before := share(cum, m, total)
			cum += g.outWeight(degrees, k)
			want := int(share(cum, m, total)-before) + carry
			clear(seen)
			made := 0
			for range want {
				if !g.edge(r, k, kr.start+i, seen, &e) {
					continue
				}
				c.id(kr.prefix, i)
				to := g.kinds[e.spec.to]
				c.id(to.prefix, e.to-to.start)
				c.field(string(e.spec.typ))
				c.field(e.role)
				c.field(e.validFrom)
				c.field(e.validTo)
				c.field(e.properties)
				written++
				c.field(`[{"source":"` + e.source + `","quote":"Bản ghi số ` + strconv.FormatUint(written, 10) + `"}]`)
				if err := c.end(); err != nil {
					return err
				}
				made++
			}
			carry = want - made
		}
	}
	if carry > 0 {
		return fmt.Errorf("could place only %d of %d distinct relationships among %d entities", written, m, g.cfg.Entities)
	}
	return bw.Flush()
}

// share returns floor(cum × m / total) without overflow.
func share(cum, m, total uint64) uint64 {
	hi, lo := bits.Mul64(cum, m)
	q, _ := bits.Div64(hi, lo, total)
	return q
}

// edgeRow is one relationship being written.
type edgeRow struct {
	spec                                 edgeSpec
	to                                   int
	role, validFrom, validTo, properties string
	source                               string
}

// edge draws one relationship from entity u (of kind k) into e, and reports
// false if it found no far end that keeps u's relationships distinct (in a
// small or dense graph) after trying a few types.
func (g *Generator) edge(r *rng, k, u int, seen map[uint64]bool, e *edgeRow) bool {
	for range 4 {
		s := g.specs[k][r.weighted(g.specWeights[k], g.specTotal[k])]
		if v, ok := g.farEnd(r, s, u, seen); ok {
			*e = edgeRow{spec: s, to: v, source: sources[r.n(len(sources))].id}
			if len(s.roles) > 0 {
				e.role = s.roles[r.n(len(s.roles))]
			}
			s.dates(r, e)
			if s.typ == kg.RelInvestsIn && r.chance(0.3) {
				e.properties = `{"projects":"` + strconv.Itoa(1+r.zipf(300, 1.2)) + `"}`
			}
			return true
		}
	}
	return false
}

// farEnd draws the far end of a relationship of spec s from u, hubs first,
// and if they are taken, any entity of the kind; it marks it seen.
func (g *Generator) farEnd(r *rng, s edgeSpec, u int, seen map[uint64]bool) (int, bool) {
	to := g.kinds[s.to]
	for try := range 16 {
		var rank int
		if try < 8 {
			rank = g.targets[s.to].draw(r)
		} else {
			rank = r.n(to.count)
		}
		v := to.start + rank
		key := uint64(s.typeIndex)<<40 | uint64(v)
		if v == u || seen[key] || (s.down && v > u) {
			continue
		}
		seen[key] = true
		return v, true
	}
	return 0, false
}
