package api

import (
	"container/list"
	"crypto/sha256"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vjkg/vjkg/graph"
)

// slots bound the expensive work running at once: exports, import jobs and
// network measures. A request that finds none free is refused at once
// (429) rather than queued, so that waiting clients hold no memory.
type slots struct{ free chan struct{} }

func newSlots(n int) *slots {
	s := &slots{free: make(chan struct{}, max(n, 1))}
	for range cap(s.free) {
		s.free <- struct{}{}
	}
	return s
}

// tryAcquire takes a slot if one is free; release gives it back (once).
func (s *slots) tryAcquire() (release func(), ok bool) {
	select {
	case <-s.free:
		var once sync.Once
		return func() { once.Do(func() { s.free <- struct{}{} }) }, true
	default:
		return nil, false
	}
}

// busy answers a request that found no free slot.
func busy(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "5")
	writeRefusal(w, graph.CodeTooManyRequests, "the server is running as many exports, imports and network measures as it allows: retry in a few seconds")
}

// rateLimiter is a token bucket per client: rate tokens a second, up to
// burst. It remembers at most maxClients clients, forgetting the least
// recently seen, so that many clients cannot grow its memory without bound.
type rateLimiter struct {
	mu         sync.Mutex
	rate       float64
	burst      float64
	maxClients int
	order      *list.List // front: most recently seen
	clients    map[string]*list.Element
	now        func() time.Time
}

type bucket struct {
	client string
	tokens float64
	at     time.Time
}

func newRateLimiter(rate float64, burst, maxClients int) *rateLimiter {
	return &rateLimiter{rate: rate, burst: float64(max(burst, 1)), maxClients: maxClients,
		order: list.New(), clients: map[string]*list.Element{}, now: time.Now}
}

// allow takes a token from client's bucket; when there is none it says how
// long until there is.
func (l *rateLimiter) allow(client string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	el, ok := l.clients[client]
	if !ok {
		if l.order.Len() >= l.maxClients {
			oldest := l.order.Back()
			delete(l.clients, oldest.Value.(*bucket).client)
			l.order.Remove(oldest)
		}
		el = l.order.PushFront(&bucket{client: client, tokens: l.burst, at: now})
		l.clients[client] = el
	}
	l.order.MoveToFront(el)
	b := el.Value.(*bucket)
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// rateLimit refuses a client's requests beyond its rate with 429 and
// Retry-After. A client is its API key when it sends a valid one (so that
// clients behind one proxy can be told apart), else its IP address. Health
// probes are not counted.
func rateLimit(l *rateLimiter, keys []apiKey, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
			next.ServeHTTP(w, r)
			return
		}
		ok, wait := l.allow(clientOf(r, keys))
		if !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			writeRefusal(w, graph.CodeTooManyRequests, "too many requests from this client: retry after the time in Retry-After")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func clientOf(r *http.Request, keys []apiKey) string {
	if token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && validKey(keys, token) {
		sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
		return "key:" + string(sum[:8])
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return "ip:" + r.RemoteAddr
	}
	return "ip:" + host
}
