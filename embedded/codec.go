package embedded

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/vjkg/vjkg/kg"
)

// Documents are stored in a compact binary form rather than JSON: a tenth
// of the decoding time, and a relationship's document leaves out what its
// id, type and ends already say (the ends are entity numbers, whose ids
// never change). The first byte is the codec's version; every string is a
// length and bytes, every number a uvarint, every date year·10000 +
// month·100 + day.
const docVersion = 2

func appendDate(b []byte, d kg.PartialDate) []byte {
	return binary.AppendUvarint(b, uint64(d.Year*10000+d.Month*100+d.Day))
}

func appendStrings(b []byte, ss []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(ss)))
	for _, s := range ss {
		b = appendString(b, s)
	}
	return b
}

func appendCitation(b []byte, c kg.Citation) []byte {
	return appendString(appendString(b, c.SourceID), c.Quote)
}

func appendCitations(b []byte, cs []kg.Citation) []byte {
	b = binary.AppendUvarint(b, uint64(len(cs)))
	for _, c := range cs {
		b = appendCitation(b, c)
	}
	return b
}

func encodeEntity(e *kg.Entity) []byte {
	b := make([]byte, 0, 128+len(e.Description))
	b = append(b, docVersion, byte(kindIndex(e.Kind)))
	b = appendString(b, e.ID)
	b = appendString(b, e.Name)
	b = appendStrings(b, e.Aliases)
	b = binary.AppendUvarint(b, uint64(len(e.LocalNames)))
	for _, n := range e.LocalNames {
		b = appendString(appendString(b, n.Lang), n.Value)
	}
	b = appendString(b, e.Description)
	b = appendString(b, e.Type)
	b = appendString(b, e.Country)
	b = appendString(b, e.ISOCode)
	b = appendStrings(b, e.Topics)
	b = appendDate(b, e.Start)
	b = appendDate(b, e.End)
	b = binary.AppendUvarint(b, uint64(len(e.Figures)))
	for _, f := range e.Figures {
		b = appendString(b, f.Label)
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f.Value))
		b = appendString(b, f.Unit)
		b = appendString(b, f.Qualifier)
		b = appendDate(b, f.Date)
		b = appendCitation(b, f.Citation)
	}
	return appendCitations(b, e.Citations)
}

// encodeRelationship encodes r, whose ends are entities from and to.
func encodeRelationship(r *kg.Relationship, rec *relRecord) []byte {
	b := make([]byte, 0, 64)
	b = append(b, docVersion, byte(relTypeIndex(r.Type)))
	b = binary.AppendUvarint(b, uint64(rec.from))
	b = binary.AppendUvarint(b, uint64(rec.to))
	b = append(b, rec.idMode)
	if rec.idMode != idDerived {
		b = appendString(b, rec.extra)
	}
	return appendRelBody(b, r)
}

// appendRelBody appends what a relationship's document and its history
// snapshot share after its ends and id: role, properties, dates, citations.
func appendRelBody(b []byte, r *kg.Relationship) []byte {
	b = appendString(b, r.Role)
	keys := r.PropertyKeys()
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		b = appendString(appendString(b, k), r.Properties[k])
	}
	b = appendDate(b, r.ValidFrom)
	b = appendDate(b, r.ValidTo)
	return appendCitations(b, r.Citations)
}

func (d *decoder) date() kg.PartialDate {
	v := int(d.uvarint())
	return kg.PartialDate{Year: v / 10000, Month: v / 100 % 100, Day: v % 100}
}

// count reads a list's length, refusing one longer than what is left.
func (d *decoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.err = errShort
		return 0
	}
	return int(n)
}

func (d *decoder) strings() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.string()
	}
	return out
}

func (d *decoder) citation() kg.Citation {
	return kg.Citation{SourceID: d.string(), Quote: d.string()}
}

func (d *decoder) citations() []kg.Citation {
	n := d.count()
	if n == 0 {
		return nil
	}
	out := make([]kg.Citation, n)
	for i := range out {
		out[i] = d.citation()
	}
	return out
}

var errVersion = errors.New("unknown document version")

