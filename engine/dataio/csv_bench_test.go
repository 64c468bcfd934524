package dataio

import (
	"bufio"
	"context"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// writeWide writes a table shaped like ../shared/bench/gencsv's "wide" kind:
// 16 numeric columns with 5 decimals and about 1% empty cells, two
// categorical columns, an ISO date and a 0/1 label.
func writeWide(path string, rows int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	r := rand.New(rand.NewSource(1))
	for j := 0; j < 16; j++ {
		w.WriteString("x" + strconv.Itoa(j) + ",")
	}
	w.WriteString("city,segment,date,label\n")
	cities := []string{"paris", "berlin", "rome", "madrid", "oslo", "lisbon", "vienna"}
	var b []byte
	for i := 0; i < rows; i++ {
		b = b[:0]
		for j := 0; j < 16; j++ {
			v := r.NormFloat64() * float64(j+1)
			if j%4 == 3 {
				v = math.Exp(v / float64(j+1))
			}
			if r.Float64() >= 0.01 {
				b = strconv.AppendFloat(b, v, 'f', 5, 64)
			}
			b = append(b, ',')
		}
		b = append(b, cities[r.Intn(len(cities))]...)
		b = append(b, ",s"...)
		b = strconv.AppendInt(b, int64(10+r.Intn(50)), 10)
		b = append(b, ",2024-"...)
		b = strconv.AppendInt(b, int64(10+r.Intn(3)), 10)
		b = append(b, '-')
		b = strconv.AppendInt(b, int64(10+r.Intn(19)), 10)
		b = append(b, ',', byte('0'+r.Intn(2)), '\n')
		w.Write(b)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// BenchmarkReadCSVWide loads the wide benchmark table: the file named by
// MLWB_WIDE_CSV (e.g. /tmp/wide.csv from gencsv, 1M rows), or else a 200,000
// row table of the same shape written to a temporary directory.
func BenchmarkReadCSVWide(b *testing.B) {
	path := os.Getenv("MLWB_WIDE_CSV")
	if path == "" {
		path = filepath.Join(b.TempDir(), "wide.csv")
		if err := writeWide(path, 200000); err != nil {
			b.Fatal(err)
		}
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ResetTimer()
	for b.Loop() {
		f, err := ReadCSVFile(context.Background(), path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if f.NumCols() != 20 {
			b.Fatalf("%d columns, want 20", f.NumCols())
		}
	}
}
