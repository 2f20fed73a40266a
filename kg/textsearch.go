package kg

import (
	"context"
	"math"
	"slices"
	"strings"
)

// TextHit is one full-text search hit: an entity or a relationship, its
// score, and how it matched. An entity found through one of its
// relationships (a role, or a quote, that names it with the query's other
// words) carries that relationship.
type TextHit struct {
	Entity       *Entity
	Relationship *Relationship
	Score        float64
	Match        TextMatch
}

// MaxTextCandidates bounds how many records a full-text search scores:
// text matches all weigh the same, so beyond that many an analyst needs
// more words, not more hits.
const MaxTextCandidates = 20000

// TextIndexed is implemented by stores with a full-text index. Each
// method returns records that may match every term of q (a superset of
// those that do; search checks each), at most max of them.
type TextIndexed interface {
	EntityTextCandidates(ctx context.Context, q TextQuery, kinds []Kind, max int) ([]*Entity, error)
	RelationshipTextCandidates(ctx context.Context, q TextQuery, types []RelType, max int) ([]*Relationship, error)
}

// entityCandidates asks the store's index, or reads the entities of the
// kinds asked (at most max), for a store without one.
func entityCandidates(ctx context.Context, s Store, q TextQuery, kinds []Kind, max int) ([]*Entity, error) {
	if x, ok := s.(TextIndexed); ok {
		return x.EntityTextCandidates(ctx, q, kinds, max)
	}
	es, _, err := s.FindEntities(ctx, EntityFilter{Kinds: kinds, Order: EntityOrder{Field: OrderByID}, Limit: max})
	return es, err
}

func relationshipCandidates(ctx context.Context, s Store, q TextQuery, types []RelType, max int) ([]*Relationship, error) {
	if x, ok := s.(TextIndexed); ok {
		return x.RelationshipTextCandidates(ctx, q, types, max)
	}
	rs, _, err := s.FindRelationships(ctx, RelationshipFilter{Types: types, Limit: max})
	return rs, err
}

