package graph

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// postTransport is gqlgen's transport.POST (0.17.98, with its default
// options), except that it writes a response's data as it is rather than
// through json.Marshal, which parses and copies the whole of it again
// (json.RawMessage is compacted and checked): 11% of a neighbourhood's CPU,
// profiled at 1 M entities. The bytes written are the same (see
// writeResponse).
type postTransport struct{ transport.POST }

const (
	contentJSON            = "application/json"
	contentGraphQLResponse = "application/graphql-response+json"
)

func (postTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	contentType := responseContentType(r)
	w.Header().Add("Content-Type", contentType)
	start := graphql.Now()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeResponse(w, exec.DispatchError(ctx, gqlerror.List{gqlerror.Errorf("could not read request body: %+v", err)}))
		return
	}
	params := &graphql.RawParams{}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(params); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		writeResponse(w, exec.DispatchError(ctx, gqlerror.List{
			gqlerror.Errorf("json request body could not be decoded: %+v body:%s", err, string(body))}))
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	rc, opErr := exec.CreateOperationContext(ctx, params)
	if opErr != nil {
		status := http.StatusOK
		if errcode.GetErrorKind(opErr) == errcode.KindProtocol {
			status = http.StatusUnprocessableEntity
			if contentType == contentGraphQLResponse {
				status = http.StatusBadRequest
			}
		}
		w.WriteHeader(status)
		writeResponse(w, exec.DispatchError(graphql.WithOperationContext(ctx, rc), opErr))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	resp := responses(ctx)
	writeResponse(w, resp)
	if resp != nil {
		// Written (w holds a copy): nothing reads the data again.
		recycleAnswer(resp.Data)
	}
}

// responseContentType is the media type the client accepts, as
// transport.POST chooses it.
func responseContentType(r *http.Request) string {
	accept := r.Header.Get("Accept")
	if accept == "" {
		return contentJSON
	}
	for part := range strings.SplitSeq(accept, ",") {
		mediaType, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mediaType {
		case "*/*", "application/*", contentJSON:
			return contentJSON
		case contentGraphQLResponse:
			return contentGraphQLResponse
		}
	}
	return contentGraphQLResponse
}

// writeResponse writes resp as json.Marshal would. The data gqlgen
// marshals is compact JSON already, so what json.Marshal does to it is
// only to escape <, >, & (for HTML) and U+2028, U+2029 (for JavaScript),
// which appendEscaped does in one pass; the rare incremental responses
// still go through json.Marshal.
func writeResponse(w io.Writer, resp *graphql.Response) {
	if resp == nil || resp.Label != "" || resp.Path != nil || resp.HasNext != nil {
		b, err := json.Marshal(resp)
		if err != nil {
			panic(err) // as transport.POST: gqlgen's data is valid JSON
		}
		w.Write(b)
		return
	}
	if len(resp.Errors) == 0 && len(resp.Extensions) == 0 && resp.Data != nil {
		// The common answer goes to w in pieces, not copied first: w
		// holds the response until the handler is done anyway.
		io.WriteString(w, `{"data":`)
		writeEscaped(w, resp.Data)
		io.WriteString(w, "}")
		return
	}
	out := make([]byte, 0, len(resp.Data)+len(resp.Data)/16+32)
	out = append(out, '{')
	if len(resp.Errors) > 0 {
		errs, err := json.Marshal(resp.Errors)
		if err != nil {
			panic(err)
		}
		out = append(append(append(out, `"errors":`...), errs...), ',')
	}
	out = append(out, `"data":`...)
	if resp.Data == nil {
		out = append(out, "null"...)
	} else {
		out = appendEscaped(out, resp.Data)
	}
	if len(resp.Extensions) > 0 {
		ext, err := json.Marshal(resp.Extensions)
		if err != nil {
			panic(err)
		}
		out = append(append(out, `,"extensions":`...), ext...)
	}
	w.Write(append(out, '}'))
}

// appendEscaped appends compact JSON data to out as json.Marshal writes
// it: <, > and & as \u003c, \u003e and \u0026, and U+2028 and U+2029
// (E2 80 A8, E2 80 A9) as \u2028 and \u2029. Relationship ids hold "->",
// so most answers have something to escape.
func appendEscaped(out, data []byte) []byte {
	a := appender(out)
	writeEscaped(&a, data)
	return a
}

// appender is a byte slice that Write appends to.
type appender []byte

func (a *appender) Write(p []byte) (int, error) {
	*a = append(*a, p...)
	return len(p), nil
}

// writeEscaped writes data to w as appendEscaped appends it, in the runs
// between escapes.
func writeEscaped(w io.Writer, data []byte) {
	start := 0
	for i := 0; i < len(data); i++ {
		at := i
		var esc string
		switch c := data[i]; {
		case c == '<':
			esc = `\u003c`
		case c == '>':
			esc = `\u003e`
		case c == '&':
			esc = `\u0026`
		case c == 0xE2 && i+2 < len(data) && data[i+1] == 0x80 && data[i+2] == 0xA8:
			esc, i = `\u2028`, i+2
		case c == 0xE2 && i+2 < len(data) && data[i+1] == 0x80 && data[i+2] == 0xA9:
			esc, i = `\u2029`, i+2
		default:
			continue
		}
		w.Write(data[start:at])
		io.WriteString(w, esc)
		start = i + 1
	}
	w.Write(data[start:])
}
