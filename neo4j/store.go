// Package neo4j is kg.Store on Neo4j (a server, a cluster or Aura) through
// the official Go driver. Reads run in read transactions (routable to
// followers), writes in one write transaction per batch. The store connects
// in the background with backoff, so a server whose Neo4j is down starts,
// reports not ready, and serves as soon as Neo4j answers.
package neo4j

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
	"github.com/vjkg/vjkg/kg"
)

// Config says where Neo4j is and how to reach it.
type Config struct {
	URI      string // bolt://, bolt+s://, neo4j://, neo4j+s:// (…+ssc accepts self-signed certificates)
	Username string
	Password string
	Database string // empty: the server's default database
	// Timeout bounds connecting and acquiring a connection, so that requests
	// fail fast (UNAVAILABLE) while Neo4j is unreachable.
	Timeout time.Duration
	// MaxRetryTime bounds the driver's retries of a transaction.
	MaxRetryTime time.Duration
	// PathSearch says which shortest-path searches run as Cypher; the zero
	// value sends them all.
	PathSearch PathSearch
	Logger     *slog.Logger
}

// Store is the Neo4j kg.Store.
type Store struct {
	cfg    Config
	log    *slog.Logger
	driver driver.DriverWithContext
	ready  chan struct{} // closed once connected and the schema exists
	stop   context.CancelFunc
	done   chan struct{}

	mu      sync.Mutex
	lastErr error // why the store is not ready yet

	transactions, statements atomic.Int64 // sent to Neo4j, for round-trip reports
}

// Sent returns how many transactions and statements the store has sent to
// Neo4j. Each transaction is one BEGIN…COMMIT exchange; each statement one
// RUN and its PULL.
func (s *Store) Sent() (transactions, statements int64) {
	return s.transactions.Load(), s.statements.Load()
}

var _ kg.Store = (*Store)(nil)

var schemes = map[string]bool{"bolt": true, "bolt+s": true, "bolt+ssc": true, "neo4j": true, "neo4j+s": true, "neo4j+ssc": true}