// SearchText finds entities by everything the graph says of them: their
// names first (as Search ranks them), then their descriptions, figures and
// quotes, and then the relationships that name them (a role, or a quote,
// holding the query's other words with the name of the other end: "governor
// Fukuoka" finds the governor). Hits are best first, ties by name then id.
// It returns EInvalid for a text with no words. With evidence ev (nil:
// none), only entities that count under it are hits, and only through
// relationships that count.
func (s *Service) SearchText(ctx context.Context, text string, kinds []Kind, ev *SourceSet, limit int) ([]TextHit, error) {
	q := ParseTextQuery(text)
	if len(q.Terms) == 0 {
		return nil, Errorf(EInvalid, "search text %q has no letters or digits", text)
	}
	best := map[string]TextHit{}
	offer := func(h TextHit) {
		if !ev.AdmitsEntity(h.Entity) {
			return
		}
		h.Score = math.Round(h.Score*1000) / 1000
		if old, ok := best[h.Entity.ID]; !ok || h.Score > old.Score {
			best[h.Entity.ID] = h
		}
	}
	phrase := q.HasPhrase()
	// namesAll: every entity whose names match q as names is in best.
	namesAll := true
	if q.Names.Compact != "" {
		// Names first, as search ranks them: a phrase's words, unquoted,
		// find its names among others, so ask for more and keep those that
		// hold the phrase.
		names := limit
		if phrase && limit > 0 {
			names = max(4*limit, 50)
		}
		if ev != nil {
			names = 0 // every name hit: evidence may drop some
		}
		hits, err := s.Search(ctx, q.Names.Text, kinds, names)
		if err != nil {
			return nil, err
		}
		// Only a Searcher ranks every name (GenericSearch bounds its
		// candidates).
		_, ranksAll := s.Store.(Searcher)
		namesAll = ranksAll && !phrase && (names <= 0 || len(hits) < names)
		for _, h := range hits {
			m, ok := q.Match(EntityFields(h.Entity))
			if phrase && !(ok && m.Field.IsName()) {
				continue
			}
			offer(TextHit{Entity: h.Entity, Score: h.Score, Match: m})
		}
		if limit > 0 && len(best) >= limit {
			return rank(best, limit), nil // text matches all score below name matches
		}
	}
	// Entities ranked by their outlines (ids, kinds and names), read whole
	// at the end if among the first.
	outlines := map[*Entity]bool{}
	if err := s.ownTextHits(ctx, q, kinds, ev, limit, namesAll, offer, outlines); err != nil {
		return nil, err
	}
	if limit > 0 && len(best) >= limit {
		// A hit through a relationship scores below any hit on an entity's
		// own fields (throughScoreBelowOwn): none could enter the first.
		return s.wholeEntities(ctx, q, rank(best, limit), outlines)
	}
	outlineRels := map[*Relationship]bool{}
	if x, ok := s.Store.(ThroughRanker); ok && ev == nil {
		// The first limit found through relationships are enough: those
		// also in best (which outrank them) are no more than best holds,
		// and the rest, at least limit - len(best), are the first of the
		// others.
		through, ok, err := x.ThroughHits(ctx, q, kinds, MaxTextCandidates, limit)
		if err != nil {
			return nil, err
		}
		if ok {
			for _, h := range through {
				outlines[h.Entity], outlineRels[h.Relationship] = true, true
				offer(h)
			}
			hits, err := s.wholeRelationships(ctx, q, rank(best, limit), outlineRels)
			if err != nil {
				return nil, err
			}
			return s.wholeEntities(ctx, q, hits, outlines)
		}
	}
	rels, err := s.relationshipHits(ctx, q, nil, ev, MaxTextCandidates)
	if err != nil {
		return nil, err
	}
	var ends []string
	for _, h := range rels {
		ends = append(ends, h.throughEnds...)
	}
	// Entities found through relationships are ranked by their outlines
	// when the store reads them for less, and only those among the first
	// are read whole: a word of many roles leads to thousands of them
	// (evidence needs their citations: read whole).
	read := s.Store.GetEntities
	o, outline := s.Store.(EntityOutliner)
	if outline = outline && ev == nil; outline {
		read = o.EntityOutlines
	}
	found, err := read(ctx, ends)
	if err != nil {
		return nil, err
	}
	byID := map[string]*Entity{}
	for _, e := range found {
		byID[e.ID] = e
		outlines[e] = outline
	}
	for _, h := range rels {
		if h.outline {
			outlineRels[h.Relationship] = true
		}
		for _, id := range h.throughEnds {
			if e := byID[id]; e != nil && (len(kinds) == 0 || slices.Contains(kinds, e.Kind)) {
				offer(TextHit{Entity: e, Relationship: h.Relationship, Score: throughWeight * h.Score, Match: h.Match})
			}
		}
	}
	hits, err := s.wholeRelationships(ctx, q, rank(best, limit), outlineRels)
	if err != nil {
		return nil, err
	}
	return s.wholeEntities(ctx, q, hits, outlines)
}

// ownTextHits offers the entities that match q by their own fields (names
// as text, descriptions, figures, quotes): the first limit as the store
// ranks them from its index (outlines, added to outlines), or else every
// candidate read whole and matched. namesAll says that every entity whose
// names match q as names has been offered already.
func (s *Service) ownTextHits(ctx context.Context, q TextQuery, kinds []Kind, ev *SourceSet, limit int, namesAll bool,
	offer func(TextHit), outlines map[*Entity]bool) error {
	if x, ok := s.Store.(EntityTextRanker); ok && ev == nil {
		// As for ThroughHits, the first limit are enough. Names already
		// offered need not be scored as names again (a name score was
		// nearly a fifth of a search for two short words): such an
		// entity scored by its text alone scores less than it has, so
		// offer keeps its name hit, and the first limit of the others
		// are still among the first limit returned.
		rq := q
		if namesAll {
			rq.Names = SearchQuery{}
		}
		hits, ok, err := x.EntityTextHits(ctx, rq, kinds, MaxTextCandidates, limit)
		if err != nil {
			return err
		}
		if ok {
			for _, h := range hits {
				if h.Match.Text == "" { // an outline; the others were read whole
					outlines[h.Entity] = true
				}
				offer(h)
			}
			return nil
		}
	}
	ents, err := entityCandidates(ctx, s.Store, q, kinds, MaxTextCandidates)
	if err != nil {
		return err
	}
	phrase := q.HasPhrase()
	for _, e := range ents {
		if m, ok := q.Match(EntityFields(e)); ok {
			score := m.Score
			if phrase && m.Field.IsName() {
				// As if found by the names Search finds; words of the
				// query that are apart in the name score as text.
				score = max(score, q.Names.Score(e))
			}
			offer(TextHit{Entity: e, Score: score, Match: m})
		}
	}
	return nil
}

