package drift

import (
	"context"
	"os"
	"testing"

	"github.com/mlwb/mlwb/engine/dataio"
)

// The wide benchmark files (see ../shared/bench/gencsv):
//
//	go run ../shared/bench/gencsv/main.go -kind wide -rows 1000000 > /tmp/wide.csv
//	go run ../shared/bench/gencsv/main.go -kind wide -rows 1000000 -seed 2 -shift 0.3 > /tmp/wide_cur.csv
//
// Override the paths with MLWB_WIDE and MLWB_WIDE_CUR.
func widePaths(b *testing.B) (string, string) {
	ref, cur := os.Getenv("MLWB_WIDE"), os.Getenv("MLWB_WIDE_CUR")
	if ref == "" {
		ref = "/tmp/wide.csv"
	}
	if cur == "" {
		cur = "/tmp/wide_cur.csv"
	}
	for _, p := range []string{ref, cur} {
		if _, err := os.Stat(p); err != nil {
			b.Skipf("%s absent: generate it with ../shared/bench/gencsv", p)
		}
	}
	return ref, cur
}

// fullReport computes, beside the default verdict, every method that
// applies: KS, Wasserstein, PSI and Jensen–Shannon on numeric columns,
// chi-square, PSI and Jensen–Shannon on categorical ones — the scipy side in
// bench/drift/scipy_drift.py.
var fullReport = Options{Also: []Method{KS, Wasserstein, PSI, JS, ChiSquare}}

// BenchmarkWideFull is the full report on wide 1M × 20 against its shifted
// copy, loading both CSV files included.
func BenchmarkWideFull(b *testing.B) {
	refPath, curPath := widePaths(b)
	ctx := context.Background()
	for b.Loop() {
		ref, err := dataio.Load(ctx, refPath, dataio.Options{})
		if err != nil {
			b.Fatal(err)
		}
		cur, err := dataio.Load(ctx, curPath, dataio.Options{})
		if err != nil {
			b.Fatal(err)
		}
		rep, err := Compare(ctx, ref, cur, fullReport)
		if err != nil {
			b.Fatal(err)
		}
		if !rep.DatasetDrift {
			b.Fatal("no drift found")
		}
	}
}

// BenchmarkWideCompare is the same comparison with the frames in memory.
func BenchmarkWideCompare(b *testing.B) {
	refPath, curPath := widePaths(b)
	ctx := context.Background()
	ref, err := dataio.Load(ctx, refPath, dataio.Options{})
	if err != nil {
		b.Fatal(err)
	}
	cur, err := dataio.Load(ctx, curPath, dataio.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Compare(ctx, ref, cur, fullReport); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewBatch is the live-monitoring step: a new 10,000-row batch
// compared with the cached 1M-row reference (full report).
func BenchmarkNewBatch(b *testing.B) {
	refPath, curPath := widePaths(b)
	ctx := context.Background()
	reff, err := dataio.Load(ctx, refPath, dataio.Options{})
	if err != nil {
		b.Fatal(err)
	}
	curf, err := dataio.Load(ctx, curPath, dataio.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ref, err := NewReference(ctx, reff, fullReport)
	if err != nil {
		b.Fatal(err)
	}
	batch := curf.Slice(0, 10000)
	b.ResetTimer()
	for b.Loop() {
		if _, err := ref.Compare(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
}
