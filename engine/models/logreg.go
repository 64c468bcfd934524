package models

import (
	"context"
	"errors"
	"fmt"
	"math"
)

// logregParams are the parameters of logreg.
type logregParams struct {
	penalty      string
	c            float64
	fitIntercept bool
	maxIter      int
	tol          float64
	nJobs        int
}

func defaultLogReg() logregParams {
	return logregParams{penalty: "l2", c: 1, fitIntercept: true, maxIter: 100, tol: 1e-4, nJobs: -1}
}

func (p *logregParams) table() paramTable {
	return paramTable{
		choiceParam("penalty", "l2 (L-BFGS), l1 (proximal gradient) or none", &p.penalty, "l2", "l1", "none"),
		floatParam("C", "inverse penalty strength: minimise Σ log-loss + penalty/C", &p.c, 0, math.MaxFloat64, true),
		boolParam("fit_intercept", "fit an intercept (never penalised)", &p.fitIntercept),
		intParam("max_iter", "most iterations (L-BFGS iterations for l2/none, proximal Newton passes for l1)", &p.maxIter, 1, 1<<30, "", 0),
		floatParam("tol", "stopping tolerance (l2/none: largest gradient component; l1: largest relative coefficient change)", &p.tol, 0, math.MaxFloat64, false),
		intParam("n_jobs", "goroutines for the gradient (-1 or 0 = all cores); results do not depend on it", &p.nJobs, -1, 1<<16, "", 0),
	}
}

// LogReg is the "logreg" model: logistic regression as scikit-learn's
// LogisticRegression (1.2). For two classes it models P(y = 1 | x) =
// σ(xᵀw + b); for K > 2 classes the multinomial softmax P(y = k | x) ∝
// exp(xᵀw_k + b_k) with K weight vectors (multi_class "auto" with lbfgs).
//
// It minimises, over the weights W and intercepts b (never penalised),
//
//	penalty l2:   Σ_i s_i ℓ_i(W, b) + ½(1/C)||W||²_F
//	penalty l1:   Σ_i s_i ℓ_i(W, b) + (1/C)||W||₁
//	penalty none: Σ_i s_i ℓ_i(W, b)
//
// with ℓ_i the log-loss of row i and s_i its sample weight. l2 and none use
// L-BFGS (memory 10 and a strong Wolfe line search, as scipy's L-BFGS-B
// used by scikit-learn; see lbfgsMin) stopping when the largest gradient
// component is at most tol, the relative decrease of the objective is at
// most 2.2e-9 (scipy's default ftol), or after max_iter iterations. l1
// uses proximal Newton with coordinate descent on the quadratic model
// (newGLMNET, liblinear's L1 solver; class by class for K > 2; see
// newtonL1) for up to 256 features and FISTA (Beck & Teboulle 2009, with
// backtracking and gradient restart) above that; both stop when an
// iteration changes the coefficients by at most tol·max|θ| (scikit-learn's
// saga criterion) or after max_iter iterations. Converged, l1 reaches the
// minimiser of scikit-learn's saga objective (liblinear also penalises the
// intercept, so it is not the reference). The loss
// and its gradient are summed over blocks of rows in parallel.
//
// Features are not standardised inside the model, as in scikit-learn; scale
// them first for fast convergence. Missing or infinite feature values are an
// error naming the column, in Fit and in Predict (impute first).
type LogReg struct {
	info
	p logregParams
	// Coef holds the weights, one row of len(Features) per modelled class
	// (one row for Binary: the weights of class 1; K rows otherwise).
	Coef []float64 `json:"coef"`
	// Intercept holds one intercept per row of Coef.
	Intercept []float64 `json:"intercept"`
	// NIter is the number of iterations run.
	NIter int `json:"n_iter"`
}

func newLogReg() *LogReg { return &LogReg{p: defaultLogReg()} }

// Kind returns "logreg".
func (m *LogReg) Kind() string { return "logreg" }

// Params lists C, fit_intercept, max_iter, n_jobs, penalty and tol.
func (m *LogReg) Params() []Param {
	d := defaultLogReg()
	return m.p.table().list(d.table())
}

// Set sets one parameter.
func (m *LogReg) Set(name, value string) error {
	if m.fitted {
		return ErrFitted
	}
	return m.p.table().set(m.Kind(), name, value)
}

