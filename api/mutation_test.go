package api_test

import (
	"testing"
)

const createOrg = `mutation($input: CreateEntityInput!) {
  createEntity(input: $input) { id kind name aliases sources { quote source { id } } ... on Organization { organizationType country } }
}`

func orgInput(name string) map[string]any {
	return map[string]any{"input": map[string]any{
		"kind": "ORGANIZATION", "name": name, "type": "COMPANY", "country": "JP", "aliases": []string{"Fukuoka Trading"},
		"sources": []map[string]any{{"source": "source:vj-local-forum-2025", "quote": "tỉnh Fukuoka (Nhật Bản)"}},
	}}
}

func TestMutationsNeedAKey(t *testing.T) {
	s := newServer(t)
	t.Run("ErrNoKey", func(t *testing.T) {
		r := s.wantError(t, "", createOrg, orgInput("Công ty Fukuoka"), "UNAUTHENTICATED", "API key")
		if r.status != 401 {
			t.Errorf("status = %d, want 401, as for a wrong key", r.status)
		}
	})
	t.Run("ErrWrongKey", func(t *testing.T) {
		r := s.wantError(t, "not-the-key-at-all-1234", createOrg, orgInput("Công ty Fukuoka"), "UNAUTHENTICATED", "invalid API key")
		if r.status != 401 {
			t.Errorf("status = %d, want 401", r.status)
		}
	})
	t.Run("ErrWrongKeyEvenForReads", func(t *testing.T) {
		s.wantError(t, "wrong-wrong-wrong-wrong", `{ stats { entities } }`, nil, "UNAUTHENTICATED", "")
	})
	t.Run("ReadsAreOpen", func(t *testing.T) {
		var got struct{ Stats struct{ Entities int } }
		s.query(t, `{ stats { entities } }`, nil, &got)
		if got.Stats.Entities == 0 {
			t.Error("no entities")
		}
	})
	var count struct{ Organizations struct{ TotalCount int } }
	s.query(t, `{ organizations(filter: {name: "Fukuoka"}) { totalCount } }`, nil, &count)
	if count.Organizations.TotalCount != 0 {
		t.Errorf("a refused mutation wrote something: %d", count.Organizations.TotalCount)
	}
}

func TestEntityLifecycle(t *testing.T) {
	s := newServer(t)
	var created struct {
		CreateEntity struct {
			ID, Kind, Name, OrganizationType, Country string
			Aliases                                   []string
			Sources                                   []struct {
				Quote  string
				Source struct{ ID string }
			}
		}
	}
	r := s.post(t, testKey, createOrg, orgInput("Công ty Thương mại Fukuoka"))
	if len(r.Errors) > 0 {
		t.Fatalf("create: %+v", r.Errors)
	}
	decode(t, r, &created)
	c := created.CreateEntity
	if c.ID != "org:cong-ty-thuong-mai-fukuoka" || c.Kind != "ORGANIZATION" || c.OrganizationType != "COMPANY" || c.Country != "JP" ||
		len(c.Sources) != 1 || c.Sources[0].Source.ID != "source:vj-local-forum-2025" {
		t.Errorf("created = %+v", c)
	}

	t.Run("ErrConflict", func(t *testing.T) {
		s.wantError(t, testKey, createOrg, orgInput("Công ty Thương mại Fukuoka"), "CONFLICT", "already exists")
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		in := orgInput("Bad")
		in["input"].(map[string]any)["type"] = "SPACESHIP"
		s.wantError(t, testKey, createOrg, in, "BAD_USER_INPUT", `unknown organization type "SPACESHIP"`)
		in = orgInput("No sources")
		in["input"].(map[string]any)["sources"] = []any{}
		s.wantError(t, testKey, createOrg, in, "BAD_USER_INPUT", "needs at least one citation")
		in = orgInput("Bad date")
		in["input"].(map[string]any)["start"] = "2020-02-30"
		s.wantError(t, testKey, createOrg, in, "BAD_USER_INPUT", "start")
	})
	t.Run("ErrUnknownSource", func(t *testing.T) {
		in := orgInput("Unsourced")
		in["input"].(map[string]any)["sources"] = []map[string]any{{"source": "source:rumour", "quote": "x"}}
		s.wantError(t, testKey, createOrg, in, "NOT_FOUND", "source:rumour")
	})

	rel := `mutation($input: CreateRelationshipInput!) { createRelationship(input: $input) { id type from { id } to { name } validFrom { value precision } role } }`
	relInput := map[string]any{"input": map[string]any{
		"type": "LOCATED_IN", "from": c.ID, "to": "locality:fukuoka", "validFrom": "2024-05", "role": "head office",
		"sources": []map[string]any{{"source": "source:vj-local-forum-2025", "quote": "tỉnh Fukuoka (Nhật Bản)"}},
	}}
	var madeRel struct {
		CreateRelationship struct {
			ID, Type, Role string
			To             struct{ Name string }
			ValidFrom      struct{ Value, Precision string }
		}
	}
	r = s.post(t, testKey, rel, relInput)
	if len(r.Errors) > 0 {
		t.Fatalf("create relationship: %+v", r.Errors)
	}
	decode(t, r, &madeRel)
	if m := madeRel.CreateRelationship; m.ID != "rel:LOCATED_IN:"+c.ID+"->locality:fukuoka" || m.To.Name != "Fukuoka" || m.ValidFrom.Precision != "MONTH" {
		t.Errorf("relationship = %+v", m)
	}
	t.Run("ErrRelationshipEnds", func(t *testing.T) {
		bad := map[string]any{"input": map[string]any{"type": "LOCATED_IN", "from": c.ID, "to": "locality:atlantis",
			"sources": []map[string]any{{"source": "source:vj-local-forum-2025", "quote": "q"}}}}
		s.wantError(t, testKey, rel, bad, "NOT_FOUND", "locality:atlantis")
		bad = map[string]any{"input": map[string]any{"type": "HOLDS_OFFICE", "from": c.ID, "to": "locality:fukuoka",
			"sources": []map[string]any{{"source": "source:vj-local-forum-2025", "quote": "q"}}}}
		s.wantError(t, testKey, rel, bad, "BAD_USER_INPUT", "cannot start at a organization")
	})

	// The new relationship shows from Fukuoka's side at once.
	var fukuoka struct {
		Locality struct {
			Relationships struct {
				Edges []struct {
					Direction string
					Node      struct{ ID string }
				}
			}
		}
	}
	s.query(t, `{ locality(id: "locality:fukuoka") { relationships(types: [LOCATED_IN]) { edges { direction node { id } } } } }`, nil, &fukuoka)
	if e := fukuoka.Locality.Relationships.Edges; len(e) != 1 || e[0].Node.ID != c.ID || e[0].Direction != "IN" {
		t.Errorf("Fukuoka's LOCATED_IN = %+v", e)
	}

	var updated struct {
		UpdateEntity struct {
			Name    string
			Aliases []string
		}
	}
	r = s.post(t, testKey, `mutation { updateEntity(id: "org:cong-ty-thuong-mai-fukuoka", input: {name: "Fukuoka Trading Co.", aliases: []}) { name aliases } }`, nil)
	decode(t, r, &updated)
	if updated.UpdateEntity.Name != "Fukuoka Trading Co." || len(updated.UpdateEntity.Aliases) != 0 {
		t.Errorf("updated = %+v", updated)
	}
	var found struct {
		Search []struct{ Entity struct{ ID string } }
	}
	s.query(t, `{ search(text: "fukuoka trading co") { entity { id } } }`, nil, &found)
	if len(found.Search) == 0 || found.Search[0].Entity.ID != c.ID {
		t.Errorf("search after rename = %+v", found)
	}
	s.wantError(t, testKey, `mutation { updateEntity(id: "org:nobody", input: {name: "x"}) { id } }`, nil, "NOT_FOUND", "org:nobody")

	var deleted struct {
		DeleteEntity struct {
			ID                   string
			DeletedRelationships int
		}
	}
	decode(t, s.post(t, testKey, `mutation { deleteEntity(id: "org:cong-ty-thuong-mai-fukuoka") { id deletedRelationships } }`, nil), &deleted)
	if deleted.DeleteEntity.DeletedRelationships != 1 {
		t.Errorf("deleted = %+v", deleted)
	}
	var gone struct{ Entity *struct{ ID string } }
	s.query(t, `{ entity(id: "org:cong-ty-thuong-mai-fukuoka") { id } }`, nil, &gone)
	if gone.Entity != nil {
		t.Error("entity still there after delete")
	}
	s.wantError(t, testKey, `mutation { deleteEntity(id: "org:cong-ty-thuong-mai-fukuoka") { id } }`, nil, "NOT_FOUND", "")
}

