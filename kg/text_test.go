package kg

import "testing"

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
