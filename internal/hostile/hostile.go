// Package hostile writes the hostile GraphQL documents of issue 7, for the
// hostile-input tests and for scripts/hostile, which measures them against
// a running server: the same documents in both, so the figures and the
// tests speak of the same cases.
package hostile

import (
	"fmt"
	"strings"
)

// FragmentChain returns n fragments, each spreading the previous one
// twice: 2^n fields in a few bytes per fragment (1.6 KB for 40).
func FragmentChain(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "query{...F%d} fragment F0 on Query{stats{entities}}", n-1)
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, " fragment F%d on Query{...F%d ...F%d}", i, i-1, i-1)
	}
	return b.String()
}

// Aliases returns n aliased searches, aN: search(text:"xN"){score} (33 KB
// for 1,000).
func Aliases(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, ` a%d: search(text:"x%d"){score}`, i, i)
	}
	return b.String() + "}"
}

// DuplicateFields returns n copies of the same field, stats{entities}.
func DuplicateFields(n int) string {
	return "{" + strings.Repeat(" stats{entities}", n) + "}"
}

// LargeTokens returns a document of about size bytes of fields.
func LargeTokens(size int) string {
	return "{" + strings.Repeat(" stats { entities }", size/19) + "}"
}

// LargeAliases returns a valid, distinct document of about size bytes:
// aliases of __typename, which validate in linear time, so that a server
// without a token limit parses, validates and caches it (i makes it
// distinct).
func LargeAliases(i, size int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "query Q%d {", i)
	for j := 0; b.Len() < size; j++ {
		fmt.Fprintf(&b, " a%d: __typename", j)
	}
	return b.String() + " }"
}

// LargeComment returns a valid, distinct document of about size bytes:
// a small query and a comment, i making it distinct (a cache keeps each).
func LargeComment(i, size int) string {
	return fmt.Sprintf("{ stats { entities } } #%d %s", i, strings.Repeat("x", size))
}