// wholeEntities replaces the outlines among hits' entities with the
// entities read whole, and the matches of those found by their own fields
// with the matches their fields give (the text, and a quote's citation). A
// hit whose entity was deleted since, or no longer matches, is left out.
func (s *Service) wholeEntities(ctx context.Context, q TextQuery, hits []TextHit, outlines map[*Entity]bool) ([]TextHit, error) {
	var ids []string
	for _, h := range hits {
		if outlines[h.Entity] {
			ids = append(ids, h.Entity.ID)
		}
	}
	if len(ids) == 0 {
		return hits, ctx.Err()
	}
	found, err := s.Store.GetEntities(ctx, ids)
	if err != nil {
		return nil, err
	}
	whole := make(map[string]*Entity, len(found))
	for _, e := range found {
		whole[e.ID] = e
	}
	out := hits[:0]
	for _, h := range hits {
		if outlines[h.Entity] {
			if h.Entity = whole[h.Entity.ID]; h.Entity == nil {
				continue
			}
			if h.Relationship == nil {
				m, ok := q.Match(EntityFields(h.Entity))
				if !ok {
					continue
				}
				h.Match = m
			}
		}
		out = append(out, h)
	}
	return out, ctx.Err()
}

// throughWeight is the share of a relationship's score that an entity found
// through it scores.
const throughWeight = 0.9

// throughScoreBelowOwn reports whether every hit through a relationship
// (at most throughWeight × the best weight of a relationship's fields)
// scores below every hit on an entity's own fields (at least the least
// weight of those): then SearchText may stop once it has enough of the
// latter. TestThroughScoreBelowOwn keeps the weights so.
func throughScoreBelowOwn() bool {
	best, least := 0.0, 1.0
	for _, f := range []Field{FieldRole, FieldQuote, FieldEnd} {
		best = max(best, fieldWeight[f])
	}
	for _, f := range []Field{FieldName, FieldAlias, FieldLocalName, FieldDescription, FieldFigure, FieldQuote} {
		least = min(least, fieldWeight[f])
	}
	return math.Round(throughWeight*best*1000) < math.Round(least*1000)
}

func rank(best map[string]TextHit, limit int) []TextHit {
	// Each hit's sort name folded once, not at each comparison.
	type ranked struct {
		TextHit
		name string
	}
	all := make([]ranked, 0, len(best))
	for _, h := range best {
		all = append(all, ranked{h, h.Entity.SortName()})
	}
	slices.SortFunc(all, func(a, b ranked) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		return strings.Compare(a.Entity.ID, b.Entity.ID)
	})
	if limit > 0 && len(all) > limit {
		all = all[:limit]
	}
	out := make([]TextHit, len(all))
	for i, h := range all {
		out[i] = h.TextHit
	}
	return out
}

// relHit is a relationship that matched, with the ends it leads to: those
// whose names hold none of the query's terms (the from end alone, for a
// role that matched with no end named: a role is the from end's).
type relHit struct {
	TextHit
	throughEnds []string
	outline     bool // Relationship is an outline, scored from the index (maskedHit)
}

// SearchRelationships finds relationships by their role and quotes, and
// the names of their ends: every term must be in one of them, and one at
// least in the relationship's own text. Best first, ties by id. With
// evidence ev (nil: none), only relationships that count under it.
func (s *Service) SearchRelationships(ctx context.Context, text string, types []RelType, ev *SourceSet, limit int) ([]TextHit, error) {
	q := ParseTextQuery(text)
	if len(q.Terms) == 0 {
		return nil, Errorf(EInvalid, "search text %q has no letters or digits", text)
	}
	hits, err := s.relationshipsByID(ctx, q, types, ev, limit)
	if err != nil {
		return nil, err
	}
	out := make([]TextHit, len(hits))
	outlines := map[*Relationship]bool{}
	for i, h := range hits {
		out[i] = h.TextHit
		out[i].Score = math.Round(h.Score*1000) / 1000
		if h.outline {
			outlines[h.Relationship] = true
		}
	}
	slices.SortFunc(out, func(a, b TextHit) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Relationship.ID, b.Relationship.ID)
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return s.wholeRelationships(ctx, q, out, outlines)
}

func (s *Service) relationshipHits(ctx context.Context, q TextQuery, types []RelType, ev *SourceSet, max int) ([]relHit, error) {
	if x, ok := s.Store.(RelationshipTextMasker); ok && ev == nil {
		cands, ok, err := x.RelationshipTextMasks(ctx, q, types, max)
		if err != nil {
			return nil, err
		}
		if ok {
			return s.maskedHits(ctx, q, cands)
		}
	}
	rels, err := relationshipCandidates(ctx, s.Store, q, types, max)
	if err != nil || len(rels) == 0 {
		return nil, err
	}
	return s.scoreRelationships(ctx, q, rels, ev)
}

