package api

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vjkg/vjkg/graph"
	"github.com/vjkg/vjkg/kg"
)

// writeError answers a non-GraphQL endpoint's failure with the same error
// shape and codes as GraphQL, and the status of its code.
func writeError(w http.ResponseWriter, err error) {
	code, msg := kg.ErrorCode(err), kg.ErrorMessage(err)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		code, msg = kg.ETimeout, timeoutMessage
	case errors.Is(err, context.Canceled):
		code, msg = kg.ETimeout, "the request was cancelled"
	}
	writeRefusal(w, code, msg)
}

const timeoutMessage = "the request took longer than the server allows"

// writeJSON answers v as JSON with its length, so that flushing it (as
// logRequests does) sends it whole, not chunked.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}`)
	}
	body = append(body, '\n')
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// writeRefusal answers with a GraphQL-shaped error and the status of its
// code (graph.HTTPStatus), for requests turned away outside gqlgen.
func writeRefusal(w http.ResponseWriter, code, message string) {
	if rec, ok := w.(*statusRecorder); ok {
		rec.refused = code
	}
	graph.SetRefusalHeaders(w.Header(), code)
	writeJSON(w, graph.HTTPStatus(code), map[string]any{
		"errors": []map[string]any{{"message": graph.Truncate(message, 512), "extensions": map[string]string{"code": code}}},
	})
}

// limitBody refuses a GraphQL request body beyond max bytes with 413
// (PAYLOAD_TOO_LARGE), whether or not it announced its length: one that
// announces too much is refused before it is read, and one that does not
// announce it is read whole (up to max) before the handler runs, since
// gqlgen would answer a cut body as invalid JSON. A body that trickles in
// is the server's read timeout's business.
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.ContentLength > max:
			writeRefusal(w, graph.CodePayloadTooLarge, tooLarge("request body", max))
			return
		case r.ContentLength >= 0: // the length is known and allowed: read as usual
			r.Body = http.MaxBytesReader(w, r.Body, max)
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			writeRefusal(w, graph.CodePayloadTooLarge, tooLarge("request body", max))
			return
		case err != nil:
			writeRefusal(w, kg.EInvalid, "cannot read the request body")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

func tooLarge(what string, max int64) string {
	return what + " larger than " + formatBytes(max) + ", the limit"
}

// withTimeout bounds how long a GraphQL request may take: the handler runs
// with a context that ends at the deadline, and at the deadline the client
// gets 503 TIMEOUT at once, whether or not the handler has stopped (work
// that checks its context stops; the log says what the client got). The
// handler's response is held until it is done, so that a timeout never
// follows half an answer; one larger than maxResponse gets
// RESPONSE_TOO_LARGE instead.
//
// The handler runs in the request's goroutine; only a request whose context
// ends early starts another, which answers the client while the handler
// finishes (a goroutine per request cost 8% of the throughput).
func withTimeout(d time.Duration, maxResponse int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		var once sync.Once // one of the two answers, whichever comes first
		answered := make(chan struct{})
		stop := context.AfterFunc(ctx, func() {
			defer close(answered)
			once.Do(func() {
				if errors.Is(ctx.Err(), context.DeadlineExceeded) {
					writeRefusal(w, kg.ETimeout, timeoutMessage)
					http.NewResponseController(w).Flush()
				} // else the client hung up: nobody to answer
			})
		})
		buf := &bufferedResponse{header: http.Header{}, max: maxResponse, body: responseBodies.Get().(*bytes.Buffer)}
		next.ServeHTTP(buf, r.WithContext(ctx))
		if !stop() { // the deadline came, or the client left: that answer stands
			<-answered
			return
		}
		once.Do(func() {
			if errors.Is(ctx.Err(), context.DeadlineExceeded) { // done, but too late
				writeRefusal(w, kg.ETimeout, timeoutMessage)
				return
			}
			if buf.overflow {
				writeRefusal(w, graph.CodeResponseTooLarge, "the response would be larger than "+formatBytes(maxResponse)+": ask for fewer items or fields")
				return
			}
			for k, v := range buf.header {
				w.Header()[k] = v
			}
			// With its length the response goes out in one write when the
			// log flushes it; without, it would be sent chunked.
			w.Header().Set("Content-Length", strconv.Itoa(buf.body.Len()))
			w.WriteHeader(buf.status)
			w.Write(buf.body.Bytes())
			buf.recycle()
		})
	})
}

// bufferedResponse holds a response until the handler is done. GraphQL
// responses are single JSON documents, so nothing streams.
type bufferedResponse struct {
	header   http.Header
	status   int
	body     *bytes.Buffer // from responseBodies
	max      int64
	overflow bool
}

// responseBodies are buffers for responses, reused once written: a nested
// query's 3 KB answer otherwise cost an allocation and its collection on
// every request.
var responseBodies = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBody is the largest buffer kept for reuse: a rare huge answer's
// buffer is left to the collector rather than held.
const maxPooledBody = 64 << 10

// recycle gives the body back to the pool, once written.
func (b *bufferedResponse) recycle() {
	if b.body.Cap() <= maxPooledBody {
		b.body.Reset()
		responseBodies.Put(b.body)
	}
	b.body = nil
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	if b.overflow || int64(b.body.Len()+len(p)) > b.max {
		b.overflow = true
		b.body.Reset()
		return 0, errors.New("response too large")
	}
	return b.body.Write(p)
}

// apiKey is a configured key: its name (what revisions record as the
// actor) and its SHA-256 digest (the key itself is not kept).
type apiKey struct {
	name string
	sum  [32]byte
}

