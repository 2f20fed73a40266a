package synth

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/vjkg/vjkg/kg"
)

// edgeSpec is one kind of relationship the generator writes: a type, the
// kinds of its ends (which must satisfy kg.RelRules; TestSpecsFollowRelRules
// checks it) and how often it is drawn among those its start may have.
type edgeSpec struct {
	typ      kg.RelType
	from, to int // kinds, as in kindTable
	weight   int
	roles    []string
	// down: the far end comes before the start in their kind's block, so
	// that PART_OF and MERGED_INTO point from smaller units to larger ones
	// (which have lower numbers) and never form a cycle.
	down      bool
	typeIndex int // position of typ in kg.RelTypes, to key the seen set
}

var (
	officeRoles  = []string{"Chủ tịch", "Tổng giám đốc", "Giám đốc", "Phó Giám đốc", "President", "Director", ""}
	leaderRoles  = []string{"Chủ tịch UBND", "Phó Chủ tịch UBND", "Bí thư", "Governor", "Mayor", "Vice-Governor"}
	partyRoles   = []string{"signatory", "party", ""}
	hostRoles    = []string{"organiser", "co-organiser", "host"}
	guestRoles   = []string{"speaker", "guest", "delegate", "participant", ""}
	partnerRoles = []string{"sister cities", "partners", "friendship exchange", ""}
)

// Roles returns the roles the generator gives relationships, each once, in
// the order above: the words of a graph's relationships that no list of
// names holds (the load generator searches for them).
func Roles() []string {
	var out []string
	for _, list := range [][]string{officeRoles, leaderRoles, partyRoles, hostRoles, guestRoles, partnerRoles} {
		for _, r := range list {
			if r != "" && !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}

// edgeSpecs are weighted, per starting kind, so that each kind's
// relationships look like the seed data's: officials hold offices and take
// part in events, organisations sit in localities and invest in them,
// events are held somewhere.
var edgeSpecs = []edgeSpec{
	{typ: kg.RelPartOf, from: locality, to: locality, weight: 30, down: true},
	{typ: kg.RelBorders, from: locality, to: locality, weight: 10},
	{typ: kg.RelMergedInto, from: locality, to: locality, weight: 1, down: true},
	{typ: kg.RelPartyTo, from: locality, to: agreement, weight: 20, roles: partyRoles},
	{typ: kg.RelOrganized, from: locality, to: event, weight: 10, roles: hostRoles},
	{typ: kg.RelParticipatedIn, from: locality, to: event, weight: 10, roles: guestRoles},
	{typ: kg.RelCooperatesWith, from: locality, to: locality, weight: 15, roles: partnerRoles},
	{typ: kg.RelCooperatesWith, from: locality, to: organization, weight: 5, roles: partnerRoles},
	{typ: kg.RelInvestsIn, from: locality, to: locality, weight: 5},

	{typ: kg.RelHoldsOffice, from: official, to: organization, weight: 30, roles: officeRoles},
	{typ: kg.RelHoldsOffice, from: official, to: locality, weight: 15, roles: leaderRoles},
	{typ: kg.RelLocatedIn, from: official, to: locality, weight: 10},
	{typ: kg.RelSigned, from: official, to: agreement, weight: 10},
	{typ: kg.RelPartyTo, from: official, to: agreement, weight: 5, roles: partyRoles},
	{typ: kg.RelOrganized, from: official, to: event, weight: 5, roles: hostRoles},
	{typ: kg.RelParticipatedIn, from: official, to: event, weight: 20, roles: guestRoles},

	{typ: kg.RelLocatedIn, from: organization, to: locality, weight: 30},
	{typ: kg.RelPartOf, from: organization, to: organization, weight: 10, down: true},
	{typ: kg.RelPartyTo, from: organization, to: agreement, weight: 20, roles: partyRoles},
	{typ: kg.RelOrganized, from: organization, to: event, weight: 10, roles: hostRoles},
	{typ: kg.RelParticipatedIn, from: organization, to: event, weight: 20, roles: guestRoles},
	{typ: kg.RelCooperatesWith, from: organization, to: organization, weight: 15, roles: partnerRoles},
	{typ: kg.RelCooperatesWith, from: organization, to: locality, weight: 5, roles: partnerRoles},
	{typ: kg.RelInvestsIn, from: organization, to: locality, weight: 20},

	{typ: kg.RelConcerns, from: agreement, to: locality, weight: 20},
	{typ: kg.RelConcerns, from: agreement, to: organization, weight: 5},
	{typ: kg.RelResultedIn, from: agreement, to: agreement, weight: 5},
	{typ: kg.RelResultedIn, from: agreement, to: event, weight: 5},
	{typ: kg.RelPartOf, from: agreement, to: agreement, weight: 3, down: true},

	{typ: kg.RelHeldIn, from: event, to: locality, weight: 30},
	{typ: kg.RelConcerns, from: event, to: agreement, weight: 10},
	{typ: kg.RelConcerns, from: event, to: locality, weight: 5},
	{typ: kg.RelResultedIn, from: event, to: agreement, weight: 10},
	{typ: kg.RelResultedIn, from: event, to: event, weight: 3},
	{typ: kg.RelPartOf, from: event, to: event, weight: 5, down: true},
}

// indexSpecs sets typeIndex on every spec and checks that each type is known.
func indexSpecs(specs []edgeSpec) ([]edgeSpec, error) {
	out := make([]edgeSpec, len(specs))
	for i, s := range specs {
		s.typeIndex = -1
		for j, t := range kg.RelTypes() {
			if t == s.typ {
				s.typeIndex = j
			}
		}
		if s.typeIndex < 0 {
			return nil, fmt.Errorf("unknown relationship type %s", s.typ)
		}
		out[i] = s
	}
	return out, nil
}

// dates gives e its validity: mergers take effect on 1 July 2025 (as the
// 2025 reform of Vietnamese provinces did); offices often have a start and
// sometimes an end; other relationships now and then a start.
func (s edgeSpec) dates(r *rng, e *edgeRow) {
	switch {
	case s.typ == kg.RelMergedInto:
		e.validFrom = "2025-07-01"
	case s.typ == kg.RelHoldsOffice && r.chance(0.6):
		e.validFrom, e.validTo = dateRange(r, 1995, 2025, 0.4)
	case r.chance(0.3):
		e.validFrom, e.validTo = dateRange(r, 1990, 2025, 0.1)
	}
}

// date returns a date in [from, to] years known to the year, the month or
// the day.
func date(r *rng, from, to int) (string, int) {
	y := from + r.n(to-from+1)
	switch x := r.n(10); {
	case x < 4:
		return strconv.Itoa(y), y
	case x < 7:
		return fmt.Sprintf("%04d-%02d", y, 1+r.n(12)), y
	default:
		return fmt.Sprintf("%04d-%02d-%02d", y, 1+r.n(12), 1+r.n(28)), y
	}
}

// dateRange returns a start date and, with probability pEnd, an end in a
// later year (so that the end is never before the start, whatever the
// precisions).
func dateRange(r *rng, from, to int, pEnd float64) (start, end string) {
	start, y := date(r, from, to)
	if r.chance(pEnd) {
		end, _ = date(r, y+1, y+8)
	}
	return start, end
}
