package kg

import (
	"context"
	"math"
	"strings"
)

// RelationshipTextMasker is a store whose word index tells, without
// reading documents, which of a relationship's fields hold each term of a
// query. A word of many relationships' roles ("Governor") has thousands of
// candidates; scored from their documents, such a search took hundreds of
// milliseconds at 5 M relationships, nearly all of it reading and folding
// text that the index had already folded. Scored from the index, only the
// documents of the hits shown are read.
type RelationshipTextMasker interface {
	// RelationshipTextMasks returns the candidates RelationshipTextCandidates
	// would, in the same order: each an outline (id, type and ends) with
	// its masks, or whole where the index cannot tell (records indexed
	// before it could, or changed since it was loaded). It returns false
	// when it cannot tell for the query at all (q.Indexable).
	RelationshipTextMasks(ctx context.Context, q TextQuery, types []RelType, max int) ([]RelTextCandidate, bool, error)
}

// ThroughRanker is a RelationshipTextMasker that also ranks, from its index,
// the entities SearchText finds through relationships: a word of thousands
// of roles finds thousands of entities at the same score, and ranking them
// by name as outlines took most of such a search.
type ThroughRanker interface {
	// ThroughHits returns the first `first` (all, for first <= 0) of the
	// entities of kinds (any, when empty) found through the relationships
	// that match q among RelationshipTextMasks' candidates, best first:
	// by ThroughScore, then SortName, then id. Each is an outline (id,
	// kind and name) with the relationship it is found through (an
	// outline; the first of the best, in candidate order) and that
	// relationship's score and field. It returns false when the index
	// cannot tell for q at all (q.Indexable), or a hit's name is not in it.
	ThroughHits(ctx context.Context, q TextQuery, kinds []Kind, max, first int) ([]TextHit, bool, error)
}

// EntityTextRanker is a store that scores and ranks, from its index, the
// entities SearchText finds by their own fields (after the names Search
// finds): a word of many descriptions, figures or quotes has thousands of
// such candidates, all to be read and matched to find the first by name.
type EntityTextRanker interface {
	// EntityTextHits returns the first `first` (all, for first <= 0) of the
	// entities of kinds (any, when empty) among EntityTextCandidates'
	// candidates that match q, best first: by score, then SortName, then
	// id. Each is an outline (id, kind and name) with its score and the
	// kind of field that decided it, its Match.Text empty, or, where the
	// index cannot tell, the entity read whole and matched (its Match.Text
	// set): SearchText tells them apart so. It returns false when the index
	// cannot tell for q at all (q.Indexable).
	EntityTextHits(ctx context.Context, q TextQuery, kinds []Kind, max, first int) ([]TextHit, bool, error)
}

// RelTextCandidate is a candidate of RelationshipTextMasks. Bit i of a mask
// says that q.Terms[i] is in the relationship's role, in one of its
// quotes, in a name of its from end, in a name of its to end.
type RelTextCandidate struct {
	Relationship          *Relationship
	Whole                 bool // Relationship is whole, and the masks unset
	Role, Quote, From, To uint64
}

// Indexable reports whether a word index can tell which fields hold each
// of q's terms: each is a bare word (a phrase needs its words' order) with
// a letter (digits alone may begin a long number, which TextWords leaves
// out), and there are at most 64.
func (q TextQuery) Indexable() bool {
	if len(q.Terms) > 64 {
		return false
	}
	for _, t := range q.Terms {
		if t.Phrase || strings.Trim(t.Words[0], "0123456789") == "" {
			return false
		}
	}
	return true
}

// maskedHits scores candidates as scoreRelationships scores documents: the
// masked ones from their masks (their matches name the field, not its
// text: wholeRelationships fills that in for the hits shown), the whole
// ones from their text.
func (s *Service) maskedHits(ctx context.Context, q TextQuery, cands []RelTextCandidate) ([]relHit, error) {
	var whole []*Relationship
	for _, c := range cands {
		if c.Whole {
			whole = append(whole, c.Relationship)
		}
	}
	scored, err := s.scoreRelationships(ctx, q, whole, nil)
	if err != nil {
		return nil, err
	}
	byRel := make(map[*Relationship]relHit, len(scored))
	for _, h := range scored {
		byRel[h.Relationship] = h
	}
	var out []relHit
	for _, c := range cands {
		if c.Whole {
			if h, ok := byRel[c.Relationship]; ok {
				out = append(out, h)
			}
			continue
		}
		if h, ok := q.maskedHit(c); ok {
			out = append(out, h)
		}
	}
	return out, ctx.Err()
}

// MaskMatch is how a relationship matches a query, told by its masks as
// scoreRelationships tells it from its document.
type MaskMatch struct {
	Score float64 // the relationship's
	Field Field   // the field that decided it
	// ThroughFrom and ThroughTo say which ends SearchText finds through
	// it: those whose names hold none of the terms (the from end alone,
	// for a role matched with neither end named: a role is the from end's).
	ThroughFrom, ThroughTo bool
}

// MatchMasks scores a masked candidate: every term must be in some field
// and one at least in the relationship's own, scored by matchFieldMasks.
func (q TextQuery) MatchMasks(c RelTextCandidate) (MaskMatch, bool) {
	if c.Role|c.Quote == 0 {
		return MaskMatch{}, false
	}
	// The fields in RelationshipFields' order.
	score, field, ok := q.matchFieldMasks([]fieldMask{{FieldRole, roleWeight, c.Role}, {FieldQuote, quoteWeight, c.Quote},
		{FieldEnd, endWeight, c.From | c.To}})
	if !ok {
		return MaskMatch{}, false
	}
	m := MaskMatch{Score: score, Field: field}
	if c.From == 0 && c.To == 0 && m.Field == FieldRole {
		m.ThroughFrom = true
	} else {
		m.ThroughFrom, m.ThroughTo = c.From == 0, c.To == 0
	}
	return m, true
}

