//go:build tools

// Package tools pins NornicDB, the Bolt server the tests use in place of
// Neo4j. It is a module of its own so that NornicDB's many dependencies stay
// out of the API's go.mod; scripts/nornicdb.sh builds the binary from it.
package tools

import _ "github.com/orneryd/nornicdb/cmd/nornicdb"
