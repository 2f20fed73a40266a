package model

import (
	"reflect"
	"testing"

	"github.com/vjkg/vjkg/kg"
)

// TestWrapEntitiesAsWrapEntity checks that wrapping many entities at once
// gives, entity by entity, what WrapEntity gives: the same type over the
// same record, nil for nil.
func TestWrapEntitiesAsWrapEntity(t *testing.T) {
	var es []*kg.Entity
	for i, k := range []kg.Kind{kg.KindEvent, kg.KindLocality, "", kg.KindAgreement, kg.KindOfficial, kg.KindLocality, kg.KindOrganization, kg.KindEvent} {
		if k == "" {
			es = append(es, nil)
			continue
		}
		es = append(es, &kg.Entity{ID: string(rune('a' + i)), Kind: k})
	}
	got := WrapEntities(es)
	if len(got) != len(es) {
		t.Fatalf("%d wrapped, want %d", len(got), len(es))
	}
	for i, e := range es {
		want := WrapEntity(e)
		if e == nil {
			if got[i] != nil {
				t.Errorf("%d: %T for nil", i, got[i])
			}
			continue
		}
		if reflect.TypeOf(got[i]) != reflect.TypeOf(want) || got[i].(interface{ Record() *kg.Entity }).Record() != e {
			t.Errorf("%d: %T over %v, want %T over the same record", i, got[i], got[i], want)
		}
	}
}
