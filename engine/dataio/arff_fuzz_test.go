package dataio

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/engine/frame"
)

// checkFrameInvariants verifies what every reader must guarantee of a frame it
// returns: NA bookkeeping agrees with the data, and categorical codes index
// their levels.
func checkFrameInvariants(t *testing.T, f *frame.Frame) {
	t.Helper()
	for _, c := range f.Columns() {
		if c.Len() != f.NumRows() {
			t.Fatalf("column %q has %d rows, frame %d", c.Name(), c.Len(), f.NumRows())
		}
		nas := 0
		for i := 0; i < c.Len(); i++ {
			if c.IsNA(i) {
				nas++
				if c.Value(i) != nil {
					t.Fatalf("column %q row %d is NA but Value is %v", c.Name(), i, c.Value(i))
				}
			}
		}
		if nas != c.NullCount() {
			t.Fatalf("column %q: %d NA rows, NullCount %d", c.Name(), nas, c.NullCount())
		}
		switch c := c.(type) {
		case *frame.CategoricalCol:
			seen := map[string]bool{}
			for _, l := range c.Levels {
				if seen[l] {
					t.Fatalf("column %q: duplicate level %q", c.Name(), l)
				}
				seen[l] = true
			}
			for i, k := range c.Codes {
				if k < -1 || int(k) >= len(c.Levels) || (k == -1) != c.IsNA(i) {
					t.Fatalf("column %q row %d: code %d with %d levels, NA %v", c.Name(), i, k, len(c.Levels), c.IsNA(i))
				}
			}
		case *frame.Float64Col:
			for i, v := range c.Data {
				if math.IsNaN(v) != c.IsNA(i) {
					t.Fatalf("column %q row %d: value %v, NA %v", c.Name(), i, v, c.IsNA(i))
				}
			}
		}
	}
}

func FuzzReadARFF(f *testing.F) {
	for _, name := range []string{"weather.nominal.arff", "iris.arff"} {
		b, err := os.ReadFile(filepath.Join("testdata", "arff", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"",
		"@relation r\n@attribute a numeric\n@attribute b {x,'y z'}\n@data\n1,x\n?,'y z'\n",
		"@relation r\n@attribute s string\n@attribute d date 'yyyy-MM-dd HH:mm'\n@data\n'a\\'b',\"2020-01-02 03:04\"\n",
		"@relation r\n@attribute a integer\n@attribute b real\n@data\n1,2 % c\n{0 1}\n",
		"@relation r\n@attribute a numeric\n@data\n1,\n",
		"\xef\xbb\xbf@relation r\r\n@attribute a {p}\r\n@data\r\np\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, meta, err := ReadARFFMeta(context.Background(), strings.NewReader(string(data)), "f.arff", Options{})
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error is %T, not *ParseError: %v", err, err)
			}
			lines := strings.Count(string(data), "\n") + 1
			if pe.File != "f.arff" || pe.Line < 1 || pe.Line > lines || pe.Column < 0 || pe.Msg == "" {
				t.Fatalf("bad error position %d:%d of %d lines: %v", pe.Line, pe.Column, lines, err)
			}
			return
		}
		if fr.NumCols() == 0 && meta.Target != "" || fr.NumCols() > 0 && meta.Target != fr.Col(fr.NumCols()-1).Name() {
			t.Fatalf("target %q does not name the last of %v", meta.Target, fr.Names())
		}
		checkFrameInvariants(t, fr)
		// Lenient reading of valid input gives the same table.
		fl, _, err := ReadARFFMeta(context.Background(), strings.NewReader(string(data)), "f.arff", Options{Lenient: true})
		if err != nil {
			t.Fatalf("lenient read failed where strict succeeded: %v", err)
		}
		if got, want := strings.Join(formatRows(fl), "\n"), strings.Join(formatRows(fr), "\n"); got != want {
			t.Fatalf("lenient read differs:\n%s\nvs\n%s", got, want)
		}
	})
}
