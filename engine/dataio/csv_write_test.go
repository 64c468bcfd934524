package dataio

import (
	"bytes"
	"context"
	"math"
	"testing"
	"time"

	"github.com/mlwb/mlwb/engine/frame"
)

func TestWriteCSVRoundTrip(t *testing.T) {
	day := time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC).UnixNano()
	f := frame.MustNew(
		frame.NewFloat64("x", []float64{1.5, math.NaN(), math.Inf(-1), 0.1}, frame.Mask{}),
		frame.NewInt64("n", []int64{1, 2, 3, -4}, frame.Mask{}),
		frame.CategoricalFromStrings("city", []string{"oslo", "a, \"b\"", "oslo", "oslo"}, nil),
		frame.NewDatetime("d", []int64{day, day, day + 3600e9, day}, frame.Mask{}),
	)
	var buf bytes.Buffer
	if err := WriteCSV(&buf, f, 0); err != nil {
		t.Fatal(err)
	}
	want := "x,n,city,d\n1.5,1,oslo,2024-02-29\n,2,\"a, \"\"b\"\"\",2024-02-29\n-inf,3,oslo,2024-02-29 01:00:00\n0.1,-4,oslo,2024-02-29\n"
	if buf.String() != want {
		t.Fatalf("WriteCSV =\n%q\nwant\n%q", buf.String(), want)
	}
	g, err := ReadCSV(context.Background(), &buf, "rt.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for j, c := range f.Columns() {
		gc := g.Col(j)
		if gc.Type() != c.Type() {
			t.Errorf("column %s read back as %s, want %s", c.Name(), gc.Type(), c.Type())
		}
		for i := range f.NumRows() {
			if gc.Format(i) != c.Format(i) {
				t.Errorf("%s[%d] = %q, want %q", c.Name(), i, gc.Format(i), c.Format(i))
			}
		}
	}
	if _, err := WriterFor("out.xlsx"); err == nil {
		t.Error("WriterFor(.xlsx) should fail")
	}
}
