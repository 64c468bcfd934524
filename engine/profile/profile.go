package profile

import (
	"context"
	"errors"
	"fmt"
	"github.com/mlwb/mlwb/engine/internal/par"
	"math"
	"runtime"
	"sync"
	"time"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/stats"
)

// Defaults applied for zero Options fields.
const (
	// DefaultCorrelationThreshold is ydata-profiling's threshold for the
	// HIGH_CORRELATION alert (|correlation| ≥ 0.5).
	DefaultCorrelationThreshold = 0.5
	// DefaultMaxCorrelationColumns caps each correlation matrix to the first
	// 200 eligible columns (in frame order): 200 columns make 19 900 pairs.
	DefaultMaxCorrelationColumns = 200
	// MaxCategoricalLevels is the largest number of distinct values a
	// categorical, string or bool column may have to enter Cramér's V, η and
	// target associations (ydata-profiling's
	// categorical_maximum_correlation_distinct is 100).
	MaxCategoricalLevels = 100
	// DefaultExactSpearmanBudget bounds the work spent re-ranking the column
	// pairs with missing values for Spearman's ρ exactly as pandas does: rows
	// × such pairs (see Correlations). 2·10⁷ covers 100 000 rows with 200
	// pairs, at a few milliseconds per pair.
	DefaultExactSpearmanBudget = 20_000_000
	// TopValues is the number of most frequent values kept per column.
	TopValues = 10
)

// Options control Profile. The zero value profiles every column, without a
// target, with the default thresholds, on all cores.
type Options struct {
	// Target names the column to relate every other column to; "" for none.
	Target string
	// Columns restricts the profile to these columns (the target is added if
	// missing); nil means all.
	Columns []string
	// CorrelationThreshold is the |correlation| at or above which
	// HIGH_CORRELATION is raised; 0 means DefaultCorrelationThreshold.
	CorrelationThreshold float64
	// MaxCorrelationColumns caps the correlation matrices; 0 means
	// DefaultMaxCorrelationColumns.
	MaxCorrelationColumns int
	// ExactSpearmanBudget bounds the exact re-ranking of Spearman pairs with
	// missing values (rows × pairs); 0 means DefaultExactSpearmanBudget and a
	// negative value turns it off.
	ExactSpearmanBudget int
	// Workers is the number of goroutines; 0 means GOMAXPROCS.
	Workers int
	// Progress, if not nil, receives each column's report as soon as it is
	// computed, in completion order. It is called from worker goroutines but
	// never concurrently, and must not block for long.
	Progress func(ColumnReport)
}

// Report is the profile of a frame.
type Report struct {
	Rows         int
	Columns      []ColumnReport
	Correlations Correlations
	// Target is nil when Options.Target is "".
	Target     *TargetReport
	Alerts     []Alert
	Duplicates int // rows equal to an earlier row in every profiled column
	Elapsed    time.Duration
}

// ColumnReport summarises one column. Exactly one of Numeric, Text, Bool and
// Datetime is set for a column of the matching type (Numeric for float and
// int, Text for categorical and string).
type ColumnReport struct {
	Name       string
	Type       frame.Type
	Count      int     // non-missing values
	Missing    int     // missing values
	MissingPct float64 // 100·Missing/rows (0 for a zero-row frame)
	Distinct   int     // distinct non-missing values
	Numeric    *NumericSummary
	Text       *TextSummary
	Bool       *BoolSummary
	Datetime   *DatetimeSummary
}

// Monotonicity describes the order of a column's non-missing values.
type Monotonicity uint8

// Monotonicity values. A constant column, and one with fewer than two
// values, is MonotonicNone (it has its own CONSTANT alert).
const (
	MonotonicNone Monotonicity = iota
	Increasing
	StrictlyIncreasing
	Decreasing
	StrictlyDecreasing
)

var monoNames = [...]string{"none", "increasing", "strictly_increasing", "decreasing", "strictly_decreasing"}

