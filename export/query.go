package export

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/traverse"
)

// Params lists the query parameters ParseQuery reads. They are the GraphQL
// arguments of the field each scope mirrors (neighborhood, paths, the
// entity lists), with lists written comma-separated.
var Params = []string{"format", "scope", "id", "depth", "limit", "from", "to", "maxHops", "first",
	"relationTypes", "kinds", "direction", "asOf", "sourceTypes", "type", "country", "name", "dateFrom", "dateTo", "raw"}

// ParseQuery reads an export request: the format, the scope and how to
// write it (raw=true keeps CSV formulas). Every problem is EInvalid with a
// message naming the parameter.
func ParseQuery(q url.Values) (string, Scope, WriteOptions, error) {
	format, sc, err := parseQuery(q)
	if err != nil {
		return "", sc, WriteOptions{}, err
	}
	var o WriteOptions
	switch q.Get("raw") {
	case "", "false":
	case "true":
		o.Raw = true
	default:
		return "", sc, o, kg.Errorf(kg.EInvalid, "raw: %q must be true or false", shorten(q.Get("raw")))
	}
	return format, sc, o, nil
}

// shorten shortens a parameter's value for a message: a message must not
// echo a megabyte the client sent.
func shorten(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func parseQuery(q url.Values) (string, Scope, error) {
	var sc Scope
	for k := range q {
		if !contains(Params, k) {
			return "", sc, kg.Errorf(kg.EInvalid, "unknown parameter %q (want %s)", shorten(k), strings.Join(Params, ", "))
		}
	}
	format := q.Get("format")
	if format == "" {
		format = "graphml"
	}
	if _, ok := Formats[format]; !ok {
		return "", sc, kg.Errorf(kg.EInvalid, "format %q: want one of %s", shorten(format), strings.Join(FormatNames(), ", "))
	}
	sc.What = q.Get("scope")
	var err error
	num := func(name string) int {
		if err != nil || q.Get(name) == "" {
			return 0
		}
		n, e := strconv.Atoi(q.Get(name))
		if e != nil {
			err = kg.Errorf(kg.EInvalid, "%s: %q is not a whole number", name, shorten(q.Get(name)))
		}
		return n
	}
	day := func(name string) string {
		if err != nil || q.Get(name) == "" {
			return ""
		}
		d, e := kg.ParseDay(q.Get(name))
		if e != nil {
			err = kg.Errorf(kg.EInvalid, "%s: %v", name, e)
		}
		return d
	}
	sc.ID, sc.From, sc.To = q.Get("id"), q.Get("from"), q.Get("to")
	sc.Depth, sc.Limit, sc.MaxHops, sc.MaxPaths = num("depth"), num("limit"), num("maxHops"), num("first")
	sc.Traverse = traverse.Options{AsOf: day("asOf")}
	sc.Filter.From, sc.Filter.To = day("dateFrom"), day("dateTo")
	if err != nil {
		return "", sc, err
	}
	for _, t := range list(q.Get("relationTypes")) {
		if _, ok := kg.Rule(kg.RelType(t)); !ok {
			return "", sc, kg.Errorf(kg.EInvalid, "relationTypes: unknown relationship type %q", shorten(t))
		}
		sc.Traverse.Types = append(sc.Traverse.Types, kg.RelType(t))
	}
	for _, k := range list(q.Get("kinds")) {
		if !kg.Kind(k).Valid() {
			return "", sc, kg.Errorf(kg.EInvalid, "kinds: unknown kind %q", shorten(k))
		}
		sc.Traverse.Kinds = append(sc.Traverse.Kinds, kg.Kind(k))
	}
	for _, t := range list(q.Get("sourceTypes")) {
		if !slices.Contains(kg.SourceTypes, t) {
			return "", sc, kg.Errorf(kg.EInvalid, "sourceTypes: unknown source type %q (want %s)", shorten(t), strings.Join(kg.SourceTypes, ", "))
		}
		sc.SourceTypes = append(sc.SourceTypes, t)
	}
	switch d := kg.Direction(strings.ToUpper(q.Get("direction"))); d {
	case "", kg.DirBoth, kg.DirIn, kg.DirOut:
		sc.Traverse.Direction = d
	default:
		return "", sc, kg.Errorf(kg.EInvalid, "direction %q: want OUT, IN or BOTH", shorten(q.Get("direction")))
	}
	switch sc.What {
	case "neighborhood":
		if sc.ID == "" {
			return "", sc, kg.Errorf(kg.EInvalid, "scope=neighborhood needs id")
		}
	case "paths":
		if sc.From == "" || sc.To == "" {
			return "", sc, kg.Errorf(kg.EInvalid, "scope=paths needs from and to")
		}
	case "list":
		sc.Filter.Kinds = sc.Traverse.Kinds
		sc.Filter.Types = list(q.Get("type"))
		sc.Filter.Countries = list(q.Get("country"))
		sc.Filter.Text = q.Get("name")
		sc.Filter.Order = kg.EntityOrder{Field: kg.OrderByID}
	}
	return format, sc, nil
}

func list(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
