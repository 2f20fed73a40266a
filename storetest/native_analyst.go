package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/traverse"
)

// nativeMatches are relationship filters that find something on the seed
// graph and on a random one alike.
func nativeMatches(sample []string) []kg.Match {
	jp := &kg.Match{Filter: kg.EntityFilter{Countries: []string{"JP"}}}
	partyTo := []kg.RelType{kg.RelPartyTo}
	return []kg.Match{
		{Rels: []kg.RelCondition{{Quantifier: kg.Some, Types: partyTo, Direction: kg.DirOut,
			Other: &kg.Match{Rels: []kg.RelCondition{{Quantifier: kg.Some, Types: partyTo, Direction: kg.DirIn, Other: jp}}}}}},
		{Rels: []kg.RelCondition{{Quantifier: kg.None, Types: []kg.RelType{kg.RelPartOf}, Direction: kg.DirOut}}},
		{Rels: []kg.RelCondition{{Quantifier: kg.All, Other: &kg.Match{Filter: kg.EntityFilter{Kinds: []kg.Kind{kg.KindLocality, kg.KindOrganization}}}}}},
		{Rels: []kg.RelCondition{{Quantifier: kg.Some, AsOf: "2024-01-01", Other: &kg.Match{Filter: kg.EntityFilter{Text: "an"}}}}},
		{Or: []kg.Match{{Filter: kg.EntityFilter{Countries: []string{"VN"}}}, {Rels: []kg.RelCondition{{Quantifier: kg.Some, Types: []kg.RelType{kg.RelHeldIn}, Direction: kg.DirIn}}}},
			Not: &kg.Match{Filter: kg.EntityFilter{Types: []string{"PROVINCE"}}}},
		{And: []kg.Match{
			{Rels: []kg.RelCondition{{Quantifier: kg.Some, Direction: kg.DirOut, Other: &kg.Match{Filter: kg.EntityFilter{IDs: sample[:min(3, len(sample))]}}}}},
			{Rels: []kg.RelCondition{{Quantifier: kg.All, Types: []kg.RelType{kg.RelParticipatedIn, kg.RelPartOf},
				Other: &kg.Match{Rels: []kg.RelCondition{{Quantifier: kg.Some, Types: []kg.RelType{kg.RelHeldIn, kg.RelPartOf}, Direction: kg.DirOut}}}}}},
		}},
		{Filter: kg.EntityFilter{From: "2000-01-01", To: "2024-12-31"}, Rels: []kg.RelCondition{{Quantifier: kg.None, AsOf: "2025-07-01",
			Other: &kg.Match{Filter: kg.EntityFilter{IDs: sample}}}}},
	}
}

// checkAnalyst is CheckNative for relationship filters, facets, stats,
// degrees and ranked paths: each store's own answer must be the generic one.
func checkAnalyst(t *testing.T, s kg.Store, sample []string, options []traverse.Options) {
	t.Helper()
	ctx := context.Background()
	matches := nativeMatches(sample)
	filters := []kg.EntityFilter{
		{},
		{Kinds: []kg.Kind{kg.KindLocality, kg.KindOfficial}},
		{Countries: []string{"VN"}, Order: kg.EntityOrder{Field: kg.OrderByName, Desc: true}, Offset: 2, Limit: 5},
		{Order: kg.EntityOrder{Field: kg.OrderByStart}, Limit: 7},
		{Text: "a", CountOnly: true},
	}
	if _, ok := s.(kg.Matcher); ok {
		for _, f := range filters {
			for i := range matches {
				want, wn, werr := kg.GenericFindMatching(ctx, s, f, &matches[i])
				got, gn, gerr := kg.FindMatching(ctx, s, f, &matches[i])
				if f.CountOnly {
					want, got = nil, nil
				}
				if w, g := fmt.Sprint(ids(want), wn, kg.ErrorCode(werr)), fmt.Sprint(ids(got), gn, kg.ErrorCode(gerr)); w != g {
					t.Fatalf("match %d, filter %+v:\n native  %s\n generic %s", i, f, g, w)
				}
			}
		}
	}
	if _, ok := s.(kg.Faceter); ok {
		for _, f := range filters {
			for i := -1; i < len(matches); i++ {
				var m *kg.Match
				if i >= 0 {
					m = &matches[i]
				}
				want, werr := kg.GenericFacets(ctx, s, f, m, kg.FacetFields)
				got, gerr := kg.Facets(ctx, s, f, m, kg.FacetFields)
				if w, g := fmt.Sprint(want, werr), fmt.Sprint(got, gerr); w != g {
					t.Fatalf("facets of match %d, filter %+v:\n native  %s\n generic %s", i, f, g, w)
				}
			}
		}
	}
	if _, ok := s.(kg.RelFaceter); ok {
		for _, q := range []kg.RelFacetQuery{
			{Filter: kg.EntityFilter{IDs: sample[:min(3, len(sample))]}},
			{Filter: kg.EntityFilter{Kinds: []kg.Kind{kg.KindLocality}}, Direction: kg.DirOut, AsOf: "2024-01-01"},
			{Match: &matches[0], Types: []kg.RelType{kg.RelPartyTo, kg.RelPartOf, kg.RelHeldIn}, Direction: kg.DirIn},
			{Filter: kg.EntityFilter{Text: "zzzq"}},
		} {
			want, werr := kg.GenericRelationshipFacets(ctx, s, q)
			got, gerr := kg.RelationshipFacets(ctx, s, q)
			if w, g := fmt.Sprint(want, werr), fmt.Sprint(got, gerr); w != g {
				t.Fatalf("relationship facets %+v:\n native  %s\n generic %s", q, g, w)
			}
		}
	}
	if x, ok := s.(kg.StatsReader); ok {
		want, werr := kg.GenericStats(ctx, s)
		got, gerr := x.Stats(ctx)
		if w, g := fmt.Sprint(want, werr), fmt.Sprint(got, gerr); w != g {
			t.Fatalf("stats:\n native  %s\n generic %s", g, w)
		}
	}
	if x, ok := s.(kg.DegreeCounter); ok {
		want, werr := kg.GenericDegrees(ctx, s, sample)
		got, gerr := x.Degrees(ctx, sample)
		if w, g := fmt.Sprint(want, werr), fmt.Sprint(got, gerr); w != g {
			t.Fatalf("degrees of %v:\n native  %s\n generic %s", sample, g, w)
		}
	}
	if _, ok := s.(traverse.PathRanker); ok {
		ends := sample[:min(len(sample), 7)]
		for _, o := range options {
			for i, from := range ends {
				for _, to := range ends[i:] {
					for _, limit := range []int{1, 5} {
						want, werr := traverse.GenericRankedPaths(ctx, s, from, to, 4, o, limit)
						got, gerr := traverse.RankedPaths(ctx, s, from, to, 4, o, limit)
						if w, g := showRanked(want, werr), showRanked(got, gerr); w != g {
							t.Fatalf("ranked paths %s → %s, %+v, limit %d:\n native  %s\n generic %s", from, to, o, limit, g, w)
						}
					}
				}
			}
		}
	}
}

func showRanked(ps []traverse.ScoredPath, err error) string {
	if err != nil {
		return "error " + kg.ErrorCode(err)
	}
	out := ""
	for _, p := range ps {
		out += fmt.Sprintf("%v ", p.Score) + ShowPaths([]traverse.Path{p.Path}, nil)
	}
	return out
}