func TestRelationshipAndSourceMutations(t *testing.T) {
	s := newServer(t)
	var src struct {
		UpsertSource struct{ ID, Title, SourceType string }
	}
	decode(t, s.post(t, testKey, `mutation { upsertSource(input: {id: "source:my-notes", title: "Field notes", language: "en", sourceType: DATASET, published: "2026-01"}) { id title sourceType } }`, nil), &src)
	if src.UpsertSource.SourceType != "DATASET" {
		t.Fatalf("source = %+v", src)
	}
	s.wantError(t, testKey, `mutation { upsertSource(input: {id: "my-notes", title: "x", language: "en", sourceType: DATASET}) { id } }`, nil, "BAD_USER_INPUT", "not a source id")

	id := "rel:BORDERS:locality:kanagawa->locality:tokyo"
	var upd struct {
		UpdateRelationship struct {
			Role       string
			Properties []struct{ Key, Value string }
			ValidTo    struct{ Value string }
			Sources    []struct{ Source struct{ Title string } }
		}
	}
	decode(t, s.post(t, testKey, `mutation($id: ID!) { updateRelationship(id: $id, input: {role: "shares a border", properties: [{key: "side", value: "north"}], validTo: "2099", sources: [{source: "source:my-notes", quote: "they border"}]}) {
	  role properties { key value } validTo { value } sources { source { title } } } }`, map[string]any{"id": id}), &upd)
	u := upd.UpdateRelationship
	if u.Role != "shares a border" || len(u.Properties) != 1 || u.Properties[0].Value != "north" || u.ValidTo.Value != "2099" || u.Sources[0].Source.Title != "Field notes" {
		t.Errorf("updated relationship = %+v", u)
	}
	s.wantError(t, testKey, `mutation($id: ID!) { updateRelationship(id: $id, input: {validFrom: "2100"}) { id } }`, map[string]any{"id": id}, "BAD_USER_INPUT", "validTo")
	decode(t, s.post(t, testKey, `mutation($id: ID!) { deleteRelationship(id: $id) { id } }`, map[string]any{"id": id}), &struct{}{})
	var rel struct{ Relationship *struct{ ID string } }
	s.query(t, `query($id: ID!) { relationship(id: $id) { id } }`, map[string]any{"id": id}, &rel)
	if rel.Relationship != nil {
		t.Error("relationship still there")
	}
	s.wantError(t, testKey, `mutation($id: ID!) { deleteRelationship(id: $id) { id } }`, map[string]any{"id": id}, "NOT_FOUND", "")
}
