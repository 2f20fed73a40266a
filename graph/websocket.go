package graph

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	coderws "github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vjkg/vjkg/kg"
)

// Subscriptions travel over WebSocket (graphql-transport-ws, and the older
// graphql-ws), at /graphql like everything else.

type websocketKey struct{}

// WithWebsocket marks a request as a WebSocket upgrade: its operations are
// subscriptions only.
func WithWebsocket(ctx context.Context) context.Context {
	return context.WithValue(ctx, websocketKey{}, true)
}

func viaWebsocket(ctx context.Context) bool {
	ok, _ := ctx.Value(websocketKey{}).(bool)
	return ok
}

// subscriptionsOnlyOverWebsocket refuses queries and mutations sent over a
// WebSocket, which would escape the request timeout and the response size
// limit of /graphql, and subscriptions sent over HTTP, which cannot stream.
type subscriptionsOnlyOverWebsocket struct{}

func (subscriptionsOnlyOverWebsocket) ExtensionName() string { return "SubscriptionsOnlyOverWebsocket" }
func (subscriptionsOnlyOverWebsocket) Validate(graphql.ExecutableSchema) error {
	return nil
}

// MutateOperationContext implements graphql.OperationContextMutator.
func (subscriptionsOnlyOverWebsocket) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation == nil {
		return nil
	}
	sub := op.Operation.Operation == ast.Subscription
	switch {
	case viaWebsocket(ctx) && !sub:
		return refusal(kg.EInvalid, "only subscriptions go over WebSocket: send queries and mutations by POST")
	case !viaWebsocket(ctx) && sub:
		return refusal(kg.EInvalid, "subscriptions need a WebSocket (graphql-transport-ws) at /graphql")
	}
	return nil
}

// websocketTransport accepts WebSocket clients: a key in the
// connection_init payload ({"Authorization": "Bearer <key>"}) counts as
// the header would; a wrong one closes the connection.
func websocketTransport(o Options) transport.Websocket {
	return transport.Websocket{
		Implementation: transport.CoderWebsocketImplementation{AcceptOptions: coderws.AcceptOptions{
			OriginPatterns: o.OriginPatterns,
		}},
		KeepAlivePingInterval: 25 * time.Second,
		InitTimeout:           10 * time.Second,
		InitFunc: func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			auth := p.Authorization()
			if auth == "" {
				if v, ok := p["authorization"].(string); ok {
					auth = v
				}
			}
			if auth == "" {
				return ctx, nil, nil
			}
			token, ok := strings.CutPrefix(auth, "Bearer ")
			if !ok || o.Authenticate == nil {
				return ctx, nil, errors.New("UNAUTHENTICATED: the Authorization value must be: Bearer <api key>")
			}
			actor, ok := o.Authenticate(token)
			if !ok {
				return ctx, nil, errors.New("UNAUTHENTICATED: invalid API key")
			}
			return WithAuthenticated(ctx, actor), nil, nil
		},
	}
}

// IsWebsocket reports whether r asks to upgrade to a WebSocket.
func IsWebsocket(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}
