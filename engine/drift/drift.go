package drift

import (
	"context"
	"errors"
	"fmt"
	"github.com/mlwb/mlwb/engine/internal/par"
	"math"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/stats"
)

// Method names a drift test. The zero value means Evidently's default
// selection for the column (see Options).
type Method string

// The drift methods. Their names are part of the documented JSON output.
const (
	Auto        Method = ""
	KS          Method = "ks"            // two-sample Kolmogorov–Smirnov, p-value
	Wasserstein Method = "wasserstein"   // Wasserstein distance / reference std
	JS          Method = "jensenshannon" // Jensen–Shannon distance, natural log
	PSI         Method = "psi"           // population stability index
	ChiSquare   Method = "chisquare"     // chi-square goodness of fit, p-value
	ZTest       Method = "ztest"         // two-proportion Z-test, p-value
)

// Methods lists every method, in the order the documentation gives them.
var Methods = []Method{KS, Wasserstein, JS, PSI, ChiSquare, ZTest}

// ParseMethod returns the method named s; it accepts the names above and
// "js", "chi2", "z" as short forms.
func ParseMethod(s string) (Method, error) {
	switch s {
	case "", "auto":
		return Auto, nil
	case "ks", "kolmogorov-smirnov":
		return KS, nil
	case "wasserstein", "wasserstein_distance":
		return Wasserstein, nil
	case "jensenshannon", "js", "jensen-shannon":
		return JS, nil
	case "psi":
		return PSI, nil
	case "chisquare", "chi2", "chi-square":
		return ChiSquare, nil
	case "ztest", "z":
		return ZTest, nil
	}
	return Auto, fmt.Errorf("drift: unknown method %q (want ks, wasserstein, jensenshannon, psi, chisquare or ztest)", s)
}

// PValue reports whether the method's score is a p-value (drift when it is
// small) rather than a distance (drift when it is large).
func (m Method) PValue() bool { return m == KS || m == ChiSquare || m == ZTest }

// DefaultThreshold is Evidently's default threshold of the method: 0.05 for
// the p-value tests, 0.1 for the distances.
func (m Method) DefaultThreshold() float64 {
	if m.PValue() {
		return 0.05
	}
	return 0.1
}

// Drifted reports whether score crosses threshold for the method, with
// Evidently's comparisons: KS p ≤ t; chi-square and Z p < t; distances ≥ t.
func (m Method) Drifted(score, threshold float64) bool {
	switch m {
	case KS:
		return score <= threshold
	case ChiSquare, ZTest:
		return score < threshold
	}
	return score >= threshold
}

// Binning is how PSI and Jensen–Shannon bin numeric columns.
type Binning string

const (
	// EqualWidth is Evidently's binning: Bins equal-width bins over the range
	// of the reference and current values together (numpy.histogram_bin_edges).
	EqualWidth Binning = ""
	// Quantile uses Bins bins at the reference's quantiles, open-ended at
	// both sides, so that the reference puts about 1/Bins in each.
	Quantile Binning = "quantile"
)

// Options configure a comparison. The zero value means Evidently's defaults.
type Options struct {
	// Columns to compare; nil means every column of the reference except
	// free-text (string) and datetime columns, which Evidently does not test
	// with these methods (it uses a domain classifier for text).
	Columns []string
	// Method overrides the default method for every column.
	Method Method
	// ColumnMethods overrides Method per column.
	ColumnMethods map[string]Method
	// Also lists methods computed in addition to the verdict's, per column
	// where they apply (Column.Also), e.g. all of them for a full report.
	Also []Method
	// Thresholds overrides the default threshold of a method.
	Thresholds map[Method]float64
	// DriftShare is the share of drifted columns at or above which the
	// dataset drifts; 0 means 0.5.
	DriftShare float64
	// Target and Prediction name the label and the model's score column.
	// They are reported with Role "target" and "prediction" and, as in
	// Evidently's DataDriftTable, count in the drift share.
	Target, Prediction string
	// Bins is the number of bins for PSI and Jensen–Shannon on numeric
	// columns; 0 means 30 (Evidently).
	Bins int
	// Binning chooses equal-width (default) or reference-quantile bins.
	Binning Binning
}

