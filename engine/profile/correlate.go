package profile

import (
	"context"
	"math"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/stats"
)

// correlate fills r.Correlations. Numeric columns are the first maxCols float
// and int columns; categorical ones the first maxCols categorical, string
// and bool columns with 2 to MaxCategoricalLevels distinct values.
//
// Spearman's ρ is the Pearson correlation of average ranks over the rows
// where both columns have values. pandas re-ranks each pair over those
// rows, one sort per pair; correlate ranks each column once over its own
// values, which is the same when neither column has missing values, and then
// re-ranks the pairs that have missing values exactly as pandas does while
// rows × (number of such pairs) stays within exactBudget. Beyond it those
// pairs keep the per-column ranks, which differ from pandas' by an amount
// of the order of the share of missing values.
func correlate(ctx context.Context, r *Report, work []*colWork, workers, maxCols, exactBudget int) error {
	var num, cat []*colWork
	for _, w := range work {
		switch {
		case w.rank2 != nil && len(num) < maxCols:
			num = append(num, w)
		case w.codes != nil && w.report.Distinct >= 2 && len(cat) < maxCols:
			cat = append(cat, w)
		}
	}
	c := &r.Correlations
	c.CramersV = squareMatrix(cat)
	c.Eta = Matrix{Rows: names(num), Columns: names(cat), Values: grid(len(num), len(cat))}
	c.Pearson = squareMatrix(num)
	c.Spearman = squareMatrix(num)

	// Pearson over the columns without ±Inf (pandas gives NaN otherwise),
	// Spearman over the ranks; both read the columns block by block (see
	// corrInput), sharing each column's missing rows.
	var fin []int
	var pin []corrInput
	sin := make([]corrInput, len(num))
	for i, w := range num {
		na := missingBits(w.miss, r.Rows)
		sin[i] = corrInput{fill: rankFill(w.rank2, float64(w.report.Count+1)/2), miss: w.miss, na: na}
		if w.finite {
			fin = append(fin, i)
			pin = append(pin, corrInput{fill: floatFill(w.floats, w.mean), miss: w.miss, na: na})
		}
	}
	pm, err := corrMatrix(ctx, pin, r.Rows, workers)
	if err != nil {
		return err
	}
	for a := range num {
		for b := range num {
			c.Pearson.Values[a][b] = math.NaN()
		}
	}
	for a, i := range fin {
		for b, j := range fin {
			c.Pearson.Values[i][j] = pm[a][b]
		}
	}
	sm, err := corrMatrix(ctx, sin, r.Rows, workers)
	if err != nil {
		return err
	}
	c.Spearman.Values = sm
	// The diagonal is 1 for a column with two distinct (finite, for
	// Pearson) values, NaN otherwise, as pandas computes it.
	for i, w := range num {
		d := math.NaN()
		if w.report.Distinct >= 2 {
			d = 1
		}
		c.Spearman.Values[i][i] = d
		if !w.finite {
			d = math.NaN()
		}
		c.Pearson.Values[i][i] = d
	}

	type task struct{ kind, i, j int }
	var tasks []task
	var exact []task
	for i := range num {
		if len(cat) > 0 {
			tasks = append(tasks, task{3, i, 0})
		}
		for j := i + 1; j < len(num); j++ {
			if num[i].report.Missing > 0 || num[j].report.Missing > 0 {
				exact = append(exact, task{1, i, j})
			}
		}
	}
	if len(exact) > 0 && r.Rows*len(exact) <= exactBudget {
		tasks = append(tasks, exact...)
	}
	for i := range cat {
		for j := i; j < len(cat); j++ {
			tasks = append(tasks, task{2, i, j})
		}
	}
	return runPool(ctx, workers, len(tasks), func(k int) {
		t := tasks[k]
		switch t.kind {
		case 1:
			a, b := num[t.i], num[t.j]
			v := stats.Spearman(a.floats, b.floats)
			c.Spearman.Values[t.i][t.j], c.Spearman.Values[t.j][t.i] = v, v
		case 2:
			a, b := cat[t.i], cat[t.j]
			v := stats.CramersV(stats.NewContingency(a.codes, b.codes, a.levels, b.levels), true)
			c.CramersV.Values[t.i][t.j], c.CramersV.Values[t.j][t.i] = v, v
		case 3:
			a := num[t.i]
			row := c.Eta.Values[t.i]
			if !a.finite {
				for j := range row {
					row[j] = math.NaN()
				}
				return
			}
			etaRow(row, a.floats, a.mean, cat)
		}
	})
}

