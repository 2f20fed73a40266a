package seed

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/vjkg/vjkg/kg"
)

// TestLocalityLayer checks that the seed holds the whole locality layer:
// Việt Nam's 63 provincial-level units before 1 July 2025 and 34 after,
// each of the 63 with exactly one successor, and Japan's 47 prefectures,
// each record citing reference data (ISO 3166-2, the resolution) rather
// than an article.
func TestLocalityLayer(t *testing.T) {
	b, err := Dataset()
	if err != nil {
		t.Fatal(err)
	}
	sourceType := map[string]string{}
	for _, s := range b.Sources {
		sourceType[s.ID] = s.Type
	}
	// citesReference reports whether one of the citations is reference
	// data or a legal act, and none of them an article, when onlyRef.
	citesReference := func(cs []kg.Citation, onlyRef bool) bool {
		ref := false
		for _, c := range cs {
			switch sourceType[c.SourceID] {
			case "REFERENCE", "LEGAL":
				ref = true
			case "ARTICLE":
				if onlyRef {
					return false
				}
			}
		}
		return ref
	}
	partOf := map[string]*kg.Relationship{}       // a unit's PART_OF Việt Nam
	mergedInto := map[string][]*kg.Relationship{} // by the merged unit
	for _, r := range b.Relationships {
		switch {
		case r.Type == kg.RelPartOf && r.To == "locality:vietnam":
			partOf[r.From] = r
		case r.Type == kg.RelMergedInto:
			mergedInto[r.From] = append(mergedInto[r.From], r)
		}
	}
	const lastDay, firstDay = "2025-06-30", "2025-07-01"
	validOn := func(e *kg.Entity, day string) bool { return kg.Within(day, e.Start, e.End) }

	var before, after []string
	units := map[string]*kg.Entity{}
	prefectures := map[string]string{} // ISO code → id
	for _, e := range b.Entities {
		if e.Kind != kg.KindLocality {
			continue
		}
		if e.Country == "VN" && strings.HasPrefix(e.ISOCode, "VN-") {
			units[e.ID] = e
			if validOn(e, lastDay) {
				before = append(before, e.ID)
			}
			if validOn(e, firstDay) {
				after = append(after, e.ID)
			}
			if !citesReference(e.Citations, false) {
				t.Errorf("%s: cites no reference source (ISO 3166-2)", e.ID)
			}
			if r := partOf[e.ID]; r == nil || !citesReference(r.Citations, true) || r.ValidTo != e.End {
				t.Errorf("%s: want PART_OF locality:vietnam citing reference data only, valid to its end %q; got %+v", e.ID, e.End, r)
			}
		}
		if e.Type == "PREFECTURE" && e.Country == "JP" {
			if prev, dup := prefectures[e.ISOCode]; dup || e.ISOCode == "" {
				t.Errorf("%s: ISO code %q (also %s)", e.ID, e.ISOCode, prev)
			}
			prefectures[e.ISOCode] = e.ID
			ja := ""
			for _, n := range e.LocalNames {
				if n.Lang == "ja" {
					ja = n.Value
				}
			}
			if !strings.HasSuffix(ja, "県") && !strings.HasSuffix(ja, "都") && !strings.HasSuffix(ja, "道") && !strings.HasSuffix(ja, "府") {
				t.Errorf("%s: kanji name %q is not a prefecture's (…県, 都, 道 or 府)", e.ID, ja)
			}
			if !citesReference(e.Citations, false) {
				t.Errorf("%s: cites no reference source (ISO 3166-2)", e.ID)
			}
		}
	}
	if len(before) != 63 || len(after) != 34 {
		sort.Strings(after)
		t.Errorf("provincial-level units: %d on %s, %d on %s; want 63 and 34 (after: %v)", len(before), lastDay, len(after), firstDay, after)
	}
	for i := 1; i <= 47; i++ {
		if code := fmt.Sprintf("JP-%02d", i); prefectures[code] == "" {
			t.Errorf("no prefecture %s", code)
		}
	}
	if len(prefectures) != 47 {
		t.Errorf("%d prefectures, want 47", len(prefectures))
	}

	// Every unit of 30 June 2025 has one successor: itself if it goes on
	// (no end date, as a province that kept its name and absorbed others
	// is modelled), else the one unit it was merged into on 1 July 2025.
	for _, id := range before {
		e, merges := units[id], mergedInto[id]
		switch {
		case validOn(e, firstDay):
			if len(merges) > 0 {
				t.Errorf("%s goes on after %s but is also merged into %s", id, lastDay, merges[0].To)
			}
		case e.End.String() != lastDay:
			t.Errorf("%s ends %s, want %s or no end", id, e.End, lastDay)
		case len(merges) != 1:
			t.Errorf("%s has %d successors, want 1", id, len(merges))
		default:
			r := merges[0]
			to := units[r.To]
			if to == nil || !validOn(to, firstDay) || r.ValidFrom.String() != firstDay || !citesReference(r.Citations, true) {
				t.Errorf("%s: MERGED_INTO %s must go to a unit of %s, from that day, citing the resolution only: %+v", id, r.To, firstDay, r)
			}
		}
	}
}
