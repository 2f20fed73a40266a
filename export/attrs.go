package export

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/vjkg/vjkg/kg"
)

// The attributes every format carries, in this order. Lists and structured
// values are JSON strings, so that they survive formats whose attributes are
// flat strings, and so that a CSV export can be imported again.
var (
	NodeAttrs = []string{"kind", "type", "country", "iso_code", "aliases", "name_ja", "name_en", "description",
		"start", "end", "topics", "figures", "citations", "source_titles"}
	EdgeAttrs = []string{"relation", "role", "valid_from", "valid_to", "properties", "citations", "source_titles"}
)

// TimeStatusAttr is the edge attribute an export made with asOf adds after
// EdgeAttrs: what the relationship's dates say about that day, HOLDS or
// UNKNOWN (see kg.TimeStatus; asOf leaves OUTSIDE out). A relationship known
// only by the days sources report it on is kept and marked UNKNOWN, so the
// file tells the confirmed from the merely not excluded. Without asOf the
// attribute is absent: there is no day to judge.
const TimeStatusAttr = "time_status"

// edgeAttrNames returns the edge attributes of an export made on asOf
// (YYYY-MM-DD, or "" for any time).
func edgeAttrNames(asOf string) []string {
	if asOf == "" {
		return EdgeAttrs
	}
	return append(slices.Clip(EdgeAttrs), TimeStatusAttr)
}

// citation is how citations appear in exports: the source id and the quote.
type citation struct {
	Source string `json:"source"`
	Quote  string `json:"quote"`
}

func jsonString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

func citationsJSON(cs []kg.Citation) string {
	out := make([]citation, len(cs))
	for i, c := range cs {
		out[i] = citation{c.SourceID, c.Quote}
	}
	return jsonString(out)
}

// sourceLookup finds a cited source (nil if it is not known).
type sourceLookup func(id string) *kg.Source

// titles lists the titles of the sources cs cite, each once.
func (find sourceLookup) titles(cs []kg.Citation) string {
	var ts []string
	seen := map[string]bool{}
	for _, c := range cs {
		if src := find(c.SourceID); src != nil && !seen[src.ID] {
			seen[src.ID] = true
			ts = append(ts, src.Title)
		}
	}
	return strings.Join(ts, "; ")
}

func localName(e *kg.Entity, lang string) string {
	for _, n := range e.LocalNames {
		if n.Lang == lang {
			return n.Value
		}
	}
	return ""
}

type figure struct {
	Label     string  `json:"label"`
	Value     float64 `json:"value"`
	Unit      string  `json:"unit,omitempty"`
	Qualifier string  `json:"qualifier,omitempty"`
	Date      string  `json:"date,omitempty"`
	Source    string  `json:"source"`
	Quote     string  `json:"quote"`
}

// nodeAttrs returns an entity's attributes, in NodeAttrs order.
func (find sourceLookup) nodeAttrs(e *kg.Entity) []string {
	figs := make([]figure, len(e.Figures))
	for i, f := range e.Figures {
		figs[i] = figure{f.Label, f.Value, f.Unit, f.Qualifier, f.Date.String(), f.Citation.SourceID, f.Citation.Quote}
	}
	aliases, topics := e.Aliases, e.Topics
	if aliases == nil {
		aliases = []string{}
	}
	if topics == nil {
		topics = []string{}
	}
	return []string{string(e.Kind), e.Type, e.Country, e.ISOCode, jsonString(aliases), localName(e, "ja"), localName(e, "en"),
		e.Description, e.Start.String(), e.End.String(), jsonString(topics), jsonString(figs), citationsJSON(e.Citations), find.titles(e.Citations)}
}

// edgeAttrs returns a relationship's attributes, in edgeAttrNames(asOf)
// order.
func (find sourceLookup) edgeAttrs(r *kg.Relationship, asOf string) []string {
	props := r.Properties
	if props == nil {
		props = map[string]string{}
	}
	out := []string{string(r.Type), r.Role, r.ValidFrom.String(), r.ValidTo.String(), jsonString(props), citationsJSON(r.Citations), find.titles(r.Citations)}
	if asOf != "" {
		out = append(out, string(r.StatusOn(asOf)))
	}
	return out
}

// citedBy lists the ids of the sources an entity cites (figures included).
func citedBy(e *kg.Entity) []string {
	var ids []string
	for _, c := range e.Citations {
		ids = append(ids, c.SourceID)
	}
	for _, f := range e.Figures {
		ids = append(ids, f.Citation.SourceID)
	}
	return ids
}

// citedByRel lists the ids of the sources a relationship cites.
func citedByRel(r *kg.Relationship) []string {
	ids := make([]string, len(r.Citations))
	for i, c := range r.Citations {
		ids[i] = c.SourceID
	}
	return ids
}
