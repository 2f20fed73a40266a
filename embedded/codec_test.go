package embedded

import (
	"reflect"
	"testing"

	"github.com/vjkg/vjkg/kg"
)

func sampleEntity() *kg.Entity {
	cite := kg.Citation{SourceID: "source:a", Quote: "Hà Nội và Fukuoka"}
	return &kg.Entity{ID: "locality:ha-noi", Kind: kg.KindLocality, Name: "Hà Nội", Aliases: []string{"Hanoi", "ハノイ"},
		LocalNames: []kg.LocalName{{Lang: "ja", Value: "ハノイ"}}, Description: "capital", Type: "CITY", Country: "VN",
		ISOCode: "VN-HN", Topics: []string{"agriculture"}, Start: kg.MustPartialDate("1010-07"), End: kg.MustPartialDate("2025-06-30"),
		Figures:   []kg.Figure{{Label: "people", Value: 8.5e6, Unit: "people", Qualifier: "about", Date: kg.MustPartialDate("2024"), Citation: cite}},
		Citations: []kg.Citation{cite, {SourceID: "source:b", Quote: ""}}}
}

func TestEntityCodecRoundTrip(t *testing.T) {
	for _, e := range []*kg.Entity{sampleEntity(), {ID: "official:x", Kind: kg.KindOfficial, Name: "X"}} {
		got, err := decodeEntity(encodeEntity(e))
		if err != nil || !reflect.DeepEqual(got, e) {
			t.Errorf("round trip of %s:\n got  %+v, %v\n want %+v", e.ID, got, err, e)
		}
	}
}

func TestRelationshipCodecRoundTrip(t *testing.T) {
	g := newGraph()
	for i, id := range []string{"locality:fukuoka", "locality:ha-noi"} {
		rec := newEntityRecord(&kg.Entity{ID: id, Kind: kg.KindLocality, Name: id})
		g.putEntity(uint32(i+1), &rec)
	}
	for _, r := range []*kg.Relationship{
		{ID: kg.RelationshipID(kg.RelCooperatesWith, "locality:fukuoka", "locality:ha-noi", ""), Type: kg.RelCooperatesWith},
		{ID: kg.RelationshipID(kg.RelCooperatesWith, "locality:fukuoka", "locality:ha-noi", "2"), Type: kg.RelCooperatesWith,
			Role: "sister cities", Properties: map[string]string{"since": "2019", "b": "2"}, ValidFrom: kg.MustPartialDate("2019"),
			ValidTo: kg.MustPartialDate("2024-02"), Citations: []kg.Citation{{SourceID: "source:a", Quote: "q"}}},
		{ID: "rel:my-own-id", Type: kg.RelBorders},
	} {
		r.From, r.To, r.FromKind, r.ToKind = "locality:fukuoka", "locality:ha-noi", kg.KindLocality, kg.KindLocality
		rec := newRelRecord(r, 1, 2)
		got, err := decodeRelationship(encodeRelationship(r, &rec), g)
		if err != nil || !reflect.DeepEqual(got, r) {
			t.Errorf("round trip of %s:\n got  %+v, %v\n want %+v", r.ID, got, err, r)
		}
	}
}

// FuzzDecodeEntity: a damaged document is an error, never a panic or an
// allocation as large as a length it claims.
func FuzzDecodeEntity(f *testing.F) {
	f.Add(encodeEntity(sampleEntity()))
	f.Add([]byte{docVersion, 1, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		decodeEntity(b)
	})
}
