package drift

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/frame"
)

// Span is a window length: N hours, days, weeks or months.
type Span struct {
	N    int
	Unit string // "h", "d", "w" or "mo"
}

// String returns the span as ParseSpan reads it ("7d").
func (s Span) String() string { return strconv.Itoa(s.N) + s.Unit }

// ParseSpan reads "24h", "7d", "1w" or "1mo" (N ≥ 1).
func ParseSpan(s string) (Span, error) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	n, err := strconv.Atoi(s[:i])
	unit := strings.ToLower(s[i:])
	if err != nil || n < 1 || (unit != "h" && unit != "d" && unit != "w" && unit != "mo") {
		return Span{}, fmt.Errorf("drift: bad window span %q (want N followed by h, d, w or mo, e.g. 7d)", s)
	}
	return Span{N: n, Unit: unit}, nil
}

// floor returns the start of t's unit: the hour, the day, the Monday of the
// week, or the first of the month, in UTC.
func (s Span) floor(t time.Time) time.Time {
	t = t.UTC()
	switch s.Unit {
	case "h":
		return t.Truncate(time.Hour)
	case "d":
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	case "w":
		d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	}
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// add returns t plus k spans.
func (s Span) add(t time.Time, k int) time.Time {
	switch s.Unit {
	case "h":
		return t.Add(time.Duration(k*s.N) * time.Hour)
	case "d":
		return t.AddDate(0, 0, k*s.N)
	case "w":
		return t.AddDate(0, 0, 7*k*s.N)
	}
	return t.AddDate(0, k*s.N, 0)
}

// Window is a run of rows of one frame in [Start, End).
type Window struct {
	Label      string
	Start, End time.Time
	Frame      *frame.Frame
}

// Windows splits f by the datetime column col into consecutive windows of
// span, the first starting at the floor of the earliest time (hour, day,
// Monday, first of month, UTC). Rows with a missing time are left out;
// empty windows are omitted. Labels are the start dates (with the hour for
// hour spans).
func Windows(f *frame.Frame, col string, span Span) ([]Window, error) {
	c, err := f.Column(col)
	if err != nil {
		return nil, fmt.Errorf("drift: window column: %w", err)
	}
	dt, ok := c.(*frame.DatetimeCol)
	if !ok {
		return nil, fmt.Errorf("drift: window column %q is %s, not datetime", col, c.Type())
	}
	var lo int64
	found := false
	for i, v := range dt.Data {
		if dt.IsNA(i) {
			continue
		}
		if !found || v < lo {
			lo, found = v, true
		}
	}
	if !found {
		return nil, fmt.Errorf("drift: window column %q has no values", col)
	}
	start := span.floor(time.Unix(0, lo))
	// Window index of every row: step through boundaries (months vary).
	var bounds []int64
	rows := map[int][]int{}
	for i, v := range dt.Data {
		if dt.IsNA(i) {
			continue
		}
		for len(bounds) == 0 || v >= bounds[len(bounds)-1] {
			bounds = append(bounds, span.add(start, len(bounds)+1).UnixNano())
		}
		k, _ := slices.BinarySearch(bounds, v+1) // first bound > v
		rows[k] = append(rows[k], i)
	}
	var out []Window
	for k := range bounds {
		idx, ok := rows[k]
		if !ok {
			continue
		}
		ws := span.add(start, k)
		label := ws.Format("2006-01-02")
		if span.Unit == "h" {
			label = ws.Format("2006-01-02 15:04")
		}
		out = append(out, Window{Label: label, Start: ws, End: span.add(start, k+1), Frame: f.Take(idx)})
	}
	return out, nil
}

// Batch is one data file of a batch folder.
type Batch struct {
	Name    string // base name
	Path    string
	Size    int64
	ModTime time.Time
}

// dataExts are the extensions ListBatches considers.
var dataExts = []string{".parquet", ".csv", ".tsv", ".jsonl", ".json", ".arff", ".csv.gz", ".tsv.gz", ".jsonl.gz"}

// IsDataFile reports whether name looks like a data file dataio reads, and
// not a hidden or temporary file.
func IsDataFile(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~") || strings.Contains(name, ".mlwb-tmp-") {
		return false
	}
	lower := strings.ToLower(name)
	for _, e := range dataExts {
		if strings.HasSuffix(lower, e) {
			return true
		}
	}
	return false
}