// logLoss evaluates the data term Σ s_i ℓ_i and its gradient over row blocks
// in parallel. theta holds nOut rows of p+1 values (weights, then intercept).
type logLoss struct {
	ctx    context.Context
	X      *Matrix
	y, w   []float64
	nOut   int
	jobs   int
	z      []float64   // nOut × Rows scratch: scores, then residuals
	partL  []float64   // loss per block
	partG  [][]float64 // gradient per block
	interc bool
}

func newLogLoss(ctx context.Context, X *Matrix, y, w []float64, nOut, jobs int, interc bool) *logLoss {
	nb := linNumBlocks(X.Rows)
	l := &logLoss{ctx: ctx, X: X, y: y, w: w, nOut: nOut, jobs: jobs, interc: interc,
		z: make([]float64, nOut*X.Rows), partL: make([]float64, nb), partG: make([][]float64, nb)}
	for b := range l.partG {
		l.partG[b] = make([]float64, nOut*(X.Cols+1))
	}
	return l
}

// eval returns Σ s_i ℓ_i at theta and writes its gradient into grad (when
// not nil). It returns NaN when ctx is cancelled.
func (l *logLoss) eval(theta, grad []float64) float64 {
	n, p, K := l.X.Rows, l.X.Cols, l.nOut
	err := linParallel(l.ctx, n, linBlock, l.jobs, func(b, lo, hi int) {
		g := l.partG[b]
		for k := 0; k < K; k++ {
			zk := l.z[k*n+lo : k*n+hi]
			th := theta[k*(p+1) : (k+1)*(p+1)]
			for i := range zk {
				zk[i] = th[p]
			}
			for j := 0; j < p; j++ {
				if c := th[j]; c != 0 {
					linAxpy(c, l.X.Col(j)[lo:hi], zk)
				}
			}
		}
		var loss float64
		if K == 1 {
			z := l.z[lo:hi]
			for i, zi := range z {
				e := math.Exp(-math.Abs(zi))
				yi := l.y[lo+i]
				li := math.Max(zi, 0) + math.Log1p(e) - yi*zi
				var s float64
				if zi >= 0 {
					s = 1 / (1 + e)
				} else {
					s = e / (1 + e)
				}
				r := s - yi
				if l.w != nil {
					wi := l.w[lo+i]
					li *= wi
					r *= wi
				}
				loss += li
				z[i] = r
			}
		} else {
			for i := lo; i < hi; i++ {
				mx := math.Inf(-1)
				for k := 0; k < K; k++ {
					mx = math.Max(mx, l.z[k*n+i])
				}
				yi := int(l.y[i])
				zy := l.z[yi*n+i] - mx
				var s float64
				for k := 0; k < K; k++ {
					e := math.Exp(l.z[k*n+i] - mx)
					l.z[k*n+i] = e
					s += e
				}
				wi := 1.0
				if l.w != nil {
					wi = l.w[i]
				}
				loss += wi * (math.Log(s) - zy)
				for k := 0; k < K; k++ {
					pk := l.z[k*n+i] / s
					if k == yi {
						pk--
					}
					l.z[k*n+i] = wi * pk
				}
			}
		}
		l.partL[b] = loss
		if grad == nil {
			return
		}
		for k := 0; k < K; k++ {
			rk := l.z[k*n+lo : k*n+hi]
			gk := g[k*(p+1) : (k+1)*(p+1)]
			for j := 0; j < p; j++ {
				gk[j] = linDot(l.X.Col(j)[lo:hi], rk)
			}
			gk[p] = 0
			if l.interc {
				for _, v := range rk {
					gk[p] += v
				}
			}
		}
	})
	if err != nil {
		return math.NaN()
	}
	var f float64
	for _, v := range l.partL {
		f += v
	}
	if grad != nil {
		clear(grad)
		for _, g := range l.partG {
			for i, v := range g {
				grad[i] += v
			}
		}
	}
	return f
}

