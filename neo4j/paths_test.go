package neo4j

import (
	"strings"
	"testing"

	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/traverse"
)

func TestRelTypeHint(t *testing.T) {
	for id, want := range map[string]kg.RelType{
		kg.RelationshipID(kg.RelPartOf, "locality:a", "locality:b", "k"): kg.RelPartOf,
		"rel:HELD_IN:x":    kg.RelHeldIn,
		"rel:UNKNOWN:a->b": "",
		"rel:my-own-id":    "",
		"PART_OF:a->b":     "",
	} {
		got, ok := relTypeHint(id)
		if !ok {
			got = ""
		}
		if got != want {
			t.Errorf("relTypeHint(%q) = %q, want %q", id, got, want)
		}
	}
}

// TestOrderPaths: paths come out in GenericShortestPaths' order, by their
// relationship ids read from the end back, without repeats, cut to limit.
func TestOrderPaths(t *testing.T) {
	path := func(ids ...string) traverse.Path {
		p := traverse.Path{}
		for _, id := range ids {
			p.Relationships = append(p.Relationships, &kg.Relationship{ID: id})
		}
		return p
	}
	show := func(ps []traverse.Path) string {
		var out []string
		for _, p := range ps {
			var ids []string
			for _, r := range p.Relationships {
				ids = append(ids, r.ID)
			}
			out = append(out, strings.Join(ids, ","))
		}
		return strings.Join(out, " ")
	}
	in := []traverse.Path{path("a", "z"), path("b", "c"), path("c", "c"), path("a", "c"), path("b", "c")}
	if got, want := show(orderPaths(in, 0)), "a,c b,c c,c a,z"; got != want {
		t.Errorf("order = %s, want %s", got, want)
	}
	if got, want := show(orderPaths(in[:4], 2)), "a,c b,c"; got != want {
		t.Errorf("limit 2 = %s, want %s", got, want)
	}
}

// TestFollows: the check that catches an engine that ignored a predicate.
func TestFollows(t *testing.T) {
	r := &kg.Relationship{ID: "r", Type: kg.RelPartOf, From: "a", To: "b", FromKind: kg.KindLocality, ToKind: kg.KindEvent,
		ValidFrom: kg.MustPartialDate("2020")}
	s := &kg.Relationship{ID: "s", Type: kg.RelHeldIn, From: "b", To: "c", FromKind: kg.KindEvent, ToKind: kg.KindLocality}
	p := traverse.Path{Nodes: []string{"a", "b", "c"}, Relationships: []*kg.Relationship{r, s}}
	for _, c := range []struct {
		o    traverse.Options
		want bool
	}{
		{traverse.Options{}, true},
		{traverse.Options{Direction: kg.DirOut}, true},
		{traverse.Options{Direction: kg.DirIn}, false},
		{traverse.Options{Types: []kg.RelType{kg.RelPartOf}}, false},
		{traverse.Options{AsOf: "2019-12-31"}, false},
		{traverse.Options{AsOf: "2020-01-01"}, true},
		{traverse.Options{Kinds: []kg.Kind{kg.KindLocality}}, false}, // b is an event
		{traverse.Options{Kinds: []kg.Kind{kg.KindEvent}}, true},     // c is the end
	} {
		if got := follows(p, c.o, "c"); got != c.want {
			t.Errorf("follows(%+v) = %v, want %v", c.o, got, c.want)
		}
	}
}
