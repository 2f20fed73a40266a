package kg

import (
	"errors"
	"fmt"
)

// Error codes. They are the values clients see in a GraphQL error's
// extensions.code, so they follow the names GraphQL servers commonly use.
const (
	EInvalid         = "BAD_USER_INPUT"
	ENotFound        = "NOT_FOUND"
	EConflict        = "CONFLICT"
	EUnauthenticated = "UNAUTHENTICATED"
	EUnavailable     = "UNAVAILABLE"
	ETimeout         = "TIMEOUT"
	EInternal        = "INTERNAL_SERVER_ERROR"
)

// Error is a domain error: a code from the list above and a message that is
// safe to show to a client.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EInternal
	}
}

// ErrorMessage returns the client-safe message of err: the message of a
// domain *Error, or "internal error" for anything else, whose details belong
// in the logs only.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	default:
		return "internal error"
	}
}
