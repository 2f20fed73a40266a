package kg

import (
	"strings"
	"unicode/utf8"
)

// Kind is the kind of an entity. Its values are the GraphQL EntityKind names.
type Kind string

// The five kinds of entity.
const (
	KindLocality     Kind = "LOCALITY"
	KindOfficial     Kind = "OFFICIAL"
	KindOrganization Kind = "ORGANIZATION"
	KindAgreement    Kind = "AGREEMENT"
	KindEvent        Kind = "EVENT"
)

// Kinds lists every kind, in the order the API documents them.
var Kinds = []Kind{KindLocality, KindOfficial, KindOrganization, KindAgreement, KindEvent}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if k == x {
			return true
		}
	}
	return false
}

// IDPrefix is the prefix of the ids of entities of this kind ("locality:").
// Ids carry their kind so that Query.node can resolve any id with one lookup.
func (k Kind) IDPrefix() string {
	switch k {
	case KindLocality:
		return "locality:"
	case KindOfficial:
		return "official:"
	case KindOrganization:
		return "org:"
	case KindAgreement:
		return "agreement:"
	case KindEvent:
		return "event:"
	}
	return ""
}

// Subtypes lists, per kind, the values an entity's Type may take. An
// official's type is optional; every other kind needs one.
var Subtypes = map[Kind][]string{
	KindLocality: {"COUNTRY", "REGION", "PROVINCE", "PREFECTURE", "CITY", "DISTRICT", "COMMUNE", "SPECIAL_ZONE", "ISLAND"},
	KindOfficial: {"GOVERNMENT", "PARTY", "LEGISLATURE", "DIPLOMAT", "MILITARY", "BUSINESS", "CIVIL_SOCIETY", "OTHER"},
	KindOrganization: {"COMPANY", "BANK", "MINISTRY", "GOVERNMENT_BODY", "PARTY_BODY", "LEGISLATURE",
		"EMBASSY", "AGENCY", "ASSOCIATION", "NGO", "INTERNATIONAL_ORGANIZATION", "MEDIA", "MILITARY", "OTHER"},
	KindAgreement: {"MOU", "AGREEMENT", "PARTNERSHIP", "JOINT_STATEMENT", "RESOLUTION", "PROJECT", "OTHER"},
	KindEvent: {"FORUM", "VISIT", "MEETING", "SIGNING", "CONFERENCE", "SESSION", "EXHIBITION", "FESTIVAL",
		"CEREMONY", "COMPETITION", "SURVEY", "AWARD", "CAMPAIGN", "PATROL", "RESCUE", "OTHER"},
}

// ValidSubtype reports whether t is a type that entities of kind k may have.
func ValidSubtype(k Kind, t string) bool {
	for _, x := range Subtypes[k] {
		if t == x {
			return true
		}
	}
	return false
}

// Entity is a node of the graph. Kind-specific fields are empty where they do
// not apply; Validate says which apply to which kind.
type Entity struct {
	ID          string
	Kind        Kind
	Name        string
	Aliases     []string    // other spellings: without diacritics, romanised, kanji, former names
	LocalNames  []LocalName // the name in other languages (vi, ja, en)
	Description string
	Type        string      // the kind's subtype: PROVINCE, COMPANY, MOU, FORUM, …
	Country     string      // ISO 3166-1 alpha-2: a locality's country, an organisation's or person's nationality
	ISOCode     string      // ISO 3166-2 code of a locality, where one exists
	Topics      []string    // what an agreement or event is about
	Start       PartialDate // established / signed / held (first day)
	End         PartialDate // dissolved / expired / last day
	Figures     []Figure
	Citations   []Citation
}

// LocalName is a name in one language, such as the kanji 福岡県 for Fukuoka.
type LocalName struct {
	Lang  string // BCP 47 language tag: vi, ja, en
	Value string
}

// Figure is a number a source states about an entity, such as an event's
// attendance or a province's count of Japanese investment projects.
type Figure struct {
	Label     string
	Value     float64
	Unit      string
	Qualifier string // "about", "over", "nearly", "exactly" or "": how the source hedges the number
	Date      PartialDate
	Citation  Citation
}

// Citation ties a fact to the source that states it and the words it uses.
type Citation struct {
	SourceID string
	Quote    string
}

// Source is a document facts come from: a news article, a legal act, a
// reference work.
type Source struct {
	ID        string
	Title     string
	Publisher string
	Author    string
	URL       string
	Language  string // BCP 47
	Published PartialDate
	Type      string // ARTICLE, LEGAL, REFERENCE
	Note      string
	// Text is the document's text where the graph holds it (the seed's
	// articles), so that every quote citing it can be found in it.
	Text string
}

// MaxSourceText is the longest text a source may hold.
const MaxSourceText = 1 << 20

// QuoteSpan returns where quote starts and ends in text, in Unicode code
// points (as search highlights are), and whether it is there at all.
func QuoteSpan(text, quote string) (start, end int, ok bool) {
	i := strings.Index(text, quote)
	if i < 0 || quote == "" {
		return 0, 0, false
	}
	start = utf8.RuneCountInString(text[:i])
	return start, start + utf8.RuneCountInString(quote), true
}

