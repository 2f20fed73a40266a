package kg

import (
	"reflect"
	"testing"
)

func TestParseTextQuery(t *testing.T) {
	q := ParseTextQuery(`Thống đốc "tỉnh Kanagawa" agri "unclosed quote`)
	want := []Term{{Words: []string{"thong"}}, {Words: []string{"doc"}}, {Words: []string{"tinh", "kanagawa"}, Phrase: true},
		{Words: []string{"agri"}}, {Words: []string{"unclosed", "quote"}, Phrase: true}}
	if !reflect.DeepEqual(q.Terms, want) {
		t.Errorf("terms = %+v\nwant    %+v", q.Terms, want)
	}
	if !q.HasPhrase() || ParseTextQuery("ha noi").HasPhrase() {
		t.Error("HasPhrase")
	}
}

func TestMatchRanksFields(t *testing.T) {
	e := &Entity{ID: "official:kuroiwa-yuji", Name: "Kuroiwa Yuji", Description: "Governor of Kanagawa Prefecture.",
		Citations: []Citation{{SourceID: "source:a", Quote: "Thống đốc tỉnh Kanagawa Kuroiwa Yuji (Nhật Bản)"}}}
	for _, c := range []struct {
		text  string
		field Field
		ok    bool
	}{
		{"Kuroiwa", FieldName, true},                  // a name match, as search always had
		{"governor kanagawa", FieldDescription, true}, // both words in the description
		{"thong doc kanagawa", FieldQuote, true},      // all in the quote
		{"kuroiwa governor", FieldDescription, true},  // across fields: the weakest decides
		{`"tinh kanagawa"`, FieldQuote, true},         // a phrase, whole words in order
		{`"kanagawa tinh"`, "", false},                // not in that order
		{"gover", FieldDescription, true},             // a word finds the words it begins
		{"governor osaka", "", false},                 // every word must occur
	} {
		m, ok := ParseTextQuery(c.text).Match(EntityFields(e))
		if ok != c.ok || (ok && m.Field != c.field) {
			t.Errorf("%q: matched %v in %s, want %v in %s", c.text, ok, m.Field, c.ok, c.field)
		}
	}
	name, _ := ParseTextQuery("Kuroiwa").Match(EntityFields(e))
	desc, _ := ParseTextQuery("governor").Match(EntityFields(e))
	quote, _ := ParseTextQuery("nhat ban").Match(EntityFields(e))
	if !(name.Score > desc.Score && desc.Score > quote.Score) {
		t.Errorf("scores: name %v, description %v, quote %v: want falling", name.Score, desc.Score, quote.Score)
	}
}

func TestSnippet(t *testing.T) {
	q := ParseTextQuery("kanagawa thong")
	text := "Thống đốc tỉnh Kanagawa Kuroiwa Yuji (Nhật Bản)"
	s, marks := q.Snippet(text, 120)
	if s != text || !reflect.DeepEqual(marks, [][2]int{{0, 5}, {15, 23}}) {
		t.Errorf("snippet %q, marks %v", s, marks)
	}
	long := "Một câu rất dài về hợp tác giữa các địa phương, kể nhiều chuyện khác nhau trước khi nhắc tới Kanagawa ở cuối câu này."
	s, marks = q.Snippet(long, 40)
	r := []rune(s)
	if len(marks) != 1 || string(r[marks[0][0]:marks[0][1]]) != "Kanagawa" || r[0] != '…' {
		t.Errorf("snippet %q, marks %v", s, marks)
	}
}

// TestThroughScoreBelowOwn keeps the field weights such that SearchText may
// stop before the relationships once it has enough hits on entities' own
// fields.
func TestThroughScoreBelowOwn(t *testing.T) {
	if !throughScoreBelowOwn() {
		t.Fatal("a hit through a relationship can score as high as a hit on an entity's own fields: SearchText may not skip the relationships")
	}
}