// scoreRelationships returns the candidates that match q (and count under
// ev), scored.
func (s *Service) scoreRelationships(ctx context.Context, q TextQuery, rels []*Relationship, ev *SourceSet) ([]relHit, error) {
	if ev != nil {
		rels = slices.DeleteFunc(rels, func(r *Relationship) bool { return !ev.AdmitsRelationship(r) })
	}
	var ids []string
	asked := map[string]bool{} // ends recur: a hub is at the end of thousands
	for _, r := range rels {
		for _, id := range []string{r.From, r.To} {
			if !asked[id] {
				asked[id] = true
				ids = append(ids, id)
			}
		}
	}
	names, err := s.endNames(ctx, ids)
	if err != nil {
		return nil, err
	}
	var out []relHit
	memo := wordMemo{} // ends' names recur, and own fields are looked at twice
	// An end's fields, and whether its names hold a term, once per end; an
	// end that does not exist has neither.
	type end struct {
		fields []FieldText
		named  bool
		exists bool
	}
	ends := map[string]*end{}
	endOf := func(id string) *end {
		x := ends[id]
		if x == nil {
			x = &end{}
			if i, ok := names.index[id]; ok {
				x.exists = true
				for _, n := range names.names[i] {
					x.fields = append(x.fields, FieldText{Field: FieldEnd, Text: n})
				}
				x.named = q.anyTermIn(x.fields, memo.words)
			}
			ends[id] = x
		}
		return x
	}
	for _, r := range rels {
		if len(memo) > 1<<16 { // quotes are mostly one-off: keep the memo small
			clear(memo)
		}
		own := RelationshipFields(r, nil, nil)
		if !q.anyTermIn(own, memo.words) {
			continue
		}
		// RelationshipFields(r, from, to), with the ends' parts shared (an
		// end's names folded, when the store keeps them so: a field's words
		// are its text folded, and folding is idempotent).
		fields := append(append(slices.Clip(own), endOf(r.From).fields...), endOf(r.To).fields...)
		m, ok := q.matchWords(fields, memo.words)
		if !ok {
			continue
		}
		if m.Field == FieldEnd { // show the relationship's own text that matched
			for _, f := range own {
				if q.anyTermIn([]FieldText{f}, memo.words) {
					m.FieldText = f
					break
				}
			}
		}
		h := relHit{TextHit: TextHit{Relationship: r, Score: m.Score, Match: m}}
		named := func(id string) bool { return endOf(id).named }
		switch {
		case !named(r.From) && !named(r.To) && m.Field == FieldRole:
			h.throughEnds = []string{r.From}
		default:
			for _, id := range []string{r.From, r.To} {
				if endOf(id).exists && !named(id) {
					h.throughEnds = append(h.throughEnds, id)
				}
			}
		}
		out = append(out, h)
	}
	return out, nil
}

// endNamesOf are the names of relationships' ends: names[index[id]].
type endNamesOf struct {
	index map[string]int
	names [][]string
}

// endNames returns the names of the entities ids that exist: folded, from
// the store's memory, when it keeps them so, else as shown, from their
// documents.
func (s *Service) endNames(ctx context.Context, ids []string) (endNamesOf, error) {
	out := endNamesOf{index: make(map[string]int, len(ids))}
	if fn, ok := s.Store.(FoldedNamer); ok {
		found, err := fn.FoldedNames(ctx, ids)
		if err != nil {
			return out, err
		}
		for i, names := range found {
			if names != nil {
				out.index[ids[i]] = len(out.names)
				out.names = append(out.names, names)
			}
		}
		return out, nil
	}
	found, err := s.Store.GetEntities(ctx, ids)
	if err != nil {
		return out, err
	}
	for _, e := range found {
		out.index[e.ID] = len(out.names)
		out.names = append(out.names, e.Names())
	}
	return out, nil
}

// anyTermIn reports whether one of q's terms occurs in one of fields,
// folded into words by words.
func (q TextQuery) anyTermIn(fields []FieldText, words func(string) []string) bool {
	for _, f := range fields {
		words := words(f.Text)
		for _, t := range q.Terms {
			if t.Matches(words) {
				return true
			}
		}
	}
	return false
}
