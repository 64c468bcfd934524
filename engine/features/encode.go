package features

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/models"
)

// RareLevel is the one-hot column suffix of the grouped rare levels:
// "<col>=(rare)".
const RareLevel = "(rare)"

func encodeKinds() []*kind {
	return []*kind{
		{
			info: TransformInfo{Name: "onehot", Group: "encoding",
				Doc: "One 0/1 column <col>=<level> per level (sorted); rare levels grouped into <col>=(rare), which also takes unseen levels; missing sets no column",
				Params: []ParamInfo{
					{"max_levels", "20", "at most this many columns per input, the (rare) column included"},
					{"min_frequency", "0", "levels seen fewer times (a share when < 1) are rare"},
				}},
			accepts: isCategory, fit: fitOneHot, zero: func() step { return &oneHotStep{} },
		},
		{
			info: TransformInfo{Name: "ordinal", Group: "encoding",
				Doc:    "Level index in sorted order (or the given order); unseen levels −1, missing stays missing (scikit-learn OrdinalEncoder)",
				Params: []ParamInfo{{"order", "sorted", "the levels in order (one input column only)"}}},
			accepts: isCategory, fit: fitOrdinal, zero: func() step { return &ordinalStep{} },
		},
		{
			info: TransformInfo{Name: "frequency", Group: "encoding",
				Doc:    "Share (or count) of the level among the training rows; missing is a level of its own; unseen levels 0",
				Params: []ParamInfo{{"normalize", "true", "shares (false: counts)"}}},
			accepts: isCategory, fit: fitFrequency, zero: func() step { return &freqStep{} },
		},
		{
			info: TransformInfo{Name: "target", Group: "encoding",
				Doc: "Smoothed target mean per level, (Σy + m·prior)/(n + m); training rows get out-of-fold values; unseen levels and missing get the prior. One column <col>_te (regression, binary: P(second class)) or <col>_te=<class> per class (multiclass)",
				Params: []ParamInfo{
					{"smoothing", "1", "m of the m-estimate (category_encoders MEstimateEncoder)"},
					{"folds", "5", "folds of the out-of-fold training encoding (≥ 2)"},
				}},
			accepts: isCategory, fit: fitTarget, zero: func() step { return &targetStep{} },
		},
	}
}

// levelCounts counts the levels of c by text; missing is not counted.
func levelCounts(c frame.Column) (levels []string, counts []int) {
	codes, lv := levelCodes(c)
	n := make([]int, len(lv))
	for _, k := range codes {
		if k >= 0 {
			n[k]++
		}
	}
	for k, l := range lv {
		if n[k] > 0 {
			levels = append(levels, l)
			counts = append(counts, n[k])
		}
	}
	return levels, counts
}

type oneHotCol struct {
	Name    string   `json:"name"`
	Levels  []string `json:"levels"`
	Rare    []string `json:"rare,omitempty"`
	HasRare bool     `json:"has_rare_column"`
}

type oneHotStep struct {
	Columns []oneHotCol `json:"columns"`
}

func fitOneHot(e *fitEnv, cols []string, p *params, train *frame.Frame) (step, error) {
	maxLevels := p.int("max_levels", 20, 2, 100000)
	minFreq := p.float("min_frequency", 0)
	s := &oneHotStep{}
	n := float64(train.NumRows())
	for _, name := range cols {
		c, _ := train.Column(name)
		levels, counts := levelCounts(c)
		order := make([]int, len(levels))
		for i := range order {
			order[i] = i
		}
		sort.Slice(order, func(a, b int) bool {
			ia, ib := order[a], order[b]
			if counts[ia] != counts[ib] {
				return counts[ia] > counts[ib]
			}
			return levels[ia] < levels[ib]
		})
		thr := minFreq
		if minFreq > 0 && minFreq < 1 {
			thr = minFreq * n
		}
		var keep, rare []string
		for _, i := range order {
			if float64(counts[i]) < thr {
				rare = append(rare, levels[i])
			} else {
				keep = append(keep, levels[i])
			}
		}
		if len(keep)+min(len(rare), 1) > maxLevels {
			rare = append(keep[maxLevels-1:], rare...)
			keep = keep[:maxLevels-1]
		}
		sort.Strings(keep)
		sort.Strings(rare)
		s.Columns = append(s.Columns, oneHotCol{Name: name, Levels: keep, Rare: rare, HasRare: len(rare) > 0})
	}
	return s, nil
}

