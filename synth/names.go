package synth

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// The vocabularies names are drawn from. Each list is in order of
// popularity: words are picked with a Zipf-like bias towards the front, so
// that searches find a few very common words and a long tail of rare ones,
// as in real names.

var viFamily = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
	"Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Mai", "Tạ", "Lương", "Cao", "Lâm", "Quách", "Khổng",
	"Tôn", "Hứa", "Thái", "Kiều", "Âu"}

var viMiddle = []string{"Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quốc", "Ngọc", "Xuân", "Thu", "Kim",
	"Gia", "Bảo", "Công", "Đình"}

var viGiven = []string{"Anh", "Hùng", "Dũng", "Hương", "Lan", "Nhung", "Hồng", "Tuấn", "Hải", "Long",
	"Phương", "Thảo", "Trang", "Linh", "Quân", "Khánh", "Huy", "Nam", "Sơn", "Hà", "Mai", "Yến", "Thủy",
	"Hạnh", "Thắng", "Cường", "Tùng", "Vy", "Ngân", "Đạt", "Phúc", "Toàn", "Chiến", "Nghĩa", "Tâm", "Hiếu",
	"Lộc", "Duy", "Uyên", "Nhi", "Khoa", "Vinh", "Bích", "Diệp", "Thư", "Quyên", "Oanh", "Tường", "Khuê", "Ánh"}

// viPlace are the syllables of Vietnamese place names ("Tân Bình").
var viPlace = []string{"Tân", "Bình", "Phú", "Thọ", "Vĩnh", "Phúc", "Hà", "An", "Long", "Thanh", "Hòa",
	"Hải", "Dương", "Đông", "Tây", "Nam", "Bắc", "Sơn", "Lâm", "Đồng", "Giang", "Hưng", "Yên", "Quảng",
	"Ninh", "Định", "Trà", "Vinh", "Cát", "Mỹ", "Lộc", "Thuận", "Phước", "Hiệp", "Khánh", "Kiên", "Cẩm",
	"Lạc", "Đức", "Xuân"}

// viBrand are the syllables of Vietnamese company names ("Phát Đạt").
var viBrand = []string{"Phát", "Đạt", "Hòa", "Thành", "Công", "Minh", "Long", "An", "Khang", "Thịnh",
	"Vượng", "Hưng", "Phúc", "Lộc", "Tài", "Đức", "Việt", "Á", "Sao", "Mai", "Kim", "Ngân", "Hoàng", "Gia",
	"Bảo", "Tín", "Nghĩa", "Trường", "Sơn", "Hải"}

// jaSyllable is a part of a Japanese place or family name, romanised and in
// kanji: "yama" + "moto" gives Yamamoto, 山本.
type jaSyllable struct{ romaji, kanji string }

var jaSyllables = []jaSyllable{{"yama", "山"}, {"kawa", "川"}, {"naka", "中"}, {"ta", "田"}, {"moto", "本"},
	{"shima", "島"}, {"saki", "崎"}, {"hara", "原"}, {"oka", "岡"}, {"no", "野"}, {"mura", "村"},
	{"matsu", "松"}, {"ki", "木"}, {"ishi", "石"}, {"fuji", "藤"}, {"mori", "森"}, {"ko", "小"},
	{"taka", "高"}, {"naga", "長"}, {"miya", "宮"}, {"fuku", "福"}, {"kita", "北"}, {"nishi", "西"},
	{"hashi", "橋"}, {"ike", "池"}, {"sawa", "沢"}, {"ue", "上"}, {"shita", "下"}, {"hira", "平"},
	{"kado", "門"}, {"sugi", "杉"}, {"sakura", "桜"}, {"tsuru", "鶴"}, {"kame", "亀"}, {"take", "竹"},
	{"ume", "梅"}, {"hoshi", "星"}, {"tani", "谷"}, {"iwa", "岩"}, {"hama", "浜"}}

var jaGiven = []jaSyllable{{"Naoki", "直樹"}, {"Yuko", "裕子"}, {"Hiroshi", "博"}, {"Takeshi", "武"},
	{"Akiko", "明子"}, {"Kenji", "健二"}, {"Haruka", "遥"}, {"Satoshi", "聡"}, {"Yumi", "由美"},
	{"Daisuke", "大輔"}, {"Kaori", "香織"}, {"Makoto", "誠"}, {"Tomoko", "智子"}, {"Shinji", "真司"},
	{"Emi", "恵美"}, {"Ryota", "亮太"}, {"Sachiko", "幸子"}, {"Kazuo", "和夫"}, {"Mariko", "真理子"},
	{"Taro", "太郎"}, {"Hanako", "花子"}, {"Koji", "浩二"}, {"Noriko", "典子"}, {"Yuki", "雪"}, {"Jun", "潤"}}

var topics = []string{"đầu tư", "nông nghiệp", "giáo dục", "du lịch", "lao động", "y tế", "môi trường",
	"công nghệ thông tin", "văn hóa", "năng lượng", "hạ tầng", "đào tạo nhân lực"}

// namer builds names from the vocabularies above with one random stream.
type namer struct {
	r     *rng
	plain transform.Transformer
}

func newNamer(r *rng) *namer {
	return &namer{r: r, plain: transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)}
}

// pick returns a word of list, favouring the front of the list.
func (n *namer) pick(list []string) string { return list[n.r.zipf(len(list), 1.1)] }

func (n *namer) viPlace() string { return n.pick(viPlace) + " " + n.pick(viPlace) }

func (n *namer) viBrand() string { return n.pick(viBrand) + " " + n.pick(viBrand) }

// viPerson gives names such as "Nguyễn Văn Hùng" and "Nguyễn Thị Hồng Nhung".
func (n *namer) viPerson() string {
	name := n.pick(viFamily) + " " + n.pick(viMiddle) + " " + n.pick(viGiven)
	if n.r.chance(0.3) {
		name += " " + n.pick(viGiven)
	}
	return name
}

// jaPlace returns a romanised Japanese compound ("Yamakawa") and its kanji
// (山川); a third syllable now and then makes the long tail of rare names.
func (n *namer) jaPlace() (romaji, kanji string) {
	parts := 2
	if n.r.chance(0.2) {
		parts = 3
	}
	var ro, ka strings.Builder
	for range parts {
		s := jaSyllables[n.r.zipf(len(jaSyllables), 0.9)]
		ro.WriteString(s.romaji)
		ka.WriteString(s.kanji)
	}
	word := ro.String()
	return strings.ToUpper(word[:1]) + word[1:], ka.String()
}

// jaPerson returns a Japanese name in Japanese order, romanised ("Yamamoto
// Naoki") and in kanji (山本直樹), and in Western order ("Naoki Yamamoto").
func (n *namer) jaPerson() (romaji, kanji, western string) {
	family, familyKanji := n.jaPlace()
	given := jaGiven[n.r.zipf(len(jaGiven), 1.0)]
	return family + " " + given.romaji, familyKanji + given.kanji, given.romaji + " " + family
}

// ascii drops Vietnamese diacritics, keeping case: "Đặng Thị Hồng" gives
// "Dang Thi Hong", the form people type without a Vietnamese keyboard.
func (n *namer) ascii(s string) string {
	out, _, err := transform.String(n.plain, s)
	if err != nil {
		return s
	}
	return strings.NewReplacer("đ", "d", "Đ", "D").Replace(out)
}

// numbered appends a number to a name, to keep synthetic names apart.
func numbered(name string, i int) string { return name + " " + strconv.Itoa(i) }
