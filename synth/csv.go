package synth

import (
	"bufio"
	"strconv"
	"strings"
)

// rowWriter writes CSV rows field by field into a buffered writer, reusing
// one buffer: encoding/csv would allocate a []string per row, and the edges
// file has millions of rows. Fields are quoted as encoding/csv quotes them.
type rowWriter struct {
	w   *bufio.Writer
	buf []byte
	n   int // fields in the current row
}

func (c *rowWriter) sep() {
	if c.n > 0 {
		c.buf = append(c.buf, ',')
	}
	c.n++
}

// field appends one field, quoted if it holds a comma, a quote, a line break
// or starts with a space.
func (c *rowWriter) field(s string) {
	c.sep()
	if s == "" || (!strings.ContainsAny(s, "\",\r\n") && s[0] != ' ' && s[0] != '\t') {
		c.buf = append(c.buf, s...)
		return
	}
	c.buf = append(c.buf, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			c.buf = append(c.buf, '"')
		}
		c.buf = append(c.buf, s[i])
	}
	c.buf = append(c.buf, '"')
}

// id appends an entity id built from a prefix and a number ("org:o42")
// without making a string.
func (c *rowWriter) id(prefix string, i int) {
	c.sep()
	c.buf = append(c.buf, prefix...)
	c.buf = strconv.AppendInt(c.buf, int64(i), 10)
}

// end finishes the row.
func (c *rowWriter) end() error {
	c.buf = append(c.buf, '\n')
	_, err := c.w.Write(c.buf)
	c.buf, c.n = c.buf[:0], 0
	return err
}

// row writes a whole row of plain fields.
func (c *rowWriter) row(fields ...string) error {
	for _, f := range fields {
		c.field(f)
	}
	return c.end()
}
