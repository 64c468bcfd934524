package dataio

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
)

// FuzzReadJSONL checks ReadJSONL against encoding/json: it accepts exactly the
// inputs whose non-blank lines are JSON objects (or that are one JSON array of
// objects), and a key present with a non-null value is never read as missing.
func FuzzReadJSONL(f *testing.F) {
	for _, s := range []string{
		"",
		`{"a": 1, "b": "x", "c": true, "d": null, "e": [1, {"f": 2}]}` + "\n" + `{"a": 2.5, "b": "x"}`,
		`{"t": "2020-01-02"}` + "\n" + `{"t": "2020-01-02T03:04:05Z"}`,
		`{"s": "\u00e9\ud83d\ude00\n"}`,
		"\xef\xbb\xbf{\"a\":1}\r\n\r\n{\"a\":\"1\"}",
		`[1,2]`,
		"[{\"a\": 1},\n {\"b\": [2]}]",
		`{"a":1}{"a":2}`,
		"\f",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := ReadJSONL(context.Background(), bytes.NewReader(data), "f.jsonl", Options{})
		lines := bytes.Split(data, []byte("\n"))
		if len(lines) > 0 {
			lines[0] = trimBOM(lines[0])
		}
		var objects []map[string]any
		valid := true
		if doc := bytes.TrimLeft(trimBOM(data), " \t\r\n"); len(doc) > 0 && doc[0] == '[' {
			d := json.NewDecoder(bytes.NewReader(doc))
			d.UseNumber()
			var tail any
			if !json.Valid(doc) || d.Decode(&objects) != nil || d.Decode(&tail) != io.EOF {
				valid = false
			}
			for _, m := range objects {
				if m == nil {
					valid = false
				}
			}
			lines = nil
		}
		for _, l := range lines {
			if len(bytes.Trim(l, " \t\r")) == 0 { // JSON whitespace only

				continue
			}
			var m map[string]any
			d := json.NewDecoder(bytes.NewReader(l))
			d.UseNumber()
			if !json.Valid(l) || d.Decode(&m) != nil || m == nil {
				valid = false
				break
			}
			objects = append(objects, m)
		}
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error is %T, not *ParseError: %v", err, err)
			}
			if n := bytes.Count(data, []byte("\n")) + 1; pe.Line < 1 || pe.Line > n || pe.Column < 1 {
				t.Fatalf("bad position %d:%d of %d lines: %v", pe.Line, pe.Column, n, err)
			}
			if valid && !strings.Contains(pe.Msg, "nested deeper") {
				t.Fatalf("rejected input that encoding/json accepts: %v", err)
			}
			return
		}
		if !valid {
			t.Fatalf("accepted input that encoding/json rejects: %q", data)
		}
		checkFrameInvariants(t, fr)
		if fr.NumCols() > 0 && fr.NumRows() != len(objects) {
			t.Fatalf("%d rows, want %d", fr.NumRows(), len(objects))
		}
		for i, m := range objects {
			for k, v := range m {
				c, err := fr.Column(k)
				if err != nil {
					t.Fatalf("row %d: key %q has no column: %v", i, k, err)
				}
				if (v == nil) != c.IsNA(i) {
					t.Fatalf("row %d key %q: value %v but NA = %v", i, k, v, c.IsNA(i))
				}
			}
		}
	})
}
