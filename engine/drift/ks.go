package drift

import (
	"math"
)

// KS2Samp returns the two-sample Kolmogorov–Smirnov statistic
//
//	D = sup_x |F_a(x) − F_b(x)|
//
// of two sorted samples without NaN, and its two-sided p-value computed as
// scipy.stats.ks_2samp(a, b, method='auto') does (scipy 1.10):
//
//   - exact when max(n, m) ≤ 10000: the proportion of lattice paths leaving
//     the band |x/m − y/n| < h/lcm(m, n) (Hodges 1958, with Viehmann's 1 − p
//     recursion, arXiv:2102.08037), D first rounded to h/lcm; the
//     asymptotic value is used if the exact one overflows;
//   - otherwise asymptotic: the one-sample Kolmogorov distribution's
//     survival function kstwo.sf(D, round(nm/(n+m))), see kolmogorovSF.
//
// It returns NaN for both when a sample is empty.
func KS2Samp(a, b []float64) (d, p float64) {
	n1, n2 := len(a), len(b)
	if n1 == 0 || n2 == 0 {
		return math.NaN(), math.NaN()
	}
	d = ksStatSorted(a, b)
	return d, ksPValue(d, n1, n2)
}

// ksStatSorted is the KS statistic of two sorted samples by a merge: after
// each distinct value v, compare the counts ≤ v (as scipy's
// searchsorted(side='right')).
func ksStatSorted(a, b []float64) float64 {
	n1, n2 := float64(len(a)), float64(len(b))
	i, j := 0, 0
	var dmax float64
	for i < len(a) && j < len(b) {
		v := a[i]
		if b[j] < v {
			v = b[j]
		}
		for i < len(a) && a[i] <= v {
			i++
		}
		for j < len(b) && b[j] <= v {
			j++
		}
		if d := math.Abs(float64(i)/n1 - float64(j)/n2); d > dmax {
			dmax = d
		}
	}
	// Once a sample is exhausted the other's CDF only rises towards 1, so
	// the remaining differences shrink: nothing more to check.
	return dmax
}

