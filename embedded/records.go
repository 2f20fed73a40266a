package embedded

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/vjkg/vjkg/kg"
)

// The index records are what the in-memory index keeps of each entity and
// relationship, written beside its document in the same transaction, so
// that opening a store reads these small records and never decodes a
// document. Their layout (all integers as uvarints, strings as a length and
// bytes):
//
//	entity:       version, kind, id, type, country, start, spanFirst, spanLast,
//	              name count, then per name its folded form and FoldKey
//	relationship: version, type, from, to, validFrom, validTo, id mode,
//	              and the key or id the mode needs
//
// Version 2 adds, to both, the words of the record's text other than names
// (kg.TextWords), for full-text search; version 3 the ids of the sources
// the record cites; version 4 the entity's name as shown (kept in memory, so
// that ids, kinds and names are answered without reading a document);
// version 5 keeps a relationship's words apart: those of its role, then
// those of its quotes (a word of both in each), so that search scores it
// from the index; version 6 keeps an entity's words apart likewise: those of
// its description, of its figures' labels, and of its quotes. Records of an
// earlier version read as having none (words of an earlier version as
// mixed).
//
// Dates are days as yyyymmdd numbers (0: unknown), which order as the ISO
// strings they come from.
const recordVersion = 6

// labelVersion is the first record version that holds the name as shown.
const labelVersion = 4

// apartVersion is the first record version that keeps a relationship's role
// words apart from its quote words, and entityApartVersion an entity's
// description, figure and quote words.
const (
	apartVersion       = 5
	entityApartVersion = 6
)

// entityRecord is the index record of one entity.
type entityRecord struct {
	kind             kg.Kind
	id, typ, country string
	// start is the earliest day of Start (for ordering); spanFirst and
	// spanLast bound the days the entity's dates may cover (Entity.Span).
	start, spanFirst, spanLast int32
	names                      []nameForm
	words                      entityWords
	apart                      bool     // words kept apart (entityApartVersion)
	sources                    []string // the sources it cites
	label                      string   // the name as shown; "" in records before version 4
}

// entityWords are the words of an entity's text other than its names: of
// its description, of its figures' labels and of its quotes (figures' and
// citations'), when kept apart; mixed, all of them, in records before
// entityApartVersion.
type entityWords struct {
	desc, figures, quotes, mixed []string
}

// nameForm is one of an entity's names as search needs it: folded, and its
// kg.FoldKey.
type nameForm struct {
	folded  string
	foldKey uint64
}

func newEntityRecord(e *kg.Entity) entityRecord {
	first, last := e.Span()
	rec := entityRecord{kind: e.Kind, id: e.ID, typ: e.Type, country: e.Country,
		start: day(e.Start.Earliest()), spanFirst: day(first), spanLast: day(last)}
	for _, n := range e.Names() {
		rec.names = append(rec.names, nameForm{kg.Fold(n), kg.FoldKey(n)})
	}
	desc, figures, quotes := kg.EntityTexts(e)
	rec.words = entityWords{desc: kg.TextWords(desc...), figures: kg.TextWords(figures...), quotes: kg.TextWords(quotes...)}
	rec.apart = true
	rec.sources = e.SourceIDs()
	rec.label = e.Name
	return rec
}

// day turns "YYYY-MM-DD" into yyyymmdd, and "" into 0.
func day(s string) int32 {
	if len(s) != 10 {
		return 0
	}
	var n int32
	for i := 0; i < 10; i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			n = n*10 + int32(c-'0')
		}
	}
	return n
}

// encode writes the record in the current version, or, when its words are
// mixed (decoded from an older record and written back, as storeLabels
// does), in the last version that kept them so: never losing them.
func (r *entityRecord) encode() []byte {
	version := byte(recordVersion)
	if !r.apart {
		version = entityApartVersion - 1
	}
	b := make([]byte, 0, 64+len(r.id)+16*len(r.names))
	b = append(b, version, byte(kindIndex(r.kind)))
	b = appendString(b, r.id)
	b = appendString(b, r.typ)
	b = appendString(b, r.country)
	b = binary.AppendUvarint(b, uint64(r.start))
	b = binary.AppendUvarint(b, uint64(r.spanFirst))
	b = binary.AppendUvarint(b, uint64(r.spanLast))
	b = binary.AppendUvarint(b, uint64(len(r.names)))
	for _, n := range r.names {
		b = appendString(b, n.folded)
		b = binary.AppendUvarint(b, n.foldKey)
	}
	if r.apart {
		b = appendStrings(b, r.words.desc)
		b = appendStrings(b, r.words.figures)
		b = appendStrings(b, r.words.quotes)
	} else {
		b = appendStrings(b, r.words.mixed)
	}
	b = appendStrings(b, r.sources)
	return appendString(b, r.label)
}

func decodeEntityRecord(b []byte) (entityRecord, error) {
	d := decoder{b: b}
	var r entityRecord
	v := d.byte()
	if v < 1 || v > recordVersion {
		return r, fmt.Errorf("entity record version %d, want %d", v, recordVersion)
	}
	k := int(d.byte())
	if k < 1 || k > len(kg.Kinds) {
		return r, fmt.Errorf("entity record: kind %d", k)
	}
	r.kind = kg.Kinds[k-1]
	r.id, r.typ, r.country = d.string(), d.string(), d.string()
	r.start, r.spanFirst, r.spanLast = int32(d.uvarint()), int32(d.uvarint()), int32(d.uvarint())
	n := d.uvarint()
	if n > kg.MaxListLength*3 {
		return r, fmt.Errorf("entity record %s: %d names", r.id, n)
	}
	r.names = make([]nameForm, n)
	for i := range r.names {
		r.names[i] = nameForm{d.string(), d.uvarint()}
	}
	switch {
	case v >= entityApartVersion:
		r.words.desc, r.words.figures, r.words.quotes, r.apart = d.strings(), d.strings(), d.strings(), true
	case v >= 2:
		r.words.mixed = d.strings()
	}
	if v >= 3 {
		r.sources = d.strings()
	}
	if v >= labelVersion {
		r.label = d.string()
	}
	return r, d.err
}

