package storetest

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/traverse"
)

// CheckNative requires a store's own traversals and relationship pages
// (traverse.PathFinder, traverse.NeighborhoodFinder, kg.RelationshipPager),
// where it has them, to give exactly the answers of the generic versions
// over Expand, for every pair of the given entities and several options.
func CheckNative(t *testing.T, s kg.Store, ids []string) {
	t.Helper()
	ctx := context.Background()
	options := []traverse.Options{
		{},
		{Direction: kg.DirOut},
		{Direction: kg.DirIn},
		{Types: []kg.RelType{kg.RelPartyTo, kg.RelPartOf, kg.RelParticipatedIn}},
		{Kinds: []kg.Kind{kg.KindLocality, kg.KindAgreement, kg.KindEvent}},
		{AsOf: "2024-01-01"},
		{AsOf: "2025-07-01", Types: []kg.RelType{kg.RelPartOf, kg.RelMergedInto, kg.RelHeldIn}},
		{MaxDegree: 6},
		{Avoid: ids[len(ids)/2:], Kinds: []kg.Kind{kg.KindLocality, kg.KindOfficial, kg.KindEvent}, MaxDegree: 40},
	}
	// According to the articles only, and to the reference data and legal
	// acts only, with other options.
	articles, err := kg.SourcesOfTypes(ctx, s, []string{"ARTICLE"})
	if err != nil {
		t.Fatal(err)
	}
	reference, err := kg.SourcesOfTypes(ctx, s, []string{"REFERENCE", "LEGAL"})
	if err != nil {
		t.Fatal(err)
	}
	options = append(options, traverse.Options{Evidence: articles},
		traverse.Options{Evidence: reference, Kinds: []kg.Kind{kg.KindLocality, kg.KindEvent}, MaxDegree: 40})
	checkAnalyst(t, s, ids, options)
	if _, ok := s.(traverse.PathFinder); ok {
		ends := ids[:min(len(ids), 9)] // the generic search reads every relationship it meets: keep it short
		for _, o := range options {
			for i, from := range ends {
				for _, to := range ends[i:] {
					for _, limit := range []int{0, 3}[:1+i%2] {
						want, werr := traverse.GenericShortestPaths(ctx, s, from, to, 4, o, limit)
						got, gerr := traverse.ShortestPaths(ctx, s, from, to, 4, o, limit)
						if w, g := ShowPaths(want, werr), ShowPaths(got, gerr); w != g {
							t.Fatalf("paths %s → %s, %+v, limit %d:\n native  %s\n generic %s", from, to, o, limit, g, w)
						}
					}
				}
			}
		}
	}
	if _, ok := s.(traverse.NeighborhoodFinder); ok {
		for _, o := range options {
			for _, id := range ids {
				for _, c := range []struct{ depth, limit int }{{1, 0}, {2, 0}, {2, 10}, {3, 25}} {
					want, werr := traverse.GenericNeighborhood(ctx, s, id, c.depth, o, c.limit)
					got, gerr := traverse.Neighborhood(ctx, s, id, c.depth, o, c.limit)
					if w, g := ShowSubgraph(want, werr), ShowSubgraph(got, gerr); w != g {
						t.Fatalf("neighborhood of %s, depth %d, limit %d, %+v:\n native  %s\n generic %s", id, c.depth, c.limit, o, g, w)
					}
				}
			}
		}
	}
	if x, ok := s.(kg.Searcher); ok {
		for _, text := range searchTexts(ctx, s, ids) {
			q := kg.NewSearchQuery(text)
			if q.Compact == "" {
				continue
			}
			for _, kinds := range [][]kg.Kind{nil, {kg.KindLocality}, {kg.KindAgreement, kg.KindEvent, kg.KindOrganization}} {
				for _, limit := range []int{0, 5} {
					want, werr := kg.GenericSearch(ctx, s, q, kinds, limit)
					got, gerr := x.Search(ctx, q, kinds, limit)
					if w, g := showHits(want, werr), showHits(got, gerr); w != g {
						t.Fatalf("search %q, kinds %v, limit %d:\n native  %s\n generic %s", text, kinds, limit, g, w)
					}
				}
			}
		}
	}
	if _, ok := s.(kg.TextIndexed); ok {
		native, generic := &kg.Service{Store: s}, &kg.Service{Store: plain{s}}
		texts := append(searchTexts(ctx, s, ids), `"ha noi"`, "governor fukuoka", "chủ tịch", "forum quang ninh", `"diễn đàn" 2025`)
		for _, text := range texts {
			if kg.Compact(text) == "" {
				continue
			}
			for _, kinds := range [][]kg.Kind{nil, {kg.KindOfficial, kg.KindEvent}} {
				want, werr := generic.SearchText(ctx, text, kinds, nil, 8)
				got, gerr := native.SearchText(ctx, text, kinds, nil, 8)
				if w, g := showTextHits(want, werr), showTextHits(got, gerr); w != g {
					t.Fatalf("text search %q, kinds %v:\n native  %s\n generic %s", text, kinds, g, w)
				}
			}
			want, werr := generic.SearchRelationships(ctx, text, nil, nil, 8)
			got, gerr := native.SearchRelationships(ctx, text, nil, nil, 8)
			if w, g := showTextHits(want, werr), showTextHits(got, gerr); w != g {
				t.Fatalf("relationship search %q:\n native  %s\n generic %s", text, g, w)
			}
		}
	}
	if _, ok := s.(kg.RelationshipPager); ok {
		var qs []kg.RelPageQuery
		for _, id := range ids {
			for _, o := range options {
				if o.Avoid != nil || o.MaxDegree != 0 {
					continue // not options of a page
				}
				for _, p := range [][2]int{{0, 0}, {0, 3}, {2, 5}, {0, 100}} {
					qs = append(qs, kg.RelPageQuery{ID: id, Types: o.Types, Direction: o.Direction, AsOf: o.AsOf,
						OtherKinds: o.Kinds, Offset: p[0], Limit: p[1]})
				}
			}
		}
		want, werr := kg.PageByExpand(ctx, s, qs)
		got, gerr := kg.PageRelationships(ctx, s, qs)
		if werr != nil || gerr != nil {
			t.Fatalf("pages: native error %v, generic error %v", gerr, werr)
		}
		for i := range qs {
			if w, g := showPage(want[i]), showPage(got[i]); w != g {
				t.Fatalf("page %+v:\n native  %s\n generic %s", qs[i], g, w)
			}
		}
		// The same pages as outlines: the same relationships' types and
		// ends (with their kinds), in the same order; nothing else (the id
		// may be left out), or the whole record.
		for i := range qs {
			qs[i].Outline = true
		}
		outlines, oerr := kg.PageRelationships(ctx, s, qs)
		if oerr != nil {
			t.Fatalf("pages as outlines: %v", oerr)
		}
		for i := range qs {
			w, g := want[i], outlines[i]
			if w.Total != g.Total || len(w.Relationships) != len(g.Relationships) {
				t.Fatalf("page %+v as outlines: total %d, %d relationships; the reference %d, %d",
					qs[i], g.Total, len(g.Relationships), w.Total, len(w.Relationships))
			}
			for j, r := range g.Relationships {
				whole := w.Relationships[j]
				outline := kg.Relationship{Type: whole.Type, From: whole.From, To: whole.To, FromKind: whole.FromKind, ToKind: whole.ToKind}
				withID := outline
				withID.ID = whole.ID
				if !reflect.DeepEqual(*r, outline) && !reflect.DeepEqual(*r, withID) && !reflect.DeepEqual(r, whole) {
					t.Fatalf("page %+v as outlines, #%d: %+v is neither the outline nor the record %+v", qs[i], j, *r, *whole)
				}
			}
		}
	}
}

