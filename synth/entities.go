package synth

import (
	"strconv"
	"strings"
)

// node is one row of the nodes file, apart from its id and kind.
type node struct {
	name, typ, country, aliases, nameJa, start, end, topics, figures, source string
}

// template names an entity of one subtype. Placeholders: {vp} a Vietnamese
// place, {jp} and {jk} a Japanese place (or family name) in rōmaji and
// kanji, {brand} a Vietnamese company name, {topic} a field of cooperation.
type template struct {
	typ    string
	weight int
	vi     string // the name of a Vietnamese entity
	ja     string // the name of a Japanese one ("" if there are none)
	kanji  string // its name_ja
}

// templates is a list of templates with their weights, to draw from.
type templates struct {
	list    []template
	weights []int
	total   int
}

func newTemplates(ts ...template) templates {
	w := make([]int, len(ts))
	for i, t := range ts {
		w[i] = t.weight
	}
	return templates{ts, w, sum(w)}
}

var orgTemplates = newTemplates(
	template{"COMPANY", 30, "Công ty Cổ phần {brand}", "{jp} Shoji", "{jk}商事"},
	template{"COMPANY", 25, "Công ty TNHH {brand}", "{jp} Kogyo", "{jk}工業"},
	template{"BANK", 5, "Ngân hàng TMCP {brand}", "{jp} Bank", "{jk}銀行"},
	template{"GOVERNMENT_BODY", 10, "Sở Kế hoạch và Đầu tư {vp}", "{jp} Prefectural Government", "{jk}県庁"},
	template{"ASSOCIATION", 8, "Hiệp hội Doanh nghiệp {vp}", "{jp} Japan–Vietnam Friendship Association", "{jk}日越友好協会"},
	template{"AGENCY", 5, "Trung tâm Xúc tiến Đầu tư {vp}", "{jp} Trade Promotion Agency", "{jk}貿易振興機構"},
	template{"NGO", 4, "Quỹ Hữu nghị Việt – Nhật {vp}", "{jp} International Exchange Foundation", "{jk}国際交流財団"},
	template{"MEDIA", 4, "Báo {vp}", "{jp} Shimbun", "{jk}新聞"},
	template{"MINISTRY", 1, "Bộ Kế hoạch và Đầu tư", "Ministry of Economy, Trade and Industry", "経済産業省"},
	template{"EMBASSY", 1, "Đại sứ quán Việt Nam tại Nhật Bản", "Embassy of Japan in Viet Nam", "在ベトナム日本国大使館"},
	template{"PARTY_BODY", 1, "Tỉnh ủy {vp}", "", ""},
	template{"LEGISLATURE", 1, "Hội đồng Nhân dân {vp}", "{jp} Prefectural Assembly", "{jk}県議会"},
	template{"MILITARY", 1, "Bộ Chỉ huy Quân sự {vp}", "", ""},
	template{"INTERNATIONAL_ORGANIZATION", 1, "Trung tâm Hợp tác Quốc tế {vp}", "{jp} International Centre", "{jk}国際センター"},
	template{"OTHER", 3, "Hợp tác xã {brand}", "{jp} Cooperative", "{jk}協同組合"},
)

var agreementTemplates = newTemplates(
	template{"MOU", 35, "Biên bản ghi nhớ hợp tác {vp} – {jp}", "", "{jk}・ベトナム協力覚書"},
	template{"AGREEMENT", 20, "Thỏa thuận hợp tác {topic} {vp} – {jp}", "", ""},
	template{"PARTNERSHIP", 10, "Quan hệ đối tác {vp} – {jp}", "", ""},
	template{"JOINT_STATEMENT", 8, "Tuyên bố chung {vp} – {jp}", "", ""},
	template{"RESOLUTION", 5, "Nghị quyết về hợp tác {topic} với {jp}", "", ""},
	template{"PROJECT", 17, "Dự án {topic} {vp}", "", ""},
	template{"OTHER", 5, "Chương trình hợp tác {topic} {vp} – {jp}", "", ""},
)

