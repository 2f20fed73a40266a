package kg

import "strings"

// TimeStatus is what a relationship's dates say about one day.
//
// A relationship may carry validity dates (ValidFrom, ValidTo), or, when
// the sources give none, the days they report it on (ReportedOnKey): an
// official is reported as governor "on 2021-11-26", not from one day to
// another. asOf keeps every relationship whose dates do not rule the day
// out (unchanged from the first version); StatusOn says, for each, whether
// the dates confirm the day or merely do not exclude it.
type TimeStatus string

// The time statuses.
const (
	// Holds: the dates confirm the day. The relationship has validity dates
	// and the day lies certainly between them (an unknown end is open, as
	// asOf has always read it: a merger "from 2025-07-01" holds on every
	// later day), or it has none and a source reports it on that day (at the
	// report's precision: a report "2021-11" covers the whole month).
	Holds TimeStatus = "HOLDS"
	// Unknown: nothing rules the day out and nothing confirms it. The
	// relationship has no dates at all; or it is known only from reports on
	// other days (a governor reported in 2021 is Unknown in 1990 and in
	// 2030); or a bound known only to the year or month may fall on either
	// side of the day ("from 2019" on 2019-05-01).
	Unknown TimeStatus = "UNKNOWN"
	// Outside: the validity dates rule the day out: the relationship
	// certainly began later or ended earlier. asOf leaves these out.
	Outside TimeStatus = "OUTSIDE"
)

// ReportedOnKey is the property that lists the dates on which sources
// report a relationship that has no validity dates, separated by ";":
// "2021-11-26; 2025-11-25".
const ReportedOnKey = "reportedOn"

// ReportedOn returns the dates listed in r's reportedOn property, in the
// order written; entries that are not dates are left out.
func (r *Relationship) ReportedOn() []PartialDate {
	var out []PartialDate
	for _, s := range strings.Split(r.Properties[ReportedOnKey], ";") {
		if d, err := ParsePartialDate(strings.TrimSpace(s)); err == nil && !d.IsZero() {
			out = append(out, d)
		}
	}
	return out
}

// StatusOn returns what r's dates say about day (YYYY-MM-DD); "" for an
// empty day. It is Outside exactly when ValidOn(day) is false, so asOf
// keeps the Holds and Unknown relationships, everywhere it applies.
func (r *Relationship) StatusOn(day string) TimeStatus {
	switch {
	case day == "":
		return ""
	case !r.ValidOn(day):
		return Outside
	case !r.ValidFrom.IsZero() || !r.ValidTo.IsZero():
		if (r.ValidFrom.IsZero() || day >= r.ValidFrom.Latest()) && (r.ValidTo.IsZero() || day <= r.ValidTo.Earliest()) {
			return Holds
		}
		return Unknown
	}
	for _, d := range r.ReportedOn() {
		if day >= d.Earliest() && day <= d.Latest() {
			return Holds
		}
	}
	return Unknown
}
