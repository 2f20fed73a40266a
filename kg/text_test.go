package kg

import (
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Hà Nội", "ha noi"},
		{"HÀ NỘI", "ha noi"},
		{"  ha--noi ", "ha noi"},
		{"Vĩnh Phúc", "vinh phuc"},
		{"Đà Nẵng", "da nang"},
		{"Thanh Hóa", "thanh hoa"},
		{"Thanh Hoá", "thanh hoa"},
		{"Thừa Thiên Huế", "thua thien hue"},
		{"ＦＵＫＵＯＫＡ", "fukuoka"},
		{"福岡県", "福岡県"},
		{"が", "が"},
	} {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := Compact("Ha Noi"); got != "hanoi" {
		t.Errorf("Compact = %q", got)
	}
}

func TestMatchScore(t *testing.T) {
	hanoi := &Entity{Name: "Hà Nội", Aliases: []string{"Hanoi", "Thủ đô Hà Nội"}}
	hanam := &Entity{Name: "Hà Nam"}
	for _, q := range []string{"Ha Noi", "hanoi", "HÀ NỘI", "ha noi"} {
		if s := MatchScore(q, hanoi); s < 0.9 {
			t.Errorf("MatchScore(%q, Hà Nội) = %v, want an exact match (>= 0.9)", q, s)
		}
		if s := MatchScore(q, hanam); s != 0 {
			t.Errorf("MatchScore(%q, Hà Nam) = %v, want 0", q, s)
		}
	}
	if a, b := MatchScore("Hà Nội", hanoi), MatchScore("ha noi", hanoi); a <= b {
		t.Errorf("the exact spelling should score above the folded one: %v <= %v", a, b)
	}
	if s := MatchScore("noi", hanoi); s <= 0 || s >= 0.9 {
		t.Errorf("a word match should score between 0 and 0.9, got %v", s)
	}
	if s := MatchScore("", hanoi); s != 0 {
		t.Errorf("empty query scored %v", s)
	}
	if got := hanoi.SearchText(); got != "|hanoi|thudohanoi|" {
		t.Errorf("SearchText = %q", got)
	}
}

// nameScoreReference is NameScore written the plain way, allocating: the
// fast version must agree with it.
func nameScoreReference(q SearchQuery, folded string, foldKey uint64, primary bool) float64 {
	qc := q.Compact
	if qc == "" {
		return 0
	}
	nc := strings.ReplaceAll(folded, " ", "")
	var s float64
	switch {
	case nc == qc:
		s = 0.9
		if foldKey == q.foldKey {
			s = 0.95
		}
	case strings.HasPrefix(nc, qc):
		s = PrefixScore(len(qc), len(nc))
	case strings.HasPrefix(folded, q.Folded) || strings.Contains(" "+folded, " "+q.Folded):
		s = WordScore(len(qc), len(nc))
	case len(qc) >= MinSubstring && strings.Contains(nc, qc):
		s = SubstringScore(len(qc), len(nc))
	}
	if primary && s > 0 {
		s += 0.05
	}
	return s
}

func TestNameScoreAgreesWithReference(t *testing.T) {
	names := []string{"Hà Nội", "Thành phố Hà Nội", "Hanoi", "Phú Thọ", "Ủy ban nhân dân tỉnh Phú Thọ", "福岡県", "Fukuoka-ken", "a", "ha noi ha", "Nguyễn Văn An 12", strings.Repeat("long name ", 80)}
	queries := []string{"ha noi", "hanoi", "Hà Nội", "noi", "pho ha", "phu tho", "tho", "福岡", "岡", "a", "ha", "an 1", "12", "xyz", "name long", "ten long"}
	for _, n := range names {
		for _, qt := range queries {
			q := NewSearchQuery(qt)
			for _, primary := range []bool{false, true} {
				f := Fold(n)
				if got, want := q.NameScore(f, FoldKey(n), primary), nameScoreReference(q, f, FoldKey(n), primary); got != want {
					t.Errorf("NameScore(%q, %q, %v) = %v, want %v", qt, n, primary, got, want)
				}
			}
		}
	}
}
