package api

import (
	"bytes"
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vjkg/vjkg/graph"
)

// graphiQLFiles are the GraphiQL page at /, the script that starts it, and
// GraphiQL and React as vendored from npm by tools/frontend/vendor.sh: the
// page needs nothing from the internet.
//
//go:embed graphiql
var graphiQLFiles embed.FS

// graphiQLPolicy is the GraphiQL page's Content-Security-Policy: scripts and
// styles from this origin only (no inline script; GraphiQL sets inline
// styles on its editors, and its stylesheet carries its fonts and icons as
// data: URLs), requests to this origin only, and framed by none.
const graphiQLPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"font-src 'self' data:; img-src 'self' data:; connect-src 'self'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// graphiQLPrefix is where the page's scripts and styles are served.
const graphiQLPrefix = "/graphiql/"

// graphiQL serves the GraphiQL page (at /) and its files (under
// graphiQLPrefix). Only the embedded files are served, by name: there is no
// directory listing and no other path.
func graphiQL() (page, files http.Handler) {
	static := map[string][]byte{}
	err := fs.WalkDir(graphiQLFiles, "graphiql", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := graphiQLFiles.ReadFile(name)
		static[strings.TrimPrefix(name, "graphiql/")] = b
		return err
	})
	if err != nil {
		panic(err) // the files are embedded at compile time
	}
	serve := func(w http.ResponseWriter, r *http.Request, name string) {
		body, ok := static[name]
		if !ok || name == "index.html" && r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Security-Policy", graphiQLPolicy)
		// The files change with the binary; revalidate rather than cache blindly.
		w.Header().Set("Cache-Control", "no-cache")
		http.ServeContent(w, r, path.Base(name), time.Time{}, bytes.NewReader(body))
	}
	page = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { serve(w, r, "index.html") })
	files = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serve(w, r, strings.TrimPrefix(r.URL.Path, graphiQLPrefix))
	})
	return page, files
}

// SchemaSDL returns the schema the server answers, as GraphQL SDL with every
// description: what GET /schema.graphql serves, for code generators and
// readers who want the schema without an introspection query.
func SchemaSDL() []byte {
	return formatSDL(graph.NewExecutableSchema(graph.Config{}).Schema())
}

func formatSDL(s *ast.Schema) []byte {
	var buf bytes.Buffer
	formatter.NewFormatter(&buf, formatter.WithIndent("  ")).FormatSchema(s)
	return buf.Bytes()
}

// schemaHandler serves SchemaSDL at GET /schema.graphql. With introspection
// off the schema is not published here either, and the answer is the code
// an introspection query gets.
func schemaHandler(introspection bool) http.Handler {
	sdl := SchemaSDL()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !introspection {
			writeRefusal(w, graph.CodeIntrospectionDisabled, "the schema is not published: introspection is off")
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Content-Disposition", `inline; filename="schema.graphql"`)
		w.Header().Set("Cache-Control", "no-cache")
		http.ServeContent(w, r, "schema.graphql", time.Time{}, bytes.NewReader(sdl))
	})
}