// ShowPaths prints paths, or the error's code, for comparing answers.
func ShowPaths(ps []traverse.Path, err error) string {
	if err != nil {
		return "error " + kg.ErrorCode(err)
	}
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(strings.Join(p.Nodes, ","))
		for _, r := range p.Relationships {
			b.WriteString(" " + r.ID)
		}
		b.WriteString("; ")
	}
	return b.String()
}

// ShowSubgraph prints a subgraph, or the error's code, for comparing
// answers: nodes with their depths, relationships, truncation.
func ShowSubgraph(g *traverse.Subgraph, err error) string {
	if err != nil {
		return "error " + kg.ErrorCode(err)
	}
	var b strings.Builder
	for _, n := range g.Nodes {
		fmt.Fprintf(&b, "%s@%d ", n, g.Depth[n])
	}
	for _, r := range g.Relationships {
		b.WriteString(r.ID + " ")
	}
	fmt.Fprintf(&b, "truncated=%v", g.Truncated)
	return b.String()
}

func showPage(p kg.RelPage) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d:", p.Total)
	for _, r := range p.Relationships {
		b.WriteString(" " + r.ID)
	}
	return b.String()
}

// searchTexts makes queries from the names of the given entities: whole
// names, their forms without diacritics, prefixes of one to five letters,
// words, pieces from the middle, and a few that match nothing.
func searchTexts(ctx context.Context, s kg.Store, ids []string) []string {
	texts := []string{"ha noi", "Hà Nội", "福岡", "xyzq", "thanh pho h", "a", "ng", "viet nam", "tinh"}
	found, _ := s.GetEntities(ctx, ids)
	for _, e := range found {
		for _, n := range e.Names() {
			f := kg.Fold(n)
			c := kg.Compact(n)
			texts = append(texts, n, f)
			for _, k := range []int{1, 2, 3, 5} {
				if k < len(c) {
					texts = append(texts, c[:k])
				}
			}
			if words := strings.Fields(f); len(words) > 1 {
				texts = append(texts, words[len(words)-1], words[1][:min(2, len(words[1]))])
			}
			if len(c) > 6 {
				texts = append(texts, c[2:6])
			}
		}
	}
	return texts[:min(len(texts), 60)]
}

func showHits(hits []kg.SearchHit, err error) string {
	if err != nil {
		return "error " + kg.ErrorCode(err)
	}
	var b strings.Builder
	for _, h := range hits {
		fmt.Fprintf(&b, "%s=%.3f ", h.Entity.ID, h.Score)
	}
	return b.String()
}

// plain hides every optional interface of a store, so that the generic
// algorithms run over its primitives alone.
type plain struct{ kg.Store }

func showTextHits(hits []kg.TextHit, err error) string {
	if err != nil {
		return "error " + kg.ErrorCode(err)
	}
	var b strings.Builder
	for _, h := range hits {
		id := ""
		if h.Entity != nil {
			id = h.Entity.ID
		}
		if h.Relationship != nil {
			id += "~" + h.Relationship.ID
		}
		fmt.Fprintf(&b, "%s=%.3f/%s ", id, h.Score, h.Match.Field)
	}
	return b.String()
}
