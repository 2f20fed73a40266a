package kg

import (
	"math/rand/v2"
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

// TestFoldByRuneAgreesWithTheChain checks the table against the transform
// chain: every rune it knows on its own, and random strings that mix them
// with the runes it must leave to the chain (marks, Hangul, half-width
// voicing marks, invalid UTF-8).
func TestFoldByRuneAgreesWithTheChain(t *testing.T) {
	var known []rune
	for _, rg := range foldRanges {
		for r := rg[0]; r <= rg[1]; r++ {
			s := string(r)
			if got, ok := foldByRune(s); ok {
				known = append(known, r)
				if want := foldChain(s); got != want {
					t.Errorf("rune %U: foldByRune %q, chain %q", r, got, want)
				}
			}
		}
	}
	if len(known) < 20000 {
		t.Fatalf("only %d runes fold on their own", len(known))
	}
	others := []rune{0x0301, 0x0323, 0x3099, 0x309b, 0xff9e, 0xff9f, 0x1100, 0x1161, 0x11a8, 0xac00, 0x0b47, 0x0b3e, 0xfb01, 0x2126, 0x212b, 0x00bd, 0xfffd, 0x1f600}
	rnd := rand.New(rand.NewPCG(1, 2))
	pick := func() rune {
		if rnd.IntN(5) == 0 {
			return others[rnd.IntN(len(others))]
		}
		return known[rnd.IntN(len(known))]
	}
	for i := 0; i < 200000; i++ {
		var b strings.Builder
		for n := rnd.IntN(8); n >= 0; n-- {
			b.WriteRune(pick())
		}
		s := b.String()
		if i%50 == 0 {
			s += "\xff" // invalid UTF-8
		}
		if got, want := Fold(s), foldChain(s); got != want {
			t.Fatalf("Fold(%q) = %q, chain %q", s, got, want)
		}
	}
}

func BenchmarkFold(b *testing.B) {
	for _, s := range []string{"Bản ghi nhớ hợp tác giữa thành phố Hà Nội và tỉnh Fukuoka", "福岡県知事 服部誠太郎", "Hanoi People's Committee"} {
		b.Run("table", func(b *testing.B) {
			for range b.N {
				Fold(s)
			}
		})
		b.Run("chain", func(b *testing.B) {
			for range b.N {
				foldChain(s)
			}
		})
	}
}

func TestHasWordPrefix(t *testing.T) {
	for _, tc := range []struct {
		folded, prefix string
		want           bool
	}{
		{"nguyen van an", "ngu", true},
		{"nguyen van an", "guy", false}, // inside a word
		{"nguyen van an", "va", true},
		{"nguyen van an", "an", true},   // the last word
		{"nguyen van an", "ann", false}, // longer than the word
		{"nguyen van an", "van an", true},
		{"nguyen van an", "n", true},
		{"nguyen van an", "", true},
		{"", "a", false},
		{"", "", true},
		{"ha noi ", "x", false}, // a trailing space ends no word
		{"福岡県 知事", "知事", true},
		{"福岡県知事", "知事", false},
		{"aab", "ab", false}, // the first byte matches at the start only
	} {
		if got := HasWordPrefix(tc.folded, tc.prefix); got != tc.want {
			t.Errorf("HasWordPrefix(%q, %q) = %v, want %v", tc.folded, tc.prefix, got, tc.want)
		}
	}
}
