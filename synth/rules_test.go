package synth

import (
	"testing"

	"github.com/vjkg/vjkg/kg"
)

// TestSpecsFollowRelRules: every relationship the generator can write joins
// kinds its type allows.
func TestSpecsFollowRelRules(t *testing.T) {
	has := func(ks []kg.Kind, k kg.Kind) bool {
		for _, x := range ks {
			if x == k {
				return true
			}
		}
		return false
	}
	for _, s := range edgeSpecs {
		rule, ok := kg.Rule(s.typ)
		from, to := kindTable[s.from].kind, kindTable[s.to].kind
		if !ok || !has(rule.From, from) || !has(rule.To, to) {
			t.Errorf("%s from %s to %s is not allowed", s.typ, from, to)
		}
	}
	subtypes := map[kg.Kind][]string{kg.KindOfficial: officialTypes, kg.KindLocality: localityTypes}
	for k, ts := range map[kg.Kind]templates{kg.KindOrganization: orgTemplates, kg.KindAgreement: agreementTemplates, kg.KindEvent: eventTemplates} {
		for _, tpl := range ts.list {
			subtypes[k] = append(subtypes[k], tpl.typ)
		}
	}
	for name := range localityParts {
		subtypes[kg.KindLocality] = append(subtypes[kg.KindLocality], name)
	}
	for k, ts := range subtypes {
		for _, typ := range ts {
			if !kg.ValidSubtype(k, typ) && !(k == kg.KindOfficial && typ == "") {
				t.Errorf("%s: unknown subtype %q", k, typ)
			}
		}
	}
}

// TestRoles: the roles the load generator searches for are the generator's
// own, each once, none empty.
func TestRoles(t *testing.T) {
	roles := Roles()
	seen := map[string]bool{}
	for _, r := range roles {
		if r == "" || seen[r] {
			t.Errorf("role %q empty or listed twice in %q", r, roles)
		}
		seen[r] = true
	}
	for _, want := range []string{"signatory", "speaker", "Chủ tịch UBND", "sister cities"} {
		if !seen[want] {
			t.Errorf("Roles() = %q, missing %q", roles, want)
		}
	}
}
