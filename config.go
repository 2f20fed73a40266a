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
	Host      string
	Port      int
	DataDir   string
	Seed      bool
	LogLevel  slog.Level
	LogFormat string
	PprofAddr string
	// API is what the routes are given: keys, origins and every limit.
	API   api.Config
	Neo4j neo4jConfig
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

// defaults is where every limit's default comes from: the packages' own
// defaults, so that a limit is set in one place.
var defaults = api.DefaultConfig

var settings = []setting{
	{"host", "HOST", "", "interface to listen on (empty: all)"},
	{"port", "PORT", "8080", "port to listen on (0: any free port)"},
	{"data-dir", "DATA_DIR", "./data", "directory of the embedded store"},
	{"seed", "SEED", "true", "load the seed dataset into an empty store at start"},
	{"api-keys", "API_KEYS", "", "comma-separated API keys allowed to call mutations and imports and make large exports, each as name:key (the name is what revisions record) or a bare key (named key-1, key-2, …)"},
	{"cors-origins", "CORS_ORIGINS", "", `comma-separated browser origins allowed to call the API ("*" for any)`},
	{"log-level", "LOG_LEVEL", "info", "debug, info, warn or error"},
	{"log-format", "LOG_FORMAT", "text", "text or json"},
	{"introspection", "INTROSPECTION", "true", "answer GraphQL introspection queries"},
	{"direct", "DIRECT", "true", "answer the common read queries with the direct executor (false: gqlgen's executor answers every query)"},
	{"max-body-bytes", "MAX_BODY_BYTES", itoa(defaults.MaxBodyBytes), "largest request body accepted"},
	{"request-timeout", "REQUEST_TIMEOUT", duration(defaults.RequestTimeout), "longest a GraphQL request may run"},
	{"max-depth", "MAX_DEPTH", itoa(defaults.GraphQL.Document.MaxDepth), "deepest GraphQL selection allowed"},
	{"max-complexity", "MAX_COMPLEXITY", itoa(defaults.GraphQL.MaxComplexity), "highest GraphQL query complexity allowed"},
	{"max-page-size", "MAX_PAGE_SIZE", itoa(defaults.GraphQL.Limits.MaxPageSize), "largest `first` a list accepts"},
	{"max-import-bytes", "MAX_IMPORT_BYTES", itoa(defaults.MaxImportBytes), "largest upload POST /import accepts"},
	{"max-tokens", "MAX_TOKENS", itoa(defaults.GraphQL.Document.MaxTokens), "most lexical tokens a GraphQL document may have"},
	{"max-fields", "MAX_FIELDS", itoa(defaults.GraphQL.Document.MaxFields), "most fields a GraphQL operation may select, a fragment's fields counted at each spread"},
	{"max-aliases", "MAX_ALIASES", itoa(defaults.GraphQL.Document.MaxAliases), "most aliased fields a GraphQL document may have"},
	{"query-cache-bytes", "QUERY_CACHE_BYTES", itoa(defaults.GraphQL.QueryCacheBytes), "memory for parsed GraphQL documents and persisted queries"},
	{"max-response-bytes", "MAX_RESPONSE_BYTES", itoa(defaults.MaxResponseBytes), "largest GraphQL response sent"},
	{"export-timeout", "EXPORT_TIMEOUT", duration(defaults.ExportTimeout), "longest an export may take to be written"},
	{"import-timeout", "IMPORT_TIMEOUT", duration(defaults.ImportTimeout), "longest an upload may take to arrive, and then its import job to run"},
	{"max-expensive", "MAX_EXPENSIVE", itoa(defaults.MaxExpensive), "most exports, import jobs and network-measure queries running at once"},
	{"anonymous-export-limit", "ANONYMOUS_EXPORT_LIMIT", itoa(defaults.AnonymousExportLimit), "most entities an export without an API key may hold"},
	{"rate-limit", "RATE_LIMIT", "0", "requests per second one client may make (0: no limit)"},
	{"rate-burst", "RATE_BURST", itoa(defaults.RateBurst), "requests one client may make at once beyond its rate"},
	{"history-poll", "HISTORY_POLL", duration(defaults.GraphQL.HistoryPoll), "how often live subscriptions look for new changes: the most a change waits to be pushed"},
	{"max-subscriptions", "MAX_SUBSCRIPTIONS", itoa(defaults.GraphQL.MaxSubscriptions), "most live subscriptions the server holds at once"},
	{"pprof", "PPROF_ADDR", "", "serve net/http/pprof on this address, such as 127.0.0.1:6060 (empty: off)"},
	{"neo4j-uri", "NEO4J_URI", "", "use Neo4j at this URI (bolt://, neo4j://, neo4j+s://) instead of the embedded store"},
	{"neo4j-username", "NEO4J_USERNAME", "neo4j", "Neo4j user"},
	{"neo4j-password", "NEO4J_PASSWORD", "", "Neo4j password"},
	{"neo4j-database", "NEO4J_DATABASE", "", "Neo4j database (empty: the server's default)"},
	{"neo4j-path-search", "NEO4J_PATH_SEARCH", "cypher", "shortest paths on Neo4j: cypher (one statement), cypher-unfiltered (in Go when filtered by day or kinds) or go"},
}

