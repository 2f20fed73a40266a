package kg

import (
	"fmt"
	"strconv"
	"time"
)

// Precision says how much of a PartialDate is known.
type Precision string

// The precisions of a PartialDate.
const (
	PrecisionYear  Precision = "YEAR"
	PrecisionMonth Precision = "MONTH"
	PrecisionDay   Precision = "DAY"
)

// PartialDate is a calendar date known to the year, the month or the day, as
// sources often give only "in 2023" or "in November". The zero value means
// "unknown". It is written as ISO-8601: "2023", "2023-11" or "2023-11-27".
type PartialDate struct {
	Year, Month, Day int
}

// ParsePartialDate parses "YYYY", "YYYY-MM" or "YYYY-MM-DD". The empty string
// gives the zero PartialDate.
func ParsePartialDate(s string) (PartialDate, error) {
	var d PartialDate
	if s == "" {
		return d, nil
	}
	bad := fmt.Errorf("%q is not a date: want YYYY, YYYY-MM or YYYY-MM-DD", s)
	switch len(s) {
	case 4, 7, 10:
	default:
		return d, bad
	}
	y, err := strconv.Atoi(s[:4])
	if err != nil || y < 1 {
		return d, bad
	}
	d.Year = y
	if len(s) == 4 {
		return d, nil
	}
	if s[4] != '-' {
		return d, bad
	}
	m, err := strconv.Atoi(s[5:7])
	if err != nil || m < 1 || m > 12 {
		return d, bad
	}
	d.Month = m
	if len(s) == 7 {
		return d, nil
	}
	if s[7] != '-' {
		return d, bad
	}
	day, err := strconv.Atoi(s[8:10])
	if err != nil || day < 1 || day > daysIn(y, m) {
		return d, bad
	}
	d.Day = day
	return d, nil
}

// MustPartialDate is ParsePartialDate for literals in tests and tables; it
// panics on a malformed date.
func MustPartialDate(s string) PartialDate {
	d, err := ParsePartialDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// ParseDay parses a full calendar day, YYYY-MM-DD, and returns it unchanged:
// days are passed around as ISO strings because they then compare and sort as
// strings, in Go and in Cypher alike.
func ParseDay(s string) (string, error) {
	d, err := ParsePartialDate(s)
	if err != nil || d.Precision() != PrecisionDay {
		return "", fmt.Errorf("%q is not a day: want YYYY-MM-DD", s)
	}
	return s, nil
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// IsZero reports whether the date is unknown.
func (d PartialDate) IsZero() bool { return d.Year == 0 }

// Precision returns how much of the date is known; "" for the zero date.
func (d PartialDate) Precision() Precision {
	switch {
	case d.Year == 0:
		return ""
	case d.Month == 0:
		return PrecisionYear
	case d.Day == 0:
		return PrecisionMonth
	default:
		return PrecisionDay
	}
}

// String returns the ISO-8601 form at the date's own precision.
func (d PartialDate) String() string {
	switch d.Precision() {
	case PrecisionYear:
		return fmt.Sprintf("%04d", d.Year)
	case PrecisionMonth:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	case PrecisionDay:
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	default:
		return ""
	}
}

// Earliest returns the first day the date can mean, as YYYY-MM-DD, or "" for
// the zero date: "2023" gives "2023-01-01".
func (d PartialDate) Earliest() string {
	switch d.Precision() {
	case PrecisionYear:
		return fmt.Sprintf("%04d-01-01", d.Year)
	case PrecisionMonth:
		return fmt.Sprintf("%04d-%02d-01", d.Year, d.Month)
	case PrecisionDay:
		return d.String()
	default:
		return ""
	}
}

// Latest returns the last day the date can mean, as YYYY-MM-DD, or "" for the
// zero date: "2023-02" gives "2023-02-28".
func (d PartialDate) Latest() string {
	switch d.Precision() {
	case PrecisionYear:
		return fmt.Sprintf("%04d-12-31", d.Year)
	case PrecisionMonth:
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, daysIn(d.Year, d.Month))
	case PrecisionDay:
		return d.String()
	default:
		return ""
	}
}

// Within reports whether day (YYYY-MM-DD) may fall inside the interval that
// starts at from and ends at to. An unknown bound is open, and a bound known
// only to the year or month counts in the day's favour: a relationship valid
// "from 2023" is valid on 2023-01-01.
func Within(day string, from, to PartialDate) bool {
	if !from.IsZero() && day < from.Earliest() {
		return false
	}
	if !to.IsZero() && day > to.Latest() {
		return false
	}
	return true
}

// MarshalText writes the date in its ISO form ("" when unknown), so stores
// and JSON keep dates as the strings people read.
func (d PartialDate) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses the ISO form written by MarshalText.
func (d *PartialDate) UnmarshalText(b []byte) error {
	v, err := ParsePartialDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
