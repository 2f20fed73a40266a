package graph

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/vjkg/vjkg/graph/model"
	"github.com/vjkg/vjkg/kg"
)

// Cursors are opaque to clients; inside they are the item's offset in the
// list ("o:41"). Offsets work the same on every backend (SKIP/LIMIT on
// Neo4j) and a list's order is total (ties broken by id), so pages neither
// overlap nor skip while the data is unchanged.
const cursorPrefix = "o:"

func encodeCursor(offset int) string {
	if offset >= 0 && offset < len(firstCursors) {
		return firstCursors[offset]
	}
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.Itoa(offset)))
}

// cursorAt returns a pointer to the cursor of offset: into firstCursors
// for the first offsets (read only, like every cursor the API hands out).
func cursorAt(offset int) *string {
	if offset >= 0 && offset < len(firstCursors) {
		return &firstCursors[offset]
	}
	c := encodeCursor(offset)
	return &c
}

// firstCursors are the cursors of the first offsets, made once: every
// edge of every page has one, most of them near the start of a list.
var firstCursors = func() []string {
	c := make([]string, 1024)
	for i := range c {
		c[i] = base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.Itoa(i)))
	}
	return c
}()

func decodeCursor(arg, c string) (int, error) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err == nil {
		if n, ok := strings.CutPrefix(string(raw), cursorPrefix); ok {
			if offset, err := strconv.Atoi(n); err == nil && offset >= 0 {
				return offset, nil
			}
		}
	}
	return 0, kg.Errorf(kg.EInvalid, "%s: %q is not a cursor from this API", arg, c)
}

// cut returns the window of a list whose total only the store knows: a
// page counted from the end asks count for the total first.
func (p page) cut(maxSize int, count func() (int, error)) (offset, limit int, err error) {
	total := -1
	if p.backward() {
		if _, _, err := p.window(maxSize, 0); err != nil {
			return 0, 0, err
		}
		if total, err = count(); err != nil {
			return 0, 0, err
		}
	}
	return p.window(maxSize, total)
}

// page holds a connection field's Relay arguments.
type page struct {
	first  *int
	after  *string
	last   *int
	before *string
}

// backward reports whether the page counts from its end (last without
// before), which needs the list's total to place it.
func (p page) backward() bool { return p.last != nil && p.before == nil }

// window turns the Relay arguments into an offset and a limit within a list
// of total items (total may be -1, unknown, unless p.backward()). first and
// last may not be combined; after and before may.
func (p page) window(maxSize, total int) (offset, limit int, err error) {
	if p.first != nil && p.last != nil {
		return 0, 0, kg.Errorf(kg.EInvalid, "give first (with after) or last (with before), not both")
	}
	for _, n := range []struct {
		name string
		v    *int
	}{{"first", p.first}, {"last", p.last}} {
		if n.v != nil && (*n.v < 0 || *n.v > maxSize) {
			return 0, 0, kg.Errorf(kg.EInvalid, "%s must be between 0 and %d, got %d", n.name, maxSize, *n.v)
		}
	}
	start, end := 0, total // end < 0: unknown
	if p.after != nil && *p.after != "" {
		last, err := decodeCursor("after", *p.after)
		if err != nil {
			return 0, 0, err
		}
		start = last + 1
	}
	if p.before != nil && *p.before != "" {
		b, err := decodeCursor("before", *p.before)
		if err != nil {
			return 0, 0, err
		}
		if end < 0 || b < end {
			end = b
		}
	}
	if end >= 0 && end < start {
		end = start
	}
	switch {
	case p.last != nil:
		offset = max(start, end-*p.last)
		return offset, end - offset, nil
	case p.first != nil:
		limit = *p.first
	default:
		limit = 20
	}
	if end >= 0 {
		limit = min(limit, end-start)
	}
	return start, limit, nil
}

func pageInfo(offset, count, total int) *model.PageInfo {
	p := pageInfoOf(offset, count, total)
	return &p
}

// pageInfoOf is pageInfo as a value, for callers that allocate many at
// once.
func pageInfoOf(offset, count, total int) model.PageInfo {
	p := model.PageInfo{HasPreviousPage: offset > 0, HasNextPage: offset+count < total}
	if count > 0 {
		p.StartCursor, p.EndCursor = cursorAt(offset), cursorAt(offset+count-1)
	}
	return p
}

// bounded checks an optional integer argument against [min, max] and returns
// it, or def when it is absent.
func bounded(name string, v *int, def, min, max int) (int, error) {
	if v == nil {
		return def, nil
	}
	if *v < min || *v > max {
		return 0, kg.Errorf(kg.EInvalid, "%s must be between %d and %d, got %d", name, min, max, *v)
	}
	return *v, nil
}
