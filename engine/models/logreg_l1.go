package models

import (
	"context"
	"math"
)

// newtonMaxFeatures is the most features for which penalty l1 uses the
// proximal Newton solver (it forms a (p+1)² Hessian block per class); wider
// problems use FISTA.
const newtonMaxFeatures = 256

// gradHess computes, at theta, the gradient g (p+1) and the Hessian H
// ((p+1)², row-major, both triangles) of the data term with respect to the
// weights and intercept of output k, holding the other outputs fixed:
//
//	g_j = Σ_i s_i (π_ik − [y_i = k]) x̃_ij,  H_jl = Σ_i s_i π_ik (1 − π_ik) x̃_ij x̃_il
//
// with x̃_i = (x_i, 1) and π_ik the model probability (σ(z_i) for one
// output). Blocks of rows run in parallel; partial sums are added in block
// order. It returns ctx.Err() when cancelled.
func (l *logLoss) gradHess(theta []float64, k int, g, H []float64, partH [][]float64) error {
	n, p, K := l.X.Rows, l.X.Cols, l.nOut
	q := p + 1
	err := linParallel(l.ctx, n, linBlock, l.jobs, func(b, lo, hi int) {
		m := hi - lo
		for c := 0; c < K; c++ {
			zc := l.z[c*n+lo : c*n+hi]
			th := theta[c*q : (c+1)*q]
			for i := range zc {
				zc[i] = th[p]
			}
			for j := 0; j < p; j++ {
				if v := th[j]; v != 0 {
					linAxpy(v, l.X.Col(j)[lo:hi], zc)
				}
			}
		}
		// r (residual) and h (curvature) for output k, in scratch taken
		// from the first two score rows after use.
		r := make([]float64, m)
		h := make([]float64, m)
		for i := 0; i < m; i++ {
			var pk float64
			if K == 1 {
				z := l.z[lo+i]
				e := math.Exp(-math.Abs(z))
				if z >= 0 {
					pk = 1 / (1 + e)
				} else {
					pk = e / (1 + e)
				}
			} else {
				mx := math.Inf(-1)
				for c := 0; c < K; c++ {
					mx = math.Max(mx, l.z[c*n+lo+i])
				}
				var s float64
				for c := 0; c < K; c++ {
					s += math.Exp(l.z[c*n+lo+i] - mx)
				}
				pk = math.Exp(l.z[k*n+lo+i]-mx) / s
			}
			yk := 0.0
			if K == 1 && l.y[lo+i] == 1 || K > 1 && int(l.y[lo+i]) == k {
				yk = 1
			}
			wi := 1.0
			if l.w != nil {
				wi = l.w[lo+i]
			}
			r[i] = wi * (pk - yk)
			h[i] = wi * pk * (1 - pk)
		}
		pg, ph := l.partG[b][:q], partH[b]
		hx := make([]float64, m)
		for j := 0; j < q; j++ {
			var xj []float64
			if j < p {
				xj = l.X.Col(j)[lo:hi]
				pg[j] = linDot(xj, r)
				for i, v := range xj {
					hx[i] = h[i] * v
				}
			} else {
				var s float64
				for _, v := range r {
					s += v
				}
				pg[j] = s
				copy(hx, h)
			}
			for c := j; c < q; c++ {
				var s float64
				if c < p {
					s = linDot(hx, l.X.Col(c)[lo:hi])
				} else {
					for _, v := range hx {
						s += v
					}
				}
				ph[j*q+c] = s
			}
		}
	})
	if err != nil {
		return err
	}
	clear(g)
	clear(H)
	for b := range partH {
		for j, v := range l.partG[b][:q] {
			g[j] += v
		}
		for j, v := range partH[b] {
			H[j] += v
		}
	}
	for j := 0; j < q; j++ {
		for c := 0; c < j; c++ {
			H[j*q+c] = H[c*q+j]
		}
	}
	return nil
}

