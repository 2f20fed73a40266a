// Package explorer serves the analysts' explorer: a static web page that
// searches the knowledge graph, shows an entity with its relationships and
// the quotes they come from, and draws its neighbourhood as an interactive
// network (Cytoscape.js) with filters by kind, relationship type and date,
// and shortest paths between two entities.
//
// The page is plain HTML, CSS and JavaScript modules embedded in the binary,
// with no build step and nothing fetched from the internet: it talks only to
// the GraphQL endpoint at /graphql on the same origin (by POST, and over a
// WebSocket for the live feed of changes) and links to /export for
// downloads. Cytoscape.js and its fCoSE layout are vendored into
// static/vendor by tools/frontend/vendor.sh, at the versions
// tools/frontend/package-lock.json pins.
package explorer

import (
	"embed"
	"io/fs"
	"net/http"
)

// Prefix is the URL path the page is served under.
const Prefix = "/explorer/"

// contentSecurityPolicy keeps the page to its own origin: its scripts, styles
// and API calls ('self' also matches the live feed's ws: or wss: URL on
// the same host, as CSP Level 3 says). Inline styles are allowed because Cytoscape.js sets them on
// the elements it creates; data: images are the PNG export and the empty
// favicon.
const contentSecurityPolicy = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

//go:embed static
var static embed.FS

// Handler serves the explorer's files under Prefix: GET /explorer/ returns
// the page, /explorer/app.js its script, and so on. Mount it at Prefix:
//
//	mux.Handle(explorer.Prefix, explorer.Handler())
func Handler() http.Handler {
	files, err := fs.Sub(static, "static")
	if err != nil {
		// The directory is embedded at compile time, so this cannot happen.
		panic(err)
	}
	fileServer := http.StripPrefix(Prefix, http.FileServerFS(filesOnly{files}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The files change with the binary; revalidate rather than cache blindly.
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		// The page loads nothing from elsewhere and talks only to its origin.
		w.Header().Set("Content-Security-Policy", contentSecurityPolicy)
		fileServer.ServeHTTP(w, r)
	})
}

// filesOnly serves files and the page's own directory, nothing else: no
// other directory is listed (/explorer/vendor/ is 404), and a path that is
// not a valid file name (invalid UTF-8, "..") is 404 too, where
// http.FileServer would answer 500 for fs.ErrInvalid.
type filesOnly struct{ fs.FS }

func (f filesOnly) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, fs.ErrNotExist
	}
	file, err := f.FS.Open(name)
	if err != nil {
		return nil, fs.ErrNotExist
	}
	if name == "." { // the page itself: FileServer serves its index.html
		return file, nil
	}
	if st, err := file.Stat(); err != nil || st.IsDir() {
		file.Close()
		return nil, fs.ErrNotExist
	}
	return file, nil
}
