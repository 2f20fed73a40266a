package graph

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/vjkg/vjkg/graph/model"
	"github.com/vjkg/vjkg/kg"
)

// provenance counts, per source, the citations of an entity, its figures
// and its relationships: most first, then by source id. In order, the
// relationships and sources of every entity at the same place are loaded
// at once.
func (r *Resolver) provenance(ctx context.Context, parent model.Entity) ([]*model.SourceMention, error) {
	prefetch := func(ctx context.Context, parents []any) {
		l := r.loaders(ctx)
		ids := make([]string, len(parents))
		for i, p := range parents {
			ids[i] = entityID(p)
		}
		around, err := l.Around.LoadAll(ctx, ids)
		if err != nil {
			return
		}
		var srcs []string
		for i, p := range parents {
			srcs = append(srcs, slices.Collect(maps.Keys(citationCounts(recordOf(p), around[i])))...)
		}
		_, _ = l.Sources.LoadAll(ctx, srcs)
	}
	return atOnce(ctx, r, any(parent), prefetch, func(p any) ([]*model.SourceMention, error) {
		e := recordOf(p)
		rels, err := r.loaders(ctx).Around.Load(ctx, e.ID)
		if err != nil {
			return nil, err
		}
		counts := citationCounts(e, rels)
		ids := make([]string, 0, len(counts))
		for id := range counts {
			ids = append(ids, id)
		}
		slices.SortFunc(ids, func(a, b string) int {
			if c := cmp.Compare(counts[b], counts[a]); c != 0 {
				return c
			}
			return strings.Compare(a, b)
		})
		srcs, err := r.loaders(ctx).Sources.LoadAll(ctx, ids)
		if err != nil {
			return nil, err
		}
		out := make([]*model.SourceMention, 0, len(ids))
		for i, id := range ids {
			if srcs[i] != nil {
				out = append(out, &model.SourceMention{Source: &model.Source{Source: srcs[i]}, Citations: counts[id]})
			}
		}
		return out, nil
	})
}

// citationCounts counts the citations of each source by e, its figures and
// its relationships rels.
func citationCounts(e *kg.Entity, rels []*kg.Relationship) map[string]int {
	counts := map[string]int{}
	for _, c := range e.Citations {
		counts[c.SourceID]++
	}
	for _, f := range e.Figures {
		counts[f.Citation.SourceID]++
	}
	for _, rel := range rels {
		for _, c := range rel.Citations {
			counts[c.SourceID]++
		}
	}
	return counts
}

// recordOf is the stored entity an API entity presents.
func recordOf(e any) *kg.Entity { return e.(interface{ Record() *kg.Entity }).Record() }

// citedSource resolves the source a citation names; in order, the sources
// of every citation at the same place are loaded at once.
func (r *Resolver) citedSource(ctx context.Context, c *model.Citation) (*model.Source, error) {
	prefetch := func(ctx context.Context, parents []any) {
		ids := make([]string, len(parents))
		for i, p := range parents {
			ids[i] = p.(*model.Citation).SourceID
		}
		_, _ = r.loaders(ctx).Sources.LoadAll(ctx, ids)
	}
	return atOnce(ctx, r, any(c), prefetch, func(p any) (*model.Source, error) {
		id := p.(*model.Citation).SourceID
		src, err := r.loaders(ctx).Sources.Load(ctx, id)
		if err != nil {
			return nil, err
		}
		if src == nil {
			return nil, kg.Errorf(kg.ENotFound, "source %q does not exist", id)
		}
		return &model.Source{Source: src}, nil
	})
}

// citingRecord is an entity or a relationship that cites one source, with
// its quotes of it.
type citingRecord struct {
	entity *kg.Entity
	rel    *kg.Relationship
	quotes []*model.QuoteSpan
	first  int // where its first quote starts, or -1
}

func quotesOf(cs []kg.Citation, src *kg.Source) ([]*model.QuoteSpan, int) {
	var out []*model.QuoteSpan
	first := -1
	for _, c := range cs {
		if c.SourceID != src.ID {
			continue
		}
		q := &model.QuoteSpan{Text: c.Quote}
		if start, end, ok := kg.QuoteSpan(src.Text, c.Quote); ok {
			q.Start, q.End = &start, &end
			if first < 0 || start < first {
				first = start
			}
		}
		out = append(out, q)
	}
	slices.SortStableFunc(out, func(a, b *model.QuoteSpan) int {
		switch {
		case a.Start == nil || b.Start == nil:
			return 0
		default:
			return cmp.Compare(*a.Start, *b.Start)
		}
	})
	return out, first
}