// etaRow sets row[j] to the correlation ratio η of x against the categorical
// column cats[j], for all j in one pass over the rows. With d = x − shift
// (shift near the mean), per group g the count n_g and sums S_g = Σd,
// Q_g = Σd²; then over the rows where both are present (N = Σn_g, S = ΣS_g)
//
//	SST = ΣQ_g − S²/N,  SSB = Σ S_g²/n_g − S²/N,  η = √(SSB/SST)
//
// which is stats.CorrelationRatio regrouped.
func etaRow(row, x []float64, shift float64, cats []*colWork) {
	type group struct{ n, s, q float64 } // one cache line per update
	accs := make([][]group, len(cats))
	codes := make([][]int32, len(cats))
	for j, c := range cats {
		accs[j] = make([]group, c.levels)
		codes[j] = c.codes[:len(x)]
	}
	for i, v := range x {
		if v != v {
			continue
		}
		d := v - shift
		for j, cj := range codes {
			if g := cj[i]; g >= 0 {
				a := &accs[j][g]
				a.n++
				a.s += d
				a.q += d * d
			}
		}
	}
	for j, groups := range accs {
		var n, s, q, b float64
		for _, a := range groups {
			if a.n > 0 {
				n += a.n
				s += a.s
				q += a.q
				b += a.s * a.s / a.n
			}
		}
		row[j] = math.NaN()
		if n < 2 {
			continue
		}
		sst, ssb := q-s*s/n, b-s*s/n
		if sst > 0 {
			row[j] = math.Sqrt(math.Max(0, math.Min(1, ssb/sst)))
		}
	}
}

func names(ws []*colWork) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.report.Name
	}
	return out
}

func grid(r, c int) [][]float64 {
	g := make([][]float64, r)
	flat := make([]float64, r*c)
	for i := range g {
		g[i] = flat[i*c : (i+1)*c : (i+1)*c]
	}
	return g
}

func squareMatrix(ws []*colWork) Matrix {
	n := names(ws)
	return Matrix{Rows: n, Columns: n, Values: grid(len(ws), len(ws))}
}

// pearsonShifted is Pearson's r of x and y over the rows where neither is
// NaN (pairwise deletion, as pandas), in one pass over shifted data:
// with dx = x − a and dy = y − b for shifts a, b near the means,
//
//	r = (Σdxdy − ΣdxΣdy/n) / √((Σdx² − (Σdx)²/n)(Σdy² − (Σdy)²/n))
//
// The shift makes Σdx and Σdy small, so the corrections lose nothing
// (Chan, Golub and LeVeque 1983); the result agrees with the two-pass
// formula to about 1e-14 for shifts within a standard deviation of the
// pairwise means. NaN when fewer than two rows remain or a variance is 0.
func pearsonShifted(x, y []float64, a, b float64) float64 {
	var n, sx, sy, sxx, syy, sxy float64
	for i, u := range x {
		v := y[i]
		if u != u || v != v {
			continue
		}
		dx, dy := u-a, v-b
		n++
		sx += dx
		sy += dy
		sxx += dx * dx
		syy += dy * dy
		sxy += dx * dy
	}
	if n < 2 {
		return math.NaN()
	}
	vx := sxx - sx*sx/n
	vy := syy - sy*sy/n
	if !(vx > 0 && vy > 0) {
		return math.NaN()
	}
	return math.Max(-1, math.Min(1, (sxy-sx*sy/n)/math.Sqrt(vx*vy)))
}

