package seed

import (
	"encoding/json"
	"reflect"
	"strconv"
	"testing"
)

// citationCells are cells read by hand and cells left to encoding/json:
// escapes, other keys, keys in other cases, repeated keys, non-strings,
// invalid UTF-8, broken JSON.
var citationCells = []string{
	`[{"source":"source:a","quote":"Bản ghi số 1"}]`,
	` [ { "quote" : "q" , "source" : "source:b" } , {"source":"source:c","quote":""} ] `,
	`[]`, ` [ ] `, `[{"source":"source:a"}]`, `[{"quote":"only"}]`,
	`[{"source":"source:a","quote":"say \"hi\""}]`,
	`[{"source":"source:a","quote":"tab\there"}]`,
	`[{"Source":"source:a","QUOTE":"q"}]`,
	`[{"source":"source:a","source":"source:b","quote":"q"}]`,
	`[{"source":"source:a","quote":"q","page":"3"}]`,
	`[{"source":"source:a","quote":null}]`,
	`[{"source":"source:a","quote":3}]`,
	"[{\"source\":\"source:a\",\"quote\":\"bad \xff byte\"}]",
	"[{\"source\":\"source:a\",\"quote\":\"line\nbreak\"}]",
	`[{}]`, `null`, `{}`, `[`, `[{"source":"source:a",}]`, `[{"source":"source:a"},]`,
	`[{"source":"source:a"}] x`, `[{"source" "source:a"}]`, `[{"source":"source:a"}{}]`, ``,
}

func TestParseCitationsAsJSON(t *testing.T) {
	read := 0
	for _, cell := range citationCells {
		if _, ok := plainCitations(cell); ok {
			read++
		}
		checkAsJSON(t, cell)
	}
	// The common shapes must take the fast path, or it is not one.
	if read != 6 {
		t.Errorf("%d cells read by hand, want 6 (the first six)", read)
	}
}

func FuzzParseCitations(f *testing.F) {
	for _, cell := range citationCells {
		f.Add(cell)
	}
	f.Fuzz(checkAsJSON)
}

// checkAsJSON fails unless parseCitations gives what json.Unmarshal gives.
func checkAsJSON(t *testing.T, cell string) {
	var want []citationRecord
	wantErr := json.Unmarshal([]byte(cell), &want)
	got, err := parseCitations(cell)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("%q: error %v, encoding/json's %v", cell, err, wantErr)
	}
	if err == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: %#v, encoding/json makes %#v", cell, got, want)
	}
}

func TestLabelQuotesAsStrconv(t *testing.T) {
	for _, id := range []string{"rel:a->b", `a"b`, `back\slash`, "tab\t", "Hà Nội", "\x7f"} {
		if got, want := label("relationship", id, 0), "relationship "+strconv.Quote(id); got != want {
			t.Errorf("label(%q) = %s, want %s", id, got, want)
		}
	}
}
