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
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.Itoa(offset)))
}

func decodeCursor(c string) (int, error) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err == nil {
		if n, ok := strings.CutPrefix(string(raw), cursorPrefix); ok {
			if offset, err := strconv.Atoi(n); err == nil && offset >= 0 {
				return offset, nil
			}
		}
	}
	return 0, kg.Errorf(kg.EInvalid, "after: %q is not a cursor from this API", c)
}

// window turns first/after into an offset and a limit.
func window(first *int, after *string, max int) (offset, limit int, err error) {
	limit = 20
	if first != nil {
		limit = *first
	}
	if limit < 0 || limit > max {
		return 0, 0, kg.Errorf(kg.EInvalid, "first must be between 0 and %d, got %d", max, limit)
	}
	if after != nil && *after != "" {
		last, err := decodeCursor(*after)
		if err != nil {
			return 0, 0, err
		}
		offset = last + 1
	}
	return offset, limit, nil
}

func pageInfo(offset, count, total int) *model.PageInfo {
	p := &model.PageInfo{HasPreviousPage: offset > 0, HasNextPage: offset+count < total}
	if count > 0 {
		start, end := encodeCursor(offset), encodeCursor(offset+count-1)
		p.StartCursor, p.EndCursor = &start, &end
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
