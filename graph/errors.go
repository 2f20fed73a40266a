package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vjkg/vjkg/kg"
)

// presentError is the one place where errors become what clients see: a
// domain error keeps its code and message; a timeout says so; gqlgen's own
// input and validation errors keep their message (and get BAD_USER_INPUT
// when they have no code); anything else is logged and shown as "internal
// error", since its details are not for clients.
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
