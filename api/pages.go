package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/graphql/playground"
)

// graphiQL serves gqlgen's GraphiQL page at / with the security headers
// every HTML page gets. The page loads GraphiQL from a CDN and runs one
// inline script, so its Content-Security-Policy allows exactly those: the
// CDN's origins (the scripts carry subresource-integrity hashes) and the
// inline script's own SHA-256, computed from the page itself so that a
// gqlgen upgrade cannot silently break it. It may talk only to this origin
// and be framed by none.
func graphiQL() http.Handler {
	page := playground.Handler("Vietnam–Japan cooperation graph", "/graphql")
	rec := &pageRecorder{header: http.Header{}}
	page.ServeHTTP(rec, httpRequest("/"))
	csp := graphiQLPolicy(rec.body.Bytes())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		w.Header().Set("Cache-Control", "no-cache")
		page.ServeHTTP(w, r)
	})
}

var (
	inlineScript = regexp.MustCompile(`(?s)<script>(.*?)</script>`)
	assetURL     = regexp.MustCompile(`(?:src|href)="(https://[^"]+)"`)
)

// graphiQLPolicy builds the page's Content-Security-Policy from its HTML.
func graphiQLPolicy(html []byte) string {
	var hashes []string
	for _, m := range inlineScript.FindAllSubmatch(html, -1) {
		sum := sha256.Sum256(m[1])
		hashes = append(hashes, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	var origins []string
	for _, m := range assetURL.FindAllSubmatch(html, -1) {
		if u, err := url.Parse(string(m[1])); err == nil && !slices.Contains(origins, "https://"+u.Host) {
			origins = append(origins, "https://"+u.Host)
		}
	}
	cdn := strings.Join(origins, " ")
	return strings.Join([]string{
		"default-src 'none'",
		"script-src " + strings.Join(hashes, " ") + " " + cdn,
		"style-src 'self' 'unsafe-inline' " + cdn, // GraphiQL styles its editors inline
		"font-src 'self' data: " + cdn,
		"img-src 'self' data: " + cdn,
		"worker-src 'self' blob:",
		"connect-src 'self'",
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'none'",
	}, "; ")
}

// pageRecorder captures a page rendered once at start.
type pageRecorder struct {
	header http.Header
	body   bytes.Buffer
}

func (p *pageRecorder) Header() http.Header         { return p.header }
func (p *pageRecorder) WriteHeader(int)             {}
func (p *pageRecorder) Write(b []byte) (int, error) { return p.body.Write(b) }

func httpRequest(path string) *http.Request {
	r, err := http.NewRequest(http.MethodGet, path, nil)
	if err != nil {
		panic(err) // a constant path
	}
	return r
}
