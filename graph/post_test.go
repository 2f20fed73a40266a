package graph

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TestWriteResponseIsJSONMarshal requires writeResponse to write what
// transport.POST writes (json.Marshal of the response), byte for byte.
func TestWriteResponseIsJSONMarshal(t *testing.T) {
	yes := true
	errs := gqlerror.List{{Message: "a <b> & c", Path: ast.Path{ast.PathName("x"), ast.PathIndex(2)},
		Extensions: map[string]any{"code": "BAD_USER_INPUT"}}}
	for _, resp := range []*graphql.Response{
		{Data: json.RawMessage(`{"a":1,"b":"Hà Nội","c":[true,null]}`)},
		{Data: json.RawMessage(`{"a":"<script>&amp;"}`)},
		{Data: json.RawMessage(`{"id":"rel:PART_OF:locality:a->locality:b","b":[">","<",">&<"]}`)},
		{Data: json.RawMessage("{\"a\":\"\xe2\x80\xa9\xe2\x80\xa8x\xe2\x80\xaa\xe2\x80\"}")},
		{Data: json.RawMessage(`{"a":"line\u2028sep` + "\u2028" + `"}`)},
		{Data: json.RawMessage(`{"a":"“quoted” – dash…"}`)},
		{Data: json.RawMessage("{\"a\":\"\xe2\x80\"}")},
		{Errors: errs},
		{Errors: errs, Data: json.RawMessage(`{"a":null}`)},
		{Data: json.RawMessage(`{}`), Extensions: map[string]any{"cost": 12, "note": "x<y"}},
		{Data: json.RawMessage(`{"a":1}`), HasNext: &yes, Label: "l", Path: ast.Path{ast.PathName("a")}},
		{},
	} {
		want, err := json.Marshal(resp)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		writeResponse(&got, resp)
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("writeResponse wrote\n%s\njson.Marshal\n%s", got.Bytes(), want)
		}
	}
}