// targetAssociations relates every column to the target column ti.
func targetAssociations(ctx context.Context, work []*colWork, ti, workers int) (*TargetReport, error) {
	t := work[ti]
	tr := &TargetReport{Name: t.report.Name, Type: t.report.Type}
	var feats []*colWork
	for i, w := range work {
		if i != ti {
			feats = append(feats, w)
		}
	}
	tr.Associations = make([]Association, len(feats))
	err := runPool(ctx, workers, len(feats), func(k int) {
		tr.Associations[k] = associate(feats[k], t)
	})
	if err != nil {
		return nil, err
	}
	return tr, nil
}

func isNumeric(w *colWork) bool { return w.floats != nil }

// categories returns a column's codes for mutual information: level codes
// for categorical columns, histogram bins for numeric ones.
func categories(w *colWork) ([]int32, int) {
	if w.codes != nil {
		return w.codes, w.levels
	}
	if w.bins != nil && w.nbins > 0 {
		return w.bins, w.nbins
	}
	return nil, 0
}

func associate(f, t *colWork) Association {
	a := Association{Column: f.report.Name, Value: math.NaN(), MutualInfo: math.NaN(), NormalizedMI: math.NaN(), Purity: math.NaN()}
	switch {
	case isNumeric(f) && isNumeric(t):
		a.Method = "pearson"
		if f.finite && t.finite {
			a.Value = pearsonShifted(f.floats, t.floats, f.mean, t.mean)
		}
	case isNumeric(f) && t.codes != nil:
		a.Method = "eta"
		if f.finite {
			a.Value = stats.CorrelationRatio(f.floats, t.codes, t.levels)
		}
	case f.codes != nil && isNumeric(t):
		a.Method = "eta"
		if t.finite {
			a.Value = stats.CorrelationRatio(t.floats, f.codes, f.levels)
		}
	case f.codes != nil && t.codes != nil:
		a.Method = "cramers_v"
		a.Value = stats.CramersV(stats.NewContingency(f.codes, t.codes, f.levels, t.levels), true)
	}
	fc, fk := categories(f)
	tc, tk := categories(t)
	if fc == nil || tc == nil {
		return a
	}
	ct := stats.NewContingency(fc, tc, fk, tk)
	a.MutualInfo = stats.MutualInfo(ct)
	col := make([]float64, tk)
	var n, pure float64
	for i := 0; i < fk; i++ {
		var best float64
		for j := 0; j < tk; j++ {
			v := ct.N[i*tk+j]
			col[j] += v
			n += v
			best = math.Max(best, v)
		}
		pure += best
	}
	if h := stats.Entropy(col); h > 0 {
		a.NormalizedMI = math.Min(1, a.MutualInfo/h)
	}
	if f.codes != nil && t.codes != nil && n > 0 {
		a.Purity = pure / n
		for _, v := range col {
			a.majority = math.Max(a.majority, v/n)
		}
	}
	return a
}

// classShares returns the target's classes and their counts when it is
// categorical, bool, or an int column with at most MaxCategoricalLevels
// distinct values.
func classShares(w *colWork) (levels []string, counts []int) {
	switch c := w.col.(type) {
	case *frame.CategoricalCol:
		counts = make([]int, len(c.Levels))
		for _, k := range c.Codes {
			if k >= 0 {
				counts[k]++
			}
		}
		return c.Levels, counts
	case *frame.BoolCol:
		b := w.report.Bool
		return []string{"false", "true"}, []int{b.False, b.True}
	case *frame.StringCol:
		if w.report.Text != nil && w.codes != nil {
			levels = make([]string, w.levels)
			counts = make([]int, w.levels)
			for i, k := range w.codes {
				if k >= 0 {
					levels[k] = c.Data[i]
					counts[k]++
				}
			}
			return levels, counts
		}
	case *frame.Int64Col:
		if w.report.Distinct > MaxCategoricalLevels {
			return nil, nil
		}
		index := map[int64]int{}
		m := c.Mask()
		for i, v := range c.Data {
			if m.IsNA(i) {
				continue
			}
			k, ok := index[v]
			if !ok {
				k = len(levels)
				index[v] = k
				levels = append(levels, frame.FormatFloat(float64(v)))
				counts = append(counts, 0)
			}
			counts[k]++
		}
		return levels, counts
	}
	return nil, nil
}