// decodeEntityOutline decodes the kind, id and name at the front of an
// entity's document, and no more.
func decodeEntityOutline(b []byte) (*kg.Entity, error) {
	d := decoder{b: b}
	if d.byte() != docVersion {
		return nil, errVersion
	}
	k := int(d.byte())
	if k < 1 || k > len(kg.Kinds) {
		return nil, fmt.Errorf("kind %d", k)
	}
	e := &kg.Entity{Kind: kg.Kinds[k-1]}
	e.ID, e.Name = d.string(), d.string()
	return e, d.err
}

func decodeEntity(b []byte) (*kg.Entity, error) {
	d := decoder{b: b}
	if d.byte() != docVersion {
		return nil, errVersion
	}
	e := &kg.Entity{}
	k := int(d.byte())
	if k < 1 || k > len(kg.Kinds) {
		return nil, fmt.Errorf("kind %d", k)
	}
	e.Kind = kg.Kinds[k-1]
	e.ID, e.Name = d.string(), d.string()
	e.Aliases = d.strings()
	if n := d.count(); n > 0 {
		e.LocalNames = make([]kg.LocalName, n)
		for i := range e.LocalNames {
			e.LocalNames[i] = kg.LocalName{Lang: d.string(), Value: d.string()}
		}
	}
	e.Description, e.Type, e.Country, e.ISOCode = d.string(), d.string(), d.string(), d.string()
	e.Topics = d.strings()
	e.Start, e.End = d.date(), d.date()
	if n := d.count(); n > 0 {
		e.Figures = make([]kg.Figure, n)
		for i := range e.Figures {
			f := &e.Figures[i]
			f.Label = d.string()
			if len(d.b) < 8 {
				return nil, errShort
			}
			f.Value = math.Float64frombits(binary.LittleEndian.Uint64(d.b))
			d.b = d.b[8:]
			f.Unit, f.Qualifier = d.string(), d.string()
			f.Date = d.date()
			f.Citation = d.citation()
		}
	}
	e.Citations = d.citations()
	return e, d.err
}

// relHeader reads what a relationship's document and its history snapshot
// both begin with: the format's version and the relationship's type.
func (d *decoder) relHeader() (kg.RelType, error) {
	if d.byte() != docVersion {
		return "", errVersion
	}
	t := int(d.byte())
	if t < 1 || t > len(relTypes) {
		return "", fmt.Errorf("type %d", t)
	}
	return relTypes[t-1], nil
}

// decodeRelationship decodes a relationship's document; g names its ends
// (the caller holds the read lock).
func decodeRelationship(b []byte, g *graph) (*kg.Relationship, error) {
	d := decoder{b: b}
	typ, err := d.relHeader()
	if err != nil {
		return nil, err
	}
	r := &kg.Relationship{Type: typ}
	from, to := uint32(d.uvarint()), uint32(d.uvarint())
	if int(from) >= len(g.kind) || int(to) >= len(g.kind) || g.idLen[from] == 0 || g.idLen[to] == 0 {
		return nil, fmt.Errorf("ends %d and %d are unknown", from, to)
	}
	r.From, r.To = g.entityID(from), g.entityID(to)
	// An entity's number keeps its id and kind for good, even once deleted.
	r.FromKind, r.ToKind = kindByPrefix(r.From), kindByPrefix(r.To)
	switch mode := d.byte(); mode {
	case idDerived:
		r.ID = kg.RelationshipID(r.Type, r.From, r.To, "")
	case idDerivedKey:
		r.ID = kg.RelationshipID(r.Type, r.From, r.To, d.string())
	case idCustom:
		r.ID = d.string()
	default:
		return nil, fmt.Errorf("id mode %d", mode)
	}
	d.relBody(r)
	return r, d.err
}

// relBody reads what appendRelBody wrote into r.
func (d *decoder) relBody(r *kg.Relationship) {
	r.Role = d.string()
	if n := d.count(); n > 0 {
		r.Properties = make(map[string]string, n)
		for range n {
			k := d.string()
			r.Properties[k] = d.string()
		}
	}
	r.ValidFrom, r.ValidTo = d.date(), d.date()
	r.Citations = d.citations()
}

// kindByPrefix is the kind an entity id names by its prefix ("locality:").
func kindByPrefix(id string) kg.Kind {
	for _, k := range kg.Kinds {
		if strings.HasPrefix(id, k.IDPrefix()) {
			return k
		}
	}
	return ""
}