func (o Options) threshold(m Method) float64 {
	if t, ok := o.Thresholds[m]; ok {
		return t
	}
	return m.DefaultThreshold()
}

func (o Options) share() float64 {
	if o.DriftShare > 0 {
		return o.DriftShare
	}
	return 0.5
}

func (o Options) bins() int {
	if o.Bins > 0 {
		return o.Bins
	}
	return 30
}

// Errors.
var (
	// ErrNoColumns is returned when nothing can be compared.
	ErrNoColumns = errors.New("drift: no columns to compare")
	// ErrEmpty is returned for a reference or current frame without rows.
	ErrEmpty = errors.New("drift: no rows")
)

// kind is how a column is tested.
type kind uint8

const (
	numeric kind = iota
	categorical
)

func (k kind) String() string {
	if k == numeric {
		return "numeric"
	}
	return "categorical"
}

func kindOf(t frame.Type) (kind, bool) {
	switch t {
	case frame.Float, frame.Int:
		return numeric, true
	case frame.Bool, frame.Categorical, frame.String:
		return categorical, true
	}
	return 0, false
}

// maxValueKeys is the number of distinct reference values up to which a
// numeric column is binned per value (Evidently: more than 20 distinct
// values get equal-width bins).
const maxValueKeys = 20

// refColumn is the cached reference side of one column.
type refColumn struct {
	name string
	typ  frame.Type
	kind kind
	role string
	err  string
	n    int
	// numeric: sorted finite values, population std, distinct values with
	// counts when there are at most maxValueKeys of them (nDistinct counts
	// up to maxValueKeys+1).
	sorted    []float64
	std       float64
	values    []float64
	valCounts []float64
	nDistinct int
	qedges    []float64 // quantile bin edges when Binning is Quantile
	// categorical: level counts.
	levels []string
	counts []float64
	index  map[string]int
}

// Reference is the precomputed reference side of a comparison: per column
// the sorted values, moments and distinct values, or the category counts.
// Build it once with NewReference and compare many current frames (windows,
// batches) with Compare; it is safe for concurrent use.
type Reference struct {
	opt  Options
	rows int
	cols []*refColumn
}

