package embedded

import (
	"math"
	"slices"
	"strings"
	"unsafe"

	"github.com/vjkg/vjkg/kg"
)

// graph is the in-memory index of the whole graph: what traversals, lists
// and search need, in flat arrays indexed by record number, with no Go
// pointer per entity or relationship (the garbage collector never walks
// them) and no documents (those stay on disk). An entity costs about 48
// bytes plus its id and names, a relationship about 30 bytes plus two
// adjacency entries. All of it is guarded by Store.mu.
type graph struct {
	// Entities, by number; kind 0 marks a number with no live entity.
	kind         []uint8 // kindIndex
	typ, country []uint16
	start        []int32
	spanFirst    []int32
	spanLast     []int32
	idOff        []uint32
	idLen        []uint8
	nameFirst    []uint32 // the entity's names are names[nameFirst : nameFirst+nameCount]
	nameCount    []uint8
	letters      []uint64 // the letters and digits in the entity's names (letterBit)
	// entWords[n] says how entity n's words are indexed (wordsApart...).
	entWords []uint8
	// labelOff and labelLen locate the entity's name as shown in labels
	// (length 0: one the index could not keep, read from the document
	// instead). Like ids, labels only grow: an edit appends.
	labelOff         []uint32
	labelLen         []uint16
	labels           []byte
	ids              []byte // every entity id, back to back
	entityNums       idTable
	liveEntities     int
	liveByKind       [8]int // live entities per kind index, for stats
	types, countries interner
	// byKind, byType and byCountry list, in ascending order, the entities
	// that have (or had: lists keep entities whose value changed or that
	// are gone, and readers check) each kind, type and country code, so
	// that a list query looks only at the entities of the value it asks.
	byKind, byType, byCountry [][]uint32
	// cell[n] is entity n's (kind, type, country) cell while it lives.
	cell  []uint32
	cells cells

	// Relationships, by number; type 0 marks a number with no live one.
	relType            []uint8 // relTypeIndex
	from, to           []uint32
	validFrom, validTo []int32
	idMode             []uint8
	// relWords[n] says how relationship n's words are indexed: whether
	// the index tells exactly which of its fields hold a word.
	relWords   []uint8
	extra      map[uint32]string // key or custom id, for the few that have one
	customIDs  map[string]uint32
	liveRels   int
	relsByType [32]int
	loops      int // live relationships from an entity to itself: validation refuses them, but a traversal that assumes none checks

	// out[e] and in[e] are entity e's relationships leaving and entering it.
	out, in [][]adj

	names names
	// staleNames counts the names in the name index that are no longer
	// current (an entity's before it was written again or deleted): while
	// there are none, every name listed is current, and searches that
	// walk hundreds of thousands of names need not check each. It only
	// grows: after the first rename or delete, names are checked until the
	// store is opened again.
	staleNames int
	// namesGen counts the writes of entities (each may change their names,
	// which are current, or their text's words): sets drawn from the names
	// or the entities' text are kept until it moves (holderSets), so every
	// write of an entity's text moves it (putEntity: putEntityIndex).
	namesGen uint64
	// relsGen counts the writes of relationships (each changes the degrees
	// of its ends), for the sums degreeSums keeps.
	relsGen uint64
	// nameWords lists names (numbers in names) by each word they hold, so
	// that the names with a word starting with a search term are exactly
	// the lists of the words it begins (wordNameLists); names' long numbers
	// are left out, as kg.TextWords leaves them out of text.
	nameWords textIndex
	// entDesc, entFigure and entQuote index the words of entities' text
	// other than names (descriptions, figures' labels, quotes); relRole and
	// relQuote those of relationships' roles and quotes.
	entDesc, entFigure, entQuote, relRole, relQuote textIndex
	// entCiters and relCiters say which records cite each source.
	entCiters, relCiters citers
}

// adj is one relationship seen from one of its ends.
type adj struct {
	other, rel uint32
}

