package embedded_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vjkg/vjkg/embedded"
	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/storetest"
)

// model is what the store should hold, kept by the test the simplest way.
type model struct {
	entities map[string]*kg.Entity
	rels     map[string]*kg.Relationship
}

func (m *model) apply(b *kg.Batch) {
	for _, e := range b.Entities {
		m.entities[e.ID] = e
	}
	for _, r := range b.Relationships {
		m.rels[r.ID] = r
	}
	for _, id := range b.DeleteRelationships {
		delete(m.rels, id)
	}
	for _, id := range b.DeleteEntities {
		delete(m.entities, id)
		for rid, r := range m.rels {
			if r.From == id || r.To == id {
				delete(m.rels, rid)
			}
		}
	}
}

var syllables = strings.Fields("Hà Nội Phú Thọ Vĩnh Phúc Đà Nẵng Huế Sài Gòn Công ty Cổ phần Phát Đạt Nguyễn Thị Hồng Nhung Trần Văn An Bắc Giang Quảng Ninh Fukuoka Saitama Tanaka Suzuki Kanagawa Hội Diễn đàn Biên bản ghi nhớ 福岡 埼玉 田中")

// randomGraph builds a batch of n entities and about 5n relationships with
// a few hubs, parallel relationships told apart by keys, user-given ids,
// dates and names in Vietnamese and Japanese.
func randomGraph(rng *rand.Rand, n int, src string) *kg.Batch {
	cite := []kg.Citation{{SourceID: src, Quote: "q"}}
	b := &kg.Batch{}
	for i := 0; i < n; i++ {
		k := kg.Kinds[rng.IntN(len(kg.Kinds))]
		if i < 5 {
			k = kg.KindLocality // the hubs
		}
		var words []string
		for w := 0; w < 1+rng.IntN(3); w++ {
			words = append(words, syllables[rng.IntN(len(syllables))])
		}
		name := strings.Join(words, " ")
		if rng.IntN(3) > 0 {
			name += fmt.Sprintf(" %d", i)
		}
		slug := strings.Trim(strings.Map(func(r rune) rune {
			if r < 128 {
				return r
			}
			return -1
		}, kg.Slug(name)), "-")
		e := &kg.Entity{ID: fmt.Sprintf("%sn%s-%d", k.IDPrefix(), slug, i), Kind: k, Name: name, Citations: cite,
			Type: kg.Subtypes[k][rng.IntN(len(kg.Subtypes[k]))], Country: []string{"VN", "JP", "KR"}[rng.IntN(3)]}
		switch i % 7 {
		case 0: // ids that are prefixes of others, which order differently followed by "->"
			e.ID = fmt.Sprintf("%sx-%d", k.IDPrefix(), i)
		case 1:
			e.ID = fmt.Sprintf("%sx-%d-1", k.IDPrefix(), i-1)
		}
		if rng.IntN(3) == 0 {
			e.Aliases = []string{syllables[rng.IntN(len(syllables))] + " " + syllables[rng.IntN(len(syllables))]}
		}
		if rng.IntN(2) == 0 {
			e.Start = kg.MustPartialDate(fmt.Sprintf("%d-%02d", 1990+rng.IntN(35), 1+rng.IntN(12)))
		}
		b.Entities = append(b.Entities, e)
	}
	seen := map[string]bool{}
	for len(b.Relationships) < 5*n {
		rule := kg.RelRules[rng.IntN(len(kg.RelRules))]
		pick := func(kinds []kg.Kind) *kg.Entity {
			for {
				var e *kg.Entity
				if rng.IntN(4) == 0 {
					e = b.Entities[rng.IntN(5)] // a hub
				} else {
					e = b.Entities[rng.IntN(len(b.Entities))]
				}
				if slices.Contains(kinds, e.Kind) {
					return e
				}
			}
		}
		from, to := pick(rule.From), pick(rule.To)
		if from.ID == to.ID {
			continue
		}
		key := ""
		if rng.IntN(10) == 0 {
			key = fmt.Sprint(rng.IntN(3))
		}
		id := kg.RelationshipID(rule.Type, from.ID, to.ID, key)
		if rng.IntN(25) == 0 {
			id = fmt.Sprintf("rel:custom-%d", len(b.Relationships))
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		r := &kg.Relationship{ID: id, Type: rule.Type, From: from.ID, To: to.ID, Citations: cite}
		if rng.IntN(3) == 0 {
			r.ValidFrom = kg.MustPartialDate(fmt.Sprint(2000 + rng.IntN(25)))
		}
		if rng.IntN(4) == 0 {
			r.ValidTo = kg.MustPartialDate(fmt.Sprintf("%d-06", 2020+rng.IntN(6)))
			if !r.ValidFrom.IsZero() && r.ValidFrom.Year > r.ValidTo.Year {
				r.ValidFrom = kg.PartialDate{}
			}
		}
		b.Relationships = append(b.Relationships, r)
	}
	return b
}

// TestRandomGraphAgreesWithModel writes a random graph with hubs, edits
// and deletes parts of it, and after each step (and after reopening)
// compares lists, counts, lookups and the native traversals and search
// with the model and with the generic algorithms.
func TestRandomGraphAgreesWithModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	dir := t.TempDir()
	s := mustOpen(t, dir)
	m := &model{entities: map[string]*kg.Entity{}, rels: map[string]*kg.Relationship{}}
	src := &kg.Source{ID: "source:test", Title: "Test", Language: "vi", Type: "DATASET"}
	g := randomGraph(rng, 200, src.ID)
	g.Sources = []*kg.Source{src}
	for _, chunk := range []struct{ from, to int }{{0, 100}, {100, 200}} { // two batches, the second refers to the first
		b := &kg.Batch{Entities: g.Entities[chunk.from:chunk.to]}
		if chunk.from == 0 {
			b.Sources = g.Sources
		}
		mustApply(t, s, b, m)
	}
	mustApply(t, s, &kg.Batch{Relationships: g.Relationships}, m)
	check(t, s, m, rng)

	// Edit: rename some entities, change dates; replace relationships.
	edit := &kg.Batch{}
	for i, e := range g.Entities {
		if i%9 == 1 {
			c := e.Clone()
			c.Name = "Đổi tên " + e.Name
			c.Start = kg.MustPartialDate("2001")
			c.Country = map[string]string{"VN": "JP", "JP": "KR", "KR": "VN"}[e.Country]
			c.Type = kg.Subtypes[e.Kind][(slices.Index(kg.Subtypes[e.Kind], e.Type)+1)%len(kg.Subtypes[e.Kind])]
			edit.Entities = append(edit.Entities, c)
		}
	}
	for i, r := range g.Relationships {
		if i%11 == 3 {
			c := r.Clone()
			c.Role = "changed"
			c.ValidFrom = kg.MustPartialDate("2024")
			c.ValidTo = kg.PartialDate{}
			edit.Relationships = append(edit.Relationships, c)
		}
	}
	before := m.clone()
	mustApply(t, s, edit, m)
	check(t, s, m, rng)

	// Revert the edit, and make it again: lists and their counts follow
	// whatever path the write took.
	svc := &kg.Service{Store: s}
	if _, err := svc.Revert(context.Background(), edit.Revision); err != nil {
		t.Fatal(err)
	}
	check(t, s, before, rng)
	edit.Revision = 0
	mustApply(t, s, edit, m)

	// Delete: a hub, some entities and relationships.
	del := &kg.Batch{DeleteEntities: []string{g.Entities[2].ID, g.Entities[40].ID, g.Entities[41].ID}}
	for i, r := range g.Relationships {
		if i%13 == 5 && m.rels[r.ID] != nil && r.From != g.Entities[2].ID && r.To != g.Entities[2].ID &&
			!slices.Contains(del.DeleteEntities, r.From) && !slices.Contains(del.DeleteEntities, r.To) {
			del.DeleteRelationships = append(del.DeleteRelationships, r.ID)
		}
	}
	mustApply(t, s, del, m)
	check(t, s, m, rng)

	s.Close()
	s = mustOpen(t, dir)
	defer s.Close()
	check(t, s, m, rng)

	// Search goes tier by tier on large graphs; make this one look large.
	defer embedded.SetRareTrigram(-1)()
	check(t, s, m, rng)

	// Text search narrows its candidates to those holding every word, and
	// reads relationships by id a few at a time.
	defer embedded.SetMinIntersect(0)()
	defer embedded.SetRelTextBatch(3)()
	check(t, s, m, rng)
}