// Fit fits the weights. Recorder is told, after every iteration, the mean
// log-loss on the training rows (without the penalty) and on FitOptions'
// validation set (NaN without one).
func (m *LogReg) Fit(ctx context.Context, X *Matrix, y, w []float64, opt FitOptions) error {
	if m.fitted {
		return ErrFitted
	}
	if !opt.Task.Classifier() {
		return fmt.Errorf("models: logreg fits a classification task, not %s (use linear or ridge for values)", opt.Task)
	}
	K, err := checkFit(m.Kind(), X, y, w, opt)
	if err != nil {
		return err
	}
	if err := checkFinite(m.Kind(), X); err != nil {
		return err
	}
	p := X.Cols
	nOut := K
	if K == 2 {
		nOut = 1
	}
	var sw float64
	if w == nil {
		sw = float64(X.Rows)
	} else {
		for _, v := range w {
			sw += v
		}
	}
	ll := newLogLoss(ctx, X, y, w, nOut, m.p.nJobs, m.p.fitIntercept)
	theta := make([]float64, nOut*(p+1))
	m.Coef = make([]float64, nOut*p)
	m.Intercept = make([]float64, nOut)
	report := func(i int, th []float64, dataLoss float64) {
		if opt.Recorder == nil {
			return
		}
		m.setTheta(th, p)
		opt.Recorder.Iteration(i, dataLoss/sw, m.evalLoss(opt, nOut))
	}
	lambda := 1 / m.p.c
	switch m.p.penalty {
	case "l1":
		if p <= newtonMaxFeatures {
			theta, m.NIter, err = newtonL1(ctx, ll, theta, p, lambda, m.p.maxIter, m.p.tol, report)
		} else {
			theta, m.NIter, err = fista(ctx, ll, theta, p, lambda, m.p.maxIter, m.p.tol, report)
		}
	default:
		if m.p.penalty == "none" {
			lambda = 0
		}
		theta, m.NIter, err = lbfgsFit(ctx, ll, theta, p, lambda, m.p.maxIter, m.p.tol, report)
	}
	if err != nil {
		return err
	}
	m.setTheta(theta, p)
	if !allFinite(m.Coef) || !allFinite(m.Intercept) {
		return errors.New("models: logreg: the fit diverged (coefficients are not finite); scale the features or lower C")
	}
	m.setInfo(opt.Task, opt.Classes, featureNames(X))
	return nil
}

// setTheta copies theta (rows of weights then intercept) into Coef and Intercept.
func (m *LogReg) setTheta(theta []float64, p int) {
	for k := range m.Intercept {
		copy(m.Coef[k*p:(k+1)*p], theta[k*(p+1):k*(p+1)+p])
		m.Intercept[k] = theta[k*(p+1)+p]
	}
}

// evalLoss returns the mean log-loss on the validation set, or NaN.
func (m *LogReg) evalLoss(opt FitOptions, nOut int) float64 {
	E := opt.EvalX
	if E == nil || len(opt.EvalY) != E.Rows || E.Rows == 0 || E.Cols*nOut != len(m.Coef) {
		return math.NaN()
	}
	K := max(2, nOut)
	pr := make([]float64, E.Rows*K)
	m.proba(E, pr, nOut)
	var s float64
	for i, yv := range opt.EvalY {
		k := int(yv)
		if k < 0 || k >= K {
			return math.NaN()
		}
		s -= math.Log(math.Max(pr[i*K+k], 1e-300))
	}
	return s / float64(E.Rows)
}

// lbfgsFit minimises ll + ½λ||W||² by L-BFGS from theta.
func lbfgsFit(ctx context.Context, ll *logLoss, theta []float64, p int, lambda float64, maxIter int, tol float64,
	report func(int, []float64, float64)) ([]float64, int, error) {
	penalty := func(th []float64) float64 {
		var s float64
		for i, v := range th {
			if (i+1)%(p+1) != 0 {
				s += v * v
			}
		}
		return 0.5 * lambda * s
	}
	fg := func(x, grad []float64) float64 {
		f := ll.eval(x, grad) + penalty(x)
		for i, v := range x {
			if (i+1)%(p+1) != 0 {
				grad[i] += lambda * v
			}
		}
		return f
	}
	var onIter func(int, []float64, float64)
	if report != nil {
		onIter = func(i int, x []float64, f float64) { report(i, x, f-penalty(x)) }
	}
	// scikit-learn passes no ftol, so scipy's L-BFGS-B default applies:
	// factr·ε = 1e7·2⁻⁵².
	const ftol = 2.220446049250313e-09
	res, err := lbfgsMin(ctx, fg, theta, 10, maxIter, tol, ftol, onIter)
	if err != nil {
		return nil, 0, err
	}
	if !allFinite(res.x) {
		return nil, 0, errors.New("models: logreg: L-BFGS diverged; scale the features or lower C")
	}
	return res.x, res.iters, nil
}