func newGraph() *graph {
	g := &graph{entityNums: newIDTable(0), extra: map[uint32]string{}, customIDs: map[string]uint32{}}
	g.types.init()
	g.countries.init()
	g.names.init()
	g.nameWords.init()
	g.entDesc.init()
	g.entFigure.init()
	g.entQuote.init()
	g.relRole.init()
	g.relQuote.init()
	g.entCiters.init()
	g.relCiters.init()
	return g
}

// entityID returns entity n's id, without copying it.
func (g *graph) entityID(n uint32) string {
	if int(n) >= len(g.idOff) || g.idLen[n] == 0 {
		return ""
	}
	return unsafe.String(&g.ids[g.idOff[n]], int(g.idLen[n]))
}

// label returns entity n's name as shown, without copying it; "" when the
// index does not hold it.
func (g *graph) label(n uint32) string {
	if int(n) >= len(g.labelLen) || g.labelLen[n] == 0 {
		return ""
	}
	return unsafe.String(&g.labels[g.labelOff[n]], int(g.labelLen[n]))
}

// setLabel records entity n's name as shown ("": not known). An unchanged
// name keeps its bytes; a new one is appended.
func (g *graph) setLabel(n uint32, label string) {
	if l := len(label); l == 0 || l > math.MaxUint16 || len(g.labels) > math.MaxUint32-l {
		g.labelLen[n] = 0
	} else if g.label(n) != label {
		g.labelOff[n], g.labelLen[n] = uint32(len(g.labels)), uint16(l)
		g.labels = append(g.labels, label...)
	}
}

// entityNum returns the number of the live entity with this id.
func (g *graph) entityNum(id string) (uint32, bool) {
	return g.entityNums.find(id, g.entityID)
}

func (g *graph) live(n uint32) bool { return int(n) < len(g.kind) && g.kind[n] != 0 }

func (g *graph) entityKind(n uint32) kg.Kind { return kg.Kinds[g.kind[n]-1] }

func (g *graph) growEntities(n uint32) {
	for int(n) >= len(g.kind) {
		g.kind = append(g.kind, 0)
		g.typ = append(g.typ, 0)
		g.country = append(g.country, 0)
		g.cell = append(g.cell, 0)
		g.start = append(g.start, 0)
		g.spanFirst = append(g.spanFirst, 0)
		g.spanLast = append(g.spanLast, 0)
		g.idOff = append(g.idOff, 0)
		g.idLen = append(g.idLen, 0)
		g.nameFirst = append(g.nameFirst, 0)
		g.nameCount = append(g.nameCount, 0)
		g.letters = append(g.letters, 0)
		g.entWords = append(g.entWords, wordsNone)
		g.labelOff = append(g.labelOff, 0)
		g.labelLen = append(g.labelLen, 0)
		g.out = append(g.out, nil)
		g.in = append(g.in, nil)
	}
}

// putEntity records entity n, new or changed. An entity's id and kind never
// change under its number.
func (g *graph) putEntity(n uint32, r *entityRecord) {
	g.putEntityIndex(n, r)
	g.putEntityText(n, r.words, r.sources)
	g.putNameWords(g.nameFirst[n], r.names)
}

// entTexts are the indexes of entities' words, in the order of the fields
// they hold (kg.EntityFields).
func (g *graph) entTexts() [3]*textIndex { return [3]*textIndex{&g.entDesc, &g.entFigure, &g.entQuote} }

