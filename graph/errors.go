package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vjkg/vjkg/kg"
)

// The codes of the API's own refusals, beside the domain's (kg.EInvalid and
// the others). Clients read them in extensions.code; HTTPStatus gives the
// status each one is answered with.
const (
	CodeParseFailed           = errcode.ParseFailed      // the document is not GraphQL
	CodeValidationFailed      = errcode.ValidationFailed // the document does not fit the schema
	CodeQueryTooLarge         = "QUERY_TOO_LARGE"        // too many tokens, fields or aliases
	CodeDepthLimit            = "DEPTH_LIMIT_EXCEEDED"
	CodeComplexityLimit       = "COMPLEXITY_LIMIT_EXCEEDED"
	CodeIntrospectionDisabled = "INTROSPECTION_DISABLED"
	CodeResponseTooLarge      = "RESPONSE_TOO_LARGE" // the answer would pass MaxResponseBytes
	CodePayloadTooLarge       = "PAYLOAD_TOO_LARGE"  // the request body passes its limit
	CodeTooManyRequests       = "TOO_MANY_REQUESTS"  // the server or the client's rate is at its limit
)

// statuses is the one table from a code to the HTTP status of a request
// refused with it, on every endpoint. A GraphQL operation that did run
// answers 200 whatever its field errors say, as GraphQL over HTTP
// prescribes; this table is for requests turned away as a whole.
var statuses = map[string]int{
	kg.EInvalid:               http.StatusBadRequest,
	kg.ENotFound:              http.StatusNotFound,
	kg.EConflict:              http.StatusConflict,
	kg.EUnauthenticated:       http.StatusUnauthorized,
	kg.EUnavailable:           http.StatusServiceUnavailable,
	kg.ETimeout:               http.StatusServiceUnavailable,
	kg.EInternal:              http.StatusInternalServerError,
	CodeParseFailed:           http.StatusUnprocessableEntity,
	CodeValidationFailed:      http.StatusUnprocessableEntity,
	CodeQueryTooLarge:         http.StatusUnprocessableEntity,
	CodeDepthLimit:            http.StatusUnprocessableEntity,
	CodeComplexityLimit:       http.StatusUnprocessableEntity,
	CodeIntrospectionDisabled: http.StatusUnprocessableEntity,
	CodeResponseTooLarge:      http.StatusUnprocessableEntity,
	CodePayloadTooLarge:       http.StatusRequestEntityTooLarge,
	CodeTooManyRequests:       http.StatusTooManyRequests,
}

// HTTPStatus returns the status a request refused with code is answered
// with: 500 for a code it does not know.
func HTTPStatus(code string) int {
	if s, ok := statuses[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Codes lists every code HTTPStatus knows, for documentation and tests.
func Codes() []string {
	out := make([]string, 0, len(statuses))
	for c := range statuses {
		out = append(out, c)
	}
	return out
}

// refusal returns a GraphQL error with a code, for the checks that turn an
// operation away before it runs.
func refusal(code, format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	errcode.Set(err, code)
	return err
}

// maxMessageBytes bounds what an error message may echo of the request: a
// 900 KB id in an argument must not come back whole (once per error that
// quotes it).
const maxMessageBytes = 512

// Truncate cuts s to at most max bytes, at a character boundary, and says
// that it did.
func Truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… (%d bytes cut)", len(s)-cut)
}

// presentError is the one place where errors become what clients see: a
// domain error keeps its code and message; a timeout says so; gqlgen's own
// input and validation errors keep their message (and get BAD_USER_INPUT
// when they have no code); anything else is logged and shown as "internal
// error", since its details are not for clients. No message is longer than
// maxMessageBytes, whatever it quotes.
func presentError(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		if gqlErr.Extensions == nil {
			gqlErr.Extensions = map[string]any{}
		}
		var domain *kg.Error
		var gql *gqlerror.Error
		switch {
		case errors.As(err, &domain):
			gqlErr.Message = domain.Message
			gqlErr.Extensions["code"] = domain.Code
		case errors.Is(err, context.DeadlineExceeded):
			gqlErr.Message = "the request took longer than the server allows"
			gqlErr.Extensions["code"] = kg.ETimeout
		case errors.Is(err, context.Canceled):
			gqlErr.Message = "the request was cancelled"
			gqlErr.Extensions["code"] = kg.ETimeout
		case errors.As(err, &gql) && gql.Unwrap() == nil:
			// Raised by gqlgen itself: argument coercion, validation.
			if _, ok := gqlErr.Extensions["code"]; !ok {
				gqlErr.Extensions["code"] = kg.EInvalid
			}
		default:
			log.ErrorContext(ctx, "internal error", "err", err, "path", gqlErr.Path.String())
			gqlErr.Message = "internal error"
			gqlErr.Extensions["code"] = kg.EInternal
		}
		gqlErr.Message = Truncate(gqlErr.Message, maxMessageBytes)
		return gqlErr
	}
}

// recoverPanic logs a resolver panic with its stack and reports an internal
// error, so that one bad request cannot take the server down.
func recoverPanic(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return errors.New("panic in resolver")
	}
}