// The ways a relationship's id is kept: derived from its type and ends
// (kg.RelationshipID, the usual case, which costs no bytes), derived with a
// discriminating key, or given by the user.
const (
	idDerived byte = iota
	idDerivedKey
	idCustom
)

// relRecord is the index record of one relationship. from and to are
// entity numbers.
type relRecord struct {
	typ                kg.RelType
	from, to           uint32
	validFrom, validTo int32 // earliest day of ValidFrom, latest day of ValidTo; 0 open
	idMode             byte
	extra              string // the key (idDerivedKey) or the id (idCustom)
	// roleWords and quoteWords are the words of the role and of the
	// quotes, when apart; mixedWords those of both, in records before
	// apartVersion.
	roleWords, quoteWords, mixedWords []string
	apart                             bool
	sources                           []string // the sources it cites
}

func newRelRecord(r *kg.Relationship, from, to uint32) relRecord {
	rec := relRecord{typ: r.Type, from: from, to: to,
		validFrom: day(r.ValidFrom.Earliest()), validTo: day(r.ValidTo.Latest())}
	rec.apart = true
	rec.roleWords = kg.TextWords(r.Role)
	rec.quoteWords = kg.TextWords(kg.RelationshipQuotes(r)...)
	rec.sources = r.SourceIDs()
	derived := kg.RelationshipID(r.Type, r.From, r.To, "")
	switch {
	case r.ID == derived:
		rec.idMode = idDerived
	case len(r.ID) > len(derived)+1 && r.ID[:len(derived)+1] == derived+"#":
		rec.idMode, rec.extra = idDerivedKey, r.ID[len(derived)+1:]
	default:
		rec.idMode, rec.extra = idCustom, r.ID
	}
	return rec
}

// encode writes the record as entityRecord.encode does.
func (r *relRecord) encode() []byte {
	version := byte(recordVersion)
	if !r.apart {
		version = apartVersion - 1
	}
	b := make([]byte, 0, 24+len(r.extra))
	b = append(b, version, byte(relTypeIndex(r.typ)))
	b = binary.AppendUvarint(b, uint64(r.from))
	b = binary.AppendUvarint(b, uint64(r.to))
	b = binary.AppendUvarint(b, uint64(r.validFrom))
	b = binary.AppendUvarint(b, uint64(r.validTo))
	b = append(b, r.idMode)
	if r.idMode != idDerived {
		b = appendString(b, r.extra)
	}
	if r.apart {
		b = appendStrings(b, r.roleWords)
		b = appendStrings(b, r.quoteWords)
	} else {
		b = appendStrings(b, r.mixedWords)
	}
	return appendStrings(b, r.sources)
}

func decodeRelRecord(b []byte) (relRecord, error) {
	d := decoder{b: b}
	var r relRecord
	v := d.byte()
	if v < 1 || v > recordVersion {
		return r, fmt.Errorf("relationship record version %d, want %d", v, recordVersion)
	}
	t := int(d.byte())
	if t < 1 || t > len(relTypes) {
		return r, fmt.Errorf("relationship record: type %d", t)
	}
	r.typ = relTypes[t-1]
	r.from, r.to = uint32(d.uvarint()), uint32(d.uvarint())
	r.validFrom, r.validTo = int32(d.uvarint()), int32(d.uvarint())
	r.idMode = d.byte()
	switch r.idMode {
	case idDerived:
	case idDerivedKey, idCustom:
		r.extra = d.string()
	default:
		return r, fmt.Errorf("relationship record: id mode %d", r.idMode)
	}
	switch {
	case v >= apartVersion:
		r.roleWords, r.quoteWords, r.apart = d.strings(), d.strings(), true
	case v >= 2:
		r.mixedWords = d.strings()
	}
	if v >= 3 {
		r.sources = d.strings()
	}
	return r, d.err
}

var relTypes = kg.RelTypes()

// kindIndex and relTypeIndex number kinds and types from 1, so that 0 can
// mean "no record" in the in-memory columns.
// kindMaskOf returns the bit mask of kinds (bit kindIndex(k)); 0 for
// none, which filters nothing.
func kindMaskOf(kinds []kg.Kind) uint8 {
	var m uint8
	for _, k := range kinds {
		m |= 1 << kindIndex(k)
	}
	return m
}

func kindIndex(k kg.Kind) int {
	for i, x := range kg.Kinds {
		if x == k {
			return i + 1
		}
	}
	return 0
}

func relTypeIndex(t kg.RelType) int {
	for i, x := range relTypes {
		if x == t {
			return i + 1
		}
	}
	return 0
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// decoder reads what the encoders append; the first error sticks.
type decoder struct {
	b   []byte
	err error
}

var errShort = errors.New("record is cut short")

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.err = errShort
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errShort
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) string() string {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.err = errShort
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// key is a record number as a bbolt key: big-endian, so that keys sort by
// number and new records append at the end of the tree.
func key(n uint32) []byte {
	return binary.BigEndian.AppendUint32(make([]byte, 0, 4), n)
}