func itoa[T int | int64](n T) string { return strconv.FormatInt(int64(n), 10) }

// duration writes d as people write it: 10s, 5m, 30m.
func duration(d time.Duration) string {
	s := d.String()
	s = strings.TrimSuffix(s, "m0s")
	if s != d.String() {
		s += "m"
	}
	return strings.Replace(s, "h0m", "h", 1)
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

	c := &config{Host: get("host"), DataDir: get("data-dir"), LogFormat: get("log-format"), API: defaults}
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
	durationOf := func(name string) time.Duration {
		d, err := time.ParseDuration(get(name))
		if err != nil || d <= 0 {
			bad(name, "%q must be a positive duration such as 10s", get(name))
		}
		return d
	}
	c.PprofAddr = get("pprof")
	c.Port = intIn("port", 0, 65535)
	c.Seed = boolOf("seed")
	if err := c.LogLevel.UnmarshalText([]byte(get("log-level"))); err != nil {
		bad("log-level", "%q must be debug, info, warn or error", get("log-level"))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("log-format", "%q must be text or json", c.LogFormat)
	}
	if c.DataDir == "" {
		bad("data-dir", "must not be empty")
	}
	a := &c.API
	a.APIKeys = list(get("api-keys"))
	a.CORSOrigins = list(get("cors-origins"))
	names := map[string]bool{}
	for i, entry := range a.APIKeys {
		name, k := api.SplitKey(entry, i+1)
		if len(k) < 16 {
			bad("api-keys", "each key must be at least 16 characters long")
			break
		}
		if names[name] {
			bad("api-keys", "the name %q is given to two keys", name)
			break
		}
		names[name] = true
	}
	a.MaxBodyBytes = int64(intIn("max-body-bytes", 1024, 1<<30))
	a.RequestTimeout = durationOf("request-timeout")
	a.MaxImportBytes = int64(intIn("max-import-bytes", 1024, 1<<34))
	a.MaxResponseBytes = int64(intIn("max-response-bytes", 1<<16, 1<<34))
	a.ExportTimeout = durationOf("export-timeout")
	a.ImportTimeout = durationOf("import-timeout")
	a.MaxExpensive = intIn("max-expensive", 1, 1000)
	a.AnonymousExportLimit = intIn("anonymous-export-limit", 0, 1<<31-1)
	a.RateBurst = intIn("rate-burst", 1, 1_000_000)
	if r, err := strconv.ParseFloat(get("rate-limit"), 64); err != nil || r < 0 || r > 1e6 {
		bad("rate-limit", "%q must be a number of requests per second (0: no limit)", get("rate-limit"))
	} else {
		a.RateLimit = r
	}
	q := &a.GraphQL
	q.Introspection = boolOf("introspection")
	q.Direct = boolOf("direct")
	q.Document = graph.DocumentLimits{MaxTokens: intIn("max-tokens", 100, 1_000_000), MaxFields: intIn("max-fields", 10, 100_000),
		MaxAliases: intIn("max-aliases", 0, 100_000), MaxDepth: intIn("max-depth", 2, 100)}
	q.MaxComplexity = intIn("max-complexity", 10, 10_000_000)
	q.Limits.MaxPageSize = intIn("max-page-size", 1, 10000)
	q.QueryCacheBytes = int64(intIn("query-cache-bytes", 1<<20, 1<<34))
	q.HistoryPoll = durationOf("history-poll")
	q.MaxSubscriptions = intIn("max-subscriptions", 0, 100_000)
	c.Neo4j = neo4jConfig{URI: get("neo4j-uri"), Username: get("neo4j-username"), Password: *values["neo4j-password"], Database: get("neo4j-database")}
	var err error
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

// apiConfig returns the routes' configuration, logging to log.
func (c *config) apiConfig(log *slog.Logger) api.Config {
	a := c.API
	a.Logger = log
	return a
}
