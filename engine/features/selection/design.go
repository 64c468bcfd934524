package selection

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sort"

	"github.com/mlwb/mlwb/engine/features"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/models"
)

func newRand(seed, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream^0x73656c656374))
}

// Design is the numeric design matrix of a set of features for the
// model-based scores and methods: each feature (a source column) owns one
// or more columns of X. Numbers are median-imputed and standardized,
// datetimes become standardized days, categorical and string columns are
// one-hot encoded (at most 10 columns, rarer levels grouped).
type Design struct {
	X       *models.Matrix
	Groups  [][]int  // columns of X per feature
	Names   []string // feature names, one per group
	Y       []float64
	Task    models.Task
	Classes []string
	// Dropped lists the features left out (identifiers, free text,
	// constants) with the reason DefaultPipeline gives.
	Dropped map[string]string
}

// NewDesign builds the design of the named features of f (nil: every
// column but the target) with y the encoded target.
func NewDesign(ctx context.Context, f *frame.Frame, targetName string, names []string) (*Design, error) {
	tg, err := encodeTarget(f, targetName)
	if err != nil {
		return nil, err
	}
	if names == nil {
		for _, n := range f.Names() {
			if n != targetName {
				names = append(names, n)
			}
		}
	}
	why, err := dropReasons(ctx, f, targetName, runtime.GOMAXPROCS(0))
	if err != nil {
		return nil, err
	}
	d := &Design{Y: tg.y, Task: tg.task, Classes: tg.classes, Dropped: map[string]string{}}
	var cols [][]float64
	var colNames []string
	for _, n := range names {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c, err := f.Column(n)
		if err != nil {
			return nil, fmt.Errorf("selection: %w", err)
		}
		if n == targetName {
			return nil, fmt.Errorf("selection: %q is the target", n)
		}
		if r, ok := why[n]; ok {
			d.Dropped[n] = r
			continue
		}
		var steps []features.Spec
		switch {
		case c.Type() == frame.Datetime:
			steps = append(steps, features.Spec{Transform: "date_parts", Params: map[string]any{"parts": []any{"days_since"}}})
		case c.Type() == frame.Categorical || c.Type() == frame.String:
			steps = append(steps, features.Spec{Transform: "onehot", Params: map[string]any{"max_levels": 10.0}})
		}
		if c.Type() != frame.Categorical && c.Type() != frame.String {
			steps = append(steps,
				features.Spec{Transform: "impute", Params: map[string]any{"strategy": "median"}},
				features.Spec{Transform: "standard_scale"})
		}
		sel, _ := f.Select(n)
		fp, out, err := features.Pipeline{Steps: steps}.FitTransform(ctx, sel, "", nil, features.Options{})
		if err != nil {
			return nil, fmt.Errorf("selection: feature %q: %w", n, err)
		}
		var g []int
		for _, on := range fp.Output {
			oc, _ := out.Column(on)
			x, err := frame.Floats(oc)
			if err != nil {
				return nil, fmt.Errorf("selection: feature %q: %w", n, err)
			}
			g = append(g, len(cols))
			cols = append(cols, x)
			colNames = append(colNames, on)
		}
		d.Groups = append(d.Groups, g)
		d.Names = append(d.Names, n)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("selection: no usable feature columns")
	}
	d.X = models.NewMatrix(f.NumRows(), len(cols))
	d.X.Names = colNames
	for j, x := range cols {
		copy(d.X.Col(j), x)
	}
	return d, nil
}

// Sub returns the design restricted to the feature groups gs and rows
// (nil: all rows).
func (d *Design) Sub(gs []int, rows []int) (*models.Matrix, []float64) {
	var idx []int
	for _, g := range gs {
		idx = append(idx, d.Groups[g]...)
	}
	n := d.X.Rows
	if rows != nil {
		n = len(rows)
	}
	m := models.NewMatrix(n, len(idx))
	m.Names = make([]string, len(idx))
	for k, j := range idx {
		m.Names[k] = d.X.Names[j]
		src, dst := d.X.Col(j), m.Col(k)
		if rows == nil {
			copy(dst, src)
		} else {
			for r, i := range rows {
				dst[r] = src[i]
			}
		}
	}
	y := d.Y
	if rows != nil {
		y = make([]float64, len(rows))
		for r, i := range rows {
			y[r] = d.Y[i]
		}
	}
	return m, y
}

// sampleRows returns at most n row indexes of 0..total−1, a seeded sample
// in increasing order when total > n.
func sampleRows(total, n int, seed uint64) []int {
	rows := make([]int, total)
	for i := range rows {
		rows[i] = i
	}
	if total <= n {
		return rows
	}
	r := newRand(seed, 99)
	r.Shuffle(total, func(a, b int) { rows[a], rows[b] = rows[b], rows[a] })
	rows = rows[:n]
	sort.Ints(rows)
	return rows
}

// fitOptions returns the FitOptions of the design's task.
func (d *Design) fitOptions() models.FitOptions {
	return models.FitOptions{Task: d.Task, Classes: d.Classes}
}

// score returns accuracy (classification) or R² (regression) of m on X, y:
// the score scikit-learn's estimators report.
func (d *Design) score(m predictor, X *models.Matrix, y []float64) (float64, error) {
	pred := make([]float64, X.Rows)
	if err := m.Predict(X, pred); err != nil {
		return 0, err
	}
	if d.Task.Classifier() {
		ok := 0
		for i, p := range pred {
			if p == y[i] {
				ok++
			}
		}
		return float64(ok) / float64(len(y)), nil
	}
	var mean float64
	for _, v := range y {
		mean += v
	}
	mean /= float64(len(y))
	var ssr, sst float64
	for i, p := range pred {
		ssr += (y[i] - p) * (y[i] - p)
		sst += (y[i] - mean) * (y[i] - mean)
	}
	if sst == 0 {
		return 0, nil
	}
	return 1 - ssr/sst, nil
}