// ListBatches returns the data files of dir ordered by name (hidden and
// temporary files, and sub-folders, are skipped).
func ListBatches(dir string) ([]Batch, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("drift: batch folder: %w", err)
	}
	var out []Batch
	for _, e := range ents {
		if e.IsDir() || !IsDataFile(e.Name()) {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		out = append(out, Batch{Name: e.Name(), Path: filepath.Join(dir, e.Name()), Size: fi.Size(), ModTime: fi.ModTime()})
	}
	slices.SortFunc(out, func(a, b Batch) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// LoadOptions configure LoadBatch.
type LoadOptions struct {
	Read dataio.Options
	// Retries is how many more times a file that fails to parse, or that
	// changes while being read, is tried again; Delay is the wait between
	// tries. Zero values mean 3 retries 300 ms apart; Retries < 0 means
	// a single try.
	Retries int
	Delay   time.Duration
}

// LoadBatch reads a batch file that may still be being written: it stats
// the file before and after reading and retries when the read fails or the
// size or modification time changed meanwhile, so a half-written file is
// never returned as complete. The last error is returned after the retries.
func LoadBatch(ctx context.Context, path string, opt LoadOptions) (*frame.Frame, error) {
	retries, delay := opt.Retries, opt.Delay
	switch {
	case retries == 0:
		retries = 3
	case retries < 0:
		retries = 0
	}
	if delay == 0 {
		delay = 300 * time.Millisecond
	}
	var lastErr error
	for try := 0; try <= retries; try++ {
		if try > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(delay):
			}
		}
		before, err := os.Stat(path)
		if err != nil {
			return nil, fmt.Errorf("drift: %w", err)
		}
		f, err := dataio.Load(ctx, path, opt.Read)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		after, serr := os.Stat(path)
		switch {
		case err != nil:
			lastErr = err
		case serr != nil:
			lastErr = serr
		case after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()):
			lastErr = fmt.Errorf("drift: %s changed while being read", path)
		default:
			return f, nil
		}
	}
	return nil, fmt.Errorf("drift: %s still unreadable after %d tries: %w", filepath.Base(path), retries+1, lastErr)
}

// OrderKey is a batch's position in time: the earliest value of its time
// column (OrderBy).
type OrderKey struct {
	// Datetime says the column is a datetime (T holds the earliest time);
	// otherwise it is numeric and X holds the smallest value.
	Datetime bool
	T        time.Time
	X        float64
}

// String returns the time (RFC 3339, UTC) or the number.
func (k OrderKey) String() string {
	if k.Datetime {
		return k.T.UTC().Format(time.RFC3339Nano)
	}
	return strconv.FormatFloat(k.X, 'g', -1, 64)
}

// Compare orders keys of the same kind: -1 when k comes first, 0 when
// equal, +1 after.
func (k OrderKey) Compare(o OrderKey) int {
	if k.Datetime {
		return k.T.Compare(o.T)
	}
	switch {
	case k.X < o.X:
		return -1
	case k.X > o.X:
		return 1
	}
	return 0
}

// OrderError says why a batch cannot be placed in time by OrderBy.
type OrderError struct {
	Column string
	// NoValue is set when the column exists but holds no value (no rows,
	// or all missing); otherwise the column is absent or of a wrong type.
	NoValue bool
	Reason  string
}

func (e *OrderError) Error() string {
	return fmt.Sprintf("drift: cannot order by column %q: %s", e.Column, e.Reason)
}

// OrderBy returns the position of batch f in time: the minimum of its
// column col, a datetime or numeric column (e.g. an event time, or a week
// number); missing values and NaN are ignored. The minimum (rather than
// the median) is the time the batch starts, which is what "ordered by
// time" means for batches that do not overlap, and a late straggler row
// does not move it.
func OrderBy(f *frame.Frame, col string) (OrderKey, error) {
	c, err := f.Column(col)
	if err != nil {
		return OrderKey{}, &OrderError{Column: col, Reason: "the batch has no such column (columns: " + strings.Join(f.Names(), ", ") + ")"}
	}
	found := false
	var key OrderKey
	switch c := c.(type) {
	case *frame.DatetimeCol:
		var lo int64
		for i, v := range c.Data {
			if !c.IsNA(i) && (!found || v < lo) {
				lo, found = v, true
			}
		}
		key = OrderKey{Datetime: true, T: time.Unix(0, lo).UTC()}
	case *frame.Int64Col, *frame.Float64Col:
		for i := range c.Len() {
			if v, ok := frame.FloatAt(c, i); ok && v == v && (!found || v < key.X) {
				key.X, found = v, true
			}
		}
	default:
		return OrderKey{}, &OrderError{Column: col, Reason: fmt.Sprintf("it is %s, not datetime or numeric", c.Type())}
	}
	if !found {
		return OrderKey{}, &OrderError{Column: col, NoValue: true, Reason: "it holds no value in this batch"}
	}
	return key, nil
}
