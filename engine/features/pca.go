package features

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/mlwb/mlwb/engine/frame"
	"gonum.org/v1/gonum/mat"
)

func pcaKind() *kind {
	return &kind{
		info: TransformInfo{Name: "pca", Group: "extraction",
			Doc: "Replace the columns by principal components pc1..pck of the (standardized) training rows (scikit-learn PCA, full SVD, svd_flip signs); rows with a missing input get missing components",
			Params: []ParamInfo{
				{"n_components", "all", "number of components to keep"},
				{"variance", "", "keep the fewest components whose explained-variance share reaches this (0..1)"},
				{"standardize", "true", "scale each column to unit variance first (StandardScaler); false: only centre"},
			}},
		minCols: 2, fit: fitPCA, zero: func() step { return &pcaStep{} },
	}
}

// pcaStep projects (x − Mean)/Scale onto Components (K rows of len(Columns)).
// Variance and Ratio hold the explained variance S²/(n−1) and its share of
// the total for every component, kept or not.
type pcaStep struct {
	Columns    []string   `json:"columns"`
	Mean       []nfloat   `json:"mean"`
	Scale      []nfloat   `json:"scale"`
	K          int        `json:"n_components"`
	Components [][]nfloat `json:"components"`
	Variance   []nfloat   `json:"explained_variance"`
	Ratio      []nfloat   `json:"explained_variance_ratio"`
}

// PCA is the result of fitting principal components, as the Features
// screen's explained-variance table shows it.
type PCA struct {
	Variance, Ratio []float64 // per component, all of them
	Components      [][]float64
	K               int // kept
}

// FitPCA computes the principal components of the columns of X (n rows of
// p values; no NaN) after centring and, when standardize, dividing by the
// population std, as scikit-learn's PCA(svd_solver="full"):
//
//	Xc = U S Vᵀ (thin SVD),  components = rows of Vᵀ,
//	explained_variance = S²/(n − 1),  ratio = S² / Σ S²
//
// with svd_flip's sign convention: each component is multiplied by the sign
// of the largest-magnitude entry of its column of U (the first on ties), so
// that entry is positive. keep > 0 keeps that many components; share in
// (0, 1) keeps the fewest whose cumulative ratio exceeds it (numpy
// searchsorted side=right + 1, as scikit-learn); otherwise all.
func FitPCA(X [][]float64, standardize bool, keep int, share float64) (mean, scale []float64, res PCA, err error) {
	n := len(X)
	if n < 2 {
		return nil, nil, res, fmt.Errorf("PCA needs at least 2 rows, got %d", n)
	}
	p := len(X[0])
	mean, scale = make([]float64, p), make([]float64, p)
	col := make([]float64, n)
	for j := 0; j < p; j++ {
		for i := range X {
			col[i] = X[i][j]
		}
		m, v := meanVar(col)
		mean[j], scale[j] = m, 1
		if standardize && v > 0 {
			scale[j] = math.Sqrt(v)
		}
	}
	a := mat.NewDense(n, p, nil)
	for i, row := range X {
		for j, v := range row {
			a.Set(i, j, (v-mean[j])/scale[j])
		}
	}
	var svd mat.SVD
	if !svd.Factorize(a, mat.SVDThin) {
		return nil, nil, res, fmt.Errorf("PCA: SVD did not converge")
	}
	s := svd.Values(nil)
	var u, v mat.Dense
	svd.UTo(&u)
	svd.VTo(&v)
	r := len(s)
	var total float64
	for _, sv := range s {
		total += sv * sv
	}
	res.Variance, res.Ratio = make([]float64, r), make([]float64, r)
	res.Components = make([][]float64, r)
	for k := 0; k < r; k++ {
		res.Variance[k] = s[k] * s[k] / float64(n-1)
		if total > 0 {
			res.Ratio[k] = s[k] * s[k] / total
		}
		best, bi := -1.0, 0
		for i := 0; i < n; i++ {
			if a := math.Abs(u.At(i, k)); a > best {
				best, bi = a, i
			}
		}
		sign := 1.0
		if u.At(bi, k) < 0 {
			sign = -1
		}
		res.Components[k] = make([]float64, p)
		for j := 0; j < p; j++ {
			res.Components[k][j] = sign * v.At(j, k)
		}
	}
	res.K = r
	switch {
	case keep > 0:
		res.K = min(keep, r)
	case share > 0 && share < 1:
		var cum float64
		cnt := 0
		for _, q := range res.Ratio {
			cum += q
			if cum <= share {
				cnt++
			}
		}
		res.K = min(cnt+1, r)
	}
	return mean, scale, res, nil
}

