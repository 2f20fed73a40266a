// Package nornic runs NornicDB, the Bolt-speaking Go graph database the
// tests use in place of Neo4j, as a child process on free ports of
// 127.0.0.1 with a throwaway data directory. scripts/nornicdb.sh builds the
// pinned binary and caches it; tests find it through NORNICDB_BIN.
package nornic

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// EnvBinary names the environment variable that holds the binary's path.
const EnvBinary = "NORNICDB_BIN"

// Binary returns the NornicDB binary to run, and whether there is one.
func Binary() (string, bool) {
	bin := os.Getenv(EnvBinary)
	if bin == "" {
		return "", false
	}
	_, err := os.Stat(bin)
	return bin, err == nil
}

// Server is one NornicDB process.
type Server struct {
	bin, dir  string
	bolt      int
	http      int
	telemetry int
	password  string // "" runs without authentication
	cmd       *exec.Cmd
	log       *os.File
}

// Options change how the server starts.
type Options struct {
	// Password turns authentication on, for user "admin".
	Password string
	// BoltPort is the port to listen on; 0 picks a free one.
	BoltPort int
	// Later creates the server without starting it; call Restart to start.
	Later bool
}

// Start starts a server and stops it when the test ends.
func Start(tb testing.TB, o Options) *Server {
	tb.Helper()
	bin, ok := Binary()
	if !ok {
		tb.Fatalf("%s is not set to a NornicDB binary (run scripts/nornicdb.sh)", EnvBinary)
	}
	s := &Server{bin: bin, dir: tb.TempDir(), bolt: o.BoltPort, http: FreePort(tb), telemetry: FreePort(tb), password: o.Password}
	if s.bolt == 0 {
		s.bolt = FreePort(tb)
	}
	tb.Cleanup(s.Stop)
	if o.Later {
		return s
	}
	if err := s.start(); err != nil {
		tb.Fatal(err)
	}
	return s
}

// FreePort returns a port of 127.0.0.1 that nothing listens on.
func FreePort(tb testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func (s *Server) start() error {
	args := []string{"serve", "--data-dir", filepath.Join(s.dir, "data"), "--address", "127.0.0.1",
		"--bolt-port", strconv.Itoa(s.bolt), "--http-port", strconv.Itoa(s.http), "--headless",
		"--mcp-enabled=false", "--embedding-enabled=false"}
	if s.password == "" {
		args = append(args, "--no-auth")
	} else {
		args = append(args, "--admin-password", s.password)
	}
	log, err := os.OpenFile(filepath.Join(s.dir, "nornicdb.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	s.log = log
	s.cmd = exec.Command(s.bin, args...)
	s.cmd.Dir = s.dir
	s.cmd.Stdout, s.cmd.Stderr = log, log
	dieWithParent(s.cmd)
	// NornicDB serves telemetry on *:9090 unless told otherwise.
	s.cmd.Env = append(os.Environ(), "NORNICDB_TELEMETRY_LISTEN=127.0.0.1:"+strconv.Itoa(s.telemetry))
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("start NornicDB: %w", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", s.Addr(), 200*time.Millisecond); err == nil {
			c.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.Stop()
	logs, _ := os.ReadFile(filepath.Join(s.dir, "nornicdb.log"))
	return fmt.Errorf("NornicDB did not listen on %s within 30s:\n%s", s.Addr(), logs)
}

// Addr is the Bolt address, host:port.
func (s *Server) Addr() string { return "127.0.0.1:" + strconv.Itoa(s.bolt) }

// URI is the bolt:// URI of the server.
func (s *Server) URI() string { return "bolt://" + s.Addr() }

// Stop stops the server (SIGTERM, then SIGKILL after 10s) and waits for it.
func (s *Server) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	cmd := s.cmd
	s.cmd = nil
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
	}
	s.log.Close()
}

// Restart starts the server (again) on the same ports and data directory.
func (s *Server) Restart() error {
	s.Stop()
	return s.start()
}

// Kill stops the server with SIGKILL, as a crash would.
func (s *Server) Kill() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Kill()
	s.cmd.Wait()
	s.cmd = nil
	s.log.Close()
}

// lookupIndexes are what NornicDB needs to find an entity or a source by id
// without reading every node of the label. Neo4j backs each uniqueness
// constraint with an index (and may refuse a second index on the same
// property, so the backend does not create these); NornicDB v1.2.2 does not,
// and its lookups by id scan the label: 4 ms for one id among 200 entities,
// and an import of 20,000 entities stalls on its relationships.
var lookupIndexes = []string{
	"CREATE INDEX standin_entity_id IF NOT EXISTS FOR (n:Entity) ON (n.id)",
	"CREATE INDEX standin_source_id IF NOT EXISTS FOR (n:Source) ON (n.id)",
}

// AddLookupIndexes creates the indexes NornicDB needs to look entities and
// sources up by id at an index's speed, as Neo4j does through its
// constraints. It changes how fast the server answers, not what.
func AddLookupIndexes(ctx context.Context, uri string) error {
	d, err := neo4j.NewDriverWithContext(uri, neo4j.NoAuth())
	if err != nil {
		return err
	}
	defer d.Close(ctx)
	for _, cypher := range lookupIndexes {
		if _, err := neo4j.ExecuteQuery(ctx, d, cypher, nil, neo4j.EagerResultTransformer); err != nil {
			return fmt.Errorf("%s: %w", cypher, err)
		}
	}
	return nil
}
