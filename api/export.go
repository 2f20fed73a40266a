package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/vjkg/vjkg/export"
	"github.com/vjkg/vjkg/graph"
	"github.com/vjkg/vjkg/kg"
)

// exportHandler serves GET /export?format=…&scope=…: the graph or a part of
// it as a file (see package export), written as it is read from the store.
//
// Exports are the one read that can be large, so they are held to more
// than a GraphQL query: each takes one of the expensive slots (429 when none
// is free); one of more than AnonymousExportLimit entities needs an API key
// (401 without); and each has ExportTimeout, not the request timeout, to be
// read, with the connection's write deadline moved to match, since a large
// file takes longer than a query.
func exportHandler(s kg.Store, expensive *slots, c Config) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		format, scope, opts, err := export.ParseQuery(r.URL.Query())
		if err != nil {
			writeError(w, err)
			return
		}
		release, ok := expensive.tryAcquire()
		if !ok {
			busy(w)
			return
		}
		defer release()
		ctx, cancel := context.WithTimeout(r.Context(), c.ExportTimeout)
		defer cancel()
		// The server's write timeout is for ordinary requests; an error here
		// only means the connection cannot move it (HTTP/2 can).
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(c.ExportTimeout))
		x, err := export.Prepare(ctx, s, scope, export.DefaultBounds)
		if err != nil {
			writeError(w, err)
			return
		}
		if x.Entities() > c.AnonymousExportLimit && !graph.Authenticated(r.Context()) {
			writeRefusal(w, kg.EUnauthenticated, fmt.Sprintf("this export holds %d entities, more than the %d an export without an API key may: send Authorization: Bearer <key>, or narrow the scope",
				x.Entities(), c.AnonymousExportLimit))
			return
		}
		f := export.Formats[format]
		name := "vjkg"
		if scope.What != "" {
			name += "-" + scope.What
		}
		w.Header().Set("Content-Type", f.ContentType)
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, name, f.Ext))
		if err := x.Write(ctx, w, format, opts); err != nil {
			// The response has begun: the client gets a cut file, and the log
			// says why.
			c.Logger.WarnContext(r.Context(), "export cut short", "err", err)
		}
	})
}
