package embedded_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vjkg/vjkg/embedded"
	"github.com/vjkg/vjkg/kg"
)

// TestMasksAnswerAsDocuments: scoring relationships from the index's word
// lists (role and quote words apart) gives the hits, scores, fields, texts,
// citations and whole relationships that scoring their documents gives —
// for words in roles, quotes, ends' names and several of them at once,
// prefixes, phrases and numbers; after relationships changed and were
// deleted (their old words stay listed), after a reopen, and from records
// of version 4, which kept a relationship's words mixed.
func TestMasksAnswerAsDocuments(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir)
	ctx := context.Background()
	words := strings.Fields("hợp tác kinh tế cảng biển Fukuoka Hà Nội đầu tư governor thống đốc 2025 sister cities")
	pick := func(i, n int) string { return pickWords(words, n, func(j int) int { return i*5 + j*j + j }) }
	b := &kg.Batch{Sources: []*kg.Source{{ID: "source:a", Title: "A", Language: "vi", Type: "ARTICLE"},
		{ID: "source:b", Title: "B", Language: "en", Type: "ARTICLE"}}}
	for i := range 60 {
		e := &kg.Entity{ID: fmt.Sprintf("org:o%02d", (i*37)%60), Kind: kg.KindOrganization, Type: "COMPANY",
			Name: pick(i, 1+i%2), Citations: []kg.Citation{{SourceID: "source:a", Quote: "x"}}}
		if i%3 == 0 {
			e.ID, e.Kind, e.Type, e.Country = fmt.Sprintf("locality:l%02d", (i*37)%60), kg.KindLocality, "PROVINCE", "VN"
		}
		if i%4 == 1 { // found by its own quote, and maybe through a relationship too
			e.Citations[0].Quote = pick(i+9, 2)
		}
		if i%5 == 2 {
			e.Description = pick(i+11, 3)
		}
		if i%7 == 3 {
			e.Aliases = []string{pick(i+13, 2)}
		}
		if i%6 == 4 {
			e.Figures = []kg.Figure{{Label: pick(i+15, 2), Value: 3, Citation: kg.Citation{SourceID: "source:b", Quote: pick(i+17, 2)}}}
		}
		b.Entities = append(b.Entities, e)
	}
	relationship := func(i int, salt int) *kg.Relationship {
		from, to := b.Entities[i%60], b.Entities[(i*7+1)%60]
		r := &kg.Relationship{Type: kg.RelCooperatesWith, From: from.ID, To: to.ID,
			Citations: []kg.Citation{{SourceID: "source:a", Quote: pick(i+2+salt, 1+i%4) + " 123456"}}}
		if i%2 == 0 {
			r.Citations = append(r.Citations, kg.Citation{SourceID: "source:b", Quote: pick(i+5+salt, 2) + " 1200"})
		}
		if i%3 != 0 {
			r.Role = pick(i+3+salt, 1+i%2)
		}
		r.ID = kg.RelationshipID(r.Type, r.From, r.To, fmt.Sprint(i))
		return r
	}
	var made []int // the i of each relationship
	for i := range 400 {
		if i%60 != (i*7+1)%60 {
			b.Relationships = append(b.Relationships, relationship(i, 0))
			made = append(made, i)
		}
	}
	if err := s.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	var texts []string
	for i, w := range words {
		f := kg.Fold(w)
		texts = append(texts, w, f[:min(2, len(f))], w+" "+words[(i*7+3)%len(words)],
			w+" "+words[(i+1)%len(words)]+" "+words[(i*5+2)%len(words)],
			// Phrases: the second is in some quotes and roles.
			`"`+w+" "+words[(i+1)%len(words)]+`"`, `"`+w+" "+words[(i+2)%len(words)]+`"`,
			// 12 begins 1200, in half the relationships' quotes, which
			// the index lists, and 123456, in all, which it does not.
			w+" 12")
	}
	texts = append(texts, "12", "123456", "nothing")

	show := func(hits []kg.TextHit, err error) string {
		var out []string
		for _, h := range hits {
			var id, cited string
			if h.Entity != nil {
				id = h.Entity.ID
			}
			if h.Relationship != nil {
				id += " via " + h.Relationship.ID
			}
			if c := h.Match.Citation; c != nil {
				cited = c.SourceID + ": " + c.Quote
			}
			out = append(out, fmt.Sprintf("%s %.3f %s %q %q", id, h.Score, h.Match.Field, h.Match.Text, cited))
		}
		return fmt.Sprint(out, err)
	}
	compare := func(s *embedded.Store, phase string) (hits, found int) {
		through := 0
		t.Helper()
		fast, slow := &kg.Service{Store: s}, &kg.Service{Store: documentsOnly{s}}
		checkDocumentsOnly(t, slow.Store)
		for _, text := range texts {
			for _, limit := range []int{0, 1, 10} {
				got, err := fast.SearchRelationships(ctx, text, nil, nil, limit)
				want, werr := slow.SearchRelationships(ctx, text, nil, nil, limit)
				if a, b := show(got, err), show(want, werr); a != b {
					t.Errorf("%s: SearchRelationships %q, limit %d:\n got  %s\n want %s", phase, text, limit, a, b)
					continue
				}
				for i := range got {
					if !reflect.DeepEqual(got[i].Relationship, want[i].Relationship) {
						t.Errorf("%s: SearchRelationships %q, hit %d:\n got  %+v\n want %+v", phase, text, i, got[i].Relationship, want[i].Relationship)
					}
				}
				hits += len(got)
				for _, kinds := range [][]kg.Kind{nil, {kg.KindLocality}} {
					got, err := fast.SearchText(ctx, text, kinds, nil, limit)
					want, werr := slow.SearchText(ctx, text, kinds, nil, limit)
					if a, b := show(got, err), show(want, werr); a != b {
						t.Errorf("%s: SearchText %q, kinds %v, limit %d:\n got  %s\n want %s", phase, text, kinds, limit, a, b)
						continue
					}
					for i := range got {
						if !reflect.DeepEqual(got[i], want[i]) {
							t.Errorf("%s: SearchText %q, hit %d:\n got  %+v\n want %+v", phase, text, i, got[i], want[i])
						}
						found++
						if got[i].Relationship != nil {
							through++
						}
					}
				}
			}
		}
		if hits < 2000 || through < 1000 {
			t.Errorf("%s: only %d relationship hits, %d entities found through relationships", phase, hits, through)
		}
		return hits, found
	}
	live := len(b.Relationships)
	if n := s.RelWordsApart(); n != live {
		t.Fatalf("%d of %d relationships with their words apart after writing them", n, live)
	}
	compare(s, "as written")
	restoreKept := embedded.SetHolderListsKept(0)
	t.Cleanup(restoreKept)
	compare(s, "as written, every term's sets kept")

	// Change a third (new roles and quotes: their old words stay in the
	// lists) and delete a tenth; change some entities' text and names.
	change := &kg.Batch{}
	for i, e := range b.Entities {
		if i%4 == 0 {
			changed := *e
			changed.Name, changed.Description = pick(i+19, 2), pick(i+21, 2)
			change.Entities = append(change.Entities, &changed)
		}
	}
	for i, r := range b.Relationships {
		switch {
		case i%10 == 0:
			change.DeleteRelationships = append(change.DeleteRelationships, r.ID)
		case i%3 == 1:
			change.Relationships = append(change.Relationships, relationship(made[i], 7))
		}
	}
	if err := s.Apply(ctx, change); err != nil {
		t.Fatal(err)
	}
	live -= len(change.DeleteRelationships)
	if n := s.RelWordsApart(); n != live-len(change.Relationships) {
		t.Fatalf("%d relationships with their words apart after changing %d of %d, want the others", n, len(change.Relationships), live)
	}
	compare(s, "changed, every term's sets kept") // none kept from before
	restoreKept()
	compare(s, "changed")
	restore := embedded.SetNameListsLong()
	compare(s, "changed, names' words looked up in the names")
	restoreKept = embedded.SetHolderListsKept(0)
	compare(s, "changed, names' words too many to gather for a search, but kept")
	if s.KeptHolderSets() == 0 {
		t.Error("changed, names' words too many to gather: no set was kept")
	}
	restoreKept()
	restore()
	restore = embedded.SetNoNameRanks()
	compare(s, "changed, the first chosen by names")
	restore()

	s.Close()
	s = mustOpen(t, dir)
	if n := s.RelWordsApart(); n != live {
		t.Fatalf("%d of %d relationships with their words apart after a reopen", n, live)
	}
	compare(s, "reopened")

	s.Close()
	if err := embedded.DowngradeEntityWords(dir); err != nil {
		t.Fatal(err)
	}
	s = mustOpen(t, dir)
	hits, found := compare(s, "entities of version 5")

	// Records of version 3 are rewritten at the first open (their names as
	// shown added): their words must survive it, mixed.
	s.Close()
	if err := embedded.DowngradeEntityRecords(dir); err != nil {
		t.Fatal(err)
	}
	for _, phase := range []string{"entities of version 3, converted", "entities of version 3, reopened"} {
		s = mustOpen(t, dir)
		if h, f := compare(s, phase); h != hits || f != found {
			t.Errorf("%s: %d relationship hits and %d entity hits, want %d and %d as before", phase, h, f, hits, found)
		}
		s.Close()
	}
	s = mustOpen(t, dir)

	s.Close()
	if err := embedded.DowngradeRelRecords(dir); err != nil {
		t.Fatal(err)
	}
	s = mustOpen(t, dir)
	defer s.Close()
	if n := s.RelWordsApart(); n != 0 {
		t.Fatalf("%d relationships with their words apart from records of version 4", n)
	}
	compare(s, "version 4")
}