var eventTemplates = newTemplates(
	template{"FORUM", 15, "Diễn đàn Hợp tác địa phương {vp} – {jp}", "", ""},
	template{"VISIT", 25, "Đoàn công tác {jp} thăm {vp}", "", ""},
	template{"MEETING", 20, "Hội đàm {vp} – {jp}", "", ""},
	template{"SIGNING", 10, "Lễ ký kết hợp tác {vp} – {jp}", "", ""},
	template{"CONFERENCE", 10, "Hội nghị xúc tiến đầu tư {vp}", "{jp} Vietnam Investment Seminar", "{jk}ベトナム投資セミナー"},
	template{"EXHIBITION", 5, "Triển lãm {topic} {vp}", "", ""},
	template{"FESTIVAL", 5, "Lễ hội Việt – Nhật {vp}", "{jp} Vietnam Festival", "{jk}ベトナムフェスティバル"},
	template{"CEREMONY", 3, "Lễ kỷ niệm quan hệ {vp} – {jp}", "", ""},
	template{"SESSION", 3, "Phiên thảo luận {topic}", "", ""},
	template{"COMPETITION", 1, "Cuộc thi {topic} {vp}", "", ""},
	template{"SURVEY", 1, "Khảo sát {topic} {vp}", "", ""},
	template{"AWARD", 1, "Giải thưởng Hữu nghị {vp}", "", ""},
	template{"CAMPAIGN", 1, "Chiến dịch {topic} {vp}", "", ""},
)

var officialTypes = []string{"GOVERNMENT", "PARTY", "LEGISLATURE", "DIPLOMAT", "MILITARY", "BUSINESS", "CIVIL_SOCIETY", "OTHER", ""}
var officialTypeWeights = []int{40, 10, 8, 7, 2, 25, 5, 3, 10}

// localityParts names localities: the Vietnamese prefix ("Tỉnh Tân Bình")
// and the Japanese suffix in English and kanji ("Yamakawa Prefecture",
// 山川県).
var localityParts = map[string]struct{ vi, en, ja string }{
	"PROVINCE":     {"Tỉnh", "Province", "省"},
	"PREFECTURE":   {"Tỉnh", "Prefecture", "県"},
	"CITY":         {"Thành phố", "City", "市"},
	"DISTRICT":     {"Huyện", "District", "郡"},
	"COMMUNE":      {"Xã", "Village", "村"},
	"ISLAND":       {"Đảo", "Island", "島"},
	"SPECIAL_ZONE": {"Đặc khu", "Special Zone", "特区"},
	"REGION":       {"Vùng", "Region", "地方"},
}

var localityTypes = []string{"REGION", "CITY", "DISTRICT", "COMMUNE", "ISLAND", "SPECIAL_ZONE"}
var localityTypeWeights = []int{2, 20, 30, 38, 6, 4}

// entityMaker makes the entities in order, from one random stream.
type entityMaker struct {
	r     *rng
	names *namer
	// the placeholders' values for the entity being named, drawn when
	// first used
	vp, jp, jk, brand, topic string
}

func newEntityMaker(r *rng) *entityMaker { return &entityMaker{r: r, names: newNamer(r)} }

func sum(ws []int) int {
	t := 0
	for _, w := range ws {
		t += w
	}
	return t
}

// make returns the i-th entity of kind k.
func (m *entityMaker) make(k, i int) node {
	m.vp, m.jp, m.jk, m.brand, m.topic = "", "", "", "", ""
	var n node
	switch k {
	case locality:
		n = m.locality(i)
	case official:
		n = m.official()
	case organization:
		n = m.fromTemplate(orgTemplates, i, 0.4)
		if m.r.chance(0.5) {
			n.start, _ = date(m.r, 1950, 2024)
		}
	case agreement:
		n = m.fromTemplate(agreementTemplates, i, 0)
		n.country = ""
		n.topics = m.topics()
		if m.r.chance(0.9) {
			n.start, n.end = dateRange(m.r, 1995, 2025, 0.2)
		}
	case event:
		n = m.fromTemplate(eventTemplates, i, 0.2)
		n.country = ""
		m.eventDates(&n)
		if m.r.chance(0.05) {
			n.figures = `[{"label":"delegates","value":` + strconv.Itoa(50+10*m.r.n(100)) +
				`,"qualifier":"about","unit":"people","source":"` + sources[1].id + `","quote":"` + n.name + `"}]`
		}
	}
	n.source = sources[m.r.n(len(sources))].id
	return n
}

// locality: the first two are Việt Nam and Japan, the hubs everything is
// part of; then provinces and prefectures; then smaller places.
func (m *entityMaker) locality(i int) node {
	switch i {
	case 0:
		return node{name: "Việt Nam", typ: "COUNTRY", country: "VN", aliases: "Viet Nam;Vietnam", nameJa: "ベトナム"}
	case 1:
		return node{name: "Nhật Bản", typ: "COUNTRY", country: "JP", aliases: "Nhat Ban;Japan", nameJa: "日本"}
	}
	var n node
	japanese := m.r.chance(0.45)
	switch {
	case i < 130 && japanese:
		n.typ = "PREFECTURE"
	case i < 130:
		n.typ = "PROVINCE"
	default:
		n.typ = localityTypes[m.r.weighted(localityTypeWeights, sum(localityTypeWeights))]
	}
	parts := localityParts[n.typ]
	if japanese {
		romaji, kanji := m.names.jaPlace()
		n.name, n.country, n.nameJa = numbered(romaji+" "+parts.en, i), "JP", kanji+parts.ja
		if n.typ == "PREFECTURE" {
			n.aliases = romaji + "-ken"
		}
	} else {
		n.name, n.country = numbered(parts.vi+" "+m.names.viPlace(), i), "VN"
		if m.r.chance(0.3) {
			n.aliases = m.asciiAlias(n.name)
		}
	}
	if m.r.chance(0.3) {
		n.start, _ = date(m.r, 1945, 2020)
		if !japanese && m.r.chance(0.1) {
			n.end = "2025-06-30" // merged in the 2025 reform
		}
	}
	return n
}