// putEntityIndex is putEntity but for the words and sources
// (putEntityText), which loading indexes on a goroutine of its own.
func (g *graph) putEntityIndex(n uint32, r *entityRecord) {
	g.growEntities(n)
	g.namesGen++
	if g.live(n) {
		g.staleNames += int(g.nameEnd(n) - g.nameFirst[n])
	}
	if g.kind[n] == 0 {
		if g.idLen[n] == 0 {
			g.idOff[n], g.idLen[n] = uint32(len(g.ids)), uint8(len(r.id))
			g.ids = append(g.ids, r.id...)
		}
		g.entityNums.insert(r.id, n, g.entityID)
		g.liveEntities++
	}
	if g.kind[n] == 0 {
		g.liveByKind[kindIndex(r.kind)]++
	} else {
		g.cells.live[g.cell[n]]--
	}
	g.kind[n] = uint8(kindIndex(r.kind))
	g.typ[n] = g.types.code(r.typ)
	g.country[n] = g.countries.code(r.country)
	g.cell[n] = g.cells.code(cellKey(g.kind[n], g.typ[n], g.country[n]))
	g.cells.live[g.cell[n]]++
	g.byKind = listed(g.byKind, int(g.kind[n]), n)
	g.byType = listed(g.byType, int(g.typ[n]), n)
	g.byCountry = listed(g.byCountry, int(g.country[n]), n)
	g.start[n], g.spanFirst[n], g.spanLast[n] = r.start, r.spanFirst, r.spanLast
	g.nameFirst[n], g.nameCount[n] = g.names.add(n, r.names)
	g.setLabel(n, r.label)
	g.letters[n] = g.names.letters(g.nameFirst[n], g.nameCount[n])
	// The state of its words here, not in putEntityText, which loading
	// runs beside this, growing the columns.
	if g.entWords[n] != wordsNone || !r.apart {
		g.entWords[n] = wordsMixed
	} else {
		g.entWords[n] = wordsApart
	}
}

// putNameWords indexes the words of an entity's names, numbered from
// first.
func (g *graph) putNameWords(first uint32, names []nameForm) {
	for i, f := range names {
		m := first + uint32(i)
		for w := range strings.FieldsSeq(f.folded) {
			if !kg.LongNumber(w) {
				g.nameWords.addWord(m, w)
			}
		}
	}
}

// putEntityText indexes the words of entity n's text and the sources it
// cites.
func (g *graph) putEntityText(n uint32, words entityWords, sources []string) {
	g.entDesc.add(n, words.desc)
	g.entFigure.add(n, words.figures)
	g.entQuote.add(n, words.quotes)
	g.entQuote.add(n, words.mixed)
	g.entCiters.put(n, sources)
}

// listed adds n to lists[code], keeping it in order and without repeats:
// usually an append, since new entities have the highest numbers.
func listed(lists [][]uint32, code int, n uint32) [][]uint32 {
	for code >= len(lists) {
		lists = append(lists, nil)
	}
	l := lists[code]
	if len(l) == 0 || l[len(l)-1] < n {
		lists[code] = append(l, n)
		return lists
	}
	if i, found := slices.BinarySearch(l, n); !found {
		lists[code] = slices.Insert(l, i, n)
	}
	return lists
}

// deleteEntity forgets entity n; its relationships must be gone already.
func (g *graph) deleteEntity(n uint32) {
	if !g.live(n) {
		return
	}
	g.entityNums.remove(g.entityID(n), g.entityID)
	g.liveByKind[g.kind[n]]--
	g.cells.live[g.cell[n]]--
	g.staleNames += int(g.nameEnd(n) - g.nameFirst[n])
	g.namesGen++
	g.kind[n] = 0
	g.nameCount[n] = 0
	g.labelLen[n] = 0
	g.out[n], g.in[n] = nil, nil
	g.liveEntities--
}

func (g *graph) growRels(n uint32) {
	for int(n) >= len(g.relType) {
		g.relType = append(g.relType, 0)
		g.from = append(g.from, 0)
		g.to = append(g.to, 0)
		g.validFrom = append(g.validFrom, 0)
		g.validTo = append(g.validTo, 0)
		g.idMode = append(g.idMode, 0)
		g.relWords = append(g.relWords, wordsNone)
	}
}

// The states of a record's words in the index (graph.relWords for
// relationships, graph.entWords for entities).
const (
	wordsNone = iota
	// wordsApart: indexed once, each kind of field's words under its
	// own index (a relationship's role under relRole, its quotes under
	// relQuote; an entity's under entDesc, entFigure, entQuote), so that
	// the lists say exactly which of its fields hold a word.
	wordsApart
	// wordsMixed: its words may be under any, and the lists may
	// hold words it no longer has (lists only grow, and it was indexed
	// again after a change, or from a record that kept them mixed): only
	// its document tells.
	wordsMixed
)