// newtonL1 minimises ll + λ||W||₁ (intercepts not penalised) by proximal
// Newton with coordinate descent on the quadratic model, the newGLMNET
// method of liblinear's L1 logistic regression (Yuan, Ho & Lin 2012),
// class by class for the multinomial model (Friedman, Hastie & Tibshirani
// 2010). For output k with gradient g and Hessian H at θ_k, the direction d
// minimises
//
//	gᵀd + ½dᵀ(H + νI)d + λ||w + d||₁     (ν = 1e-12·max(1, tr H/(p+1)))
//
// by cyclic coordinate descent (u_j = S(w_j − c_j/a_j, λ/a_j)); the step
// t ∈ {1, ½, ¼, ...} is the first with F(θ + td) ≤ F(θ) + 0.01·t·Δ,
// Δ = gᵀd + λ(||w + d||₁ − ||w||₁) (Tseng & Yun 2009). It stops when an
// iteration (a pass over the outputs) changes θ by at most tol·max|θ|.
func newtonL1(ctx context.Context, ll *logLoss, theta []float64, p int, lambda float64, maxIter int, tol float64,
	report func(int, []float64, float64)) ([]float64, int, error) {
	q := p + 1
	K := ll.nOut
	th := append([]float64(nil), theta...)
	g := make([]float64, q)
	H := make([]float64, q*q)
	partH := make([][]float64, len(ll.partG))
	for b := range partH {
		partH[b] = make([]float64, q*q)
	}
	d := make([]float64, q)
	Hd := make([]float64, q)
	trial := make([]float64, len(th))
	l1 := func(t []float64) float64 {
		var s float64
		for i, v := range t {
			if (i+1)%q != 0 {
				s += math.Abs(v)
			}
		}
		return lambda * s
	}
	data := ll.eval(th, nil)
	F := data + l1(th)
	iter := 0
	for iter = 0; iter < maxIter; iter++ {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		var change float64
		before := append([]float64(nil), th...)
		for k := 0; k < K; k++ {
			if err := ll.gradHess(th, k, g, H, partH); err != nil {
				return nil, 0, err
			}
			w := th[k*q : (k+1)*q]
			var tr float64
			for j := 0; j < q; j++ {
				tr += H[j*q+j]
			}
			nu := 1e-12 * math.Max(1, tr/float64(q))
			clear(d)
			clear(Hd)
			last := q
			if !ll.interc {
				last = p
			}
			// Collinear features make the model's Hessian nearly singular and
			// coordinate descent slow along the flat directions; sweeps are
			// cheap ((p+1)² each) next to forming H (n(p+1)²/2), so allow many.
			maxSweeps := min(5000, max(200, int(1e8/float64(q*q))))
			for sweep := 0; sweep < maxSweeps; sweep++ {
				var maxStep, maxD float64
				for j := 0; j < last; j++ {
					a := H[j*q+j] + nu
					c := g[j] + Hd[j] + nu*d[j] - a*d[j]
					var nd float64
					if j == p {
						nd = -c / a
					} else {
						u := w[j] - c/a
						u = math.Copysign(math.Max(math.Abs(u)-lambda/a, 0), u)
						nd = u - w[j]
					}
					if delta := nd - d[j]; delta != 0 {
						linAxpy(delta, H[j*q:(j+1)*q], Hd)
						d[j] = nd
						maxStep = math.Max(maxStep, math.Abs(delta))
					}
					maxD = math.Max(maxD, math.Abs(nd))
				}
				if maxStep <= 1e-10*math.Max(maxD, 1e-300) || maxStep == 0 {
					break
				}
			}
			// Predicted decrease Δ.
			var delta, l1Old, l1New float64
			for j := 0; j < q; j++ {
				delta += g[j] * d[j]
				if j < p {
					l1Old += math.Abs(w[j])
					l1New += math.Abs(w[j] + d[j])
				}
			}
			delta += lambda * (l1New - l1Old)
			if !(delta < 0) {
				continue
			}
			copy(trial, th)
			t := 1.0
			accepted := false
			for ls := 0; ls < 40; ls++ {
				for j := 0; j < q; j++ {
					trial[k*q+j] = w[j] + t*d[j]
				}
				nd := ll.eval(trial, nil)
				if err := ctx.Err(); err != nil {
					return nil, 0, err
				}
				nF := nd + l1(trial)
				if nF <= F+0.01*t*delta {
					copy(th, trial)
					F, data = nF, nd
					accepted = true
					break
				}
				t /= 2
			}
			if !accepted {
				continue
			}
		}
		shiftMultinomial(th, K, q, ll.interc)
		if K > 1 {
			data = ll.eval(th, nil)
			F = data + l1(th)
		}
		var maxW float64
		for i, v := range th {
			change = math.Max(change, math.Abs(v-before[i]))
			maxW = math.Max(maxW, math.Abs(v))
		}
		if report != nil {
			report(iter, th, data)
		}
		if change == 0 || change <= tol*maxW {
			iter++
			break
		}
	}
	return th, min(iter, maxIter), nil
}

// shiftMultinomial uses the flat directions of the K > 1 multinomial loss,
// which is unchanged when the same vector is added to every class's weights
// and intercept. The intercepts are shifted to sum to zero (the solution
// gradient methods such as saga and lbfgs reach from zero); for each
// feature j, the weights W_kj are shifted by the c_j that minimises
// Σ_k |W_kj − c_j| (a median, the nearest one to 0), which lowers the
// penalty without changing the loss. Class-by-class Newton steps cannot move
// along these directions and would otherwise crawl.
func shiftMultinomial(th []float64, K, q int, interc bool) {
	if K < 2 {
		return
	}
	if interc {
		var mean float64
		for k := 0; k < K; k++ {
			mean += th[k*q+q-1]
		}
		mean /= float64(K)
		for k := 0; k < K; k++ {
			th[k*q+q-1] -= mean
		}
	}
	col := make([]float64, K)
	for j := 0; j < q-1; j++ {
		for k := 0; k < K; k++ {
			col[k] = th[k*q+j]
		}
		sortFloat64s(col)
		lo, hi := col[(K-1)/2], col[K/2]
		var c float64
		switch {
		case lo > 0:
			c = lo
		case hi < 0:
			c = hi
		default:
			continue
		}
		for k := 0; k < K; k++ {
			th[k*q+j] -= c
		}
	}
}

// sortFloat64s sorts a short slice in place (insertion sort).
func sortFloat64s(v []float64) {
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && v[j] < v[j-1]; j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
}