func (m *model) clone() *model {
	c := &model{entities: map[string]*kg.Entity{}, rels: map[string]*kg.Relationship{}}
	for id, e := range m.entities {
		c.entities[id] = e
	}
	for id, r := range m.rels {
		c.rels[id] = r
	}
	return c
}

func mustApply(t *testing.T, s kg.Store, b *kg.Batch, m *model) {
	t.Helper()
	if err := s.Apply(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	m.apply(b)
}

func check(t *testing.T, s kg.Store, m *model, rng *rand.Rand) {
	t.Helper()
	ctx := context.Background()
	var ids []string
	for id := range m.entities {
		ids = append(ids, id)
	}
	sort.Strings(ids)

	// Every lookup by id.
	var relIDs []string
	for id := range m.rels {
		relIDs = append(relIDs, id)
	}
	gotRels, err := s.GetRelationships(ctx, append(slices.Clone(relIDs), "rel:PART_OF:locality:nowhere->locality:x"))
	if err != nil || len(gotRels) != len(relIDs) {
		t.Fatalf("GetRelationships: %d of %d, %v", len(gotRels), len(relIDs), err)
	}
	for _, r := range gotRels {
		if want := m.rels[r.ID]; want == nil || want.Role != r.Role || want.ValidFrom != r.ValidFrom {
			t.Fatalf("relationship %s: got %+v, want %+v", r.ID, r, want)
		}
	}

	gotEnts, err := s.GetEntities(ctx, ids)
	if err != nil || len(gotEnts) != len(ids) {
		t.Fatalf("GetEntities: %d of %d, %v", len(gotEnts), len(ids), err)
	}
	for _, e := range gotEnts {
		if want := m.entities[e.ID]; want == nil || want.Name != e.Name || want.Start != e.Start {
			t.Fatalf("entity %s: got %+v, want %+v", e.ID, e, want)
		}
	}

	// Lists: filters, orders and pages against the model.
	filters := []kg.EntityFilter{
		{},
		{Kinds: []kg.Kind{kg.KindLocality, kg.KindEvent}},
		{Countries: []string{"JP"}, Order: kg.EntityOrder{Field: kg.OrderByStart}},
		{Countries: []string{"JP", "KR"}, Kinds: []kg.Kind{kg.KindOrganization, kg.KindLocality}, Types: []string{"CITY", "COMPANY", "PREFECTURE", "BANK"}},
		{Types: []string{"CITY", "FORUM", "MOU"}, Order: kg.EntityOrder{Field: kg.OrderByName, Desc: true}},
		{From: "2000-01-01", To: "2010-12-31", Order: kg.EntityOrder{Field: kg.OrderByStart, Desc: true}},
		{Text: "ha noi", Order: kg.EntityOrder{Field: kg.OrderByID}},
		{Text: "fuku"},
		{Text: "an", Kinds: []kg.Kind{kg.KindOfficial}},
		{Text: "Phú Thọ", WholeName: true},
		{IDs: ids[:min(10, len(ids))], Order: kg.EntityOrder{Field: kg.OrderByID, Desc: true}},
		{Countries: []string{"XX"}},
		{Kinds: []kg.Kind{kg.KindOrganization}, Countries: []string{"JP"}},
		{Kinds: []kg.Kind{kg.KindEvent}, Types: []string{"FORUM", "VISIT"}, Order: kg.EntityOrder{Field: kg.OrderByStart}},
		// Texts of a byte or two (no trigram), across a space ("an" in
		// "Văn An" and "Đà Nẵng"), dense and sparse, in either order.
		{Text: "a"},
		{Text: "A", Order: kg.EntityOrder{Field: kg.OrderByName, Desc: true}},
		{Text: "ng", Kinds: []kg.Kind{kg.KindLocality, kg.KindEvent}, Order: kg.EntityOrder{Field: kg.OrderByStart, Desc: true}},
		{Text: "ia", Countries: []string{"JP"}, From: "1995-01-01"},
		{Text: "q", Order: kg.EntityOrder{Field: kg.OrderByID, Desc: true}},
		{Text: "福", Order: kg.EntityOrder{Field: kg.OrderByName}},
		{Text: "nh", WholeName: true},
		// Descending pages and dates, with and without kinds.
		{Kinds: []kg.Kind{kg.KindOrganization, kg.KindOfficial}, Order: kg.EntityOrder{Field: kg.OrderByName, Desc: true}},
		{Countries: []string{"VN"}, Order: kg.EntityOrder{Field: kg.OrderByStart, Desc: true}},
		{Kinds: []kg.Kind{kg.KindEvent}, Countries: []string{"JP"}, Order: kg.EntityOrder{Field: kg.OrderByID, Desc: true}},
		{From: "2005-01-01", Order: kg.EntityOrder{Field: kg.OrderByName}},
		{To: "1999-12-31", Kinds: []kg.Kind{kg.KindOfficial, kg.KindAgreement}, Order: kg.EntityOrder{Field: kg.OrderByStart}},
		{From: "2001-01-01", To: "2001-12-31", Countries: []string{"KR", "JP"}, Order: kg.EntityOrder{Field: kg.OrderByName, Desc: true}},
	}
	for _, f := range filters {
		var want []*kg.Entity
		matches := f.Matcher()
		for _, e := range m.entities {
			if matches(e, e.SearchText()) {
				want = append(want, e)
			}
		}
		f.Order.Sort(want)
		for _, p := range [][2]int{{0, 0}, {0, 7}, {5, 10}, {len(want) / 2, 4}, {len(want) - 3, 10}} {
			f.Offset, f.Limit = max(p[0], 0), p[1]
			got, total, err := s.FindEntities(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			w := want[min(f.Offset, len(want)):]
			if f.Limit > 0 {
				w = w[:min(f.Limit, len(w))]
			}
			if total != len(want) || !slices.Equal(entityIDs(got), entityIDs(w)) {
				t.Fatalf("FindEntities %+v: total %d, want %d\n got  %v\n want %v", f, total, len(want), entityIDs(got), entityIDs(w))
			}
		}
		f.Offset, f.Limit, f.CountOnly = 0, 0, true
		if _, total, err := s.FindEntities(ctx, f); err != nil || total != len(want) {
			t.Fatalf("FindEntities %+v: total %d, want %d (%v)", f, total, len(want), err)
		}
	}

	// Relationship lists, ordered by id.
	for _, f := range []kg.RelationshipFilter{{}, {Types: []kg.RelType{kg.RelPartyTo, kg.RelPartOf}}, {AsOf: "2022-01-01"}, {Types: []kg.RelType{kg.RelHeldIn}, AsOf: "2025-06-30"}} {
		var want []string
		for _, r := range m.rels {
			if (len(f.Types) == 0 || slices.Contains(f.Types, r.Type)) && r.ValidOn(f.AsOf) {
				want = append(want, r.ID)
			}
		}
		sort.Strings(want)
		// Windows at the start, inside, at the end and past it (a page
		// counted from the end is cut from where it is).
		for _, p := range [][2]int{{0, 0}, {0, 9}, {20, 15}, {len(want) / 2, 4}, {max(len(want)-3, 0), 10}, {len(want) + 5, 3}} {
			f.Offset, f.Limit = p[0], p[1]
			got, total, err := s.FindRelationships(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			w := want[min(f.Offset, len(want)):]
			if f.Limit > 0 {
				w = w[:min(f.Limit, len(w))]
			}
			var g []string
			for _, r := range got {
				g = append(g, r.ID)
			}
			if total != len(want) || !slices.Equal(g, w) {
				t.Fatalf("FindRelationships %+v: total %d, want %d\n got  %v\n want %v", f, total, len(want), g, w)
			}
		}
	}

	// Native traversals, pages and search against the generic ones, from
	// the hubs and a random sample.
	sample := []string{}
	for _, id := range ids {
		if strings.HasSuffix(id, "-0") || strings.HasSuffix(id, "-1") || strings.HasSuffix(id, "-3") || rng.IntN(20) == 0 {
			sample = append(sample, id)
		}
	}
	storetest.CheckNative(t, s, sample[:min(len(sample), 10)])
}

func entityIDs(es []*kg.Entity) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}