func (g *graph) liveRel(n uint32) bool { return int(n) < len(g.relType) && g.relType[n] != 0 }

func (g *graph) relTypeOf(n uint32) kg.RelType { return relTypes[g.relType[n]-1] }

// putRel records relationship n, new or changed; linked says whether to
// add it to the adjacency lists (loading builds those in one pass later).
func (g *graph) putRel(n uint32, r *relRecord, linked bool) {
	g.growRels(n)
	g.relsGen++
	if g.relType[n] != 0 {
		g.deleteRel(n)
	}
	g.relType[n] = uint8(relTypeIndex(r.typ))
	g.from[n], g.to[n] = r.from, r.to
	g.validFrom[n], g.validTo[n] = r.validFrom, r.validTo
	g.idMode[n] = r.idMode
	switch r.idMode {
	case idDerivedKey:
		g.extra[n] = r.extra
	case idCustom:
		g.extra[n] = r.extra
		g.customIDs[r.extra] = n
	}
	g.liveRels++
	g.relsByType[g.relType[n]]++
	if r.from == r.to {
		g.loops++
	}
	switch {
	case g.relWords[n] != wordsNone || !r.apart:
		g.relWords[n] = wordsMixed
	default:
		g.relWords[n] = wordsApart
	}
	g.relRole.add(n, r.roleWords)
	g.relQuote.add(n, r.quoteWords)
	g.relQuote.add(n, r.mixedWords)
	g.relCiters.put(n, r.sources)
	if linked {
		g.out[r.from] = append(g.out[r.from], adj{r.to, n})
		g.in[r.to] = append(g.in[r.to], adj{r.from, n})
	}
}

// deleteRel forgets relationship n and unlinks it from its ends.
func (g *graph) deleteRel(n uint32) {
	if !g.liveRel(n) {
		return
	}
	g.relsGen++
	g.out[g.from[n]] = unlink(g.out[g.from[n]], n)
	g.in[g.to[n]] = unlink(g.in[g.to[n]], n)
	if g.idMode[n] == idCustom {
		delete(g.customIDs, g.extra[n])
	}
	delete(g.extra, n)
	g.relsByType[g.relType[n]]--
	if g.from[n] == g.to[n] {
		g.loops--
	}
	g.relType[n] = 0
	g.liveRels--
}

func unlink(list []adj, rel uint32) []adj {
	for i, a := range list {
		if a.rel == rel {
			list[i] = list[len(list)-1]
			return list[:len(list)-1]
		}
	}
	return list
}

// link builds every adjacency list from the relationship columns at once:
// one allocation for all lists of each direction, each list cut to its own
// capacity so that a later append moves only that list.
func (g *graph) link() {
	g.relsGen++
	outDeg := make([]uint32, len(g.kind))
	inDeg := make([]uint32, len(g.kind))
	for n, t := range g.relType {
		if t != 0 {
			outDeg[g.from[n]]++
			inDeg[g.to[n]]++
		}
	}
	carve := func(deg []uint32, lists [][]adj) {
		total := 0
		for _, d := range deg {
			total += int(d)
		}
		all := make([]adj, total)
		off := 0
		for e, d := range deg {
			lists[e] = all[off : off : off+int(d)]
			off += int(d)
		}
	}
	carve(outDeg, g.out)
	carve(inDeg, g.in)
	for n, t := range g.relType {
		if t != 0 {
			r := uint32(n)
			g.out[g.from[n]] = append(g.out[g.from[n]], adj{g.to[n], r})
			g.in[g.to[n]] = append(g.in[g.to[n]], adj{g.from[n], r})
		}
	}
}

// relID returns relationship n's id.
func (g *graph) relID(n uint32) string {
	switch g.idMode[n] {
	case idCustom:
		return g.extra[n]
	case idDerivedKey:
		return kg.RelationshipID(g.relTypeOf(n), g.entityID(g.from[n]), g.entityID(g.to[n]), g.extra[n])
	default:
		return kg.RelationshipID(g.relTypeOf(n), g.entityID(g.from[n]), g.entityID(g.to[n]), "")
	}
}

