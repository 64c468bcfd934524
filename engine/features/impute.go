package features

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/stats"
)

func imputeKinds() []*kind {
	return []*kind{
		{
			info: TransformInfo{Name: "impute", Group: "imputation",
				Doc: "Fill missing values with a statistic of the training rows (scikit-learn SimpleImputer)",
				Params: []ParamInfo{
					{"strategy", "median", "mean, median, most_frequent or constant (categorical columns: most_frequent or constant)"},
					{"value", "0 / \"missing\"", "the fill value of strategy constant"},
					{"indicator", "false", "add a <col>_missing 0/1 column for each column with missing training values"},
				}},
			accepts: func(c frame.Column) bool { return isNumeric(c) || isCategory(c) },
			fit:     fitImpute,
			zero:    func() step { return &imputeStep{} },
		},
		{
			info: TransformInfo{Name: "knn_impute", Group: "imputation",
				Doc: "Fill missing numbers with the mean of the k nearest training rows (scikit-learn KNNImputer, nan_euclidean, uniform weights)",
				Params: []ParamInfo{
					{"n_neighbors", "5", "number of donors"},
					{"max_donors", "10000", "training rows kept as donors (a seeded sample above this)"},
					{"indicator", "false", "add <col>_missing columns"},
				}},
			fit:  fitKNNImpute,
			zero: func() step { return &knnStep{} },
		},
	}
}

// imputeStep fills each column with one value; Text holds the fill of
// categorical columns.
type imputeStep struct {
	Strategy   string            `json:"strategy"`
	Fill       map[string]nfloat `json:"fill,omitempty"`
	Text       map[string]string `json:"fill_text,omitempty"`
	Indicators []string          `json:"indicators,omitempty"`
	Order      []string          `json:"columns"`
}

func (s *imputeStep) validate() error {
	for _, n := range s.Order {
		_, num := s.Fill[n]
		_, txt := s.Text[n]
		if !num && !txt {
			return fmt.Errorf("no fill value for column %q", n)
		}
	}
	return nil
}

// mostFrequent returns the most frequent value of x (NaN skipped), the
// smallest on ties as scikit-learn; NaN when x has no value.
func mostFrequent(x []float64) float64 {
	v := nonNaN(x)
	if len(v) == 0 {
		return math.NaN()
	}
	sort.Float64s(v)
	best, bestN := v[0], 0
	for i := 0; i < len(v); {
		j := i
		for j < len(v) && v[j] == v[i] {
			j++
		}
		if j-i > bestN {
			best, bestN = v[i], j-i
		}
		i = j
	}
	return best
}

func fitImpute(e *fitEnv, cols []string, p *params, train *frame.Frame) (step, error) {
	s := &imputeStep{Strategy: p.choice("strategy", "median", "mean", "median", "most_frequent", "constant"),
		Fill: map[string]nfloat{}, Text: map[string]string{}}
	ind := p.bool("indicator", false)
	var numVal float64
	textVal := "missing"
	if v, ok := p.get("value"); ok {
		switch x := v.(type) {
		case float64:
			numVal = x
			textVal = frame.FormatFloat(x)
		case string:
			textVal = x
			numVal = math.NaN()
		default:
			p.fail("value", "a number or text", v)
		}
	}
	for _, name := range cols {
		c, _ := train.Column(name)
		if isCategory(c) && !e.explicit && (s.Strategy == "mean" || s.Strategy == "median") {
			continue // by default mean and median take the number columns only
		}
		s.Order = append(s.Order, name)
		if ind && c.NullCount() > 0 {
			s.Indicators = append(s.Indicators, name)
		}
		if isCategory(c) {
			switch s.Strategy {
			case "mean", "median":
				return nil, fmt.Errorf("column %q is %s; strategy %s needs numbers (use most_frequent or constant)", name, c.Type(), s.Strategy)
			case "constant":
				s.Text[name] = textVal
			default:
				codes, levels := levelCodes(c)
				n := make([]int, len(levels))
				for _, k := range codes {
					if k >= 0 {
						n[k]++
					}
				}
				best := -1
				for k := range levels {
					if n[k] > 0 && (best < 0 || n[k] > n[best] || n[k] == n[best] && levels[k] < levels[best]) {
						best = k
					}
				}
				if best < 0 {
					s.Text[name] = textVal
				} else {
					s.Text[name] = levels[best]
				}
			}
			continue
		}
		x, _ := frame.Floats(c)
		var v float64
		switch s.Strategy {
		case "mean":
			v = stats.Mean(nonNaN(x))
		case "median":
			nn := nonNaN(x)
			sort.Float64s(nn)
			v = stats.Median(nn)
		case "most_frequent":
			v = mostFrequent(x)
		case "constant":
			v = numVal
			if math.IsNaN(v) {
				return nil, fmt.Errorf("column %q is numeric; param value %q is text", name, textVal)
			}
		}
		if math.IsNaN(v) {
			v = 0 // no training value at all: documented fill of 0
		}
		s.Fill[name] = nfloat(v)
	}
	return s, nil
}

