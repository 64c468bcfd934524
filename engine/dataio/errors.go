package dataio

import (
	"errors"
	"strconv"
)

// ErrEmpty is returned (wrapped in a *ParseError) when a file holds no bytes,
// or only blank lines and a byte-order mark.
var ErrEmpty = errors.New("dataio: empty file")

// ParseError reports a problem at a place in an input file. Its message is one
// line, "file:line:column: message", with the column left out when it is 0.
type ParseError struct {
	File   string // name of the input as given to the reader
	Line   int    // 1-based physical line in the file (0 when unknown)
	Column int    // 1-based byte column in that line (0 when it does not apply)
	Msg    string // what is wrong, lower case, without the position
	Err    error  // underlying cause, if any (for errors.Is / errors.As)
}

// Error formats the error as "file:line:column: msg".
func (e *ParseError) Error() string {
	b := make([]byte, 0, len(e.File)+len(e.Msg)+24)
	b = append(b, e.File...)
	if e.Line > 0 {
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(e.Line), 10)
		if e.Column > 0 {
			b = append(b, ':')
			b = strconv.AppendInt(b, int64(e.Column), 10)
		}
	}
	if len(b) > 0 {
		b = append(b, ": "...)
	}
	b = append(b, e.Msg...)
	return string(b)
}

// Unwrap returns the underlying cause, such as ErrEmpty or io.ErrUnexpectedEOF.
func (e *ParseError) Unwrap() error { return e.Err }