// SourceTypes lists the values Source.Type may take.
var SourceTypes = []string{"ARTICLE", "LEGAL", "REFERENCE", "DATASET", "OTHER"}

// SourceIDPrefix is the prefix of every source id.
const SourceIDPrefix = "source:"

// RelType is the type of a relationship. Its values are the GraphQL
// RelationType names, and the Neo4j relationship types: a fixed list, so that
// no user text ever becomes a relationship type in a query.
type RelType string

// The relationship types.
const (
	RelPartOf         RelType = "PART_OF"
	RelMergedInto     RelType = "MERGED_INTO"
	RelBorders        RelType = "BORDERS"
	RelLocatedIn      RelType = "LOCATED_IN"
	RelHoldsOffice    RelType = "HOLDS_OFFICE"
	RelPartyTo        RelType = "PARTY_TO"
	RelSigned         RelType = "SIGNED"
	RelOrganized      RelType = "ORGANIZED"
	RelParticipatedIn RelType = "PARTICIPATED_IN"
	RelHeldIn         RelType = "HELD_IN"
	RelCooperatesWith RelType = "COOPERATES_WITH"
	RelInvestsIn      RelType = "INVESTS_IN"
	RelResultedIn     RelType = "RESULTED_IN"
	RelConcerns       RelType = "CONCERNS"
)

// RelRule says which kinds a relationship type may connect and what it means.
type RelRule struct {
	Type        RelType
	From, To    []Kind
	Description string
}

var (
	anyKind    = Kinds
	placeOrOrg = []Kind{KindLocality, KindOrganization}
	actor      = []Kind{KindLocality, KindOrganization, KindOfficial}
)

// RelRules lists every relationship type with the kinds it connects.
var RelRules = []RelRule{
	{RelPartOf, anyKind, anyKind, "from is a part of to: a city of a prefecture, an agency of a ministry, a session of a forum"},
	{RelMergedInto, []Kind{KindLocality}, []Kind{KindLocality}, "from was merged into to, effective validFrom"},
	{RelBorders, []Kind{KindLocality}, []Kind{KindLocality}, "from shares a border with to"},
	{RelLocatedIn, []Kind{KindOrganization, KindOfficial}, []Kind{KindLocality}, "from is based in to"},
	{RelHoldsOffice, []Kind{KindOfficial}, placeOrOrg, "from holds an office (role) in to"},
	{RelPartyTo, actor, []Kind{KindAgreement}, "from is a party to the agreement"},
	{RelSigned, []Kind{KindOfficial}, []Kind{KindAgreement}, "from signed the agreement"},
	{RelOrganized, actor, []Kind{KindEvent}, "from organised or co-organised the event"},
	{RelParticipatedIn, actor, []Kind{KindEvent}, "from took part in the event (role: speaker, guest, …)"},
	{RelHeldIn, []Kind{KindEvent}, []Kind{KindLocality}, "the event took place in to"},
	{RelCooperatesWith, placeOrOrg, placeOrOrg, "from has a cooperation relationship with to"},
	{RelInvestsIn, placeOrOrg, []Kind{KindLocality}, "from (or its companies) invests in to"},
	{RelResultedIn, []Kind{KindEvent, KindAgreement}, []Kind{KindEvent, KindAgreement}, "from led to to: a signing to an agreement, an agreement to a project"},
	{RelConcerns, []Kind{KindEvent, KindAgreement}, anyKind, "the event or agreement is about to"},
}

// RelTypes lists every relationship type.
func RelTypes() []RelType {
	out := make([]RelType, len(RelRules))
	for i, r := range RelRules {
		out[i] = r.Type
	}
	return out
}

// Rule returns the rule of relationship type t and whether t is known.
func Rule(t RelType) (RelRule, bool) {
	for _, r := range RelRules {
		if r.Type == t {
			return r, true
		}
	}
	return RelRule{}, false
}

// Relationship is a typed, directed edge between two entities. FromKind and
// ToKind are kept by the store so that traversals can filter neighbours by
// kind without loading them.
type Relationship struct {
	ID               string
	Type             RelType
	From, To         string
	FromKind, ToKind Kind
	Role             string
	Properties       map[string]string
	ValidFrom        PartialDate
	ValidTo          PartialDate
	Citations        []Citation
}

// RelationshipID returns the id a relationship gets when none is given: its
// type and ends, plus a discriminating key when two relationships of the same
// type join the same pair (two offices in one organisation). Ids built this
// way are stable across reloads and readable in logs.
func RelationshipID(t RelType, from, to, key string) string {
	id := "rel:" + string(t) + ":" + from + "->" + to
	if key != "" {
		id += "#" + key
	}
	return id
}

// Other returns the end of r that is not id (for a self-loop, id itself).
func (r *Relationship) Other(id string) string {
	if r.From == id {
		return r.To
	}
	return r.From
}

// ValidOn reports whether r may be valid on day (YYYY-MM-DD); an empty day
// means "at any time".
func (r *Relationship) ValidOn(day string) bool {
	return day == "" || Within(day, r.ValidFrom, r.ValidTo)
}

// Direction is the direction of a traversal relative to its starting nodes.
type Direction string

// The traversal directions.
const (
	DirOut  Direction = "OUT"
	DirIn   Direction = "IN"
	DirBoth Direction = "BOTH"
)
