package seed

import (
	"strings"
	"testing"

	"github.com/vjkg/vjkg/kg"
)

func TestDatasetParses(t *testing.T) {
	b, err := Dataset()
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Entities) < 50 || len(b.Relationships) < 50 || len(b.Sources) < 2 {
		t.Fatalf("dataset too small: %d entities, %d relationships, %d sources", len(b.Entities), len(b.Relationships), len(b.Sources))
	}
}

// TestQuotesAreVerbatim checks that every quote citing one of the two
// articles appears in the article's text, word for word.
func TestQuotesAreVerbatim(t *testing.T) {
	b, err := Dataset()
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{}
	for id := range ArticleFiles {
		text, ok := ArticleText(id)
		if !ok {
			t.Fatalf("no text for %s", id)
		}
		texts[id] = strings.Join(strings.Fields(text), " ")
	}
	check := func(where string, c kg.Citation) {
		text, ok := texts[c.SourceID]
		if !ok {
			return
		}
		if q := strings.Join(strings.Fields(c.Quote), " "); !strings.Contains(text, q) {
			t.Errorf("%s: quote not found in %s: %q", where, c.SourceID, c.Quote)
		}
	}
	for _, e := range b.Entities {
		for _, c := range e.Citations {
			check(e.ID, c)
		}
		for _, f := range e.Figures {
			check(e.ID+" figure "+f.Label, f.Citation)
		}
	}
	for _, r := range b.Relationships {
		for _, c := range r.Citations {
			check(r.ID, c)
		}
	}
}