func entityCitations(e *kg.Entity) []kg.Citation {
	cs := slices.Clone(e.Citations)
	for _, f := range e.Figures {
		cs = append(cs, f.Citation)
	}
	return cs
}

// sourceCitations answers Source.citations. A source whose text the graph
// holds (a few, small) has all its citing records read and ordered by
// where they quote it; any other is paged by the store: entities by id,
// then relationships by id.
func (r *Resolver) sourceCitations(ctx context.Context, src *kg.Source, p page) (*model.SourceCitationConnection, error) {
	eCount := kg.EntityFilter{CitesSource: src.ID, CountOnly: true}
	rCount := kg.RelationshipFilter{CitesSource: src.ID, CountOnly: true}
	_, ne, err := r.Store.FindEntities(ctx, eCount)
	if err != nil {
		return nil, err
	}
	_, nr, err := r.Store.FindRelationships(ctx, rCount)
	if err != nil {
		return nil, err
	}
	total := ne + nr
	offset, limit, err := p.window(r.Limits.MaxPageSize, total)
	if err != nil {
		return nil, err
	}
	var recs []citingRecord
	if src.Text != "" {
		ents, _, err := r.Store.FindEntities(ctx, kg.EntityFilter{CitesSource: src.ID, Order: kg.EntityOrder{Field: kg.OrderByID}})
		if err != nil {
			return nil, err
		}
		rels, _, err := r.Store.FindRelationships(ctx, kg.RelationshipFilter{CitesSource: src.ID})
		if err != nil {
			return nil, err
		}
		recs = records(ents, rels, src)
		slices.SortStableFunc(recs, func(a, b citingRecord) int {
			if (a.first < 0) != (b.first < 0) {
				return cmp.Compare(b.first, a.first) // quotes found in the text first
			}
			return cmp.Compare(a.first, b.first)
		})
		recs = recs[min(offset, len(recs)):min(offset+limit, len(recs))]
	} else {
		var ents []*kg.Entity
		var rels []*kg.Relationship
		if offset < ne && limit > 0 {
			ents, _, err = r.Store.FindEntities(ctx, kg.EntityFilter{CitesSource: src.ID, Order: kg.EntityOrder{Field: kg.OrderByID},
				Offset: offset, Limit: min(limit, ne-offset)})
			if err != nil {
				return nil, err
			}
		}
		if rest := limit - len(ents); rest > 0 && offset+len(ents) < total {
			rels, _, err = r.Store.FindRelationships(ctx, kg.RelationshipFilter{CitesSource: src.ID,
				Offset: max(offset-ne, 0), Limit: rest})
			if err != nil {
				return nil, err
			}
		}
		recs = records(ents, rels, src)
	}
	conn := &model.SourceCitationConnection{TotalCount: total, PageInfo: pageInfo(offset, len(recs), total), Edges: []*model.SourceCitationEdge{}}
	for i, rec := range recs {
		edge := &model.SourceCitationEdge{Cursor: encodeCursor(offset + i), Quotes: rec.quotes}
		if rec.entity != nil {
			r.loaders(ctx).Entities.Prime(rec.entity.ID, rec.entity)
			edge.Entity = model.WrapEntity(rec.entity)
		} else {
			edge.Relationship = &model.Relationship{Relationship: rec.rel}
		}
		conn.Edges = append(conn.Edges, edge)
	}
	return conn, nil
}

func records(ents []*kg.Entity, rels []*kg.Relationship, src *kg.Source) []citingRecord {
	out := make([]citingRecord, 0, len(ents)+len(rels))
	for _, e := range ents {
		q, first := quotesOf(entityCitations(e), src)
		out = append(out, citingRecord{entity: e, quotes: q, first: first})
	}
	for _, rel := range rels {
		q, first := quotesOf(rel.Citations, src)
		out = append(out, citingRecord{rel: rel, quotes: q, first: first})
	}
	return out
}