// outlineInto writes into r live relationship n as the index knows it: its
// id, type and ends with their kinds, without the rest of its record
// (traverse.Options Outline).
func (g *graph) outlineInto(r *kg.Relationship, n uint32) {
	g.endsInto(r, n)
	r.ID = g.relID(n)
}

// endsInto sets *r to relationship n's type and ends (with their kinds),
// the rest empty: an outline without the id, which for a derived id would
// be a new string.
func (g *graph) endsInto(r *kg.Relationship, n uint32) {
	from, to := g.from[n], g.to[n]
	*r = kg.Relationship{Type: g.relTypeOf(n), From: g.entityID(from), To: g.entityID(to),
		FromKind: g.entityKind(from), ToKind: g.entityKind(to)}
}

// relNum finds the live relationship with this id: a user-given id by
// table, a derived one by parsing its type and ends and looking through
// the shorter adjacency list of the two.
func (g *graph) relNum(id string) (uint32, bool) {
	return g.relNumWith(id, g.entityNum)
}

// relNumWith is relNum with the entity lookup to use.
func (g *graph) relNumWith(id string, entityNum func(string) (uint32, bool)) (uint32, bool) {
	if n, ok := g.customIDs[id]; ok {
		return n, true
	}
	t, from, to, k, ok := parseRelID(id)
	if !ok {
		return 0, false
	}
	f, okF := entityNum(from)
	e, okT := entityNum(to)
	ti := uint8(relTypeIndex(t))
	if !okF || !okT || ti == 0 {
		return 0, false
	}
	list, other := g.out[f], e
	if len(g.in[e]) < len(list) {
		list, other = g.in[e], f
	}
	for _, a := range list {
		if a.other != other || g.relType[a.rel] != ti {
			continue
		}
		switch mode := g.idMode[a.rel]; {
		case mode == idDerived && k == "", mode == idDerivedKey && g.extra[a.rel] == k:
			return a.rel, true
		}
	}
	return 0, false
}

// parseRelID splits "rel:TYPE:from->to#key". Entity ids cannot hold '>' or
// '#', so the split is unambiguous.
func parseRelID(id string) (t kg.RelType, from, to, key string, ok bool) {
	rest, ok := strings.CutPrefix(id, "rel:")
	if !ok {
		return
	}
	i := strings.IndexByte(rest, ':')
	if i < 0 {
		return "", "", "", "", false
	}
	t, rest = kg.RelType(rest[:i]), rest[i+1:]
	j := strings.Index(rest, "->")
	if j < 0 {
		return "", "", "", "", false
	}
	from, to = rest[:j], rest[j+2:]
	if h := strings.IndexByte(to, '#'); h >= 0 {
		to, key = to[:h], to[h+1:]
	}
	return t, from, to, key, true
}

// validOn reports whether relationship n may be valid on day (yyyymmdd; 0
// for any time), as kg.Relationship.ValidOn does.
func (g *graph) validOn(n uint32, day int32) bool {
	return day == 0 || ((g.validFrom[n] == 0 || day >= g.validFrom[n]) && (g.validTo[n] == 0 || day <= g.validTo[n]))
}

// interner gives small numbers to the few distinct values of a column
// (entity types, countries); 0 is "".
type interner struct {
	values []string
	codes  map[string]uint16
}

func (in *interner) init() {
	in.values = []string{""}
	in.codes = map[string]uint16{"": 0}
}

func (in *interner) code(s string) uint16 {
	if c, ok := in.codes[s]; ok {
		return c
	}
	c := uint16(len(in.values))
	in.values = append(in.values, s)
	in.codes[s] = c
	return c
}

// lookup returns the code of s, and false if no entity has s.
func (in *interner) lookup(s string) (uint16, bool) {
	c, ok := in.codes[s]
	return c, ok
}