func (s *oneHotStep) apply(ctx context.Context, f *frame.Frame) (*frame.Frame, error) {
	var err error
	for _, oc := range s.Columns {
		c, cerr := f.Column(oc.Name)
		if cerr != nil {
			return nil, cerr
		}
		known := map[string]int{}
		for k, l := range oc.Levels {
			known[l] = k
		}
		width := len(oc.Levels)
		if oc.HasRare {
			width++
		}
		codes, levels := levelCodes(c)
		m := mapLevels(levels, known)
		data := make([][]float64, width)
		for k := range data {
			data[k] = make([]float64, len(codes))
		}
		for i, code := range codes {
			if code < 0 {
				continue
			}
			k := m[code]
			if k < 0 {
				if !oc.HasRare {
					continue
				}
				k = len(oc.Levels)
			}
			data[k][i] = 1
		}
		out := make([]frame.Column, width)
		for k, l := range oc.Levels {
			out[k] = floatCol(oc.Name+"="+l, data[k])
		}
		if oc.HasRare {
			out[width-1] = floatCol(oc.Name+"="+RareLevel, data[width-1])
		}
		if f, err = replace(f, oc.Name, out...); err != nil {
			return nil, err
		}
	}
	return f, nil
}

type levelsCol struct {
	Name   string   `json:"name"`
	Levels []string `json:"levels"`
}

type ordinalStep struct {
	Columns []levelsCol `json:"columns"`
}

func fitOrdinal(e *fitEnv, cols []string, p *params, train *frame.Frame) (step, error) {
	order := p.strs("order", nil)
	if order != nil && len(cols) != 1 {
		return nil, fmt.Errorf("param order needs exactly one column, got %d", len(cols))
	}
	s := &ordinalStep{}
	for _, name := range cols {
		c, _ := train.Column(name)
		levels, _ := levelCounts(c)
		if order != nil {
			seen := map[string]bool{}
			for _, l := range order {
				seen[l] = true
			}
			for _, l := range levels {
				if !seen[l] {
					return nil, fmt.Errorf("column %q has level %q, which param order does not list", name, l)
				}
			}
			levels = order
		} else {
			sort.Strings(levels)
		}
		s.Columns = append(s.Columns, levelsCol{name, levels})
	}
	return s, nil
}

func (s *ordinalStep) apply(ctx context.Context, f *frame.Frame) (*frame.Frame, error) {
	var err error
	for _, oc := range s.Columns {
		c, cerr := f.Column(oc.Name)
		if cerr != nil {
			return nil, cerr
		}
		known := map[string]int{}
		for k, l := range oc.Levels {
			known[l] = k
		}
		codes, levels := levelCodes(c)
		m := mapLevels(levels, known)
		x := make([]float64, len(codes))
		for i, code := range codes {
			if code < 0 {
				x[i] = math.NaN()
			} else {
				x[i] = float64(m[code])
			}
		}
		if f, err = replace(f, oc.Name, floatCol(oc.Name, x)); err != nil {
			return nil, err
		}
	}
	return f, nil
}

type freqCol struct {
	Name    string   `json:"name"`
	Levels  []string `json:"levels"`
	Values  []nfloat `json:"values"`
	Missing nfloat   `json:"missing"`
}

type freqStep struct {
	Columns []freqCol `json:"columns"`
}

func fitFrequency(e *fitEnv, cols []string, p *params, train *frame.Frame) (step, error) {
	norm := p.bool("normalize", true)
	n := float64(train.NumRows())
	s := &freqStep{}
	for _, name := range cols {
		c, _ := train.Column(name)
		levels, counts := levelCounts(c)
		fc := freqCol{Name: name, Levels: levels, Missing: nfloat(c.NullCount())}
		for _, k := range counts {
			fc.Values = append(fc.Values, nfloat(k))
		}
		if norm {
			for k := range fc.Values {
				fc.Values[k] /= nfloat(n)
			}
			fc.Missing /= nfloat(n)
		}
		s.Columns = append(s.Columns, fc)
	}
	return s, nil
}