// fieldMask is a kind of field, its weight, and the terms (bit i for
// q.Terms[i]) that its fields of that kind hold.
type fieldMask struct {
	field  Field
	weight float64
	mask   uint64
}

// The fields' weights, read once rather than from fieldWeight for each of
// thousands of candidates.
var (
	nameWeight, otherNameWeight = fieldWeight[FieldName], fieldWeight[FieldAlias]
	descriptionWeight           = fieldWeight[FieldDescription]
	figureWeight, quoteWeight   = fieldWeight[FieldFigure], fieldWeight[FieldQuote]
	roleWeight, endWeight       = fieldWeight[FieldRole], fieldWeight[FieldEnd]
)

// matchFieldMasks is matchWords' rule for text: every term must be in some
// field, and the score is the mean of the weights of the best field each
// is in; the field that decided it is the weakest of those. Fields come in
// the order matchWords sees them, which breaks ties alike.
func (q TextQuery) matchFieldMasks(fields []fieldMask) (float64, Field, bool) {
	sum, least := 0.0, 0.0
	var weakest Field
	for i := range q.Terms {
		bit := uint64(1) << i
		w, at := 0.0, -1
		for k, f := range fields {
			if f.weight > w && f.mask&bit != 0 {
				w, at = f.weight, k
			}
		}
		if at < 0 {
			return 0, "", false
		}
		sum += w
		if weakest == "" || w < least {
			weakest, least = fields[at].field, w
		}
	}
	return math.Round(sum/float64(len(q.Terms))*1000) / 1000, weakest, true
}

// EntityMasks say which of an entity's fields hold each term of a query
// (bit i for q.Terms[i]), and how well its names match the whole query as
// names do.
type EntityMasks struct {
	// NameScore is the best of its names' SearchQuery.NameScore (the
	// primary name's with its bonus).
	NameScore                                    float64
	Name, OtherNames, Description, Figure, Quote uint64
}

// MatchEntityMasks scores an entity from its masks as Match scores its
// fields: as a name when one matches the query so, else as text. The field
// is the kind that decided it, but a name's is FieldName whichever name it
// is (its document tells which, for the hits shown).
func (q TextQuery) MatchEntityMasks(m EntityMasks) (float64, Field, bool) {
	if m.NameScore > 0 {
		return m.NameScore, FieldName, true
	}
	// The fields in EntityFields' order (aliases and local names weigh the same).
	return q.matchFieldMasks([]fieldMask{{FieldName, nameWeight, m.Name}, {FieldAlias, otherNameWeight, m.OtherNames},
		{FieldDescription, descriptionWeight, m.Description}, {FieldFigure, figureWeight, m.Figure}, {FieldQuote, quoteWeight, m.Quote}})
}

// TermsIn returns the mask of q's terms (all bare words) that occur in one
// of texts, as Match finds them.
func (q TextQuery) TermsIn(texts ...string) uint64 {
	var m uint64
	for _, text := range texts {
		words := foldWords(text)
		for i, t := range q.Terms {
			if t.Matches(words) {
				m |= 1 << i
			}
		}
	}
	return m
}

// ThroughScore is the score, as SearchText ranks it, of an entity found
// through a relationship that scores s.
func ThroughScore(s float64) float64 { return math.Round(throughWeight*s*1000) / 1000 }

// maskedHit is scoreRelationships' hit for one masked candidate.
func (q TextQuery) maskedHit(c RelTextCandidate) (relHit, bool) {
	m, ok := q.MatchMasks(c)
	if !ok {
		return relHit{}, false
	}
	match := TextMatch{Score: m.Score, FieldText: FieldText{Field: m.Field}}
	h := relHit{TextHit: TextHit{Relationship: c.Relationship, Score: m.Score, Match: match}, outline: true}
	if m.ThroughFrom {
		h.throughEnds = append(h.throughEnds, c.Relationship.From)
	}
	if m.ThroughTo {
		h.throughEnds = append(h.throughEnds, c.Relationship.To)
	}
	return h, true
}

// wholeRelationships replaces the outlines among hits' relationships with
// the relationships read whole, and their matches with those their text
// gives (the field's text and a quote's citation). A hit whose
// relationship was deleted since, or no longer matches, is left out.
func (s *Service) wholeRelationships(ctx context.Context, q TextQuery, hits []TextHit, outlines map[*Relationship]bool) ([]TextHit, error) {
	var ids []string
	for _, h := range hits {
		if outlines[h.Relationship] {
			ids = append(ids, h.Relationship.ID)
		}
	}
	if len(ids) == 0 {
		return hits, ctx.Err()
	}
	rels, err := s.Store.GetRelationships(ctx, ids)
	if err != nil {
		return nil, err
	}
	scored, err := s.scoreRelationships(ctx, q, rels, nil)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]relHit, len(scored))
	for _, h := range scored {
		byID[h.Relationship.ID] = h
	}
	out := hits[:0]
	for _, h := range hits {
		if outlines[h.Relationship] {
			whole, ok := byID[h.Relationship.ID]
			if !ok {
				continue
			}
			h.Relationship, h.Match = whole.Relationship, whole.Match
		}
		out = append(out, h)
	}
	return out, ctx.Err()
}
