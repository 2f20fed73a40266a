package kg

import (
	"context"
	"math"
	"sort"
)

// Service is the write and search logic above a Store: it validates input,
// assigns ids, and ranks search results, the same way for every backend.
type Service struct {
	Store Store
}

// SearchHit is one search result.
type SearchHit struct {
	Entity *Entity
	Score  float64
}

// MaxSearchCandidates bounds how many substring matches a search ranks, so
// that a one-letter query stays cheap on a large graph; whole-name matches
// are always ranked, however many substring matches there are.
const MaxSearchCandidates = 2000

// Search returns the entities whose names match text, best first: exact
// matches (ignoring case and diacritics) before prefixes, word prefixes and
// substrings; ties by name. It returns EInvalid for text with no letters or
// digits.
func (s *Service) Search(ctx context.Context, text string, kinds []Kind, limit int) ([]SearchHit, error) {
	q := NewSearchQuery(text)
	if q.Compact == "" {
		return nil, Errorf(EInvalid, "search text %q has no letters or digits", text)
	}
	if x, ok := s.Store.(Searcher); ok {
		return x.Search(ctx, q, kinds, limit)
	}
	return GenericSearch(ctx, s.Store, q, kinds, limit)
}

// Searcher is implemented by stores with a search index of their own. Its
// Search must rank every entity of kinds (all when empty) by its best
// NameScore, best first, ties by SortName then id, and return the first
// limit (0: all) with their scores rounded to three decimals.
type Searcher interface {
	Search(ctx context.Context, q SearchQuery, kinds []Kind, limit int) ([]SearchHit, error)
}

// GenericSearch is Search over FindEntities: it ranks the entities whose
// names contain the query (at most MaxSearchCandidates of them, in name
// order, plus every whole-name match). It is the reference a Searcher must
// agree with wherever the candidates are fewer than MaxSearchCandidates.
func GenericSearch(ctx context.Context, store Store, q SearchQuery, kinds []Kind, limit int) ([]SearchHit, error) {
	text := q.Text
	found, total, err := store.FindEntities(ctx, EntityFilter{Text: text, Kinds: kinds, Order: EntityOrder{Field: OrderByName}, Limit: MaxSearchCandidates})
	if err != nil {
		return nil, err
	}
	if total > len(found) {
		// Too many substring matches to rank them all: make sure the
		// whole-name matches, which rank first, are among the candidates.
		exact, _, err := store.FindEntities(ctx, EntityFilter{Text: text, WholeName: true, Kinds: kinds, Order: EntityOrder{Field: OrderByName}, Limit: MaxSearchCandidates})
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		for _, e := range found {
			seen[e.ID] = true
		}
		for _, e := range exact {
			if !seen[e.ID] {
				found = append(found, e)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	hits := make([]SearchHit, 0, len(found))
	for _, e := range found {
		if score := q.Score(e); score > 0 {
			hits = append(hits, SearchHit{Entity: e, Score: math.Round(score*1000) / 1000})
		}
	}
	// Equal scores keep name order (the candidates' order, with any extra
	// whole-name matches sorted in).
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		a, b := hits[i].Entity, hits[j].Entity
		if ka, kb := a.SortName(), b.SortName(); ka != kb {
			return ka < kb
		}
		return a.ID < b.ID
	})
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	return hits, nil
}

// CreateEntity creates e, giving it an id made from its kind and name when it
// has none. It returns EInvalid for invalid input, ECONFLICT if the id is
// taken, ENotFound if a cited source does not exist.
func (s *Service) CreateEntity(ctx context.Context, e *Entity) (*Entity, error) {
	if e.ID == "" && e.Kind.Valid() {
		e.ID = e.Kind.IDPrefix() + Slug(e.Name)
	}
	if err := s.Store.Apply(ctx, &Batch{Mode: CreateOnly, Entities: []*Entity{e}}); err != nil {
		return nil, err
	}
	return e, nil
}

// GetEntity returns the entity with the given id, or ENotFound.
func (s *Service) GetEntity(ctx context.Context, id string) (*Entity, error) {
	found, err := s.Store.GetEntities(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, Errorf(ENotFound, "entity %q does not exist", id)
	}
	return found[0], nil
}

// UpdateEntity applies change to a copy of the entity with the given id and
// stores it. It returns ENotFound if there is no such entity, and EInvalid
// if the changed entity is invalid.
func (s *Service) UpdateEntity(ctx context.Context, id string, change func(*Entity) error) (*Entity, error) {
	old, err := s.GetEntity(ctx, id)
	if err != nil {
		return nil, err
	}
	e := old.Clone()
	if err := change(e); err != nil {
		return nil, err
	}
	e.ID, e.Kind = old.ID, old.Kind
	if err := s.Store.Apply(ctx, &Batch{Mode: UpdateOnly, Entities: []*Entity{e}}); err != nil {
		return nil, err
	}
	return e, nil
}

// DeleteEntity deletes the entity and its relationships, and returns how
// many relationships went with it. It returns ENotFound if there is no such
// entity.
func (s *Service) DeleteEntity(ctx context.Context, id string) (int, error) {
	rels, err := s.Store.Expand(ctx, ExpandQuery{IDs: []string{id}})
	if err != nil {
		return 0, err
	}
	if err := s.Store.Apply(ctx, &Batch{DeleteEntities: []string{id}}); err != nil {
		return 0, err
	}
	return len(rels), nil
}

// CreateRelationship creates r, giving it the id RelationshipID(type, from,
// to, key) when it has none. It returns EInvalid for invalid input,
// ENotFound if an end or a cited source does not exist, and ECONFLICT if
// the relationship exists.
func (s *Service) CreateRelationship(ctx context.Context, r *Relationship, key string) (*Relationship, error) {
	if r.ID == "" {
		r.ID = RelationshipID(r.Type, r.From, r.To, key)
	}
	if err := s.Store.Apply(ctx, &Batch{Mode: CreateOnly, Relationships: []*Relationship{r}}); err != nil {
		return nil, err
	}
	return r, nil
}

// UpdateRelationship applies change to a copy of the relationship and stores
// it; its type and ends cannot change. It returns ENotFound if there is no
// such relationship.
func (s *Service) UpdateRelationship(ctx context.Context, id string, change func(*Relationship) error) (*Relationship, error) {
	found, err := s.Store.GetRelationships(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, Errorf(ENotFound, "relationship %q does not exist", id)
	}
	old := found[0]
	r := old.Clone()
	if err := change(r); err != nil {
		return nil, err
	}
	r.ID, r.Type, r.From, r.To = old.ID, old.Type, old.From, old.To
	if err := s.Store.Apply(ctx, &Batch{Mode: UpdateOnly, Relationships: []*Relationship{r}}); err != nil {
		return nil, err
	}
	return r, nil
}

// DeleteRelationship deletes a relationship; ENotFound if there is none.
func (s *Service) DeleteRelationship(ctx context.Context, id string) error {
	return s.Store.Apply(ctx, &Batch{DeleteRelationships: []string{id}})
}

// UpsertSource creates or replaces a source.
func (s *Service) UpsertSource(ctx context.Context, src *Source) (*Source, error) {
	if err := s.Store.Apply(ctx, &Batch{Sources: []*Source{src}}); err != nil {
		return nil, err
	}
	return src, nil
}