func (s *imputeStep) apply(ctx context.Context, f *frame.Frame) (*frame.Frame, error) {
	var err error
	for _, name := range s.Order {
		c, cerr := f.Column(name)
		if cerr != nil {
			return nil, cerr
		}
		var out []frame.Column
		if t, ok := s.Text[name]; ok {
			codes, levels := levelCodes(c)
			nc := make([]int32, len(codes))
			lv := append([]string(nil), levels...)
			fill := int32(-1)
			for k, l := range lv {
				if l == t {
					fill = int32(k)
				}
			}
			if fill < 0 {
				fill = int32(len(lv))
				lv = append(lv, t)
			}
			for i, k := range codes {
				if k < 0 {
					k = fill
				}
				nc[i] = k
			}
			out = append(out, frame.NewCategorical(name, nc, lv))
		} else {
			if !c.Type().Numeric() {
				return nil, fmt.Errorf("column %q is %s; it was numeric when fitted", name, c.Type())
			}
			x, _ := frame.Floats(c)
			v := float64(s.Fill[name])
			for i := range x {
				if x[i] != x[i] {
					x[i] = v
				}
			}
			out = append(out, floatCol(name, x))
		}
		for _, in := range s.Indicators {
			if in == name {
				out = append(out, indicator(c))
			}
		}
		if f, err = replace(f, name, out...); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// indicator returns the <name>_missing column of c: 1 where c is missing.
func indicator(c frame.Column) frame.Column {
	x := make([]float64, c.Len())
	for i := range x {
		if c.IsNA(i) {
			x[i] = 1
		}
	}
	return floatCol(c.Name()+"_missing", x)
}

// knnStep is scikit-learn's KNNImputer over the step's columns.
//
// For a row with a missing value in column j, the donors are the kept
// training rows with a value in j; the distance to each is the
// nan_euclidean distance over the step's columns,
//
//	d(x, y) = √( p / |P| · Σ_{c∈P} (x_c − y_c)² ),  P = columns present in both,
//
// with p the number of columns (NaN when P is empty), and the filled value is
// the plain mean of column j over the n_neighbors nearest donors (fewer when
// there are fewer donors; NaN distances sort last). When every donor's
// distance is NaN, the training mean of j is used. Ties are broken by the
// donor's position (scikit-learn's argpartition leaves them unspecified).
type knnStep struct {
	Columns    []string   `json:"columns"`
	K          int        `json:"n_neighbors"`
	Means      []nfloat   `json:"means"`
	Donors     [][]nfloat `json:"donors"`
	Indicators []string   `json:"indicators,omitempty"`
}

func fitKNNImpute(e *fitEnv, cols []string, p *params, train *frame.Frame) (step, error) {
	s := &knnStep{Columns: cols, K: p.int("n_neighbors", 5, 1, 1000)}
	maxDonors := p.int("max_donors", 10000, 1, 10_000_000)
	ind := p.bool("indicator", false)
	n := train.NumRows()
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	if n > maxDonors {
		r := newRand(e.seed)
		r.Shuffle(n, func(a, b int) { rows[a], rows[b] = rows[b], rows[a] })
		rows = rows[:maxDonors]
		sort.Ints(rows)
	}
	xs := make([][]float64, len(cols))
	for j, name := range cols {
		c, _ := train.Column(name)
		xs[j], _ = frame.Floats(c)
		m := stats.Mean(nonNaN(xs[j]))
		if math.IsNaN(m) {
			m = 0
		}
		s.Means = append(s.Means, nfloat(m))
		if ind && c.NullCount() > 0 {
			s.Indicators = append(s.Indicators, name)
		}
	}
	s.Donors = make([][]nfloat, len(rows))
	for k, i := range rows {
		d := make([]nfloat, len(cols))
		for j := range cols {
			d[j] = nfloat(xs[j][i])
		}
		s.Donors[k] = d
	}
	return s, nil
}

func (s *knnStep) validate() error {
	for _, d := range s.Donors {
		if len(d) != len(s.Columns) {
			return fmt.Errorf("donor has %d values for %d columns", len(d), len(s.Columns))
		}
	}
	if len(s.Means) != len(s.Columns) || s.K < 1 {
		return fmt.Errorf("bad means or n_neighbors")
	}
	return nil
}

func (s *knnStep) apply(ctx context.Context, f *frame.Frame) (*frame.Frame, error) {
	p := len(s.Columns)
	xs := make([][]float64, p)
	orig := make([]frame.Column, p)
	for j, name := range s.Columns {
		x, err := floats(f, name)
		if err != nil {
			return nil, err
		}
		xs[j] = x
		orig[j], _ = f.Column(name)
	}
	out := make([][]float64, p)
	for j := range xs {
		out[j] = append([]float64(nil), xs[j]...)
	}
	type cand struct {
		d   float64
		idx int
	}
	var cands []cand
	row := make([]float64, p)
	n := f.NumRows()
	for i := 0; i < n; i++ {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		missing := false
		for j := range xs {
			row[j] = xs[j][i]
			missing = missing || row[j] != row[j]
		}
		if !missing {
			continue
		}
		dist := make([]float64, len(s.Donors))
		for k, d := range s.Donors {
			var sum float64
			present := 0
			for j, v := range row {
				w := float64(d[j])
				if v == v && w == w {
					sum += (v - w) * (v - w)
					present++
				}
			}
			if present == 0 {
				dist[k] = math.NaN()
			} else {
				dist[k] = math.Sqrt(float64(p) / float64(present) * sum)
			}
		}
		for j, v := range row {
			if v == v {
				continue
			}
			cands = cands[:0]
			allNaN := true
			for k, d := range s.Donors {
				if float64(d[j]) == float64(d[j]) {
					cands = append(cands, cand{dist[k], k})
					allNaN = allNaN && dist[k] != dist[k]
				}
			}
			if len(cands) == 0 || allNaN {
				out[j][i] = float64(s.Means[j])
				continue
			}
			sort.Slice(cands, func(a, b int) bool {
				da, db := cands[a].d, cands[b].d
				if da != db {
					if da != da {
						return false
					}
					if db != db {
						return true
					}
					return da < db
				}
				return cands[a].idx < cands[b].idx
			})
			k := min(s.K, len(cands))
			var sum float64
			for _, c := range cands[:k] {
				sum += float64(s.Donors[c.idx][j])
			}
			out[j][i] = sum / float64(k)
		}
	}
	var err error
	for j, name := range s.Columns {
		cols := []frame.Column{floatCol(name, out[j])}
		for _, in := range s.Indicators {
			if in == name {
				cols = append(cols, indicator(orig[j]))
			}
		}
		if f, err = replace(f, name, cols...); err != nil {
			return nil, err
		}
	}
	return f, nil
}