// SplitKey reads one API_KEYS entry: "name:key", or a bare key, which is
// named key-N after its place in the list (N from 1). A name is 1 to 64
// letters, digits, dots, dashes and underscores.
func SplitKey(entry string, n int) (name, key string) {
	entry = strings.TrimSpace(entry)
	if i := strings.IndexByte(entry, ':'); i > 0 && i <= 64 && validKeyName(entry[:i]) {
		return entry[:i], entry[i+1:]
	}
	return fmt.Sprintf("key-%d", n), entry
}

func validKeyName(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return s != ""
}

func hashKeys(entries []string) []apiKey {
	var out []apiKey
	for i, e := range entries {
		name, k := SplitKey(e, i+1)
		if k = strings.TrimSpace(k); k != "" {
			out = append(out, apiKey{name, sha256.Sum256([]byte(k))})
		}
	}
	return out
}

// authenticate marks requests that carry a valid API key. Keys are compared
// as SHA-256 digests with subtle.ConstantTimeCompare, against every key, so
// neither the key's length nor which key matched shows in the timing. A
// request without a key goes on, as anonymous (what it may then do is each
// route's business: reads yes, mutations and imports no); one with a wrong
// or malformed key is refused with 401 on every route, so that a
// misconfigured client learns at once.
func authenticate(keys []apiKey, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if h == "" {
			next.ServeHTTP(w, r)
			return
		}
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			writeRefusal(w, kg.EUnauthenticated, "the Authorization header must be: Bearer <api key>")
			return
		}
		name, ok := keyName(keys, token)
		if !ok {
			writeRefusal(w, kg.EUnauthenticated, "invalid API key")
			return
		}
		next.ServeHTTP(w, r.WithContext(graph.WithAuthenticated(r.Context(), name)))
	})
}

// keyName returns the name of the key token is, comparing it with every
// key in constant time.
func keyName(keys []apiKey, token string) (string, bool) {
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	match := -1
	for i, k := range keys {
		eq := subtle.ConstantTimeCompare(sum[:], k.sum[:])
		match = subtle.ConstantTimeSelect(eq, i, match)
	}
	if match < 0 {
		return "", false
	}
	return keys[match].name, true
}

func validKey(keys []apiKey, token string) bool {
	_, ok := keyName(keys, token)
	return ok
}

// statusRecorder notes what was sent: the status, the bytes, whether
// sending failed, and the code of a refusal written outside gqlgen.
type statusRecorder struct {
	http.ResponseWriter
	status   int
	bytes    int
	err      error
	refused  string
	hijacked bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	if err != nil && s.err == nil {
		s.err = err
	}
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (deadlines,
// flushes).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Hijack hands the connection to a WebSocket, noting that nothing is to
// be flushed after it.
func (s *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	s.hijacked = true
	return http.NewResponseController(s.ResponseWriter).Hijack()
}

// logRequests writes one structured log line per request, with a request
// id (the caller's X-Request-ID, or a new one, echoed in the response) and,
// for GraphQL, the operation's name, kind and complexity, or the code it
// was refused with. The status is what the client got: the response is
// flushed before the line is written, and one that could not be delivered
// (the client hung up, the write deadline passed) is logged as status 0,
// with the status it would have had as "unsent" and the reason as
// "dropped".
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-ID")
		if id == "" || len(id) > 128 {
			var b [8]byte
			rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-ID", id)
		info := &graph.RequestInfo{}
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r.WithContext(graph.WithRequestInfo(r.Context(), info)))
		if rec.err == nil && !rec.hijacked {
			if err := http.NewResponseController(w).Flush(); err != nil {
				rec.err = err
			}
		}
		if rec.err == nil && rec.status == 0 && r.Context().Err() != nil {
			rec.err = r.Context().Err()
		}
		level := slog.LevelInfo
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
			level = slog.LevelDebug
		}
		status := rec.status
		attrs := []any{"id", id, "method", r.Method, "path", graph.Truncate(r.URL.Path, 200)}
		if rec.err != nil {
			attrs = append(attrs, "status", 0, "unsent", status, "dropped", dropReason(r, rec.err))
		} else {
			attrs = append(attrs, "status", status)
		}
		attrs = append(attrs, "bytes", rec.bytes, "duration_ms", float64(time.Since(start).Microseconds())/1000)
		attrs = append(attrs, info.LogAttrs()...)
		if rec.refused != "" {
			attrs = append(attrs, "refused", rec.refused)
		}
		log.Log(r.Context(), level, "request", attrs...)
	})
}

func dropReason(r *http.Request, err error) string {
	if r.Context().Err() != nil {
		return "the client closed the connection"
	}
	return graph.Truncate(err.Error(), 200)
}

// secureHeaders sets what every response carries: no MIME sniffing, no
// referrer, and, unless a page sets its own, a policy that lets a response
// load nothing and be framed nowhere (JSON and files need neither).
func secureHeaders(next http.Handler) http.Handler {
	// The values are shared by every response, not allocated for each: Set
	// replaces a value and a one-element slice has no room for Add to write.
	nosniff, noReferrer := []string{"nosniff"}, []string{"no-referrer"}
	policy := []string{"default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["X-Content-Type-Options"], h["Referrer-Policy"], h["Content-Security-Policy"] = nosniff, noReferrer, policy
		next.ServeHTTP(w, r)
	})
}

// formatBytes writes n as a readable size (1 MiB, 64 MiB, 1500 bytes).
func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return itoa(n>>20) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return itoa(n>>10) + " KiB"
	}
	return itoa(n) + " bytes"
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// longLived clears the connection's read and write deadlines (the
// server's timeouts for ordinary requests) before a WebSocket upgrade.
func longLived(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		_ = rc.SetReadDeadline(time.Time{})
		_ = rc.SetWriteDeadline(time.Time{})
		next.ServeHTTP(w, r)
	})
}
