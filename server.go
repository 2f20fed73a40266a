// Command vjkg serves the Vietnam–Japan cooperation knowledge graph over
// GraphQL. With no configuration it keeps the graph in an embedded store in
// ./data, seeds it from the two source articles on first start, and listens
// on :8080.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/vjkg/vjkg/api"
	"github.com/vjkg/vjkg/embedded"
	"github.com/vjkg/vjkg/graph"
	"github.com/vjkg/vjkg/internal/heaplimit"
	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/neo4j"
	"github.com/vjkg/vjkg/seed"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// A large graph's live heap is mostly index: collect it at 1.5× live
	// rather than GOGC's 2× (GOMEMLIMIT or GOGC, when set, stand).
	heaplimit.Follow(ctx, os.Getenv)
	if err := dispatch(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "vjkg:", err)
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

// dispatch runs the subcommand args name: serve (the default), import,
// export, check, generate, coverage or history.
func dispatch(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return run(ctx, args, getenv, stderr, nil)
	case "import":
		return runImport(ctx, args, getenv, stdout, stderr)
	case "export":
		return runExport(ctx, args, getenv, stdout, stderr)
	case "check":
		return runCheck(args, stdout, stderr)
	case "generate":
		return runGenerate(args, stdout, stderr)
	case "coverage":
		return runCoverage(args, stdout, stderr)
	case "history":
		return runHistory(ctx, args, getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "vjkg: unknown command %q\n\n%s", cmd, usage)
	return errUsage
}

const usage = `usage:
  vjkg [serve] [flags]           serve the GraphQL API (go run . -h lists the flags)
  vjkg import [flags] FILE...    validate, then import seed-format YAML or CSV files into the store
  vjkg export [flags]            write the graph, or part of it, as GraphML, GEXF, Cytoscape JSON or CSV
  vjkg check FILE...             validate seed-format YAML or CSV files without a store
  vjkg generate -out DIR [flags] write a synthetic graph (sources.csv, nodes.csv, edges.csv) to import
  vjkg coverage [-o FILE]        report which records cite each sentence of the seed articles (docs/seed-coverage.md)
  vjkg history compact -before DATE [flags]
                                 delete the revisions (and their changes) that began before DATE (YYYY-MM-DD, UTC)
`

// run starts the server and blocks until ctx is done, then shuts down
// gracefully. If listening is not nil, it receives the address the server
// listens on (useful with -port 0).
func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, listening chan<- string) error {
	cfg, _, err := parseConfig("vjkg serve", args, getenv, stderr, nil, false)
	if err != nil {
		fmt.Fprintln(stderr, "vjkg: configuration:", err)
		return errUsage
	}
	log := newLogger(cfg, stderr)

	store, ready, err := openStore(cfg, log)
	if err != nil {
		return err
	}
	defer store.Close()
	// Folding text (name filters, search, the size estimates of lists)
	// builds its table on first use: built now, once the store has loaded
	// (not beside it, on the same cores), rather than by the first request,
	// which waited 0.6 s for it.
	go kg.PrepareFold()
	// /readyz stays "unavailable" until the seed dataset is in, so that a
	// load balancer sends no traffic to a server with an empty graph.
	var seeding gate
	if cfg.Seed {
		seeding.set(kg.Errorf(kg.EUnavailable, "loading the seed dataset"))
		seedIfEmpty := func() error {
			seeded, err := seed.SeedIfEmpty(ctx, store)
			if seeded {
				log.Info("store was empty: loaded the seed dataset")
			}
			return err
		}
		select {
		case <-ready: // the embedded store: seed before serving
			if err := seedIfEmpty(); err != nil {
				return fmt.Errorf("seed: %w", err)
			}
			seeding.set(nil)
		default: // Neo4j not reachable yet: serve (not ready) and seed once it answers
			go func() {
				select {
				case <-ready:
				case <-ctx.Done():
					return
				}
				for {
					err := seedIfEmpty()
					if err == nil {
						seeding.set(nil)
						return
					}
					log.Error("seeding failed; retrying in 5s", "err", err)
					seeding.set(kg.Errorf(kg.EUnavailable, "loading the seed dataset failed: %s", kg.ErrorMessage(err)))
					select {
					case <-time.After(5 * time.Second):
					case <-ctx.Done():
						return
					}
				}
			}()
		}
	}
	if len(cfg.API.APIKeys) == 0 {
		log.Warn("no API keys configured (API_KEYS): mutations are refused")
	}
	// Live subscriptions end before the store closes (defers run last
	// first).
	feed := graph.NewFeed(cfg.API.GraphQL.HistoryPoll, cfg.API.GraphQL.MaxSubscriptions, log)
	defer feed.Close()
	cfg.API.GraphQL.Feed = feed

	if cfg.PprofAddr != "" {
		if err := servePprof(ctx, cfg.PprofAddr, log); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port)))
	if err != nil {
		return err
	}
	apiConfig := withReady(cfg.apiConfig(log), seeding.get)
	// A level is gathered in order (graph/cohort.go), not by waiting for
	// concurrent resolvers: on a loaded machine a wait of a millisecond
	// split a level over Neo4j into two round trips. Unless -direct is
	// false, the common read shapes are answered directly (graph/direct.go).
	apiConfig.GraphQL.InOrder = true
	srv := api.NewHTTPServer(api.New(store, apiConfig), apiConfig)
	log.Info("listening", "addr", ln.Addr().String(), "graphql", "/graphql", "graphiql", "/")
	if listening != nil {
		listening <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// openStore opens Neo4j when a URI is configured and the embedded store
// otherwise. ready is closed once the store can serve.
func openStore(cfg *config, log *slog.Logger) (kg.Store, <-chan struct{}, error) {
	if cfg.Neo4j.URI != "" {
		s, err := neo4j.Open(neo4j.Config{URI: cfg.Neo4j.URI, Username: cfg.Neo4j.Username, Password: cfg.Neo4j.Password,
			Database: cfg.Neo4j.Database, PathSearch: cfg.Neo4j.PathSearch, Logger: log})
		if err != nil {
			return nil, nil, err
		}
		log.Info("using Neo4j", "uri", cfg.Neo4j.URI, "database", cfg.Neo4j.Database)
		return s, s.Ready(), nil
	}
	built := heaplimit.WhileBuilding(os.Getenv)
	s, err := embedded.Open(cfg.DataDir)
	built()
	if err != nil {
		return nil, nil, err
	}
	log.Info("embedded store open", "dir", cfg.DataDir)
	ready := make(chan struct{})
	close(ready)
	return s, ready, nil
}

// gate holds why the server is not ready yet (nil once it is).
type gate struct {
	mu  sync.Mutex
	err error
}

func (g *gate) set(err error) {
	g.mu.Lock()
	g.err = err
	g.mu.Unlock()
}

func (g *gate) get(context.Context) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.err
}

func withReady(c api.Config, ready func(context.Context) error) api.Config {
	c.Ready = ready
	return c
}

func newLogger(cfg *config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// servePprof serves the profiler on its own listener, never on the API's
// port: profiles show the code and the data passing through it.
func servePprof(ctx context.Context, addr string, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("pprof: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	log.Info("pprof listening", "addr", ln.Addr().String())
	return nil
}