// String returns the stable JSON name: none, increasing, strictly_increasing,
// decreasing or strictly_decreasing.
func (m Monotonicity) String() string {
	if int(m) < len(monoNames) {
		return monoNames[m]
	}
	return fmt.Sprintf("Monotonicity(%d)", m)
}

// NumericSummary describes a float or int column. Statistics are those of
// pandas on the non-missing values (±Inf included, so a column holding Inf
// has an infinite or NaN mean, as in pandas); quantiles use numpy's linear
// method; Std and Variance use n − 1; Skewness and Kurtosis are pandas'
// bias-corrected G1 and excess G2; MAD is the unscaled median absolute
// deviation. The histogram covers the finite values.
type NumericSummary struct {
	Mean, Std, Variance        float64
	Min, P1, P5, P25, P50, P75 float64
	P95, P99, Max              float64
	Range, IQR                 float64
	Skewness, Kurtosis         float64
	Zeros, Negatives, Infinite int
	CV                         float64 // Std/Mean
	MAD                        float64
	Sum                        float64
	Monotonicity               Monotonicity
	Histogram                  stats.Histogram
	OutliersIQR                int     // finite values outside [Q1 − 1.5·IQR, Q3 + 1.5·IQR] (0 when IQR = 0)
	OutliersRobustZ            int     // finite values with modified z |0.6745(x − median)/MAD| > 3.5 (0 when MAD = 0)
	UniformityP                float64 // χ² p-value of the histogram counts against uniform
}

// ValueCount is a value and how often it occurs.
type ValueCount struct {
	Value string
	Count int
}

// TextSummary describes a categorical or string column.
type TextSummary struct {
	Top         []ValueCount // up to TopValues most frequent, by count then text
	Entropy     float64      // Shannon entropy of the value frequencies, bits
	Imbalance   float64      // 1 − Entropy/log₂k over k distinct values (0 for k ≤ 1)
	LengthMin   int          // in runes
	LengthMean  float64
	LengthMax   int
	UniformityP float64 // χ² p-value of the value counts against uniform
}

// BoolSummary describes a bool column.
type BoolSummary struct {
	True, False int
	Entropy     float64
	Imbalance   float64
}

// DatetimeSummary describes a datetime column.
type DatetimeSummary struct {
	Min, Max   time.Time
	Range      time.Duration
	LargestGap time.Duration // between consecutive distinct sorted values
}

// Matrix is a correlation matrix: Values[i][j] relates Rows[i] to Columns[j].
// For the symmetric matrices Rows is Columns. Undefined entries (a constant
// column, too few rows) are NaN.
type Matrix struct {
	Rows, Columns []string
	Values        [][]float64
}

// Correlations holds the association matrices among profiled columns.
// Pearson is pandas' DataFrame.corr() (pairwise complete rows; NaN for a
// column holding ±Inf). Spearman is exactly pandas' corr(method="spearman")
// for pairs without missing values, and for pairs with missing values while
// rows × such pairs ≤ Options.ExactSpearmanBudget; beyond that budget those
// pairs correlate each column's own ranks over the pair's complete rows,
// which differs from pandas by about the share of missing values.
type Correlations struct {
	Pearson  Matrix // numeric × numeric
	Spearman Matrix // numeric × numeric
	CramersV Matrix // categorical × categorical, bias-corrected
	Eta      Matrix // numeric (rows) × categorical (columns), correlation ratio
}

// TargetReport relates every feature to the target column.
type TargetReport struct {
	Name         string
	Type         frame.Type
	Associations []Association
}

// Association is one feature's relation to the target.
type Association struct {
	Column string
	// Method is "pearson" (numeric–numeric), "eta" (numeric–categorical, either
	// way round) or "cramers_v" (categorical–categorical); "" when none applies.
	Method string
	Value  float64
	// MutualInfo is in bits, between the feature and target as categories
	// (numeric ones binned by their histogram edges); NormalizedMI divides it
	// by the target's entropy.
	MutualInfo   float64
	NormalizedMI float64
	// Purity is, for a categorical feature and categorical target, the share
	// of rows whose target is their feature level's majority class; NaN
	// otherwise.
	Purity float64

	majority float64 // share of the target's commonest class over the same rows
}

