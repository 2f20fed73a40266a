package graph

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/vjkg/vjkg/graph/model"
	"github.com/vjkg/vjkg/kg"
)

// The live change feed. One poller per process reads the history's last
// position while anyone subscribes, and wakes the subscribers when it
// moves; each subscriber then reads the changes after its own position
// from the store. Polling the store, rather than listening to this
// process's writes, is what lets several API processes over one Neo4j all
// see every change: a change is seen at most one poll interval after it
// commits, wherever it was written.

// Feed hands out subscriptions and polls for new changes. Close ends
// every subscription and waits for their goroutines, so that a server
// closes its store only after the last read.
type Feed struct {
	poll   time.Duration
	max    int
	logger *slog.Logger
	ctx    context.Context // ends with Close
	cancel context.CancelFunc
	wg     sync.WaitGroup // the poller and the subscriptions

	mu     sync.Mutex
	subs   int
	closed bool
	head   int64         // the last position seen
	wake   chan struct{} // closed when head moves
}

// NewFeed returns a feed that polls every poll interval for at most max
// subscribers.
func NewFeed(poll time.Duration, max int, logger *slog.Logger) *Feed {
	if logger == nil {
		logger = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Feed{poll: poll, max: max, logger: logger, ctx: ctx, cancel: cancel, wake: make(chan struct{})}
}

// Close ends every subscription and the poller, and waits for them.
func (f *Feed) Close() {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	f.cancel()
	f.wg.Wait()
}

// join counts a subscriber in, starting the poller for the first one; it
// fails with TOO_MANY_REQUESTS when the process has as many as it allows.
// The subscriber calls leave when it ends.
func (f *Feed) join(h kg.History) (leave func(), err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil, kg.Errorf(kg.EUnavailable, "the server is shutting down")
	}
	if f.subs >= f.max {
		return nil, kg.Errorf(CodeTooManyRequests, "the server has %d live subscriptions, as many as it allows: retry later", f.max)
	}
	f.subs++
	f.wg.Add(1)
	if f.subs == 1 {
		f.wg.Add(1)
		go f.run(h)
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			f.mu.Lock()
			f.subs--
			f.mu.Unlock()
			f.wg.Done()
		})
	}, nil
}

// run polls the last position until the last subscriber leaves or the
// feed closes.
func (f *Feed) run(h kg.History) {
	defer f.wg.Done()
	t := time.NewTicker(f.poll)
	defer t.Stop()
	for {
		select {
		case <-f.ctx.Done():
			return
		case <-t.C:
		}
		f.mu.Lock()
		if f.subs == 0 {
			f.mu.Unlock()
			return
		}
		f.mu.Unlock()
		ctx, cancel := context.WithTimeout(f.ctx, 5*time.Second)
		pos, err := h.LastPosition(ctx)
		cancel()
		if err != nil {
			if f.ctx.Err() == nil {
				f.logger.Warn("change feed: reading the last position", "err", err)
			}
			continue
		}
		f.mu.Lock()
		if pos > f.head {
			f.head = pos
			close(f.wake)
			f.wake = make(chan struct{})
		}
		f.mu.Unlock()
	}
}

// state returns the last position seen and the channel closed when it moves.
func (f *Feed) state() (int64, <-chan struct{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.head, f.wake
}

// subscribe answers Subscription.changes: the changes after since (after
// the last one committed when since is nil) that pass q, each once, in
// position order, until ctx ends.
func (r *Resolver) subscribe(ctx context.Context, since *int, q kg.ChangeQuery) (<-chan *model.Change, error) {
	h, err := r.history()
	if err != nil {
		return nil, err
	}
	var cursor int64
	if since != nil {
		if *since < 0 {
			return nil, kg.Errorf(kg.EInvalid, "since must not be negative, got %d", *since)
		}
		cursor = int64(*since)
	} else if cursor, err = h.LastPosition(ctx); err != nil {
		return nil, err
	}
	leave, err := r.feed.join(h)
	if err != nil {
		return nil, err
	}
	// The subscription ends with its request or with the feed.
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(r.feed.ctx, cancel)
	out := make(chan *model.Change, 16)
	go func() {
		defer leave()
		defer close(out)
		defer stop()
		defer cancel()
		for {
			head, wake := r.feed.state()
			if err := r.catchUp(ctx, h, q, &cursor, head, out); err != nil {
				if ctx.Err() == nil {
					r.feed.logger.Warn("change feed: reading changes", "err", err)
				}
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-wake:
			}
		}
	}()
	return out, nil
}

// catchUp sends the changes after *cursor that pass q, moving *cursor past
// them; head, read before, is a position every change up to which has
// committed, so the cursor may move past it even when q skips them all.
func (r *Resolver) catchUp(ctx context.Context, h kg.History, q kg.ChangeQuery, cursor *int64, head int64, out chan<- *model.Change) error {
	const page = 100
	for {
		q.After, q.Limit = *cursor, page
		p, err := h.Changes(ctx, q)
		if err != nil {
			return err
		}
		for _, c := range p.Changes {
			select {
			case out <- &model.Change{Change: c}:
				*cursor = c.Pos
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if p.More == 0 {
			*cursor = max(*cursor, head)
			return nil
		}
		*cursor = max(*cursor, p.More)
	}
}
