package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/vjkg/vjkg/api"
	"github.com/vjkg/vjkg/graph"
	"github.com/vjkg/vjkg/neo4j"
)

// config is everything the server can be told. Each setting comes from a
// flag, else from an environment variable, else from its default.
type config struct {
	Host           string
	Port           int
	DataDir        string
	Seed           bool
	APIKeys        []string
	CORSOrigins    []string
	LogLevel       slog.Level
	LogFormat      string
	Introspection  bool
	MaxBodyBytes   int64
	RequestTimeout time.Duration
	MaxDepth       int
	MaxComplexity  int
	MaxPageSize    int
	MaxImportBytes int64
	Neo4j          neo4jConfig
}

// neo4jConfig selects the Neo4j backend when URI is set.
type neo4jConfig struct {
	URI, Username, Password, Database string
	PathSearch                        neo4j.PathSearch
}

// setting describes one configuration item, for flags, environment and docs.
type setting struct {
	flag, env, def, help string
}

var settings = []setting{
	{"host", "HOST", "", "interface to listen on (empty: all)"},
	{"port", "PORT", "8080", "port to listen on (0: any free port)"},
	{"data-dir", "DATA_DIR", "./data", "directory of the embedded store"},
	{"seed", "SEED", "true", "load the seed dataset into an empty store at start"},
	{"api-keys", "API_KEYS", "", "comma-separated API keys allowed to call mutations"},
	{"cors-origins", "CORS_ORIGINS", "", `comma-separated browser origins allowed to call the API ("*" for any)`},
	{"log-level", "LOG_LEVEL", "info", "debug, info, warn or error"},
	{"log-format", "LOG_FORMAT", "text", "text or json"},
	{"introspection", "INTROSPECTION", "true", "answer GraphQL introspection queries"},
	{"max-body-bytes", "MAX_BODY_BYTES", "1048576", "largest request body accepted"},
	{"request-timeout", "REQUEST_TIMEOUT", "10s", "longest a GraphQL request may run"},
	{"max-depth", "MAX_DEPTH", "12", "deepest GraphQL selection allowed"},
	{"max-complexity", "MAX_COMPLEXITY", "100000", "highest GraphQL query complexity allowed"},
	{"max-page-size", "MAX_PAGE_SIZE", "100", "largest `first` a list accepts"},
	{"max-import-bytes", "MAX_IMPORT_BYTES", "67108864", "largest upload POST /import accepts"},
	{"neo4j-uri", "NEO4J_URI", "", "use Neo4j at this URI (bolt://, neo4j://, neo4j+s://) instead of the embedded store"},
	{"neo4j-username", "NEO4J_USERNAME", "neo4j", "Neo4j user"},
	{"neo4j-password", "NEO4J_PASSWORD", "", "Neo4j password"},
	{"neo4j-database", "NEO4J_DATABASE", "", "Neo4j database (empty: the server's default)"},
	{"neo4j-path-search", "NEO4J_PATH_SEARCH", "cypher", "shortest paths on Neo4j: cypher (one statement), cypher-unfiltered (in Go when filtered by day or kinds) or go"},
}

// parseConfig reads flags from args over the environment from getenv. extra,
// if set, adds a subcommand's own flags; the arguments after the flags are
// returned (an error if there are some and wantArgs is false).
func parseConfig(name string, args []string, getenv func(string) string, usage io.Writer, extra func(*flag.FlagSet), wantArgs bool) (*config, []string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(usage)
	if extra != nil {
		extra(fs)
	}
	values := map[string]*string{}
	for _, s := range settings {
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		values[s.flag] = fs.String(s.flag, def, fmt.Sprintf("%s (env %s)", s.help, s.env))
	}
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	if fs.NArg() > 0 && !wantArgs {
		return nil, nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	get := func(name string) string { return strings.TrimSpace(*values[name]) }

	c := &config{Host: get("host"), DataDir: get("data-dir"), LogFormat: get("log-format")}
	var errs []error
	bad := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("-%s: "+format, append([]any{name}, args...)...))
	}
	intIn := func(name string, min, max int) int {
		n, err := strconv.Atoi(get(name))
		if err != nil || n < min || n > max {
			bad(name, "%q must be a whole number from %d to %d", get(name), min, max)
		}
		return n
	}
	boolOf := func(name string) bool {
		b, err := strconv.ParseBool(get(name))
		if err != nil {
			bad(name, "%q must be true or false", get(name))
		}
		return b
	}
	c.Port = intIn("port", 0, 65535)
	c.Seed = boolOf("seed")
	c.Introspection = boolOf("introspection")
	c.APIKeys = list(get("api-keys"))
	c.CORSOrigins = list(get("cors-origins"))
	for _, k := range c.APIKeys {
		if len(k) < 16 {
			bad("api-keys", "each key must be at least 16 characters long")
			break
		}
	}
	if err := c.LogLevel.UnmarshalText([]byte(get("log-level"))); err != nil {
		bad("log-level", "%q must be debug, info, warn or error", get("log-level"))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("log-format", "%q must be text or json", c.LogFormat)
	}
	if c.DataDir == "" {
		bad("data-dir", "must not be empty")
	}
	c.MaxBodyBytes = int64(intIn("max-body-bytes", 1024, 1<<30))
	d, err := time.ParseDuration(get("request-timeout"))
	if err != nil || d <= 0 {
		bad("request-timeout", "%q must be a positive duration such as 10s", get("request-timeout"))
	}
	c.RequestTimeout = d
	c.MaxDepth = intIn("max-depth", 2, 100)
	c.MaxComplexity = intIn("max-complexity", 10, 10_000_000)
	c.MaxPageSize = intIn("max-page-size", 1, 10000)
	c.MaxImportBytes = int64(intIn("max-import-bytes", 1024, 1<<34))
	c.Neo4j = neo4jConfig{URI: get("neo4j-uri"), Username: get("neo4j-username"), Password: *values["neo4j-password"], Database: get("neo4j-database")}
	if c.Neo4j.PathSearch, err = neo4j.ParsePathSearch(get("neo4j-path-search")); err != nil {
		bad("neo4j-path-search", "%q must be cypher, cypher-unfiltered or go", get("neo4j-path-search"))
	}
	return c, fs.Args(), errors.Join(errs...)
}

func list(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// apiConfig turns the server configuration into the routes' configuration.
func (c *config) apiConfig(log *slog.Logger) api.Config {
	a := api.DefaultConfig
	a.APIKeys = c.APIKeys
	a.CORSOrigins = c.CORSOrigins
	a.MaxBodyBytes = c.MaxBodyBytes
	a.MaxImportBytes = c.MaxImportBytes
	a.RequestTimeout = c.RequestTimeout
	a.Logger = log
	a.GraphQL = graph.DefaultOptions
	a.GraphQL.Introspection = c.Introspection
	a.GraphQL.MaxDepth = c.MaxDepth
	a.GraphQL.MaxComplexity = c.MaxComplexity
	a.GraphQL.Limits.MaxPageSize = c.MaxPageSize
	return a
}
