package drift

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mlwb/mlwb/engine/frame"
)

func TestParseSpanAndWindows(t *testing.T) {
	for _, s := range []string{"7d", "1w", "24h", "1mo"} {
		if _, err := ParseSpan(s); err != nil {
			t.Errorf("ParseSpan(%q): %v", s, err)
		}
	}
	for _, s := range []string{"", "d", "0d", "7x", "-1w"} {
		if _, err := ParseSpan(s); err == nil {
			t.Errorf("ParseSpan(%q) accepted", s)
		}
	}
	// 2025-01-01 (a Wednesday) to 2025-03-02, one row a day, one missing.
	var ts []int64
	var x []float64
	start := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	for d := range 61 {
		ts = append(ts, start.AddDate(0, 0, d).UnixNano())
		x = append(x, float64(d))
	}
	m := frame.NewMask(len(ts))
	for i := range ts {
		m.SetValid(i)
	}
	m.SetNA(5)
	f := frame.MustNew(frame.NewDatetime("t", ts, m), frame.NewFloat64("x", x, frame.Mask{}))
	for _, c := range []struct {
		span        string
		n           int
		first, last string
		rows0       int
	}{
		{"1w", 9, "2024-12-30", "2025-02-24", 5},
		{"1mo", 3, "2025-01-01", "2025-03-01", 30},
		{"7d", 9, "2025-01-01", "2025-02-26", 6},
	} {
		sp, _ := ParseSpan(c.span)
		ws, err := Windows(f, "t", sp)
		if err != nil {
			t.Fatal(err)
		}
		if len(ws) != c.n || ws[0].Label != c.first || ws[len(ws)-1].Label != c.last || ws[0].Frame.NumRows() != c.rows0 {
			t.Errorf("%s: %d windows %q..%q, first has %d rows", c.span, len(ws), ws[0].Label, ws[len(ws)-1].Label, ws[0].Frame.NumRows())
		}
	}
	if _, err := Windows(f, "x", Span{1, "d"}); err == nil {
		t.Error("windows over a float column")
	}
	if _, err := Windows(f, "nope", Span{1, "d"}); err == nil {
		t.Error("windows over a missing column")
	}
}

