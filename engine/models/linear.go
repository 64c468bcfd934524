package models

import (
	"context"
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// linearParams are the parameters of linear, ridge, lasso and enet (each
// kind lists only those it uses).
type linearParams struct {
	fitIntercept bool
	alpha        float64
	l1Ratio      float64
	maxIter      int
	tol          float64
}

func defaultLinear() linearParams {
	return linearParams{fitIntercept: true, alpha: 1, l1Ratio: 0.5, maxIter: 1000, tol: 1e-4}
}

func (p *linearParams) table(kind string) paramTable {
	t := paramTable{boolParam("fit_intercept", "fit an intercept (by centring X and y)", &p.fitIntercept)}
	switch kind {
	case "ridge":
		t = append(t, floatParam("alpha", "L2 penalty strength α in ||y − Xw||² + α||w||²", &p.alpha, 0, math.MaxFloat64, false))
	case "lasso":
		t = append(t, floatParam("alpha", "L1 penalty strength α in 1/(2n)||y − Xw||² + α||w||₁", &p.alpha, 0, math.MaxFloat64, false))
	case "enet":
		t = append(t,
			floatParam("alpha", "penalty strength α in 1/(2n)||y − Xw||² + α·l1_ratio·||w||₁ + ½α(1 − l1_ratio)||w||²", &p.alpha, 0, math.MaxFloat64, false),
			floatParam("l1_ratio", "mix of L1 (1) and L2 (0) penalty", &p.l1Ratio, 0, 1, false))
	}
	if kind == "lasso" || kind == "enet" {
		t = append(t,
			intParam("max_iter", "most coordinate descent epochs", &p.maxIter, 1, 1<<30, "", 0),
			floatParam("tol", "stop when the duality gap is below tol·||y||² (checked when the largest coefficient change is below tol·max|w|)", &p.tol, 0, math.MaxFloat64, false))
	}
	return t
}

// Linear is a linear regression model y ≈ Xw + b, fitted by one of four
// scikit-learn estimators, chosen by its kind:
//
//   - linear (LinearRegression): ordinary least squares, min ||y − Xw − b||²,
//     by Householder QR of the centred X. When X does not have full column
//     rank (collinear or constant columns, or more columns than rows), the
//     minimum-norm least-squares solution by SVD, singular values below
//     ε·max(n, p)·σ_max taken as zero (numpy.linalg.lstsq's cut;
//     scikit-learn's scipy lstsq gives the same solution unless the rank is
//     borderline).
//   - ridge (Ridge, solver "cholesky"): min ||y − Xw − b||² + α||w||², when
//     n ≥ p by Cholesky of (XᵀX + αI)w = Xᵀy (falling back to QR of the
//     augmented system [X; √α·I]w = [y; 0] if the factorisation fails), and
//     when p > n by Cholesky of the kernel system (XXᵀ + αI)c = y, w = Xᵀc;
//     alpha 0 is solved as linear.
//   - lasso (Lasso) and enet (ElasticNet): min 1/(2n)||y − Xw − b||² +
//     α·ρ·||w||₁ + ½α(1 − ρ)||w||² (ρ = l1_ratio, 1 for lasso) by cyclic
//     coordinate descent as scikit-learn's enet_coordinate_descent
//     (Friedman, Hastie & Tibshirani 2010): epochs over the features with the
//     soft-threshold update w_j = S(x_jᵀr_j, nαρ)/(x_jᵀx_j + nα(1 − ρ)); when
//     the largest change of an epoch is below tol·max|w| (or at the last
//     epoch), the duality gap is computed and fitting stops when it is below
//     tol·||y||².
//
// With fit_intercept, X and y are centred by their (weighted) means and
// b = ȳ − x̄ᵀw. Sample weights multiply the squared errors (lasso and enet
// rescale them to sum to n first, as scikit-learn). Features must be finite,
// in Fit and Predict: a missing value is an error naming the column.
type Linear struct {
	info
	kind string
	p    linearParams
	// Coef holds one weight per feature.
	Coef []float64 `json:"coef"`
	// Intercept is b.
	Intercept float64 `json:"intercept"`
	// NIter is the number of coordinate descent epochs (lasso, enet).
	NIter int `json:"n_iter,omitempty"`
	// DualGap is the final duality gap, in scikit-learn's scaling (lasso, enet).
	DualGap float64 `json:"dual_gap,omitempty"`
}

func newLinear(kind string) *Linear { return &Linear{kind: kind, p: defaultLinear()} }

// Kind returns "linear", "ridge", "lasso" or "enet".
func (m *Linear) Kind() string { return m.kind }

// Params lists fit_intercept and, by kind, alpha, l1_ratio, max_iter and tol.
func (m *Linear) Params() []Param {
	d := defaultLinear()
	return m.p.table(m.kind).list(d.table(m.kind))
}

// Set sets one parameter.
func (m *Linear) Set(name, value string) error {
	if m.fitted {
		return ErrFitted
	}
	return m.p.table(m.kind).set(m.kind, name, value)
}

// Fit fits the coefficients. Recorder is told the objective after every
// coordinate descent epoch (lasso, enet) or once (linear, ridge): the mean
// squared error / 2 plus the penalty, and the validation mean squared error / 2
// when FitOptions has a validation set.
func (m *Linear) Fit(ctx context.Context, X *Matrix, y, w []float64, opt FitOptions) error {
	if m.fitted {
		return ErrFitted
	}
	if opt.Task != Regression {
		return fmt.Errorf("models: %s fits a regression task, not %s (use logreg for classes)", m.kind, opt.Task)
	}
	if _, err := checkFit(m.kind, X, y, w, opt); err != nil {
		return err
	}
	if err := checkFinite(m.kind, X); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var err error
	switch m.kind {
	case "linear":
		m.Coef, err = olsFit(X, y, w, m.p.fitIntercept, 0)
	case "ridge":
		m.Coef, err = olsFit(X, y, w, m.p.fitIntercept, m.p.alpha)
	default:
		rho := 1.0
		if m.kind == "enet" {
			rho = m.p.l1Ratio
		}
		err = m.fitCD(ctx, X, y, w, rho, opt)
	}
	if err != nil {
		return err
	}
	if m.p.fitIntercept {
		xm, ym, _ := weightedMeans(X, y, w)
		m.Intercept = ym
		for j, c := range m.Coef {
			m.Intercept -= xm[j] * c
		}
	}
	if !allFinite(m.Coef) || !allFinite([]float64{m.Intercept}) {
		return fmt.Errorf("models: %s: the fit overflowed (coefficients are not finite); scale the features", m.kind)
	}
	m.setInfo(Regression, nil, featureNames(X))
	if opt.Recorder != nil && (m.kind == "linear" || m.kind == "ridge") {
		opt.Recorder.Iteration(0, m.objective(X, y, w), m.validLoss(opt))
	}
	return nil
}

// objective returns Σw(y − ŷ)²/(2Σw) plus the penalty of the kind in the
// scaling of its documented objective (ridge: α||w||²/(2Σw)).
func (m *Linear) objective(X *Matrix, y, w []float64) float64 {
	pred := make([]float64, X.Rows)
	m.predict(X, pred)
	var s, sw float64
	for i, v := range pred {
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		d := y[i] - v
		s += wi * d * d
		sw += wi
	}
	obj := s / (2 * sw)
	var l1, l2 float64
	for _, c := range m.Coef {
		l1 += math.Abs(c)
		l2 += c * c
	}
	switch m.kind {
	case "ridge":
		obj += m.p.alpha * l2 / (2 * sw)
	case "lasso":
		obj += m.p.alpha * l1
	case "enet":
		obj += m.p.alpha*m.p.l1Ratio*l1 + 0.5*m.p.alpha*(1-m.p.l1Ratio)*l2
	}
	return obj
}

// validLoss is the halved mean squared error on the validation set, or NaN.
func (m *Linear) validLoss(opt FitOptions) float64 {
	if opt.EvalX == nil || opt.EvalX.Cols != len(m.Coef) || len(opt.EvalY) != opt.EvalX.Rows || opt.EvalX.Rows == 0 {
		return math.NaN()
	}
	pred := make([]float64, opt.EvalX.Rows)
	m.predict(opt.EvalX, pred)
	var s float64
	for i, v := range pred {
		d := opt.EvalY[i] - v
		s += d * d
	}
	return s / (2 * float64(len(pred)))
}

// olsFit solves the (ridge, when alpha > 0) least-squares problem on the
// (weighted) centred data and returns w.
func olsFit(X *Matrix, y, w []float64, center bool, alpha float64) ([]float64, error) {
	n, p := X.Rows, X.Cols
	xm, ym, _ := weightedMeans(X, y, w)
	if !center {
		xm, ym = make([]float64, p), 0
	}
	sq := func(i int) float64 {
		if w == nil {
			return 1
		}
		return math.Sqrt(w[i])
	}
	b := mat.NewVecDense(n, nil)
	for i := 0; i < n; i++ {
		b.SetVec(i, (y[i]-ym)*sq(i))
	}
	if alpha > 0 && p > n {
		return ridgeKernel(X, xm, b, sq, alpha)
	}
	if alpha > 0 {
		if coef, ok := ridgeGram(X, xm, b, sq, alpha); ok {
			return coef, nil
		}
	}
	// A is row-major for gonum; fill it column by column.
	rows := n
	if alpha > 0 {
		rows += p
	}
	A := mat.NewDense(rows, p, nil)
	raw := A.RawMatrix()
	for j := 0; j < p; j++ {
		col := X.Col(j)
		for i, v := range col {
			raw.Data[i*raw.Stride+j] = (v - xm[j]) * sq(i)
		}
	}
	if alpha > 0 {
		s := math.Sqrt(alpha)
		for j := 0; j < p; j++ {
			raw.Data[(n+j)*raw.Stride+j] = s
		}
		bb := mat.NewVecDense(rows, nil)
		for i := 0; i < n; i++ {
			bb.SetVec(i, b.AtVec(i))
		}
		b = bb
	}
	cut := 1 / (eps64 * float64(max(rows, p)))
	if rows >= p {
		var qr mat.QR
		qr.Factorize(A)
		if c := qr.Cond(); c < cut && !math.IsInf(c, 0) && !math.IsNaN(c) {
			var x mat.VecDense
			if err := qr.SolveVecTo(&x, false, b); err == nil {
				return append([]float64(nil), x.RawVector().Data...), nil
			}
		}
	}
	return minNormSolve(A, b)
}

// eps64 is the float64 machine epsilon 2⁻⁵².
const eps64 = 0x1p-52

// minNormSolve returns the minimum-norm least-squares solution of Ax = b by
// SVD with singular values below ε·max(rows, cols)·σ_max taken as zero.
func minNormSolve(A *mat.Dense, b *mat.VecDense) ([]float64, error) {
	r, c := A.Dims()
	var svd mat.SVD
	if !svd.Factorize(A, mat.SVDThin) {
		return nil, errors.New("models: linear: singular value decomposition did not converge")
	}
	rank := svd.Rank(eps64 * float64(max(r, c)))
	out := make([]float64, c)
	if rank == 0 {
		return out, nil
	}
	var x mat.VecDense
	svd.SolveVecTo(&x, b, rank)
	copy(out, x.RawVector().Data)
	return out, nil
}

// ridgeGram solves ridge for n ≥ p as scikit-learn's "cholesky" solver:
// (AᵀA + αI)w = Aᵀb by Cholesky, with A the centred, weight-scaled X. It
// reports false when the factorisation fails (the caller then uses QR of the
// augmented system).
func ridgeGram(X *Matrix, xm []float64, b *mat.VecDense, sq func(int) float64, alpha float64) ([]float64, bool) {
	n, p := X.Rows, X.Cols
	A := make([]float64, n*p) // column-major copy
	for j := 0; j < p; j++ {
		col := A[j*n : (j+1)*n]
		for i, v := range X.Col(j) {
			col[i] = (v - xm[j]) * sq(i)
		}
	}
	bv := b.RawVector().Data
	G := mat.NewSymDense(p, nil)
	rhs := mat.NewVecDense(p, nil)
	for j := 0; j < p; j++ {
		cj := A[j*n : (j+1)*n]
		for k := j; k < p; k++ {
			G.SetSym(j, k, linDot(cj, A[k*n:(k+1)*n]))
		}
		G.SetSym(j, j, G.At(j, j)+alpha)
		rhs.SetVec(j, linDot(cj, bv[:n]))
	}
	var ch mat.Cholesky
	if !ch.Factorize(G) {
		return nil, false
	}
	var w mat.VecDense
	if err := ch.SolveVecTo(&w, rhs); err != nil {
		return nil, false
	}
	return append([]float64(nil), w.RawVector().Data...), true
}

// ridgeKernel solves ridge for p > n in its kernel form: (AAᵀ + αI)c = b,
// w = Aᵀc, with A the centred, weight-scaled X (scikit-learn's
// _solve_cholesky_kernel).
func ridgeKernel(X *Matrix, xm []float64, b *mat.VecDense, sq func(int) float64, alpha float64) ([]float64, error) {
	n, p := X.Rows, X.Cols
	A := mat.NewDense(n, p, nil)
	for j := 0; j < p; j++ {
		for i, v := range X.Col(j) {
			A.Set(i, j, (v-xm[j])*sq(i))
		}
	}
	K := mat.NewSymDense(n, nil)
	K.SymOuterK(1, A)
	for i := 0; i < n; i++ {
		K.SetSym(i, i, K.At(i, i)+alpha)
	}
	var ch mat.Cholesky
	if !ch.Factorize(K) {
		return nil, errors.New("models: ridge: kernel matrix is not positive definite; raise alpha")
	}
	var c, wv mat.VecDense
	if err := ch.SolveVecTo(&c, b); err != nil {
		return nil, fmt.Errorf("models: ridge: %w", err)
	}
	wv.MulVec(A.T(), &c)
	return append([]float64(nil), wv.RawVector().Data...), nil
}

// fitCD fits lasso/enet by scikit-learn's cyclic coordinate descent
// (sklearn/linear_model/_cd_fast.pyx enet_coordinate_descent, 1.2) on the
// centred data: l1 = nαρ, l2 = nα(1 − ρ), R = y − Xw,
//
//	w_j ← sign(t)·max(|t| − l1, 0)/(||x_j||² + l2), t = x_jᵀ(R + w_j x_j),
//
// stopping when the duality gap
//
//	gap = ½(||R||² + ||A||²) + l1||w||₁ − c·Rᵀy + ½l2(1 + c²)||w||²,
//	c = min(1, l1/||XᵀR − l2 w||_∞), ||A||² = c²||R||² (||R||² when c = 1)
//
// is below tol·||y||², checked after epochs whose largest change is below
// tol·max|w|.
func (m *Linear) fitCD(ctx context.Context, X *Matrix, y, w []float64, rho float64, opt FitOptions) error {
	n, p := X.Rows, X.Cols
	// Sample weights rescaled to sum to n (scikit-learn's ElasticNet.fit).
	var sw []float64
	if w != nil {
		var s float64
		for _, v := range w {
			s += v
		}
		sw = make([]float64, n)
		for i, v := range w {
			sw[i] = v * float64(n) / s
		}
	}
	xm, ym, _ := weightedMeans(X, y, sw)
	if !m.p.fitIntercept {
		xm, ym = make([]float64, p), 0
	}
	sq := make([]float64, n)
	for i := range sq {
		sq[i] = 1
		if sw != nil {
			sq[i] = math.Sqrt(sw[i])
		}
	}
	Xc := make([]float64, n*p)
	for j := 0; j < p; j++ {
		src, dst := X.Col(j), Xc[j*n:(j+1)*n]
		for i, v := range src {
			dst[i] = (v - xm[j]) * sq[i]
		}
	}
	yc := make([]float64, n)
	for i, v := range y {
		yc[i] = (v - ym) * sq[i]
	}
	l1 := m.p.alpha * rho * float64(n)
	l2 := m.p.alpha * (1 - rho) * float64(n)
	coef := make([]float64, p)
	norms := make([]float64, p)
	for j := range norms {
		norms[j] = linDot(Xc[j*n:(j+1)*n], Xc[j*n:(j+1)*n])
	}
	R := append([]float64(nil), yc...)
	dwTol := m.p.tol
	tol := m.p.tol * linDot(yc, yc)
	gap := tol + 1
	xta := make([]float64, p)
	iter := 0
	for iter = 0; iter < m.p.maxIter; iter++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		var wMax, dwMax float64
		for j := 0; j < p; j++ {
			if norms[j] == 0 {
				continue
			}
			xj := Xc[j*n : (j+1)*n]
			old := coef[j]
			if old != 0 {
				linAxpy(old, xj, R)
			}
			t := linDot(xj, R)
			coef[j] = math.Copysign(math.Max(math.Abs(t)-l1, 0), t) / (norms[j] + l2)
			if coef[j] != 0 {
				linAxpy(-coef[j], xj, R)
			}
			dwMax = math.Max(dwMax, math.Abs(coef[j]-old))
			wMax = math.Max(wMax, math.Abs(coef[j]))
		}
		if opt.Recorder != nil {
			rr := linDot(R, R)
			var a1, a2 float64
			for _, c := range coef {
				a1 += math.Abs(c)
				a2 += c * c
			}
			obj := rr/(2*float64(n)) + m.p.alpha*rho*a1 + 0.5*m.p.alpha*(1-rho)*a2
			m.Coef = coef
			opt.Recorder.Iteration(iter, obj, m.cdValidLoss(X, xm, ym, opt))
		}
		if wMax == 0 || dwMax/wMax < dwTol || iter == m.p.maxIter-1 {
			for j := 0; j < p; j++ {
				xta[j] = linDot(Xc[j*n:(j+1)*n], R) - l2*coef[j]
			}
			var dual float64
			for _, v := range xta {
				dual = math.Max(dual, math.Abs(v))
			}
			rNorm2 := linDot(R, R)
			wNorm2 := linDot(coef, coef)
			c := 1.0
			if dual > l1 {
				c = l1 / dual
				gap = 0.5 * (rNorm2 + rNorm2*c*c)
			} else {
				gap = rNorm2
			}
			var l1Norm float64
			for _, v := range coef {
				l1Norm += math.Abs(v)
			}
			gap += l1*l1Norm - c*linDot(R, yc) + 0.5*l2*(1+c*c)*wNorm2
			if gap < tol || gap == 0 {
				iter++
				break
			}
		}
	}
	m.Coef = coef
	m.NIter = min(iter, m.p.maxIter)
	m.DualGap = gap
	if !allFinite([]float64{gap}) {
		m.DualGap = 0
	}
	return nil
}