// NewReference prepares ref for comparisons under opt. Columns named in
// opt.Columns that ref lacks, or whose type cannot be tested, are kept and
// reported as errors by every Compare.
func NewReference(ctx context.Context, ref *frame.Frame, opt Options) (*Reference, error) {
	if ref == nil || ref.NumRows() == 0 {
		return nil, fmt.Errorf("%w in the reference", ErrEmpty)
	}
	for _, m := range append([]Method{opt.Method}, opt.Also...) {
		if _, err := ParseMethod(string(m)); err != nil {
			return nil, err
		}
	}
	for c, m := range opt.ColumnMethods {
		if _, err := ParseMethod(string(m)); err != nil {
			return nil, fmt.Errorf("column %q: %w", c, err)
		}
	}
	names := opt.Columns
	if names == nil {
		for _, c := range ref.Columns() {
			t := c.Type()
			if t == frame.Datetime || (t == frame.String && c.Name() != opt.Target && c.Name() != opt.Prediction) {
				continue
			}
			names = append(names, c.Name())
		}
	}
	for _, extra := range []string{opt.Target, opt.Prediction} {
		if extra != "" && !contains(names, extra) && ref.Index(extra) >= 0 {
			names = append(names, extra)
		}
	}
	if len(names) == 0 {
		return nil, ErrNoColumns
	}
	r := &Reference{opt: opt, rows: ref.NumRows(), cols: make([]*refColumn, len(names))}
	err := par.ForEach(ctx, len(names), 0, func(i int) {
		r.cols[i] = r.prepare(ref, names[i])
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

func contains(ss []string, s string) bool {
	for _, v := range ss {
		if v == s {
			return true
		}
	}
	return false
}

// Rows returns the number of rows of the reference frame.
func (r *Reference) Rows() int { return r.rows }

// Options returns the options the reference was built with.
func (r *Reference) Options() Options { return r.opt }

// Columns returns the names of the compared columns, in order.
func (r *Reference) Columns() []string {
	out := make([]string, len(r.cols))
	for i, c := range r.cols {
		out[i] = c.name
	}
	return out
}

func (r *Reference) role(name string) string {
	switch name {
	case r.opt.Target:
		return "target"
	case r.opt.Prediction:
		return "prediction"
	}
	return "feature"
}

func (r *Reference) prepare(f *frame.Frame, name string) *refColumn {
	rc := &refColumn{name: name, role: r.role(name)}
	c, err := f.Column(name)
	if err != nil {
		rc.err = "not in the reference data"
		return rc
	}
	rc.typ = c.Type()
	k, ok := kindOf(rc.typ)
	if !ok {
		rc.err = fmt.Sprintf("%s columns are not compared", rc.typ)
		return rc
	}
	rc.kind = k
	if k == numeric {
		rc.sorted = finiteSorted(c)
		rc.n = len(rc.sorted)
		if rc.n == 0 {
			rc.err = "no values in the reference data"
			return rc
		}
		m := stats.ComputeMoments(rc.sorted)
		rc.std = math.Sqrt(m.Variance() * float64(rc.n-1) / float64(rc.n))
		if math.IsNaN(rc.std) {
			rc.std = 0
		}
		rc.values, rc.valCounts, rc.nDistinct = distinctRuns(rc.sorted, maxValueKeys)
		if r.opt.Binning == Quantile {
			rc.qedges = quantileEdges(rc.sorted, r.opt.bins())
		}
		return rc
	}
	rc.levels, rc.counts = levelCounts(c)
	rc.index = make(map[string]int, len(rc.levels))
	for i, l := range rc.levels {
		rc.index[l] = i
		rc.n += int(rc.counts[i])
	}
	if rc.n == 0 {
		rc.err = "no values in the reference data"
	}
	return rc
}

// finiteSorted returns the finite values of a numeric column, sorted
// (Evidently drops NaN and ±Inf before testing).
func finiteSorted(c frame.Column) []float64 {
	var x []float64
	switch c := c.(type) {
	case *frame.Float64Col:
		x = make([]float64, 0, len(c.Data))
		for _, v := range c.Data {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				x = append(x, v)
			}
		}
	case *frame.Int64Col:
		x = make([]float64, 0, len(c.Data))
		m := c.Mask()
		na := m.HasNA()
		for i, v := range c.Data {
			if !na || m.Valid(i) {
				x = append(x, float64(v))
			}
		}
	}
	stats.Sort(x)
	return x
}

// distinctRuns returns the distinct values of sorted x with their counts
// when there are at most max of them, and the number of distinct values
// (counted up to max+1).
func distinctRuns(x []float64, max int) (vals, counts []float64, n int) {
	for i := 0; i < len(x); {
		j := i + 1
		for j < len(x) && x[j] == x[i] {
			j++
		}
		n++
		if n > max {
			return nil, nil, n
		}
		vals = append(vals, x[i])
		counts = append(counts, float64(j-i))
		i = j
	}
	return vals, counts, n
}

// levelCounts counts the non-missing values of a categorical-like column by
// level text; levels are in order of first appearance (bool: "false",
// "true").
func levelCounts(c frame.Column) ([]string, []float64) {
	switch c := c.(type) {
	case *frame.CategoricalCol:
		cnt := make([]float64, len(c.Levels))
		for _, k := range c.Codes {
			if k >= 0 {
				cnt[k]++
			}
		}
		var levels []string
		var counts []float64
		for i, l := range c.Levels {
			if cnt[i] > 0 {
				levels = append(levels, l)
				counts = append(counts, cnt[i])
			}
		}
		return levels, counts
	case *frame.BoolCol:
		var f, t float64
		m := c.Mask()
		for i, v := range c.Data {
			if m.Valid(i) {
				if v {
					t++
				} else {
					f++
				}
			}
		}
		var levels []string
		var counts []float64
		if f > 0 {
			levels, counts = append(levels, "false"), append(counts, f)
		}
		if t > 0 {
			levels, counts = append(levels, "true"), append(counts, t)
		}
		return levels, counts
	}
	idx := map[string]int{}
	var levels []string
	var counts []float64
	for i := 0; i < c.Len(); i++ {
		if c.IsNA(i) {
			continue
		}
		s := c.Format(i)
		k, ok := idx[s]
		if !ok {
			k = len(levels)
			idx[s] = k
			levels = append(levels, s)
			counts = append(counts, 0)
		}
		counts[k]++
	}
	return levels, counts
}

// Compare compares the current frame with the reference column by column.
// Columns missing from cur, or of another kind, are reported with Error and
// left out of the drift share; the others are still compared. Columns of
// cur that the reference lacks are reported with Error too.
func (r *Reference) Compare(ctx context.Context, cur *frame.Frame) (*Report, error) {
	if cur == nil {
		return nil, fmt.Errorf("%w in the current data", ErrEmpty)
	}
	rep := &Report{ReferenceN: r.rows, CurrentN: cur.NumRows(), ShareThreshold: r.opt.share()}
	if cur.NumRows() == 0 {
		return nil, fmt.Errorf("%w in the current data", ErrEmpty)
	}
	rep.Columns = make([]Column, len(r.cols))
	err := par.ForEach(ctx, len(r.cols), 0, func(i int) {
		rep.Columns[i] = r.compareColumn(r.cols[i], cur)
	})
	if err != nil {
		return nil, err
	}
	if r.opt.Columns == nil {
		for _, c := range cur.Columns() {
			t := c.Type()
			if t == frame.Datetime || t == frame.String || r.has(c.Name()) {
				continue
			}
			col := newColumn(c.Name(), r.role(c.Name()))
			col.DataType, col.Error, col.CurrentN = t.String(), "not in the reference data", c.Len()-c.NullCount()
			rep.Columns = append(rep.Columns, col)
		}
	}
	rep.summarize()
	return rep, nil
}

func (r *Reference) has(name string) bool {
	for _, c := range r.cols {
		if c.name == name {
			return true
		}
	}
	return false
}

// Compare is NewReference followed by one Reference.Compare.
func Compare(ctx context.Context, ref, cur *frame.Frame, opt Options) (*Report, error) {
	r, err := NewReference(ctx, ref, opt)
	if err != nil {
		return nil, err
	}
	return r.Compare(ctx, cur)
}

// newColumn returns a column result with every number NaN.
func newColumn(name, role string) Column {
	nan := math.NaN()
	return Column{Name: name, Role: role, Result: Result{Statistic: nan, PValue: nan, Score: nan, Threshold: nan}, EffectSize: nan}
}

// curSide is the current side of one column.
type curSide struct {
	sorted []float64
	w      float64 // Wasserstein distance to the reference, NaN until computed
	levels []string
	counts []float64
	n      int
}

// wasserstein returns the (cached) Wasserstein distance to the reference.
func (cs *curSide) wasserstein(rc *refColumn) float64 {
	if math.IsNaN(cs.w) {
		cs.w = WassersteinDistance(rc.sorted, cs.sorted)
	}
	return cs.w
}

func (r *Reference) compareColumn(rc *refColumn, cur *frame.Frame) Column {
	col := newColumn(rc.name, rc.role)
	col.Type, col.DataType, col.ReferenceN = rc.kind.String(), rc.typ.String(), rc.n
	if rc.err != "" {
		col.Type = ""
		col.Error = rc.err
		return col
	}
	c, err := cur.Column(rc.name)
	if err != nil {
		col.Error = "not in the current data"
		return col
	}
	k, ok := kindOf(c.Type())
	if !ok || k != rc.kind || (rc.typ == frame.Bool) != (c.Type() == frame.Bool) {
		col.Error = fmt.Sprintf("type changed: %s in the reference, %s in the current data", rc.typ, c.Type())
		return col
	}
	cs := curSide{w: math.NaN()}
	if k == numeric {
		cs.sorted = finiteSorted(c)
		cs.n = len(cs.sorted)
	} else {
		cs.levels, cs.counts = levelCounts(c)
		for _, v := range cs.counts {
			cs.n += int(v)
		}
	}
	col.CurrentN = cs.n
	if cs.n == 0 {
		col.Error = "no values in the current data"
		return col
	}
	asCat, nuniq := r.categorize(rc, &cs)
	m := r.opt.Method
	if cm, ok := r.opt.ColumnMethods[rc.name]; ok {
		m = cm
	}
	if m == Auto {
		m = defaultMethod(rc.n, asCat, nuniq)
	}
	res, err := r.run(m, rc, &cs)
	if err != nil {
		col.Method = m
		col.Error = err.Error()
		return col
	}
	col.Result = res
	for _, am := range r.opt.Also {
		if am == m || !applies(am, rc, asCat) {
			continue
		}
		if ar, err := r.run(am, rc, &cs); err == nil {
			col.Also = append(col.Also, ar)
		}
	}
	if asCat {
		rk, ck := r.keyCounts(rc, &cs)
		col.EffectSize, col.Effect = CramersV2(rk, ck), "cramers_v"
	} else {
		col.EffectSize, col.Effect = cs.wasserstein(rc)/math.Max(rc.std, 0.001), "wasserstein_std"
	}
	return col
}

// applies reports whether an extra (Options.Also) method suits the column:
// KS and Wasserstein need numbers, chi-square and the Z-test categories (or
// few distinct numbers; Z at most two).
func applies(m Method, rc *refColumn, asCat bool) bool {
	switch m {
	case KS, Wasserstein:
		return rc.kind == numeric
	case ChiSquare:
		return asCat || (rc.kind == numeric && rc.nDistinct <= maxValueKeys)
	case ZTest:
		return asCat && len(rc.levels) <= 2 && rc.nDistinct <= 2
	}
	return true
}

// categorize reports whether the column is tested as categories (a
// categorical column, or a numeric one with at most 5 distinct values over
// both samples, as Evidently) and that number of distinct values (counted
// up to 6 for numeric columns).
func (r *Reference) categorize(rc *refColumn, cs *curSide) (bool, int) {
	if rc.kind == categorical {
		n := len(rc.levels)
		for _, l := range cs.levels {
			if _, ok := rc.index[l]; !ok {
				n++
			}
		}
		return true, n
	}
	if rc.nDistinct > 5 {
		return false, rc.nDistinct
	}
	seen := append([]float64(nil), rc.values...)
	for i := 0; i < len(cs.sorted); {
		v := cs.sorted[i]
		if !containsF(seen, v) {
			seen = append(seen, v)
			if len(seen) > 5 {
				return false, len(seen)
			}
		}
		for i < len(cs.sorted) && cs.sorted[i] == v {
			i++
		}
	}
	return true, len(seen)
}

func containsF(x []float64, v float64) bool {
	for _, w := range x {
		if w == v {
			return true
		}
	}
	return false
}

// defaultMethod is Evidently 0.7's default test for a column with n
// reference values: see the package documentation.
func defaultMethod(n int, asCat bool, nuniq int) Method {
	if n <= 1000 {
		if !asCat {
			return KS
		}
		if nuniq > 2 {
			return ChiSquare
		}
		return ZTest
	}
	if asCat {
		return JS
	}
	return Wasserstein
}

// keyCounts aligns the reference and current counts per category (or per
// distinct numeric value): reference keys first, then new current keys.
func (r *Reference) keyCounts(rc *refColumn, cs *curSide) (ref, cur []float64) {
	if rc.kind == categorical {
		ref = append([]float64(nil), rc.counts...)
		cur = make([]float64, len(ref))
		for i, l := range cs.levels {
			if k, ok := rc.index[l]; ok {
				cur[k] += cs.counts[i]
			} else {
				ref = append(ref, 0)
				cur = append(cur, cs.counts[i])
			}
		}
		return ref, cur
	}
	// numeric values: merge the distinct runs of both sorted samples.
	keys := map[float64]int{}
	var rv []float64
	if rc.values != nil {
		for i, v := range rc.values {
			keys[v] = i
		}
		rv = append(rv, rc.valCounts...)
	} else {
		vals, cnts, _ := distinctRuns(rc.sorted, math.MaxInt)
		for i, v := range vals {
			keys[v] = i
		}
		rv = cnts
	}
	cur = make([]float64, len(rv))
	for i := 0; i < len(cs.sorted); {
		v := cs.sorted[i]
		j := i + 1
		for j < len(cs.sorted) && cs.sorted[j] == v {
			j++
		}
		if k, ok := keys[v]; ok {
			cur[k] += float64(j - i)
		} else {
			rv = append(rv, 0)
			cur = append(cur, float64(j-i))
		}
		i = j
	}
	return rv, cur
}

// binned returns the counts that PSI and Jensen–Shannon compare (Evidently's
// get_binned_data): per category for categorical columns and for numeric
// columns with at most 20 distinct reference values, else Bins bins.
func (r *Reference) binned(rc *refColumn, cs *curSide) (ref, cur []float64) {
	if rc.kind == categorical || rc.nDistinct <= maxValueKeys {
		return r.keyCounts(rc, cs)
	}
	if rc.qedges != nil {
		return quantileHistogram(rc.sorted, rc.qedges), quantileHistogram(cs.sorted, rc.qedges)
	}
	lo := math.Min(rc.sorted[0], cs.sorted[0])
	hi := math.Max(rc.sorted[len(rc.sorted)-1], cs.sorted[len(cs.sorted)-1])
	e := equalWidthEdges(lo, hi, r.opt.bins())
	return sortedHistogram(rc.sorted, e), sortedHistogram(cs.sorted, e)
}

// run computes one method on one column.
func (r *Reference) run(m Method, rc *refColumn, cs *curSide) (Result, error) {
	res := Result{Method: m, Threshold: r.opt.threshold(m), PValue: math.NaN()}
	nr, nc := float64(rc.n), float64(cs.n)
	switch m {
	case KS:
		if rc.kind != numeric {
			return res, fmt.Errorf("ks needs a numeric column")
		}
		res.Statistic, res.PValue = KS2Samp(rc.sorted, cs.sorted)
		res.Score = res.PValue
	case Wasserstein:
		if rc.kind != numeric {
			return res, fmt.Errorf("wasserstein needs a numeric column")
		}
		res.Statistic = cs.wasserstein(rc)
		res.Score = res.Statistic / math.Max(rc.std, 0.001)
	case JS:
		a, b := r.binned(rc, cs)
		res.Statistic = JensenShannon(a, b, nr, nc)
		res.Score = res.Statistic
	case PSI:
		a, b := r.binned(rc, cs)
		res.Statistic = PopulationStability(a, b, nr, nc)
		res.Score = res.Statistic
	case ChiSquare:
		a, b := r.keyCounts(rc, cs)
		if len(a) < 2 {
			res.Statistic, res.PValue = 0, 1
		} else {
			res.Statistic, res.PValue = ChiSquareGOF(a, b, nr, nc)
		}
		res.Score = res.PValue
	case ZTest:
		a, b := r.keyCounts(rc, cs)
		if len(a) > 2 {
			return res, fmt.Errorf("ztest needs at most 2 categories, found %d", len(a))
		}
		res.Statistic, res.PValue = TwoProportionZ(a, b)
		res.Score = res.PValue
	default:
		return res, fmt.Errorf("drift: unknown method %q", m)
	}
	res.Drift = m.Drifted(res.Score, res.Threshold)
	return res, nil
}