// ErrCanceled is wrapped by Profile's error when ctx ends first.
var ErrCanceled = errors.New("profile: canceled")

// Profile computes the Report of f. It returns an error when a named column
// does not exist or ctx is canceled (wrapping ctx.Err()).
func Profile(ctx context.Context, f *frame.Frame, opt Options) (*Report, error) {
	start := time.Now()
	if f == nil {
		return nil, errors.New("profile: nil frame")
	}
	if opt.Columns != nil {
		names := append([]string(nil), opt.Columns...)
		if opt.Target != "" && !contains(names, opt.Target) {
			names = append(names, opt.Target)
		}
		g, err := f.Select(names...)
		if err != nil {
			return nil, fmt.Errorf("profile: %w", err)
		}
		if len(names) > 0 {
			f = g
		}
	}
	if opt.Target != "" {
		if _, err := f.Column(opt.Target); err != nil {
			return nil, fmt.Errorf("profile: target: %w", err)
		}
	}
	if opt.CorrelationThreshold <= 0 {
		opt.CorrelationThreshold = DefaultCorrelationThreshold
	}
	if opt.MaxCorrelationColumns <= 0 {
		opt.MaxCorrelationColumns = DefaultMaxCorrelationColumns
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}

	cols := f.Columns()
	rows := f.NumRows()
	if rows >= math.MaxInt32 { // row numbers are int32 in sorts and ranks
		return nil, fmt.Errorf("profile: cannot profile %d rows (at most %d)", rows, math.MaxInt32-1)
	}
	// Decide which numeric columns enter the correlation matrices (they keep
	// their ranks) before the parallel pass.
	keepRanks := make([]bool, len(cols))
	nNum := 0
	for i, c := range cols {
		if (c.Type() == frame.Float || c.Type() == frame.Int) && nNum < opt.MaxCorrelationColumns {
			keepRanks[i] = true
			nNum++
		}
	}
	work := make([]*colWork, len(cols))
	// One set of sort scratch per worker (12 bytes a row), handed from
	// column to column, so that it is allocated at most workers times.
	bufs := make(chan *stats.SortBuffers, workers)
	for range workers {
		bufs <- new(stats.SortBuffers)
	}
	var mu sync.Mutex
	dupCh := make(chan int, 1)
	err := runPool(ctx, workers, len(cols)+1, func(k int) {
		if k == 0 { // duplicate rows, as one more task
			dupCh <- duplicateRows(f)
			return
		}
		i := k - 1
		buf := <-bufs
		w := profileColumn(cols[i], rows, keepRanks[i], opt.Target != "", buf)
		bufs <- buf
		work[i] = w
		if opt.Progress != nil {
			mu.Lock()
			opt.Progress(w.report)
			mu.Unlock()
		}
	})
	if err != nil {
		return nil, err
	}
	r := &Report{Rows: rows, Duplicates: <-dupCh}
	r.Columns = make([]ColumnReport, len(cols))
	for i, w := range work {
		r.Columns[i] = w.report
	}
	budget := opt.ExactSpearmanBudget
	switch {
	case budget == 0:
		budget = DefaultExactSpearmanBudget
	case budget < 0:
		budget = 0
	}
	if err := correlate(ctx, r, work, workers, opt.MaxCorrelationColumns, budget); err != nil {
		return nil, err
	}
	if opt.Target != "" {
		t, err := targetAssociations(ctx, work, f.Index(opt.Target), workers)
		if err != nil {
			return nil, err
		}
		r.Target = t
	}
	r.Alerts = alerts(r, work, opt)
	r.Elapsed = time.Since(start)
	return r, nil
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// runPool runs task(0..n-1) on the given number of goroutines, stopping
// early when ctx is done with an error wrapping ErrCanceled.
func runPool(ctx context.Context, workers, n int, task func(int)) error {
	if err := par.ForEach(ctx, n, workers, task); err != nil {
		return fmt.Errorf("%w: %w", ErrCanceled, err)
	}
	return nil
}