func TestBadInput(t *testing.T) {
	ctx := context.Background()
	ref := floatFrame("x", sample(100, 7919, 1000, 0))
	if _, err := Compare(ctx, ref, frame.MustNew(frame.NewFloat64("x", nil, frame.Mask{})), Options{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty current: %v", err)
	}
	if _, err := Compare(ctx, frame.MustNew(frame.NewFloat64("x", nil, frame.Mask{})), ref, Options{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty reference: %v", err)
	}
	// All values missing in the current column: reported, not a panic.
	nan := []float64{0, 0, 0}
	for i := range nan {
		nan[i] = nan[i] / nan[i]
	}
	rep, err := Compare(ctx, ref, floatFrame("x", nan), Options{})
	if err != nil || rep.Columns[0].Error == "" || rep.Compared != 0 || rep.DatasetDrift {
		t.Errorf("all-missing current: %v %+v", err, rep)
	}
	if _, err := Compare(ctx, ref, ref, Options{Method: "bogus"}); err == nil {
		t.Error("unknown method accepted")
	}
	rep, _ = Compare(ctx, ref, ref, Options{Method: KS, Also: Methods})
	if c := rep.Columns[0]; c.Error != "" || c.PValue != 1 || c.Drift || len(c.Also) == 0 {
		t.Errorf("identical samples: %+v", c)
	}
}

func TestCrossingsAndAlertsFile(t *testing.T) {
	mk := func(label string, drift bool, score float64) *Report {
		r := &Report{Label: label, ShareThreshold: 0.5, Columns: []Column{{Name: "x", Result: Result{Method: JS, Score: score, Threshold: 0.1, Drift: drift}}}}
		r.summarize()
		return r
	}
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	a := Crossings(nil, mk("w1", false, 0.01), now)
	if len(a) != 0 {
		t.Fatalf("first clean report: %v", a)
	}
	a = Crossings(mk("w1", false, 0.01), mk("w2", true, 0.2), now)
	if len(a) != 2 || a[0].Kind != AlertDrift || *a[0].Previous != 0.01 || a[1].Kind != AlertDatasetDrift {
		t.Fatalf("crossing up: %+v", a)
	}
	b := Crossings(mk("w2", true, 0.2), mk("w3", false, 0.05), now)
	if len(b) != 2 || b[0].Kind != AlertRecovered || b[1].Kind != AlertDatasetRecovered {
		t.Fatalf("crossing down: %+v", b)
	}
	path := filepath.Join(t.TempDir(), "alerts.jsonl")
	if err := AppendAlerts(path, a); err != nil {
		t.Fatal(err)
	}
	if err := AppendAlerts(path, b); err != nil {
		t.Fatal(err)
	}
	// A torn last line is skipped.
	fh, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	fh.WriteString(`{"time":"2025`)
	fh.Close()
	got, err := ReadAlerts(path)
	if err != nil || len(got) != 4 || got[2].Kind != AlertRecovered {
		t.Fatalf("read back %d alerts (%v)", len(got), err)
	}
}

func TestLoadBatchRetriesHalfWritten(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "b.csv")
	os.WriteFile(path, []byte("x,y\n1,2\n3"), 0o644) // last row cut short
	done := make(chan struct{})
	go func() {
		time.Sleep(150 * time.Millisecond)
		os.WriteFile(path, []byte("x,y\n1,2\n3,4\n"), 0o644)
		close(done)
	}()
	f, err := LoadBatch(context.Background(), path, LoadOptions{Retries: 5, Delay: 100 * time.Millisecond})
	<-done
	if err != nil || f.NumRows() != 2 {
		t.Fatalf("LoadBatch = %v, %v", f, err)
	}
	os.WriteFile(path, []byte("x,y\n1,2\n3"), 0o644)
	if _, err := LoadBatch(context.Background(), path, LoadOptions{Retries: 1, Delay: time.Millisecond}); err == nil {
		t.Fatal("a file that stays broken loaded")
	}
	bs, err := ListBatches(dir)
	if err != nil || len(bs) != 1 {
		t.Fatalf("ListBatches = %v, %v", bs, err)
	}
	if IsDataFile(".b.csv.mlwb-tmp-123") || IsDataFile("notes.txt") || !IsDataFile("week_01.parquet") {
		t.Error("IsDataFile")
	}
}

func TestOrderBy(t *testing.T) {
	nan := math.NaN()
	day := func(d int) int64 { return time.Date(2025, 1, d, 0, 0, 0, 0, time.UTC).UnixNano() }
	f := frame.MustNew(
		frame.NewDatetime("ts", []int64{day(9), day(3), day(1), day(5)}, frame.MaskFromMissing([]bool{false, false, true, false})),
		frame.NewInt64("week", []int64{7, 5, 6, 9}, frame.Mask{}),
		frame.NewFloat64("x", []float64{2.5, nan, -1, 4}, frame.Mask{}),
		frame.NewString("s", []string{"a", "b", "c", "d"}, frame.Mask{}),
		frame.NewFloat64("none", []float64{nan, nan, nan, nan}, frame.Mask{}),
	)
	k, err := OrderBy(f, "ts")
	// Day 1 is missing: the earliest value is day 3.
	if err != nil || !k.Datetime || k.String() != "2025-01-03T00:00:00Z" {
		t.Errorf("ts: %v %v", k, err)
	}
	if k, err := OrderBy(f, "week"); err != nil || k.Datetime || k.X != 5 || k.String() != "5" {
		t.Errorf("week: %v %v", k, err)
	}
	if k, err := OrderBy(f, "x"); err != nil || k.X != -1 {
		t.Errorf("x (NaN skipped): %v %v", k, err)
	}
	var oe *OrderError
	for _, tc := range []struct {
		col     string
		noValue bool
	}{{"nope", false}, {"s", false}, {"none", true}} {
		if _, err := OrderBy(f, tc.col); !errors.As(err, &oe) || oe.NoValue != tc.noValue || oe.Column != tc.col {
			t.Errorf("%s: %v", tc.col, err)
		}
	}
	a, b := OrderKey{Datetime: true, T: time.Unix(0, day(2))}, OrderKey{Datetime: true, T: time.Unix(0, day(4))}
	if a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 || (OrderKey{X: 2}).Compare(OrderKey{X: 1}) != 1 {
		t.Error("Compare")
	}
}

func TestSeriesAlertsAndSaveNew(t *testing.T) {
	mk := func(label string, drift bool) *Report {
		score := 0.01
		if drift {
			score = 0.3
		}
		r := &Report{Label: label, ShareThreshold: 0.5, Columns: []Column{{Name: "x", Result: Result{Method: JS, Score: score, Threshold: 0.1, Drift: drift}}}}
		r.summarize()
		return r
	}
	nan := math.NaN()
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	goal := &MetricGoal{Model: "r1", Metric: "roc_auc", Threshold: 0.8, HigherIsBetter: true}
	// w2 could not be compared: w3 is compared with w1.
	reps := []*Report{mk("w1", false), nil, mk("w3", true), mk("w4", true), mk("w5", false)}
	vals := []float64{0.85, nan, 0.75, 0.7, 0.82}
	var got []string
	for _, a := range SeriesAlerts(reps, vals, goal, now) {
		got = append(got, a.Window+" "+a.Column+" "+a.Kind)
	}
	want := "w3 x drift,w3  dataset_drift,w3 model:roc_auc metric,w5 x recovered,w5  dataset_recovered,w5 model:roc_auc metric_recovered"
	if s := strings.Join(got, ","); s != want {
		t.Errorf("alerts %q, want %q", s, want)
	}
	if !goal.Missed(0.79) || goal.Missed(0.8) || goal.Missed(nan) || !(MetricGoal{Threshold: 0.3}).Missed(0.31) {
		t.Error("Missed")
	}

	path := filepath.Join(t.TempDir(), "alerts.jsonl")
	al := SeriesAlerts(reps, vals, goal, now)
	fresh, all, err := SaveNewAlerts(path, al[:3])
	if err != nil || len(fresh) != 3 || len(all) != 3 {
		t.Fatalf("first save: %d %d %v", len(fresh), len(all), err)
	}
	// Detected again later: the same keys, only the new ones appended.
	later := SeriesAlerts(reps, vals, goal, now.Add(time.Hour))
	fresh, all, err = SaveNewAlerts(path, later)
	if err != nil || len(fresh) != 3 || len(all) != 6 || fresh[0].Window != "w5" {
		t.Fatalf("second save: %+v %d %v", fresh, len(all), err)
	}
	if back, _ := ReadAlerts(path); len(back) != 6 {
		t.Fatalf("file holds %d alerts", len(back))
	}
}
