package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/vjkg/vjkg/graph"
	"github.com/vjkg/vjkg/importer"
	"github.com/vjkg/vjkg/kg"
	"github.com/vjkg/vjkg/seed"
)

// An import runs as a job: POST /import reads the upload and answers 202
// with the job's id at once; the job checks and writes in the background,
// with its own time limit (ImportTimeout), and GET /import/{id} reports its
// progress and then its summary or its problems. A large import so never
// depends on one HTTP response outliving the server's write timeout.

// Job states, in the order a job goes through them.
const (
	jobChecking  = "checking"  // parsing and validating against the store
	jobImporting = "importing" // writing, batch by batch
	jobDone      = "done"      // written: see the summary
	jobInvalid   = "invalid"   // refused: see the problems; nothing was written
	jobFailed    = "failed"    // stopped by an error or the time limit; batches written before it stay
)

// The server remembers the last keepJobs jobs, finished ones for keepJobsFor,
// and reports at most maxProblems problems of an invalid one: memory for
// reports stays bounded however many imports are sent.
const (
	keepJobs    = 100
	keepJobsFor = time.Hour
	maxProblems = 1000
)

type job struct {
	mu       sync.Mutex
	id       string
	state    string
	done     int
	total    int
	summary  importer.Summary
	problems seed.Problems
	nProblem int
	err      error
	started  time.Time
	finished time.Time
}

// jobs are the import jobs the server remembers.
type jobs struct {
	s   kg.Store
	log *slog.Logger

	mu   sync.Mutex
	byID map[string]*job
	ids  []string // oldest first
}

func newJobs(s kg.Store, log *slog.Logger) *jobs {
	return &jobs{s: s, log: log, byID: map[string]*job{}}
}

// start runs an import of files as a new job; release is called when it
// ends.
func (js *jobs) start(files []seed.File, note kg.Note, timeout time.Duration, release func()) *job {
	var b [8]byte
	rand.Read(b[:])
	j := &job{id: hex.EncodeToString(b[:]), state: jobChecking, started: time.Now()}
	js.mu.Lock()
	js.forget()
	js.byID[j.id] = j
	js.ids = append(js.ids, j.id)
	js.mu.Unlock()
	// files is handed over as an argument, not captured, so that run can
	// let the upload go once it is parsed.
	go func(files []seed.File) {
		defer release()
		ctx, cancel := context.WithTimeout(kg.WithNote(context.Background(), note), timeout)
		defer cancel()
		js.run(ctx, j, files)
	}(files)
	return j
}

// forget drops the oldest jobs beyond keepJobs and finished ones older than
// keepJobsFor. The caller holds js.mu.
func (js *jobs) forget() {
	for len(js.ids) > 0 {
		j := js.byID[js.ids[0]]
		j.mu.Lock()
		old := !j.finished.IsZero() && time.Since(j.finished) > keepJobsFor
		j.mu.Unlock()
		if len(js.ids) < keepJobs && !old {
			return
		}
		delete(js.byID, js.ids[0])
		js.ids = js.ids[1:]
	}
}

func (js *jobs) get(id string) *job {
	js.mu.Lock()
	defer js.mu.Unlock()
	return js.byID[id]
}

