package seed

import (
	"encoding/json"
	"unicode/utf8"
)

// parseCitations decodes a citations cell, a JSON array of {source,
// quote}, into what json.Unmarshal makes of it. The common cell, whose
// objects have exactly the keys source and quote and whose strings have no
// escapes, is read here; any other goes to json.Unmarshal. Decoding every
// cell with encoding/json was a quarter of the time spent reading an edges
// file, profiled at 1 M entities and 5 M relationships.
func parseCitations(js string) ([]citationRecord, error) {
	if cs, ok := plainCitations(js); ok {
		return cs, nil
	}
	var cs []citationRecord
	err := json.Unmarshal([]byte(js), &cs)
	return cs, err
}

// plainCitations reads s when it is a JSON array of objects with the keys
// source and quote (each at most once, no other) and string values without
// escapes; ok is false for anything else, valid JSON or not.
func plainCitations(s string) (out []citationRecord, ok bool) {
	i := skipJSONSpace(s, 0)
	if i == len(s) || s[i] != '[' {
		return nil, false
	}
	out = []citationRecord{} // as json.Unmarshal makes of []
	i = skipJSONSpace(s, i+1)
	if i < len(s) && s[i] == ']' {
		return out, skipJSONSpace(s, i+1) == len(s)
	}
	for {
		if i == len(s) || s[i] != '{' {
			return nil, false
		}
		var c citationRecord
		var haveSource, haveQuote bool
		i = skipJSONSpace(s, i+1)
		for {
			key, j, ok := plainJSONString(s, i)
			if !ok {
				return nil, false
			}
			j = skipJSONSpace(s, j)
			if j == len(s) || s[j] != ':' {
				return nil, false
			}
			value, j, ok := plainJSONString(s, skipJSONSpace(s, j+1))
			if !ok {
				return nil, false
			}
			switch {
			case key == "source" && !haveSource:
				c.Source, haveSource = value, true
			case key == "quote" && !haveQuote:
				c.Quote, haveQuote = value, true
			default: // another key, or one repeated: json.Unmarshal's rules apply
				return nil, false
			}
			i = skipJSONSpace(s, j)
			if i < len(s) && s[i] == ',' {
				i = skipJSONSpace(s, i+1)
				continue
			}
			if i < len(s) && s[i] == '}' {
				i = skipJSONSpace(s, i+1)
				break
			}
			return nil, false
		}
		out = append(out, c)
		switch {
		case i < len(s) && s[i] == ',':
			i = skipJSONSpace(s, i+1)
		case i < len(s) && s[i] == ']':
			return out, skipJSONSpace(s, i+1) == len(s)
		default:
			return nil, false
		}
	}
}

// plainJSONString reads the JSON string at s[i:] when it has no escapes
// and is valid UTF-8 (json.Unmarshal replaces invalid bytes), returning
// it and the index after its closing quote.
func plainJSONString(s string, i int) (string, int, bool) {
	if i == len(s) || s[i] != '"' {
		return "", 0, false
	}
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '"':
			v := s[i+1 : j]
			return v, j + 1, utf8.ValidString(v)
		case c == '\\' || c < 0x20:
			return "", 0, false
		}
	}
	return "", 0, false
}

func skipJSONSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}