// ksPValue is scipy's two-sided ks_2samp p-value for statistic d.
func ksPValue(d float64, n1, n2 int) float64 {
	const maxAutoN = 10000
	if max(n1, n2) <= maxAutoN {
		if p, ok := ksExact(d, n1, n2); ok {
			return p
		}
	}
	m, n := float64(max(n1, n2)), float64(min(n1, n2))
	en := math.RoundToEven(m * n / (m + n))
	return clip01(kolmogorovSF(int(en), d))
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// ksExact is scipy's _attempt_exact_2kssamp for the two-sided alternative.
func ksExact(d float64, n1, n2 int) (float64, bool) {
	g := gcd(n1, n2)
	lcm := float64(n1/g) * float64(n2)
	h := int(math.RoundToEven(d * lcm))
	if h == 0 {
		return 1, true
	}
	var p float64
	if n1 == n2 {
		p = probOutsideSquare(n1, h)
	} else {
		p = outerProbInside(n1, n2, g, h)
	}
	if math.IsNaN(p) || math.IsInf(p, 0) || p < 0 || p > 1 {
		return p, false
	}
	return p, true
}

// probOutsideSquare is the proportion of paths from (0,0) to (n,n) that leave
// the band |x − y| < h: 2 Σ_k (−1)^(k+1) C(2n, n − kh)/C(2n, n), evaluated
// with scipy's Horner-like scheme to avoid cancellation.
func probOutsideSquare(n, h int) float64 {
	var P float64
	for k := n / h; k >= 0; k-- {
		p1 := 1.0
		for j := 0; j < h; j++ {
			p1 = float64(n-k*h-j) * p1 / float64(n+k*h+j+1)
		}
		P = p1 * (1 - P)
	}
	return 2 * P
}

// outerProbInside is scipy's _compute_outer_prob_inside_method: 1 − the
// proportion of lattice paths from (0,0) to (m,n) staying strictly inside
// |nx/g − my/g| < h, by Viehmann's recursion on 1 − p.
func outerProbInside(m, n, g, h int) float64 {
	if m < n {
		m, n = n, m
	}
	mg, ng := m/g, n/g
	minj, maxj := 0, min(int(math.Ceil(float64(h)/float64(mg))), n+1)
	curlen := maxj - minj
	lenA := min(2*maxj+2, n+1)
	A := make([]float64, lenA)
	for i := range A {
		A[i] = 1
	}
	for i := minj; i < maxj; i++ {
		A[i] = 0
	}
	for i := 1; i <= m; i++ {
		lastminj, lastlen := minj, curlen
		minj = max(int(math.Floor(float64(ng*i-h)/float64(mg)))+1, 0)
		minj = min(minj, n)
		maxj = min(int(math.Ceil(float64(ng*i+h)/float64(mg))), n+1)
		if maxj <= minj {
			return 1
		}
		val := 1.0
		if minj == 0 {
			val = 0
		}
		for jj := 0; jj < maxj-minj; jj++ {
			j := jj + minj
			val = (A[jj+minj-lastminj]*float64(i) + val*float64(j)) / float64(i+j)
			A[jj] = val
		}
		curlen = maxj - minj
		if lastlen > curlen {
			for k := maxj - minj; k < maxj-minj+(lastlen-curlen) && k < len(A); k++ {
				A[k] = 1
			}
		}
	}
	return A[maxj-minj-1]
}

func clip01(p float64) float64 { return min(max(p, 0), 1) }

// kolmogorovSF is P(D_n ≥ x) for the one-sample two-sided Kolmogorov
// statistic, following scipy.stats.kstwo.sf (Simard & L'Ecuyer 2011, as in
// scipy's _kolmogn): Ruben–Gambino closed forms near the ends, 2·smirnov(n,
// x) where the one-sided tails do not overlap, the Durbin matrix
// (Marsaglia–Tsang–Wang) for moderate n·x², and the Pelz–Good expansion for
// large n. Where scipy uses Pomeranz's recursion (n ≤ 140, 0.754693 <
// n·x² ≤ 4) this uses the Durbin matrix, which computes the same exact
// probability.
func kolmogorovSF(n int, x float64) float64 {
	if n <= 0 || math.IsNaN(x) {
		return math.NaN()
	}
	if x >= 1 {
		return 0
	}
	if x <= 0 {
		return 1
	}
	nf := float64(n)
	t := nf * x
	if t <= 1 {
		if t <= 0.5 {
			return 1
		}
		var prob float64
		if n <= 140 {
			prob = 1
			for i := 1; i <= n; i++ {
				prob *= float64(i) * (1 / nf) * (2*t - 1)
			}
		} else {
			prob = math.Exp(logNFactorialDivNPowN(nf) + nf*math.Log(2*t-1))
		}
		return clip01(1 - prob)
	}
	if t >= nf-1 {
		return clip01(2 * math.Pow(1-x, nf))
	}
	if x >= 0.5 {
		return clip01(2 * smirnovSF(n, x))
	}
	nx2 := t * x
	if n <= 140 {
		if nx2 <= 4 {
			return clip01(1 - kolmogorovDMTW(n, x))
		}
		return clip01(2 * smirnovSF(n, x))
	}
	if nx2 >= 370 {
		return 0
	}
	if nx2 >= 2.2 {
		return clip01(2 * smirnovSF(n, x))
	}
	var cdf float64
	switch {
	case nx2 >= 18:
		cdf = 1
	case n <= 100000 && nf*math.Pow(x, 1.5) <= 1.4:
		cdf = kolmogorovDMTW(n, x)
	default:
		cdf = kolmogorovPelzGood(n, x)
	}
	return clip01(1 - cdf)
}

// logNFactorialDivNPowN is log(n!/nⁿ) by Stirling's series (scipy's
// _log_nfactorial_div_n_pow_n).
func logNFactorialDivNPowN(n float64) float64 {
	coef := [...]float64{-2.955065359477124183e-2, 6.4102564102564102564e-3,
		-1.9175269175269175269e-3, 8.4175084175084175084e-4,
		-5.952380952380952381e-4, 7.9365079365079365079e-4,
		-2.7777777777777777778e-3, 8.3333333333333333333e-2}
	rn := 1 / n
	z := rn / n
	var poly float64
	for _, c := range coef {
		poly = poly*z + c
	}
	return math.Log(n)/2 - n + math.Log(2*math.Pi)/2 + rn*poly
}

// kolmogorovDMTW is P(D_n ≤ d) by Durbin's matrix method as programmed by
// Marsaglia, Tsang and Wang (2003): with d = (k − h)/n, the k-th diagonal
// entry of (n!/nⁿ)·Hⁿ for an (2k−1)×(2k−1) matrix H, with scaling to avoid
// overflow.
func kolmogorovDMTW(n int, d float64) float64 {
	if d >= 1 {
		return 1
	}
	nd := float64(n) * d
	if nd <= 0.5 {
		return 0
	}
	k := int(math.Ceil(nd))
	h := float64(k) - nd
	m := 2*k - 1
	H := make([]float64, m*m)
	v := make([]float64, m)
	w := make([]float64, m)
	fac := 1.0
	for j := 1; j <= m; j++ {
		w[j-1] = fac
		fac /= float64(j)
		v[j-1] = (1 - math.Pow(h, float64(j))) * fac
	}
	tt := math.Pow(max(2*h-1, 0), float64(m)) - 2*math.Pow(h, float64(m))
	v[m-1] = (1 + tt) * fac
	for i := 1; i < m; i++ {
		for r := i - 1; r < m; r++ {
			H[r*m+i] = w[r-(i-1)]
		}
	}
	for r := 0; r < m; r++ {
		H[r*m] = v[r]
	}
	for c := 0; c < m; c++ {
		H[(m-1)*m+c] = v[m-1-c]
	}
	P := make([]float64, m*m)
	for i := 0; i < m; i++ {
		P[i*m+i] = 1
	}
	tmp := make([]float64, m*m)
	matmul := func(dst, a, b []float64) {
		for i := 0; i < m; i++ {
			for j := 0; j < m; j++ {
				var s float64
				for l := 0; l < m; l++ {
					s += a[i*m+l] * b[l*m+j]
				}
				tmp[i*m+j] = s
			}
		}
		copy(dst, tmp)
	}
	const e128 = 128
	ep128 := math.Ldexp(1, e128)
	em128 := math.Ldexp(1, -e128)
	expnt, hexpnt := 0, 0
	for nn := n; nn > 0; nn /= 2 {
		if nn%2 == 1 {
			matmul(P, P, H)
			expnt += hexpnt
		}
		matmul(H, H, H)
		hexpnt *= 2
		if math.Abs(H[(k-1)*m+k-1]) > ep128 {
			for i := range H {
				H[i] /= ep128
			}
			hexpnt += e128
		}
	}
	p := P[(k-1)*m+k-1]
	nf := float64(n)
	for i := 1; i <= n; i++ {
		p = float64(i) * p / nf
		if math.Abs(p) < em128 {
			p *= ep128
			expnt -= e128
		}
	}
	if expnt != 0 {
		p = math.Ldexp(p, expnt)
	}
	return clip01(p)
}

// kolmogorovPelzGood is the Pelz–Good (1976) approximation of P(D_n ≤ x):
// K0(z) + K1(z)/√n + K2(z)/n + K3(z)/n^1.5 with z = x√n, each term in its
// theta-function form for small z (scipy's _kolmogn_PelzGood).
func kolmogorovPelzGood(n int, x float64) float64 {
	if x <= 0 {
		return 0
	}
	if x >= 1 {
		return 1
	}
	const (
		pi2 = math.Pi * math.Pi
		pi4 = pi2 * pi2
		pi6 = pi4 * pi2
	)
	sqrt2pi := math.Sqrt(2 * math.Pi)
	nf := float64(n)
	z := math.Sqrt(nf) * x
	z2, z3, z4, z6 := z*z, z*z*z, z*z*z*z, math.Pow(z, 6)
	qlog := -pi2 / 8 / z2
	if qlog < -708 {
		return 0
	}
	q := math.Exp(qlog)
	k1a, k1b := -z2, pi2/4
	k2a := 6*z6 + 2*z4
	k2b := (2*z4 - 5*z2) * pi2 / 4
	k2c := pi4 * (1 - 2*z2) / 16
	k3d := pi6 * (5 - 30*z2) / 64
	k3c := pi4 * (-60*z2 + 212*z4) / 16
	k3b := pi2 * (135*z4 - 96*z6) / 4
	k3a := -30*z6 - 90*math.Pow(z, 8)
	var K [4]float64
	maxk := int(math.Ceil(16 * z / math.Pi))
	for k := maxk; k > 0; k-- {
		m := float64(2*k - 1)
		m2 := m * m
		m4, m6 := m2*m2, m2*m2*m2
		qp := math.Pow(q, float64(8*k))
		c := [4]float64{1, k1a + k1b*m2, k2a + k2b*m2 + k2c*m4, k3a + k3b*m2 + k3c*m4 + k3d*m6}
		for i := range K {
			K[i] = K[i]*qp + c[i]
		}
	}
	div := [4]float64{z, 6 * z4, 72 * math.Pow(z, 7), 6480 * math.Pow(z, 10)}
	for i := range K {
		K[i] *= q * sqrt2pi / div[i]
	}
	q = math.Exp(-pi2 / 2 / z2)
	sqrt3z := math.Sqrt(3) * z
	var k2extra, k3extra float64
	for k := maxk; k > 0; k-- {
		kf := float64(k)
		ks := kf * kf
		qp := math.Pow(q, ks)
		k2extra += ks * qp
		kspi := math.Pi * kf
		k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ks * qp
	}
	K[2] += k2extra * pi2 * sqrt2pi / (-36 * z3)
	K[3] += k3extra * pi2 * sqrt2pi / (216 * z6)
	var sum float64
	for i := range K {
		sum += K[i] / math.Pow(nf, float64(i)/2)
	}
	return sum
}

// smirnovSF is the one-sided Kolmogorov–Smirnov survival function
// P(D⁺_n ≥ x) (scipy.special.smirnov) by the Birnbaum–Tingey sum
//
//	P = x Σ_{v=0}^{⌊n(1−x)⌋} C(n,v) (x + v/n)^(v−1) (1 − x − v/n)^(n−v)
//
// summed in logarithms (cephes uses double-double arithmetic; this agrees
// to about 1e-10 relative), with cephes' special cases and its
// approximation exp(−(6nx+1)²/(18n)) for n > 10⁶.
func smirnovSF(n int, x float64) float64 {
	if n <= 0 || x < 0 || x > 1 || math.IsNaN(x) {
		return math.NaN()
	}
	if n == 1 {
		return 1 - x
	}
	if x == 0 {
		return 1
	}
	if x == 1 {
		return 0
	}
	nf := float64(n)
	nx := nf * x
	nxfl := int(math.Floor(nx))
	alpha := nx - float64(nxfl)
	if nxfl == 0 || (nxfl == 1 && alpha == 0) {
		return 1 - x*math.Pow(1+x, nf-1)
	}
	if -2*nf*x*x < -708.3964185322641 {
		return 0
	}
	if nxfl >= n-1 {
		return math.Pow(1-x, nf)
	}
	if n > 1000000 {
		return math.Exp(-math.Pow(6*nf*x+1, 2) / 18 / nf)
	}
	last := n - nxfl - 1 // v = 0 .. last
	lgn, _ := math.Lgamma(nf + 1)
	var sum float64
	// The largest term first fixes the scale; sum relative to it.
	logTerm := func(v int) float64 {
		vf := float64(v)
		lv, _ := math.Lgamma(vf + 1)
		lnv, _ := math.Lgamma(nf - vf + 1)
		return lgn - lv - lnv + (vf-1)*math.Log(x+vf/nf) + (nf-vf)*math.Log((nf-vf)/nf-x)
	}
	// Running log-sum-exp: the terms may rise by hundreds of orders of
	// magnitude before they fall.
	top := logTerm(0)
	sum = 1
	for v := 1; v <= last; v++ {
		l := logTerm(v)
		if l > top {
			sum = sum*math.Exp(top-l) + 1
			top = l
			continue
		}
		t := math.Exp(l - top)
		sum += t
		if t < 2.220446049250313e-16/4/float64(last-v+1)*sum && v != last {
			break
		}
	}
	return clip01(x * math.Exp(top+math.Log(sum)))
}
