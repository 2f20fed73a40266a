package embedded_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/vjkg/vjkg/embedded"
	"github.com/vjkg/vjkg/internal/testgraph"
	"github.com/vjkg/vjkg/kg"
)

// TestPhraseSearchPastTheCandidateBound plants more entities whose text
// holds a phrase's first word than full-text search reads as candidates
// (kg.MaxTextCandidates), ahead of the entities whose names hold the
// phrase: a phrase is still found in names first, ranked as names.
func TestPhraseSearchPastTheCandidateBound(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	cite := []kg.Citation{{SourceID: "source:test", Quote: "trích"}}
	b := &kg.Batch{Sources: []*kg.Source{{ID: "source:test", Title: "Test", Language: "vi", Type: "ARTICLE"}}}
	for i := range kg.MaxTextCandidates + 500 {
		b.Entities = append(b.Entities, &kg.Entity{ID: fmt.Sprintf("org:o%d", i), Kind: kg.KindOrganization, Type: "COMPANY",
			Name: fmt.Sprintf("Công ty %d", i), Description: "Hội viên của hiệp hội đàm phán", Citations: cite})
	}
	for i := range 30 {
		b.Entities = append(b.Entities, &kg.Entity{ID: fmt.Sprintf("event:e%d", i), Kind: kg.KindEvent, Type: "MEETING",
			Name: fmt.Sprintf("Hội đàm Hà Nội – Fukuoka %d", i), Citations: cite})
	}
	if err := s.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	svc := &kg.Service{Store: s}
	for _, c := range []struct {
		text     string
		minScore float64
	}{
		{`"Hội đàm"`, 0.3},   // a name match, scored as names are
		{`"Fukuoka 7"`, 0.3}, // the same, rare
		// The words apart in the name: every term is in it, scored as
		// names are when the query is not a name match (0.29).
		{`"hội đàm" fukuoka`, 0.29},
	} {
		hits, err := svc.SearchText(ctx, c.text, nil, nil, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 {
			t.Errorf("%s: no hits", c.text)
		}
		for _, h := range hits {
			if !strings.HasPrefix(h.Entity.ID, "event:") || !h.Match.Field.IsName() || h.Score < c.minScore {
				t.Errorf("%s: hit %s %s %.3f, want a name hit scored %.2f or more", c.text, h.Entity.ID, h.Match.Field, h.Score, c.minScore)
			}
		}
	}
	// Words of the phrase apart, or out of order, are no phrase.
	hits, err := svc.SearchText(ctx, `"đàm hội"`, nil, nil, 10)
	if err != nil || len(hits) != 0 {
		t.Errorf(`"đàm hội": %d hits (%v), want none`, len(hits), err)
	}
}

// TestTextCandidatesHoldEveryWord searches a graph whose entities hold
// words in names, descriptions, figures and quotes, reading every holder
// of the rarest word as a candidate and then only those holding every
// word: the hits are the same.
func TestTextCandidatesHoldEveryWord(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	words := strings.Fields("Hà Nội Fukuoka hợp tác kinh tế đầu tư cảng biển nông nghiệp 2025 123456 diễn đàn chủ tịch tỉnh")
	pick := func(i, n int) string { return pickWords(words, n, func(j int) int { return i*7 + j*i + j*3 }) }
	b := &kg.Batch{Sources: []*kg.Source{{ID: "source:test", Title: "Test", Language: "vi", Type: "ARTICLE"}}}
	for i := range 400 {
		e := &kg.Entity{ID: fmt.Sprintf("org:o%d", i), Kind: kg.KindOrganization, Type: "COMPANY", Name: pick(i, 1+i%3),
			Citations: []kg.Citation{{SourceID: "source:test", Quote: pick(i+1, 1+i%4)}}}
		switch i % 4 {
		case 0:
			e.Description = pick(i+2, 4)
		case 1:
			e.Aliases = []string{pick(i+3, 2)}
		case 2:
			e.Figures = []kg.Figure{{Label: pick(i+4, 3), Value: 1, Citation: kg.Citation{SourceID: "source:test", Quote: pick(i+5, 2)}}}
		}
		b.Entities = append(b.Entities, e)
	}
	if err := s.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	svc := &kg.Service{Store: s}
	show := func(hits []kg.TextHit, err error) string {
		return showTextHits(hits, err, func(h kg.TextHit) string { return h.Entity.ID })
	}
	for _, text := range []string{"hợp tác", "kinh te dau", `"đầu tư" cảng`, "nông 2025", "123456 tỉnh", `"chủ tịch tỉnh"`, "fuku ha", "diễn đàn hà nội"} {
		for _, limit := range []int{0, 5} {
			restore := embedded.SetMinIntersect(1 << 30)
			want := show(svc.SearchText(ctx, text, nil, nil, limit))
			restore()
			restore = embedded.SetMinIntersect(0)
			got := show(svc.SearchText(ctx, text, nil, nil, limit))
			restore()
			if got != want {
				t.Errorf("%q, limit %d:\n narrowed %s\n all      %s", text, limit, got, want)
			}
		}
	}
}

// TestRelationshipSearchStopsEarly searches relationships whose roles,
// quotes and ends' names hold a query's words, scoring some below the best
// field: reading candidates by id one at a time and stopping once the
// first hits are certain gives the first hits of reading them all.
func TestRelationshipSearchStopsEarly(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	words := strings.Fields("hợp tác kinh tế cảng biển Fukuoka Hà Nội đầu tư")
	pick := func(i, n int) string { return pickWords(words, n, func(j int) int { return i*5 + j*j + j }) }
	b := &kg.Batch{Sources: []*kg.Source{{ID: "source:test", Title: "Test", Language: "vi", Type: "ARTICLE"}}}
	for i := range 60 {
		b.Entities = append(b.Entities, &kg.Entity{ID: fmt.Sprintf("org:o%02d", (i*37)%60), Kind: kg.KindOrganization, Type: "COMPANY",
			Name: pick(i, 1+i%2), Citations: []kg.Citation{{SourceID: "source:test", Quote: "x"}}})
	}
	for i := range 300 {
		from, to := b.Entities[i%60], b.Entities[(i*7+1)%60]
		if from == to {
			continue
		}
		r := &kg.Relationship{Type: kg.RelCooperatesWith, From: from.ID, To: to.ID,
			Citations: []kg.Citation{{SourceID: "source:test", Quote: pick(i+2, 1+i%4)}}}
		if i%3 == 0 {
			r.Role = pick(i+3, 2)
		}
		r.ID = kg.RelationshipID(r.Type, r.From, r.To, fmt.Sprint(i))
		b.Relationships = append(b.Relationships, r)
	}
	if err := s.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	svc := &kg.Service{Store: s}
	show := func(hits []kg.TextHit, err error) string {
		return showTextHits(hits, err, func(h kg.TextHit) string { return h.Relationship.ID })
	}
	defer embedded.SetRelTextBatch(1)()
	// Candidates sorted by their ids, then (once a list has built it) by
	// the relationship order.
	for _, list := range []bool{false, true} {
		if list {
			if _, _, err := s.FindRelationships(ctx, kg.RelationshipFilter{Limit: 1}); err != nil {
				t.Fatal(err)
			}
		}
		for _, text := range []string{"hợp tác", "cảng fukuoka", `"kinh tế"`, "hà đầu", "biển"} {
			all, err := svc.SearchRelationships(ctx, text, nil, nil, 0)
			for _, limit := range []int{1, 4, 10} {
				want := show(all[:min(limit, len(all))], err)
				if got := show(svc.SearchRelationships(ctx, text, nil, nil, limit)); got != want {
					t.Errorf("%q, limit %d, after a list %v:\n got  %s\n want %s", text, limit, list, got, want)
				}
			}
		}
	}
}

// pickWords joins n of words, the j-th at at(j).
func pickWords(words []string, n int, at func(j int) int) string {
	var out []string
	for j := range n {
		out = append(out, words[at(j)%len(words)])
	}
	return strings.Join(out, " ")
}

func showTextHits(hits []kg.TextHit, err error, id func(kg.TextHit) string) string {
	var out []string
	for _, h := range hits {
		out = append(out, fmt.Sprintf("%s %.3f %s", id(h), h.Score, h.Match.Field))
	}
	return fmt.Sprint(out, err)
}

// TestSearchTextFirstHitsAreAllHitsFirst checks SearchText's shortcuts (it
// stops at names, or before the relationships, once it has enough hits that
// nothing later can outrank): its first hits are the first of all its hits.
func TestSearchTextFirstHitsAreAllHitsFirst(t *testing.T) {
	s := testgraph.Seeded(t)
	svc := &kg.Service{Store: s}
	ctx := context.Background()
	for _, text := range []string{"hà nội", "fukuoka", "hợp tác", "governor kanagawa", "tỉnh", "thống đốc", "nhật bản",
		"\"hợp tác\"", "\"diễn đàn\" hợp tác", "đầu tư", "2025", "kanagawa", "ủy ban nhân dân"} {
		all, err := svc.SearchText(ctx, text, nil, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, limit := range []int{1, 3, 10} {
			first, err := svc.SearchText(ctx, text, nil, nil, limit)
			if err != nil {
				t.Fatal(err)
			}
			want := all[:min(limit, len(all))]
			if len(first) != len(want) {
				t.Fatalf("%q first %d: %d hits, want %d", text, limit, len(first), len(want))
			}
			for i := range want {
				if first[i].Entity.ID != want[i].Entity.ID || first[i].Score != want[i].Score || first[i].Match.Field != want[i].Match.Field {
					t.Errorf("%q first %d, hit %d: %s %.3f %s, want %s %.3f %s", text, limit, i,
						first[i].Entity.ID, first[i].Score, first[i].Match.Field, want[i].Entity.ID, want[i].Score, want[i].Match.Field)
				}
			}
		}
	}
}

// documentsOnly hides the store's FoldedNames, EntityOutlines,
// RelationshipTextMasks, ThroughHits and EntityTextHits (its own methods of
// those names take nothing), so that full-text search scores entities and
// relationships by their documents and reads those of relationships' ends
// and of the entities found through them.
type documentsOnly struct{ *embedded.Store }

func (documentsOnly) EntityTextHits()        {}
func (documentsOnly) FoldedNames()           {}
func (documentsOnly) EntityOutlines()        {}
func (documentsOnly) RelationshipTextMasks() {}
func (documentsOnly) ThroughHits()           {}

// TestEndsByFoldedNamesAnswerAlike: matching relationships' ends by the
// names the index keeps folded, and scoring relationships from the index,
// gives the hits, scores, matched fields and texts that matching and
// scoring them by their documents gives, for words of every name, role and
// quote of the seed graph, their prefixes, and pairs of them.
func checkDocumentsOnly(t *testing.T, s kg.Store) {
	t.Helper()
	if _, ok := s.(kg.FoldedNamer); ok {
		t.Fatal("the wrapper still offers FoldedNames")
	}
	if _, ok := s.(kg.EntityOutliner); ok {
		t.Fatal("the wrapper still offers EntityOutlines")
	}
	if _, ok := s.(kg.RelationshipTextMasker); ok {
		t.Fatal("the wrapper still offers RelationshipTextMasks")
	}
	if _, ok := s.(kg.ThroughRanker); ok {
		t.Fatal("the wrapper still offers ThroughHits")
	}
	if _, ok := s.(kg.EntityTextRanker); ok {
		t.Fatal("the wrapper still offers EntityTextHits")
	}
}

func TestEndsByFoldedNamesAnswerAlike(t *testing.T) {
	s := testgraph.Seeded(t)
	ctx := context.Background()
	fast, slow := &kg.Service{Store: s}, &kg.Service{Store: documentsOnly{s}}
	checkDocumentsOnly(t, slow.Store)
	ents, _, err := s.FindEntities(ctx, kg.EntityFilter{})
	if err != nil {
		t.Fatal(err)
	}
	rels, _, err := s.FindRelationships(ctx, kg.RelationshipFilter{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var words []string
	add := func(text string) {
		for _, w := range strings.Fields(text) {
			w = strings.Trim(w, ".,;:()\"'“”")
			for _, q := range []string{w, string([]rune(w)[:min(3, len([]rune(w)))])} {
				if q != "" && !seen[q] {
					seen[q] = true
					words = append(words, q)
				}
			}
		}
	}
	for _, e := range ents {
		for _, n := range e.Names() {
			add(n)
		}
	}
	for _, r := range rels {
		add(r.Role)
		for _, c := range r.Citations {
			add(c.Quote)
		}
	}
	show := func(hits []kg.TextHit, err error) string {
		var out []string
		for _, h := range hits {
			id := ""
			if h.Entity != nil {
				id = h.Entity.ID
			}
			if h.Relationship != nil {
				id += " via " + h.Relationship.ID
			}
			out = append(out, fmt.Sprintf("%s %.3f %s %q", id, h.Score, h.Match.Field, h.Match.Text))
		}
		return fmt.Sprint(out, err)
	}
	var texts []string
	for i, w := range words {
		texts = append(texts, w, w+" "+words[(i*7+3)%len(words)])
	}
	compared, through := 0, 0
	for _, text := range texts {
		for _, limit := range []int{0, 10} {
			slowHits, err := slow.SearchText(ctx, text, nil, nil, limit)
			want := show(slowHits, err)
			hits, err := fast.SearchText(ctx, text, nil, nil, limit)
			for i, h := range hits {
				if h.Relationship != nil {
					through++
				}
				// Whole entities, not the outlines they were ranked by.
				if i < len(slowHits) && !reflect.DeepEqual(h.Entity, slowHits[i].Entity) {
					t.Errorf("SearchText %q, limit %d, hit %d:\n got  %+v\n want %+v", text, limit, i, h.Entity, slowHits[i].Entity)
				}
			}
			if got := show(hits, err); got != want {
				t.Errorf("SearchText %q, limit %d:\n got  %s\n want %s", text, limit, got, want)
			}
			want = show(slow.SearchRelationships(ctx, text, nil, nil, limit))
			if got := show(fast.SearchRelationships(ctx, text, nil, nil, limit)); got != want {
				t.Errorf("SearchRelationships %q, limit %d:\n got  %s\n want %s", text, limit, got, want)
			}
			compared++
		}
	}
	if len(words) < 300 || through < 1000 {
		t.Errorf("only %d words from the seed graph, %d hits found through relationships", len(words), through)
	}
	t.Logf("%d texts compared, %d hits through relationships", compared, through)
}