// cdValidLoss returns the validation halved MSE for the current coefficients
// on the centred scale (intercept ȳ − x̄ᵀw), or NaN.
func (m *Linear) cdValidLoss(X *Matrix, xm []float64, ym float64, opt FitOptions) float64 {
	if opt.EvalX == nil || opt.EvalX.Cols != X.Cols || len(opt.EvalY) != opt.EvalX.Rows || opt.EvalX.Rows == 0 {
		return math.NaN()
	}
	b := ym
	for j, c := range m.Coef {
		b -= xm[j] * c
	}
	var s float64
	E := opt.EvalX
	pred := make([]float64, E.Rows)
	for i := range pred {
		pred[i] = b
	}
	for j, c := range m.Coef {
		if c != 0 {
			linAxpy(c, E.Col(j), pred)
		}
	}
	for i, v := range pred {
		d := opt.EvalY[i] - v
		s += d * d
	}
	return s / (2 * float64(E.Rows))
}

// linDot returns Σ a_i b_i.
func linDot(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// linAxpy sets y += a·x.
func linAxpy(a float64, x, y []float64) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += a * v
	}
}

// predict writes Xw + b into out.
func (m *Linear) predict(X *Matrix, out []float64) {
	for i := range out {
		out[i] = m.Intercept
	}
	for j, c := range m.Coef {
		if c != 0 {
			linAxpy(c, X.Col(j), out)
		}
	}
}

// Predict writes Xw + b. A missing or infinite value in X is an error naming
// the column (impute first), as in Fit.
func (m *Linear) Predict(X *Matrix, out []float64) error {
	if err := checkPredict(m.kind, m.fitted, len(m.features), X, out, 1); err != nil {
		return err
	}
	if err := checkFinite(m.kind, X); err != nil {
		return err
	}
	m.predict(X, out)
	return nil
}

// PredictProba returns ErrNotClassifier.
func (m *Linear) PredictProba(X *Matrix, out []float64) error { return ErrNotClassifier }

func (m *Linear) validate() error {
	if len(m.Coef) != len(m.features) {
		return fmt.Errorf("%d coefficients for %d features", len(m.Coef), len(m.features))
	}
	if m.task != Regression {
		return fmt.Errorf("%s model with task %s", m.kind, m.task)
	}
	return nil
}