func (s *freqStep) validate() error {
	for _, c := range s.Columns {
		if len(c.Levels) != len(c.Values) {
			return fmt.Errorf("column %q: %d levels, %d values", c.Name, len(c.Levels), len(c.Values))
		}
	}
	return nil
}

func (s *freqStep) apply(ctx context.Context, f *frame.Frame) (*frame.Frame, error) {
	var err error
	for _, fc := range s.Columns {
		c, cerr := f.Column(fc.Name)
		if cerr != nil {
			return nil, cerr
		}
		known := map[string]int{}
		for k, l := range fc.Levels {
			known[l] = k
		}
		codes, levels := levelCodes(c)
		m := mapLevels(levels, known)
		x := make([]float64, len(codes))
		for i, code := range codes {
			switch {
			case code < 0:
				x[i] = float64(fc.Missing)
			case m[code] >= 0:
				x[i] = float64(fc.Values[m[code]])
			}
		}
		if f, err = replace(f, fc.Name, floatCol(fc.Name, x)); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// targetCol is the learned encoding of one column: Values[k] holds one
// number per output (1, or one per class) for Levels[k].
type targetCol struct {
	Name   string     `json:"name"`
	Levels []string   `json:"levels"`
	Counts []int      `json:"counts"`
	Values [][]nfloat `json:"values"`
}

// targetStep is the m-estimate target encoder. Outputs names the output
// suffixes: "" for one output column, else the class labels.
type targetStep struct {
	M       float64     `json:"smoothing"`
	Folds   int         `json:"folds"`
	Outputs []string    `json:"outputs"`
	Prior   []nfloat    `json:"prior"`
	Columns []targetCol `json:"columns"`

	train *frame.Frame
}

func (s *targetStep) trainOutput() *frame.Frame { return s.train }

// targetMatrix returns one target vector per output: y itself for
// regression, 1{y = 1} for binary, 1{y = k} per class for multiclass.
func targetMatrix(e *fitEnv) ([][]float64, []string) {
	switch e.task {
	case models.Binary:
		return [][]float64{e.y}, []string{""}
	case models.Multiclass:
		out := make([][]float64, len(e.classes))
		for k := range out {
			out[k] = make([]float64, len(e.y))
			for i, v := range e.y {
				if int(v) == k {
					out[k][i] = 1
				}
			}
		}
		return out, e.classes
	}
	return [][]float64{e.y}, []string{""}
}

// encodeLevels learns, over rows (indexes into codes), the prior and the
// smoothed mean per level of each target vector.
func encodeLevels(codes []int32, nLevels int, ys [][]float64, rows []int, m float64) (prior []float64, vals [][]float64, counts []int) {
	counts = make([]int, nLevels)
	sums := make([][]float64, len(ys))
	prior = make([]float64, len(ys))
	for o := range ys {
		sums[o] = make([]float64, nLevels)
	}
	for _, i := range rows {
		k := codes[i]
		if k >= 0 {
			counts[k]++
		}
		for o, y := range ys {
			prior[o] += y[i]
			if k >= 0 {
				sums[o][k] += y[i]
			}
		}
	}
	for o := range prior {
		prior[o] /= float64(max(len(rows), 1))
	}
	vals = make([][]float64, nLevels)
	for k := range vals {
		vals[k] = make([]float64, len(ys))
		for o := range ys {
			vals[k][o] = (sums[o][k] + m*prior[o]) / (float64(counts[k]) + m)
		}
	}
	return prior, vals, counts
}

func fitTarget(e *fitEnv, cols []string, p *params, train *frame.Frame) (step, error) {
	if e.y == nil {
		return nil, fmt.Errorf("target encoding needs a target column")
	}
	s := &targetStep{M: p.float("smoothing", 1), Folds: p.int("folds", 5, 2, 1000)}
	if s.M < 0 {
		return nil, fmt.Errorf("param smoothing: want a number ≥ 0, got %v", s.M)
	}
	ys, outs := targetMatrix(e)
	s.Outputs = outs
	n := train.NumRows()
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	// Folds: a seeded shuffle of the training rows cut into Folds parts.
	perm := append([]int(nil), all...)
	newRand(e.seed).Shuffle(n, func(a, b int) { perm[a], perm[b] = perm[b], perm[a] })
	fold := make([]int, n)
	for r, i := range perm {
		fold[i] = r * s.Folds / max(n, 1)
	}
	out := train
	for ci, name := range cols {
		c, _ := train.Column(name)
		codes, levels := levelCodes(c)
		prior, vals, counts := encodeLevels(codes, len(levels), ys, all, s.M)
		if ci == 0 {
			s.Prior = toN(prior)
		}
		tc := targetCol{Name: name}
		for k, l := range levels {
			if counts[k] > 0 {
				tc.Levels = append(tc.Levels, l)
				tc.Counts = append(tc.Counts, counts[k])
				tc.Values = append(tc.Values, toN(vals[k]))
			}
		}
		s.Columns = append(s.Columns, tc)
		// Out-of-fold values for the training rows.
		enc := make([][]float64, len(ys))
		for o := range enc {
			enc[o] = make([]float64, n)
		}
		for k := 0; k < s.Folds; k++ {
			var fit, hold []int
			for i := range all {
				if fold[i] == k {
					hold = append(hold, i)
				} else {
					fit = append(fit, i)
				}
			}
			fp, fv, fc := encodeLevels(codes, len(levels), ys, fit, s.M)
			for _, i := range hold {
				for o := range ys {
					if l := codes[i]; l >= 0 && fc[l] > 0 {
						enc[o][i] = fv[l][o]
					} else {
						enc[o][i] = fp[o]
					}
				}
			}
		}
		var err error
		if out, err = replace(out, name, s.outCols(name, enc)...); err != nil {
			return nil, err
		}
	}
	s.train = out
	return s, nil
}

func (s *targetStep) outCols(name string, enc [][]float64) []frame.Column {
	out := make([]frame.Column, len(enc))
	for o, x := range enc {
		n := name + "_te"
		if s.Outputs[o] != "" {
			n += "=" + s.Outputs[o]
		}
		out[o] = floatCol(n, x)
	}
	return out
}

func (s *targetStep) validate() error {
	if len(s.Prior) != len(s.Outputs) {
		return fmt.Errorf("%d priors for %d outputs", len(s.Prior), len(s.Outputs))
	}
	for _, c := range s.Columns {
		if len(c.Levels) != len(c.Values) {
			return fmt.Errorf("column %q: %d levels, %d values", c.Name, len(c.Levels), len(c.Values))
		}
		for _, v := range c.Values {
			if len(v) != len(s.Outputs) {
				return fmt.Errorf("column %q: %d values per level, want %d", c.Name, len(v), len(s.Outputs))
			}
		}
	}
	return nil
}

func (s *targetStep) apply(ctx context.Context, f *frame.Frame) (*frame.Frame, error) {
	var err error
	for _, tc := range s.Columns {
		c, cerr := f.Column(tc.Name)
		if cerr != nil {
			return nil, cerr
		}
		known := map[string]int{}
		for k, l := range tc.Levels {
			known[l] = k
		}
		codes, levels := levelCodes(c)
		m := mapLevels(levels, known)
		enc := make([][]float64, len(s.Outputs))
		for o := range enc {
			enc[o] = make([]float64, len(codes))
			for i, code := range codes {
				if code >= 0 && m[code] >= 0 {
					enc[o][i] = float64(tc.Values[m[code]][o])
				} else {
					enc[o][i] = float64(s.Prior[o])
				}
			}
		}
		if f, err = replace(f, tc.Name, s.outCols(tc.Name, enc)...); err != nil {
			return nil, err
		}
	}
	return f, nil
}
