package models

import (
	"context"
	"math"
)

// lbfgsResult is the outcome of lbfgsMin.
type lbfgsResult struct {
	x     []float64
	f     float64
	iters int
}

// lbfgsMin minimises f from x0 by limited-memory BFGS (Nocedal 1980; Nocedal
// & Wright, Numerical Optimization, 2nd ed., Alg. 7.4 two-loop recursion)
// with memory mem, the initial Hessian γI, γ = sᵀy/yᵀy of the newest pair,
// and a strong Wolfe line search (Alg. 3.5 and 3.6, c1 = 1e-3, c2 = 0.9 and
// at most 20 evaluations, the constants of scipy's L-BFGS-B). The first step
// has length 1 along −g/||g||, as L-BFGS-B.
//
// fg returns f(x) and writes ∇f(x) into grad. It stops when max|∇f| ≤ gtol,
// when (f_k − f_{k+1})/max(|f_k|, |f_{k+1}|, 1) ≤ ftol, after maxIter
// iterations, or when the line search finds no acceptable step (the best
// point so far is returned, as scipy does with ABNORMAL_TERMINATION). onIter,
// when not nil, is called after every iteration with the new point.
func lbfgsMin(ctx context.Context, fg func(x, grad []float64) float64, x0 []float64, mem, maxIter int,
	gtol, ftol float64, onIter func(iter int, x []float64, f float64)) (lbfgsResult, error) {
	n := len(x0)
	x := append([]float64(nil), x0...)
	g := make([]float64, n)
	f := fg(x, g)
	if err := ctx.Err(); err != nil {
		return lbfgsResult{}, err
	}
	S := make([][]float64, 0, mem)
	Y := make([][]float64, 0, mem)
	rho := make([]float64, 0, mem)
	alpha := make([]float64, mem)
	d := make([]float64, n)
	xn := make([]float64, n)
	gn := make([]float64, n)
	iters := 0
	for iters < maxIter {
		if maxAbs(g) <= gtol {
			break
		}
		// d = −H g by the two-loop recursion.
		for i := range d {
			d[i] = -g[i]
		}
		for k := len(S) - 1; k >= 0; k-- {
			alpha[k] = rho[k] * linDot(S[k], d)
			linAxpy(-alpha[k], Y[k], d)
		}
		step := 1.0
		if k := len(S) - 1; k >= 0 {
			gamma := linDot(S[k], Y[k]) / linDot(Y[k], Y[k])
			for i := range d {
				d[i] *= gamma
			}
		} else {
			step = 1 / math.Sqrt(linDot(g, g))
		}
		for k := range S {
			b := rho[k] * linDot(Y[k], d)
			linAxpy(alpha[k]-b, S[k], d)
		}
		gd := linDot(g, d)
		if !(gd < 0) {
			// Not a descent direction (numerical trouble): restart from −g.
			S, Y, rho = S[:0], Y[:0], rho[:0]
			for i := range d {
				d[i] = -g[i]
			}
			gd = -linDot(g, g)
			step = 1 / math.Sqrt(-gd)
		}
		fn, ok := wolfeSearch(fg, x, f, g, d, gd, step, xn, gn)
		if err := ctx.Err(); err != nil {
			return lbfgsResult{}, err
		}
		if !ok {
			break
		}
		iters++
		s := make([]float64, n)
		yv := make([]float64, n)
		for i := range s {
			s[i] = xn[i] - x[i]
			yv[i] = gn[i] - g[i]
		}
		if sy := linDot(s, yv); sy > eps64*linDot(yv, yv) {
			if len(S) == mem {
				S, Y, rho = append(S[:0], S[1:]...), append(Y[:0], Y[1:]...), append(rho[:0], rho[1:]...)
			}
			S, Y, rho = append(S, s), append(Y, yv), append(rho, 1/sy)
		}
		decrease := (f - fn) / math.Max(math.Max(math.Abs(f), math.Abs(fn)), 1)
		copy(x, xn)
		copy(g, gn)
		f = fn
		if onIter != nil {
			onIter(iters-1, x, f)
		}
		if decrease <= ftol {
			break
		}
	}
	return lbfgsResult{x: x, f: f, iters: iters}, nil
}

// wolfeSearch finds a step a along d from x (value f, gradient g, slope gd =
// gᵀd < 0) satisfying the strong Wolfe conditions, starting at a0. On
// success xn and gn hold the new point and its gradient and the new value is
// returned.
func wolfeSearch(fg func(x, grad []float64) float64, x []float64, f float64, g, d []float64, gd, a0 float64,
	xn, gn []float64) (float64, bool) {
	const c1, c2, maxEval = 1e-3, 0.9, 20
	evals := 0
	eval := func(a float64) (float64, float64) {
		evals++
		for i := range xn {
			xn[i] = x[i] + a*d[i]
		}
		fa := fg(xn, gn)
		return fa, linDot(gn, d)
	}
	type pt struct{ a, f, d float64 }
	prev := pt{0, f, gd}
	a := a0
	var lo, hi pt
	zoom := false
	for evals < maxEval {
		fa, da := eval(a)
		if math.IsNaN(fa) || math.IsInf(fa, 1) {
			// Too far: shrink the step.
			a = prev.a + (a-prev.a)/4
			continue
		}
		cur := pt{a, fa, da}
		if fa > f+c1*a*gd || (evals > 1 && fa >= prev.f) {
			lo, hi, zoom = prev, cur, true
			break
		}
		if math.Abs(da) <= -c2*gd {
			return fa, true
		}
		if da >= 0 {
			lo, hi, zoom = cur, prev, true
			break
		}
		prev = cur
		a *= 4
	}
	if !zoom {
		return 0, false
	}
	for evals < maxEval {
		a := cubicMin(lo.a, lo.f, lo.d, hi.a, hi.f, hi.d)
		left, right := math.Min(lo.a, hi.a), math.Max(lo.a, hi.a)
		w := right - left
		if !(a > left+0.1*w && a < right-0.1*w) {
			a = (lo.a + hi.a) / 2
		}
		if w <= eps64*math.Max(1, right) {
			break
		}
		fa, da := eval(a)
		cur := pt{a, fa, da}
		if math.IsNaN(fa) || fa > f+c1*a*gd || fa >= lo.f {
			hi = cur
			continue
		}
		if math.Abs(da) <= -c2*gd {
			return fa, true
		}
		if da*(hi.a-lo.a) >= 0 {
			hi = lo
		}
		lo = cur
	}
	// No step met both conditions: accept the best one with sufficient
	// decrease, if any.
	if lo.a > 0 && lo.f < f {
		fa, _ := eval(lo.a)
		return fa, true
	}
	return 0, false
}

// cubicMin returns the minimiser of the cubic through (a, fa) and (b, fb)
// with slopes da and db (Nocedal & Wright eq. 3.59), or NaN.
func cubicMin(a, fa, da, b, fb, db float64) float64 {
	d1 := da + db - 3*(fa-fb)/(a-b)
	disc := d1*d1 - da*db
	if disc < 0 {
		return math.NaN()
	}
	d2 := math.Copysign(math.Sqrt(disc), b-a)
	return b - (b-a)*(db+d2-d1)/(db-da+2*d2)
}

// maxAbs returns max |v_i|.
func maxAbs(v []float64) float64 {
	var m float64
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}