// fista minimises ll + λ||W||₁ (intercepts not penalised) by FISTA with
// backtracking line search on the step 1/L and gradient-based restart.
func fista(ctx context.Context, ll *logLoss, theta []float64, p int, lambda float64, maxIter int, tol float64,
	report func(int, []float64, float64)) ([]float64, int, error) {
	dim := len(theta)
	x := append([]float64(nil), theta...)
	yv := append([]float64(nil), theta...)
	xn := make([]float64, dim)
	gy := make([]float64, dim)
	L, t := 1.0, 1.0
	fy := ll.eval(yv, gy)
	iter := 0
	for iter = 0; iter < maxIter; iter++ {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		var fx float64
		for {
			for i := range xn {
				v := yv[i] - gy[i]/L
				if (i+1)%(p+1) != 0 {
					v = math.Copysign(math.Max(math.Abs(v)-lambda/L, 0), v)
				}
				xn[i] = v
			}
			fx = ll.eval(xn, nil)
			if err := ctx.Err(); err != nil {
				return nil, 0, err
			}
			var lin, quad float64
			for i := range xn {
				d := xn[i] - yv[i]
				lin += gy[i] * d
				quad += d * d
			}
			if fx <= fy+lin+0.5*L*quad+1e-12*math.Abs(fy) || L > 1e300 {
				break
			}
			L *= 2
		}
		// Gradient restart: drop the momentum when it points uphill.
		var up, dMax, xMax float64
		for i := range xn {
			up += (yv[i] - xn[i]) * (xn[i] - x[i])
			dMax = math.Max(dMax, math.Abs(xn[i]-x[i]))
			xMax = math.Max(xMax, math.Abs(xn[i]))
		}
		tn := (1 + math.Sqrt(1+4*t*t)) / 2
		beta := (t - 1) / tn
		if up > 0 {
			tn, beta = 1, 0
		}
		for i := range yv {
			yv[i] = xn[i] + beta*(xn[i]-x[i])
		}
		x, xn = xn, x
		t = tn
		if report != nil {
			report(iter, x, fx)
		}
		if xMax == 0 && dMax == 0 || xMax > 0 && dMax/xMax <= tol {
			iter++
			break
		}
		L *= 0.9
		fy = ll.eval(yv, gy)
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	return x, min(iter, maxIter), nil
}

// proba writes Rows × max(2, nOut) probabilities.
func (m *LogReg) proba(X *Matrix, out []float64, nOut int) {
	n, p := X.Rows, X.Cols
	z := make([]float64, n*nOut)
	for k := 0; k < nOut; k++ {
		zk := z[k*n : (k+1)*n]
		for i := range zk {
			zk[i] = m.Intercept[k]
		}
		for j := 0; j < p; j++ {
			if c := m.Coef[k*p+j]; c != 0 {
				linAxpy(c, X.Col(j), zk)
			}
		}
	}
	if nOut == 1 {
		for i, zi := range z {
			e := math.Exp(-math.Abs(zi))
			s := 1 / (1 + e)
			if zi < 0 {
				s = e / (1 + e)
			}
			out[2*i], out[2*i+1] = 1-s, s
		}
		return
	}
	for i := 0; i < n; i++ {
		row := out[i*nOut : (i+1)*nOut]
		for k := range row {
			row[k] = z[k*n+i]
		}
		softmaxRow(row)
	}
}

// PredictProba writes the class probabilities (K = 2 for Binary).
func (m *LogReg) PredictProba(X *Matrix, out []float64) error {
	if err := checkPredict(m.Kind(), m.fitted, len(m.features), X, out, len(m.classes)); err != nil {
		return err
	}
	if err := checkFinite(m.Kind(), X); err != nil {
		return err
	}
	m.proba(X, out, len(m.Intercept))
	return nil
}

// Predict writes the most probable class index (the first on ties).
func (m *LogReg) Predict(X *Matrix, out []float64) error {
	if err := checkPredict(m.Kind(), m.fitted, len(m.features), X, out, 1); err != nil {
		return err
	}
	K := len(m.classes)
	pr := make([]float64, X.Rows*K)
	if err := m.PredictProba(X, pr); err != nil {
		return err
	}
	argmaxRows(pr, K, out)
	return nil
}

func (m *LogReg) validate() error {
	K := len(m.classes)
	nOut := K
	if K == 2 {
		nOut = 1
	}
	if !m.task.Classifier() {
		return fmt.Errorf("logreg model with task %s", m.task)
	}
	if len(m.Intercept) != nOut || len(m.Coef) != nOut*len(m.features) {
		return fmt.Errorf("%d coefficients and %d intercepts for %d classes and %d features", len(m.Coef), len(m.Intercept), K, len(m.features))
	}
	return nil
}
