// Package external runs the programs some tests check the project against
// (NetworkX under Debian's Python, Neo4j's Cypher front end under Node.js),
// and reports their own error output when they fail, so that a failure on a
// fresh machine says what is missing rather than "exit status 1".
package external

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// PythonModules are the modules the Python checkers import. scripts/test.sh
// installs each one's Debian package and checks that every module a checker
// imports is the standard library's or listed here.
var PythonModules = []string{"networkx", "numpy", "scipy"}

// Python returns the interpreter that has PythonModules: $VJKG_PYTHON, or
// Debian's /usr/bin/python3 (not whatever python3 is first on PATH, which
// may be a pyenv build that does not see Debian's packages). When it cannot
// import them the test is skipped, or fails with Python's own error when
// VJKG_REQUIRE_NETWORKX is set (as scripts/test.sh sets it).
func Python(t testing.TB) string {
	t.Helper()
	python := os.Getenv("VJKG_PYTHON")
	if python == "" {
		python = "/usr/bin/python3"
	}
	probe := "import " + strings.Join(PythonModules, ", ")
	if _, err := Output(exec.Command(python, "-c", probe)); err != nil {
		msg := python + " cannot run the NetworkX checks (apt-get install python3-networkx python3-numpy python3-scipy): " + err.Error()
		if os.Getenv("VJKG_REQUIRE_NETWORKX") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return python
}

// Output runs cmd and returns its standard output. On failure the error
// carries the command line and the last part of what it wrote to standard
// error.
func Output(cmd *exec.Cmd) ([]byte, error) {
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err == nil {
		return out, nil
	}
	text := strings.TrimSpace(stderr.String())
	if len(text) > 4000 {
		text = "…" + text[len(text)-4000:]
	}
	if text == "" {
		text = "(nothing on standard error)"
	}
	return out, errors.New(strings.Join(cmd.Args, " ") + ": " + err.Error() + "\n" + text)
}