func (m *entityMaker) official() node {
	n := node{typ: officialTypes[m.r.weighted(officialTypeWeights, sum(officialTypeWeights))]}
	if m.r.chance(0.4) {
		romaji, kanji, western := m.names.jaPerson()
		n.name, n.nameJa, n.country = romaji, kanji, "JP"
		if m.r.chance(0.3) {
			n.aliases = western
		}
		return n
	}
	n.name, n.country = m.names.viPerson(), "VN"
	if m.r.chance(0.3) {
		n.aliases = m.asciiAlias(n.name)
	}
	return n
}

// fromTemplate names the i-th entity of a kind from a template; with
// probability pJapanese it is a Japanese one where the template has a
// Japanese form.
func (m *entityMaker) fromTemplate(ts templates, i int, pJapanese float64) node {
	t := ts.list[m.r.weighted(ts.weights, ts.total)]
	n := node{typ: t.typ, country: "VN"}
	if t.ja != "" && m.r.chance(pJapanese) {
		n.name, n.country = numbered(m.expand(t.ja), i), "JP"
		n.nameJa = m.expand(t.kanji)
		return n
	}
	n.name = numbered(m.expand(t.vi), i)
	if t.kanji != "" && t.ja == "" {
		n.nameJa = m.expand(t.kanji) // a Vietnamese record with a Japanese name too
	}
	if m.r.chance(0.3) {
		n.aliases = m.asciiAlias(n.name)
	}
	return n
}

// expand fills a template's placeholders.
func (m *entityMaker) expand(t string) string {
	var b strings.Builder
	for {
		open := strings.IndexByte(t, '{')
		if open < 0 {
			b.WriteString(t)
			return b.String()
		}
		end := open + strings.IndexByte(t[open:], '}')
		b.WriteString(t[:open])
		b.WriteString(m.value(t[open+1 : end]))
		t = t[end+1:]
	}
}

func (m *entityMaker) value(name string) string {
	switch name {
	case "vp":
		if m.vp == "" {
			m.vp = m.names.viPlace()
		}
		return m.vp
	case "jp", "jk":
		if m.jp == "" {
			m.jp, m.jk = m.names.jaPlace()
		}
		if name == "jk" {
			return m.jk
		}
		return m.jp
	case "brand":
		if m.brand == "" {
			m.brand = m.names.viBrand()
		}
		return m.brand
	case "topic":
		if m.topic == "" {
			m.topic = m.names.pick(topics)
		}
		return m.topic
	}
	return name
}

// topics lists what an agreement is about: its name's topic, if any, and
// sometimes another.
func (m *entityMaker) topics() string {
	t := m.topic
	if t == "" {
		t = m.names.pick(topics)
	}
	if other := m.names.pick(topics); other != t && m.r.chance(0.4) {
		t += ";" + other
	}
	return t
}

// eventDates: most events have a date, half of them to the day; some last
// a few days.
func (m *entityMaker) eventDates(n *node) {
	if !m.r.chance(0.95) {
		return
	}
	y := 1995 + m.r.n(31)
	switch x := m.r.n(10); {
	case x < 3:
		n.start = strconv.Itoa(y)
	case x < 5:
		n.start = strconv.Itoa(y) + "-" + twoDigits(1+m.r.n(12))
	default:
		month, day := 1+m.r.n(12), 1+m.r.n(25)
		n.start = strconv.Itoa(y) + "-" + twoDigits(month) + "-" + twoDigits(day)
		if m.r.chance(0.2) {
			n.end = strconv.Itoa(y) + "-" + twoDigits(month) + "-" + twoDigits(day+1+m.r.n(3))
		}
	}
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// asciiAlias returns name without diacritics as an alias, or "" if it has
// none to drop.
func (m *entityMaker) asciiAlias(name string) string {
	if a := m.names.ascii(name); a != name {
		return a
	}
	return ""
}
