package coverage

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/vjkg/vjkg/kg"
)

// TestSeedCoverage requires every sentence of the two seed articles to be
// cited by a record or excused, and every excuse to apply.
func TestSeedCoverage(t *testing.T) {
	r, err := Seed()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range r.Problems {
		t.Error(p)
	}
	for _, a := range r.Articles {
		if c := a.Counts(); c.Sentences < 50 || c.Cited < c.Sentences/2 {
			t.Errorf("%s: %+v: too few sentences, or too few cited", a.SourceID, c)
		}
	}
}

// TestReportIsCurrent requires the committed report to be what the
// command writes now.
func TestReportIsCurrent(t *testing.T) {
	r, err := Seed()
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := r.WriteMarkdown(&want, Command); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../docs/seed-coverage.md")
	if err != nil || !bytes.Equal(got, want.Bytes()) {
		t.Errorf("docs/seed-coverage.md is not current (%v): run %s", err, Command)
	}
}

func TestSplit(t *testing.T) {
	text, got := Split("Ngày 21/11, tại TP. Đà Nẵng, A ký. “B” nói: C… là D.\n\n  Ảnh:   X  \nE (Nhật Bản). Ảnh: Y")
	var sentences []string
	for _, s := range got {
		sentences = append(sentences, s.Text)
		if text[s.Start:s.End] != s.Text {
			t.Errorf("offsets of %q give %q", s.Text, text[s.Start:s.End])
		}
	}
	want := []string{"Ngày 21/11, tại TP. Đà Nẵng, A ký.", "“B” nói: C… là D.", "Ảnh: X", "E (Nhật Bản).", "Ảnh: Y"}
	if strings.Join(sentences, " | ") != strings.Join(want, " | ") {
		t.Errorf("sentences = %q, want %q", sentences, want)
	}
	if got[2].Line != 3 || got[4].Line != 4 {
		t.Errorf("lines = %d, %d; want 3, 4", got[2].Line, got[4].Line)
	}
}

// TestBuild plants each kind of problem in a small article.
func TestBuild(t *testing.T) {
	a := Article{SourceID: "source:a", Text: "Fukuoka ký với Hà Nội. Trời đẹp.\nTin khác\nQuote lost."}
	b := &kg.Batch{
		Entities: []*kg.Entity{{ID: "locality:fukuoka", Name: "Fukuoka", Citations: []kg.Citation{{SourceID: "source:a", Quote: "Fukuoka ký với"}}}},
		Relationships: []*kg.Relationship{{ID: "rel:x", Type: kg.RelPartyTo, From: "locality:fukuoka", To: "agreement:m",
			Citations: []kg.Citation{{SourceID: "source:a", Quote: "not in the text"}}}},
	}
	excuses := []Excuse{
		{"source:a", "Trời đẹp.", "opinion: the weather"},
		{"source:a", "Fukuoka ký với Hà Nội.", "duplicate: cited all the same"},
		{"source:a", "A sentence that was edited away.", "not a claim: gone"},
	}
	r := Build(b, []Article{a}, excuses)
	rows := r.Articles[0].Rows
	if len(rows) != 4 || len(rows[0].Facts) != 1 || rows[1].Excuse != "opinion: the weather" {
		t.Fatalf("rows = %+v", rows)
	}
	for _, want := range []string{
		`source:a: rel:x: quote not in the article's text: "not in the text"`,
		"source:a:1: excused (duplicate: cited all the same) but cited by locality:fukuoka: drop the excuse",
		`source:a:2: neither cited nor excused: "Tin khác"`,
		`source:a:3: neither cited nor excused: "Quote lost."`,
		`source:a: the excused sentence is not in the article: "A sentence that was edited away."`,
	} {
		found := false
		for _, p := range r.Problems {
			found = found || p == want
		}
		if !found {
			t.Errorf("no problem %q in %q", want, r.Problems)
		}
	}
	if _, err := ParseExcuses([]byte("excuses:\n  - {source: source:a, sentence: x, reason: because}\n")); err == nil {
		t.Error("a reason of no known kind was accepted")
	}
}