func (js *jobs) run(ctx context.Context, j *job, files []seed.File) {
	finish := func(state string, err error) {
		j.mu.Lock()
		j.state, j.err, j.finished = state, err, time.Now()
		j.mu.Unlock()
	}
	// A job runs outside any request, where a panic would end the process:
	// the parsers have panicked on hostile input (see TestImportJobSurvivesPanic).
	defer func() {
		if p := recover(); p != nil {
			js.log.ErrorContext(ctx, "import job panicked", "job", j.id, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			finish(jobFailed, errors.New("the import panicked"))
		}
	}()
	in := importer.Files(files...)
	count, err := importer.Check(ctx, js.s, in...)
	var problems seed.Problems
	switch {
	case errors.As(err, &problems):
		j.mu.Lock()
		j.nProblem = len(problems)
		j.problems = problems[:min(len(problems), maxProblems)]
		j.mu.Unlock()
		finish(jobInvalid, nil)
		return
	case err != nil:
		js.log.ErrorContext(ctx, "import check failed", "job", j.id, "err", err)
		finish(jobFailed, err)
		return
	}
	j.mu.Lock()
	j.state = jobImporting
	j.mu.Unlock()
	sum, err := importer.Import(ctx, js.s, in, importer.Options{Total: count.Total(), Entities: count.Entities, Relationships: count.Relationships, Progress: func(done, total int) {
		j.mu.Lock()
		j.done, j.total = done, total
		j.mu.Unlock()
	}})
	if err != nil {
		js.log.ErrorContext(ctx, "import failed", "job", j.id, "err", err)
		finish(jobFailed, err)
		return
	}
	js.log.InfoContext(ctx, "import", "job", j.id, "summary", sum.String())
	j.mu.Lock()
	j.summary = sum
	j.mu.Unlock()
	finish(jobDone, nil)
}

// report is what GET /import/{id} answers.
func (j *job) report() map[string]any {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := map[string]any{"id": j.id, "state": j.state, "done": j.done, "total": j.total,
		"startedAt": j.started.UTC().Format(time.RFC3339)}
	if !j.finished.IsZero() {
		out["finishedAt"] = j.finished.UTC().Format(time.RFC3339)
	}
	switch j.state {
	case jobDone:
		out["summary"] = j.summary.String()
		out["sources"], out["entities"], out["relationships"] = j.summary.Sources, j.summary.Entities, j.summary.Relationships
		out["batches"] = j.summary.Batches
		if j.summary.Revision != 0 {
			out["revision"] = j.summary.Revision
		}
	case jobInvalid:
		errs := make([]map[string]any, len(j.problems))
		for i, p := range j.problems {
			errs[i] = map[string]any{"message": p.String(), "extensions": map[string]any{"code": kg.EInvalid,
				"file": p.File, "line": p.Line, "record": p.Record, "field": p.Field, "reason": p.Reason}}
		}
		out["errors"], out["problemCount"] = errs, j.nProblem
	case jobFailed:
		code, msg := kg.ErrorCode(j.err), kg.ErrorMessage(j.err)
		if errors.Is(j.err, context.DeadlineExceeded) {
			code, msg = kg.ETimeout, "the import took longer than the server allows (IMPORT_TIMEOUT); the batches written before stay, and importing the same files again completes it"
		}
		out["errors"] = []map[string]any{{"message": msg, "extensions": map[string]any{"code": code}}}
	}
	return out
}

// importHandler serves POST /import: seed-format YAML and CSV files, as
// multipart/form-data (any number of files) or as the request body with
// ?name=file.csv. It needs an API key and one of the expensive slots. The
// upload has ImportTimeout to arrive (the server's read timeout is for
// ordinary requests); then the answer is 202 with the job's id, and the
// job reports at GET /import/{id}.
func importHandler(js *jobs, expensive *slots, c Config) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !graph.Authenticated(r.Context()) {
			writeRefusal(w, kg.EUnauthenticated, "imports need an API key: send Authorization: Bearer <key>")
			return
		}
		if r.ContentLength > c.MaxImportBytes {
			writeRefusal(w, graph.CodePayloadTooLarge, tooLarge("upload", c.MaxImportBytes))
			return
		}
		note := kg.Note{Actor: graph.Actor(r.Context()), Message: strings.TrimSpace(r.URL.Query().Get("message"))}
		if err := kg.CheckNote(note); err != nil {
			writeError(w, err)
			return
		}
		release, ok := expensive.tryAcquire()
		if !ok {
			busy(w)
			return
		}
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(c.ImportTimeout))
		files, err := readUploads(w, r, c.MaxImportBytes)
		if err != nil {
			release()
			writeError(w, err)
			return
		}
		j := js.start(files, note, c.ImportTimeout, release)
		w.Header().Set("Location", "/import/"+j.id)
		writeJSON(w, http.StatusAccepted, j.report())
	})
}

// jobHandler serves GET /import/{id}: a job's progress, then its summary or
// problems. Like imports, it needs an API key.
func jobHandler(js *jobs) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !graph.Authenticated(r.Context()) {
			writeRefusal(w, kg.EUnauthenticated, "import jobs need an API key: send Authorization: Bearer <key>")
			return
		}
		j := js.get(r.PathValue("id"))
		if j == nil {
			writeRefusal(w, kg.ENotFound, "no import job "+graph.Truncate(r.PathValue("id"), 40)+" (the server keeps the last 100, for an hour)")
			return
		}
		writeJSON(w, http.StatusOK, j.report())
	})
}

func readUploads(w http.ResponseWriter, r *http.Request, maxBytes int64) ([]seed.File, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBytes)
	readErr := func(err error) error {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &kg.Error{Code: graph.CodePayloadTooLarge, Message: tooLarge("upload", maxBytes)}
		}
		return kg.Errorf(kg.EInvalid, "cannot read the upload: %v", err)
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		mr, err := r.MultipartReader()
		if err != nil {
			return nil, kg.Errorf(kg.EInvalid, "bad multipart body: %v", err)
		}
		var files []seed.File
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, readErr(err)
			}
			if part.FileName() == "" {
				continue
			}
			data, err := io.ReadAll(part)
			if err != nil {
				return nil, readErr(err)
			}
			files = append(files, seed.File{Name: part.FileName(), Data: data})
		}
		if len(files) == 0 {
			return nil, kg.Errorf(kg.EInvalid, "no files in the upload")
		}
		return files, nil
	}
	name := r.URL.Query().Get("name")
	if name == "" {
		return nil, kg.Errorf(kg.EInvalid, "send files as multipart/form-data, or the body with ?name=nodes.csv (or .yaml)")
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, readErr(err)
	}
	return []seed.File{{Name: name, Data: data}}, nil
}