// TestConcurrentTextSearchesAgree runs searches side by side, which share
// pooled working arrays and bit sets, and requires each to answer as it
// does alone.
func TestConcurrentTextSearchesAgree(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, t.TempDir())
	defer s.Close()
	words := strings.Fields("governor mayor delegate host guest partner signatory organiser speaker")
	cited := []kg.Citation{{SourceID: "source:a", Quote: "x"}}
	b := &kg.Batch{Sources: []*kg.Source{{ID: "source:a", Title: "A", Language: "en", Type: "ARTICLE"}}}
	for i := range 200 {
		b.Entities = append(b.Entities, &kg.Entity{ID: fmt.Sprintf("org:o%03d", i), Kind: kg.KindOrganization, Type: "COMPANY",
			Name: fmt.Sprintf("%s Company %d", words[i%len(words)], i), Description: words[(i*3)%len(words)], Citations: cited})
	}
	for i := range 1500 {
		from, to := i%200, (i*7+3)%200
		if from == to {
			continue
		}
		b.Relationships = append(b.Relationships, &kg.Relationship{Type: kg.RelCooperatesWith,
			ID:   kg.RelationshipID(kg.RelCooperatesWith, b.Entities[from].ID, b.Entities[to].ID, fmt.Sprint(i)),
			From: b.Entities[from].ID, To: b.Entities[to].ID, Role: words[(i*5)%len(words)] + " " + words[(i*11)%len(words)], Citations: cited})
	}
	if err := s.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	svc := &kg.Service{Store: s}
	texts := append(slices.Clone(words), "governor mayor", "host company", "de", "partner guest speaker")
	alone := map[string]string{}
	answer := func(text string) string {
		hits, err := svc.SearchText(ctx, text, nil, nil, 10)
		var out []string
		for _, h := range hits {
			id := h.Entity.ID
			if h.Relationship != nil {
				id += " via " + h.Relationship.ID
			}
			out = append(out, fmt.Sprintf("%s %.3f %s", id, h.Score, h.Match.Field))
		}
		return fmt.Sprint(out, err)
	}
	for _, text := range texts {
		alone[text] = answer(text)
	}
	sideBySide := func(phase string) {
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 200 {
					text := texts[(g*7+i)%len(texts)]
					if got := answer(text); got != alone[text] {
						t.Errorf("%s: %q side by side:\n got  %s\n want %s", phase, text, got, alone[text])
						return
					}
				}
			}()
		}
		wg.Wait()
	}
	sideBySide("sets of one search")
	// Every term's sets kept and shared, and dropped by writes of entities
	// no text finds, in between.
	defer embedded.SetHolderListsKept(0)()
	defer embedded.SetBegunWords(1)() // and the words a prefix begins
	stop := make(chan struct{})
	wrote := make(chan error)
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				wrote <- nil
				return
			default:
			}
			e := &kg.Entity{ID: fmt.Sprintf("org:x%03d", i%50), Kind: kg.KindOrganization, Type: "COMPANY",
				Name: fmt.Sprintf("Quxl Yvva %d", i), Citations: cited}
			if err := s.Apply(ctx, &kg.Batch{Entities: []*kg.Entity{e}}); err != nil {
				wrote <- err
				return
			}
		}
	}()
	sideBySide("sets kept, entities written meanwhile")
	close(stop)
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
}