// Open checks the configuration and starts connecting in the background. It
// returns an error only for configuration that can never work (a malformed
// URI); an unreachable server is retried with backoff, and the store answers
// UNAVAILABLE until it is reachable.
func Open(c Config) (*Store, error) {
	u, err := url.Parse(c.URI)
	if err != nil || !schemes[u.Scheme] || u.Host == "" {
		return nil, fmt.Errorf("NEO4J_URI %q: want bolt://host:7687, neo4j://host, neo4j+s://host (or bolt+s, bolt+ssc, neo4j+ssc)", c.URI)
	}
	if c.Timeout <= 0 {
		c.Timeout = 2 * time.Second
	}
	if c.MaxRetryTime <= 0 {
		c.MaxRetryTime = 2 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	auth := driver.NoAuth()
	if c.Username != "" {
		auth = driver.BasicAuth(c.Username, c.Password, "")
	}
	d, err := driver.NewDriverWithContext(c.URI, auth, func(cfg *config.Config) {
		cfg.SocketConnectTimeout = c.Timeout
		cfg.ConnectionAcquisitionTimeout = c.Timeout
		cfg.MaxTransactionRetryTime = c.MaxRetryTime
		cfg.ConnectionLivenessCheckTimeout = 30 * time.Second
	})
	if err != nil {
		return nil, fmt.Errorf("NEO4J_URI %q: %w", c.URI, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Store{cfg: c, log: c.Logger, driver: d, ready: make(chan struct{}), stop: cancel, done: make(chan struct{}),
		lastErr: kg.Errorf(kg.EUnavailable, "connecting to Neo4j at %s", redact(c.URI))}
	go s.connect(ctx)
	return s, nil
}

// redact drops any password from a URI before it is logged.
func redact(uri string) string {
	u, err := url.Parse(uri)
	if err != nil {
		return "(unparsable URI)"
	}
	return u.Redacted()
}

// connect tries until Neo4j answers and the schema is in place, waiting
// longer after each failure (1s, 2s, 4s … up to 30s).
func (s *Store) connect(ctx context.Context) {
	defer close(s.done)
	wait := time.Second
	for attempt := 1; ; attempt++ {
		err := s.setup(ctx)
		if err == nil {
			s.mu.Lock()
			s.lastErr = nil
			s.mu.Unlock()
			close(s.ready)
			s.log.Info("connected to Neo4j", "uri", redact(s.cfg.URI), "database", s.cfg.Database)
			return
		}
		err = translate(err)
		s.mu.Lock()
		s.lastErr = err
		s.mu.Unlock()
		s.log.Error("Neo4j is not available; retrying", "uri", redact(s.cfg.URI), "attempt", attempt,
			"retry_in", wait.String(), "reason", kg.ErrorMessage(err), "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 30*time.Second)
	}
}

// setup verifies connectivity and creates the constraints and indexes.
func (s *Store) setup(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout+s.cfg.MaxRetryTime)
	defer cancel()
	if err := s.driver.VerifyConnectivity(ctx); err != nil {
		return err
	}
	for _, st := range schemaStatements() {
		_, err := s.run(ctx, driver.AccessModeWrite, st, nil)
		var neoErr *driver.Neo4jError
		if err != nil && st.Optional && errors.As(err, &neoErr) && neoErr.Classification() == "ClientError" {
			s.log.Warn("Neo4j refused an optional index; reads work without it, only slower", "statement", st.Name, "reason", neoErr.Msg)
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: %w", st.Name, err)
		}
	}
	return nil
}

// Ready is closed once the store has connected and created its schema.
func (s *Store) Ready() <-chan struct{} { return s.ready }

// Ping implements kg.Store: UNAVAILABLE (with the reason) until connected,
// and whenever Neo4j stops answering.
func (s *Store) Ping(ctx context.Context) error {
	select {
	case <-s.ready:
	default:
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.lastErr
	}
	_, err := s.run(ctx, driver.AccessModeRead, stmtPing, nil)
	return err
}

// Wipe deletes every node and relationship of the database. It exists for
// test suites that run against a real Neo4j (NEO4J_TEST_URI) and need an
// empty database; nothing in the server calls it.
func (s *Store) Wipe(ctx context.Context) error {
	return s.tx(ctx, driver.AccessModeWrite, func(t driver.ManagedTransaction) error {
		_, err := s.collect(ctx, t, stmtWipe, nil)
		return err
	})
}

// Close stops connecting and closes the driver.
func (s *Store) Close() error {
	s.stop()
	<-s.done
	return s.driver.Close(context.Background())
}

// usable returns UNAVAILABLE while the store has not connected yet.
func (s *Store) usable() error {
	select {
	case <-s.ready:
		return nil
	default:
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.lastErr
	}
}

// translate turns driver errors into domain errors: what clients may see
// (UNAVAILABLE, CONFLICT) gets a code and a plain message; anything else
// stays an internal error whose details go only to the log.
func translate(err error) error {
	var (
		domain   *kg.Error
		neoErr   *driver.Neo4jError
		conn     *driver.ConnectivityError
		limit    *driver.TransactionExecutionLimit
		authFail *driver.InvalidAuthenticationError
		usage    *driver.UsageError
	)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &domain), errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return err
	case errors.As(err, &authFail):
		return kg.Errorf(kg.EUnavailable, "Neo4j refused the credentials (check NEO4J_USERNAME and NEO4J_PASSWORD)")
	case errors.As(err, &neoErr):
		switch {
		case neoErr.IsAuthenticationFailed() || neoErr.Code == "Neo.ClientError.Security.AuthenticationRateLimit":
			return kg.Errorf(kg.EUnavailable, "Neo4j refused the credentials (check NEO4J_USERNAME and NEO4J_PASSWORD)")
		case neoErr.Code == "Neo.ClientError.Database.DatabaseNotFound":
			return kg.Errorf(kg.EUnavailable, "Neo4j has no such database (check NEO4J_DATABASE)")
		case neoErr.Code == "Neo.ClientError.Schema.ConstraintValidationFailed":
			return kg.Errorf(kg.EConflict, "a record with this id already exists")
		case neoErr.Classification() == "TransientError":
			return kg.Errorf(kg.EUnavailable, "Neo4j is temporarily unavailable, try again")
		}
		return fmt.Errorf("neo4j: %w", err)
	case errors.As(err, &conn), errors.As(err, &limit), errors.As(err, &usage):
		return kg.Errorf(kg.EUnavailable, "Neo4j is unreachable")
	}
	return fmt.Errorf("neo4j: %w", err)
}
