package dataio

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

// FuzzReadCSV checks that any input gives a table or a *ParseError, never a
// panic or hang; that tables have equally long columns; and that the result
// does not depend on how the input is cut into chunks or on the number of
// workers.
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n",
		"a;b\r\n1;\"x;\r\ny\"\r\n",
		"\xEF\xBB\xBFa\tb\n1\t2.5\n3\tNA\n",
		"1,2\n3,4\n",
		"a,a,\n\"q\"\"x\",2024-01-02,01/13/2024\n",
		"x\n1\n2\nfoo\n",
		"a,b\n1,2,3\n",
		"\"unterminated\n",
		"a|b\ntrue|inf\nFALSE|-Infinity\n",
		"a,b\n\"a\"b,\"\"\n\n\n",
		"d\n31/12/2023 10:30\n1/2/2024\n",
		"t\n2024-01-02T03:04:05.123+05:30\n2024-01-02 03:04\n",
	} {
		f.Add([]byte(s), uint8(0), uint8(0), false, uint8(3))
	}
	// regressions: the first error in file order must win at any chunk size
	f.Add([]byte(",\n000\n\""), uint8(0), uint8(0), false, uint8(3))
	f.Add([]byte("0\n\x00\n\""), uint8(0), uint8(2), false, uint8(3))
	f.Fuzz(func(t *testing.T, in []byte, delim, header uint8, lenient bool, chunk uint8) {
		opt := Options{Header: HeaderMode(header % 3), Lenient: lenient}
		if d := " ,;\t|"[delim%5]; d != ' ' {
			opt.Delimiter = rune(d)
		}
		read := func(cs, workers int) (string, error) {
			opt.Workers = workers
			fr, err := readCSV(context.Background(), readerSource(strings.NewReader(string(in))), "f.csv", opt, cs)
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("error %v (%T) is not a *ParseError", err, err)
				}
				if strings.ContainsAny(err.Error(), "\n") {
					t.Fatalf("error %q spans lines", err)
				}
				return "", err
			}
			for _, c := range fr.Columns() {
				if c.Len() != fr.NumRows() {
					t.Fatalf("column %q has %d rows, frame %d", c.Name(), c.Len(), fr.NumRows())
				}
			}
			return dump(fr), nil
		}
		want, werr := read(defaultChunkSize, 1)
		got, gerr := read(1+int(chunk%64), 2)
		if (werr == nil) != (gerr == nil) || (werr != nil && werr.Error() != gerr.Error()) {
			t.Fatalf("errors differ with chunk size: %v / %v", werr, gerr)
		}
		if got != want {
			t.Fatalf("results differ with chunk size:\n%s\n---\n%s", want, got)
		}
		// A marker starting like a number turns off the fused number
		// scanner; the general path must give the same table.
		opt.MissingMarkers = append(slices.Clone(DefaultMissingMarkers), "+no-fast-path+")
		slow, serr := read(defaultChunkSize, 1)
		if (werr == nil) != (serr == nil) || (werr != nil && werr.Error() != serr.Error()) || slow != want {
			t.Fatalf("fast and general number paths differ: %v / %v\n%s\n---\n%s", werr, serr, want, slow)
		}
	})
}