func fitPCA(e *fitEnv, cols []string, p *params, train *frame.Frame) (step, error) {
	keep := p.int("n_components", 0, 0, 1_000_000)
	share := p.float("variance", 0)
	if share < 0 || share >= 1 {
		return nil, fmt.Errorf("param variance: want a share in (0, 1), got %v", share)
	}
	std := p.bool("standardize", true)
	xs := make([][]float64, len(cols))
	for j, n := range cols {
		x, err := floats(train, n)
		if err != nil {
			return nil, err
		}
		for _, v := range x {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("column %q has missing or infinite values in the training rows; impute before pca", n)
			}
		}
		xs[j] = x
	}
	rows := make([][]float64, train.NumRows())
	for i := range rows {
		rows[i] = make([]float64, len(cols))
		for j := range cols {
			rows[i][j] = xs[j][i]
		}
	}
	mean, scale, res, err := FitPCA(rows, std, keep, share)
	if err != nil {
		return nil, err
	}
	s := &pcaStep{Columns: cols, Mean: toN(mean), Scale: toN(scale), K: res.K, Variance: toN(res.Variance), Ratio: toN(res.Ratio)}
	for k := 0; k < res.K; k++ {
		s.Components = append(s.Components, toN(res.Components[k]))
	}
	return s, nil
}

func (s *pcaStep) validate() error {
	if len(s.Mean) != len(s.Columns) || len(s.Scale) != len(s.Columns) || len(s.Components) != s.K {
		return fmt.Errorf("means, scales or components do not match the columns")
	}
	for _, c := range s.Components {
		if len(c) != len(s.Columns) {
			return fmt.Errorf("component of length %d for %d columns", len(c), len(s.Columns))
		}
	}
	return nil
}

// Explained returns the explained-variance table of a pca step's state.
func (s *pcaStep) Explained() PCA {
	out := PCA{Variance: fromN(s.Variance), Ratio: fromN(s.Ratio), K: s.K}
	for _, c := range s.Components {
		out.Components = append(out.Components, fromN(c))
	}
	return out
}

func (s *pcaStep) apply(ctx context.Context, f *frame.Frame) (*frame.Frame, error) {
	xs := make([][]float64, len(s.Columns))
	pos := make([]int, len(s.Columns))
	for j, n := range s.Columns {
		x, err := floats(f, n)
		if err != nil {
			return nil, err
		}
		xs[j] = x
		pos[j] = f.Index(n)
	}
	out := make([]frame.Column, s.K)
	for k := 0; k < s.K; k++ {
		y := make([]float64, f.NumRows())
		for j := range s.Columns {
			w := float64(s.Components[k][j]) / float64(s.Scale[j])
			m := float64(s.Mean[j])
			for i, v := range xs[j] {
				y[i] += (v - m) * w
			}
		}
		out[k] = floatCol(fmt.Sprintf("pc%d", k+1), y)
	}
	// The components take the place of the first input column.
	sort.Ints(pos)
	first := f.Col(pos[0]).Name()
	rest := make([]string, 0, len(s.Columns))
	for _, n := range s.Columns {
		if n != first {
			rest = append(rest, n)
		}
	}
	g, err := f.Drop(rest...)
	if err != nil {
		return nil, err
	}
	return replace(g, first, out...)
}

// PCATable returns the explained-variance table of fitted step i when it is
// a pca step.
func (fp *Fitted) PCATable(i int) (PCA, bool) {
	if err := fp.ready(); err != nil || i < 0 || i >= len(fp.Steps) {
		return PCA{}, false
	}
	s, ok := fp.Steps[i].step.(*pcaStep)
	if !ok {
		return PCA{}, false
	}
	return s.Explained(), true
}
