package features

import (
	"context"
	"fmt"
	"math"

	"github.com/mlwb/mlwb/engine/frame"
)

func powerKinds() []*kind {
	ps := []ParamInfo{
		{"standardize", "true", "standardize the transformed values (scikit-learn PowerTransformer's default)"},
		{"keep", "false", "keep the input column beside the new one"},
	}
	return []*kind{
		{
			info: TransformInfo{Name: "boxcox", Group: "construction",
				Doc: "Box-Cox power transform, λ by maximum likelihood (scipy.stats.boxcox, Brent's method); needs positive training values; x ≤ 0 later becomes missing", Params: ps},
			fit: fitPower("boxcox"), zero: func() step { return &powerStep{} },
		},
		{
			info: TransformInfo{Name: "yeojohnson", Group: "construction",
				Doc: "Yeo-Johnson power transform, λ by maximum likelihood (scikit-learn PowerTransformer, Brent's method)", Params: ps},
			fit: fitPower("yeojohnson"), zero: func() step { return &powerStep{} },
		},
	}
}

// powerStep holds λ per column and, when standardizing, the mean and std of
// the transformed training values.
type powerStep struct {
	Method  string   `json:"method"`
	Columns []string `json:"columns"`
	Lambda  []nfloat `json:"lambda"`
	Mean    []nfloat `json:"mean,omitempty"`
	Std     []nfloat `json:"std,omitempty"`
	Keep    bool     `json:"keep"`
}

// BoxCox returns the Box-Cox transform (x^λ − 1)/λ, or ln x for λ = 0; NaN
// for x ≤ 0.
func BoxCox(x, lambda float64) float64 {
	if !(x > 0) {
		return math.NaN()
	}
	if lambda == 0 {
		return math.Log(x)
	}
	return math.Expm1(lambda*math.Log(x)) / lambda
}

// YeoJohnson returns the Yeo-Johnson transform (Yeo & Johnson 2000), as
// scikit-learn's _yeo_johnson_transform:
//
//	x ≥ 0: ((x+1)^λ − 1)/λ, or ln(1+x) when λ = 0
//	x < 0: −((1−x)^(2−λ) − 1)/(2−λ), or −ln(1−x) when λ = 2
func YeoJohnson(x, lambda float64) float64 {
	const eps = 2.220446049250313e-16 // np.spacing(1.0)
	if x >= 0 {
		if math.Abs(lambda) < eps {
			return math.Log1p(x)
		}
		return (math.Pow(x+1, lambda) - 1) / lambda
	}
	if math.Abs(lambda-2) > eps {
		return -(math.Pow(1-x, 2-lambda) - 1) / (2 - lambda)
	}
	return -math.Log1p(-x)
}

// BoxCoxLambda returns the λ maximizing the Box-Cox profile log-likelihood
// of the positive values x (scipy.stats.boxcox_llf),
//
//	llf(λ) = (λ − 1) Σ ln xᵢ − n/2 · ln var(y(λ)),  var with ddof 0,
//
// found as scipy.stats.boxcox_normmax(method="mle"): optimize.brent with the
// bracket search started at (−2, 2).
func BoxCoxLambda(x []float64) (float64, error) {
	var slog float64
	logx := make([]float64, len(x))
	for i, v := range x {
		if !(v > 0) {
			return 0, fmt.Errorf("Box-Cox needs positive values, found %v", v)
		}
		logx[i] = math.Log(v)
		slog += logx[i]
	}
	n := float64(len(x))
	y := make([]float64, len(x))
	nll := func(l float64) float64 {
		var logvar float64
		if l == 0 {
			_, v := meanVar(logx)
			logvar = math.Log(v)
		} else {
			for i, v := range logx {
				y[i] = l * v
			}
			logvar = logVarExp(y) - 2*math.Log(math.Abs(l))
		}
		return -((l-1)*slog - n/2*logvar)
	}
	return brent(nll, -2, 2)
}

// logVarExp returns ln var(exp(a)) computed stably as scipy's _log_var:
// ln var = logsumexp(2·ln|exp(a) − mean|) − ln n, with the mean taken in log
// space.
func logVarExp(a []float64) float64 {
	mx := math.Inf(-1)
	for _, v := range a {
		mx = math.Max(mx, v)
	}
	var s float64
	for _, v := range a {
		s += math.Exp(v - mx)
	}
	n := float64(len(a))
	logMean := mx + math.Log(s) - math.Log(n)
	// ln|e^a − e^m| = logMean + ln|expm1(a − logMean)|
	mx2 := math.Inf(-1)
	d := make([]float64, len(a))
	for i, v := range a {
		d[i] = 2 * (logMean + math.Log(math.Abs(math.Expm1(v-logMean))))
		mx2 = math.Max(mx2, d[i])
	}
	if math.IsInf(mx2, -1) {
		return math.Inf(-1)
	}
	var s2 float64
	for _, v := range d {
		s2 += math.Exp(v - mx2)
	}
	return mx2 + math.Log(s2) - math.Log(n)
}

// YeoJohnsonLambda returns the λ maximizing scikit-learn's Yeo-Johnson
// log-likelihood of x (no NaN),
//
//	ll(λ) = −n/2 · ln var(ψ(x, λ)) + (λ − 1) Σ sign(xᵢ) ln(1 + |xᵢ|),
//
// by Brent's method with the bracket search started at (−2, 2).
func YeoJohnsonLambda(x []float64) (float64, error) {
	if len(x) == 0 {
		return 0, fmt.Errorf("no values")
	}
	var sl float64
	for _, v := range x {
		sl += math.Copysign(math.Log1p(math.Abs(v)), v)
	}
	n := float64(len(x))
	y := make([]float64, len(x))
	const tiny = 2.2250738585072014e-308
	nll := func(l float64) float64 {
		for i, v := range x {
			y[i] = YeoJohnson(v, l)
		}
		_, v := meanVar(y)
		if v < tiny {
			return math.Inf(1)
		}
		return -(-n/2*math.Log(v) + (l-1)*sl)
	}
	return brent(nll, -2, 2)
}

// brent minimizes f as scipy.optimize.brent(f, brack=(xa, xb)): scipy's
// downhill bracket search from xa, xb, then Brent's parabolic interpolation
// with golden-section fallback (tol 1.48e-8, 500 iterations).
func brent(f func(float64) float64, xa, xb float64) (float64, error) {
	const gold, tiny, growLimit = 1.618034, 1e-21, 110.0
	fa, fb := f(xa), f(xb)
	if fa < fb {
		xa, xb, fa, fb = xb, xa, fb, fa
	}
	xc := xb + gold*(xb-xa)
	fc := f(xc)
	for it := 0; fc < fb; it++ {
		if it > 1000 {
			return 0, fmt.Errorf("no bracket for the maximum likelihood λ")
		}
		t1 := (xb - xa) * (fb - fc)
		t2 := (xb - xc) * (fb - fa)
		val := t2 - t1
		denom := 2 * val
		if math.Abs(val) < tiny {
			denom = 2 * tiny
		}
		w := xb - ((xb-xc)*t2-(xb-xa)*t1)/denom
		wlim := xb + growLimit*(xc-xb)
		var fw float64
		switch {
		case (w-xc)*(xb-w) > 0:
			fw = f(w)
			if fw < fc {
				xa, xb, fa, fb = xb, w, fb, fw
				goto search
			} else if fw > fb {
				xc, fc = w, fw
				goto search
			}
			w = xc + gold*(xc-xb)
			fw = f(w)
		case (w-wlim)*(wlim-xc) >= 0:
			w = wlim
			fw = f(w)
		case (w-wlim)*(xc-w) > 0:
			fw = f(w)
			if fw < fc {
				xb, xc = xc, w
				w = xc + gold*(xc-xb)
				fb, fc = fc, fw
				fw = f(w)
			}
		default:
			w = xc + gold*(xc-xb)
			fw = f(w)
		}
		xa, xb, xc = xb, xc, w
		fa, fb, fc = fb, fc, fw
	}
search:
	const tol, mintol, cg = 1.48e-8, 1.0e-11, 0.3819660
	x, w, v := xb, xb, xb
	fx, fw, fv := fb, fb, fb
	a, b := xa, xc
	if xa >= xc {
		a, b = xc, xa
	}
	var deltax, rat float64
	for it := 0; it < 500; it++ {
		tol1 := tol*math.Abs(x) + mintol
		tol2 := 2 * tol1
		xmid := 0.5 * (a + b)
		if math.Abs(x-xmid) < tol2-0.5*(b-a) {
			break
		}
		if math.Abs(deltax) <= tol1 {
			if x >= xmid {
				deltax = a - x
			} else {
				deltax = b - x
			}
			rat = cg * deltax
		} else {
			t1 := (x - w) * (fx - fv)
			t2 := (x - v) * (fx - fw)
			p := (x-v)*t2 - (x-w)*t1
			t2 = 2 * (t2 - t1)
			if t2 > 0 {
				p = -p
			}
			t2 = math.Abs(t2)
			dxTemp := deltax
			deltax = rat
			if p > t2*(a-x) && p < t2*(b-x) && math.Abs(p) < math.Abs(0.5*t2*dxTemp) {
				rat = p / t2
				u := x + rat
				if u-a < tol2 || b-u < tol2 {
					if xmid-x >= 0 {
						rat = tol1
					} else {
						rat = -tol1
					}
				}
			} else {
				if x >= xmid {
					deltax = a - x
				} else {
					deltax = b - x
				}
				rat = cg * deltax
			}
		}
		var u float64
		if math.Abs(rat) < tol1 {
			if rat >= 0 {
				u = x + tol1
			} else {
				u = x - tol1
			}
		} else {
			u = x + rat
		}
		fu := f(u)
		if fu > fx {
			if u < x {
				a = u
			} else {
				b = u
			}
			if fu <= fw || w == x {
				v, w, fv, fw = w, u, fw, fu
			} else if fu <= fv || v == x || v == w {
				v, fv = u, fu
			}
		} else {
			if u >= x {
				a = x
			} else {
				b = x
			}
			v, w, x = w, x, u
			fv, fw, fx = fw, fx, fu
		}
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("maximum likelihood λ did not converge")
	}
	return x, nil
}

func fitPower(method string) func(*fitEnv, []string, *params, *frame.Frame) (step, error) {
	return func(e *fitEnv, cols []string, p *params, train *frame.Frame) (step, error) {
		s := &powerStep{Method: method, Columns: cols, Keep: p.bool("keep", false)}
		std := p.bool("standardize", true)
		for _, n := range cols {
			x, err := floats(train, n)
			if err != nil {
				return nil, err
			}
			v := nonNaN(x)
			if len(v) < 2 {
				return nil, fmt.Errorf("column %q has fewer than 2 values in the training rows", n)
			}
			var l float64
			if method == "boxcox" {
				l, err = BoxCoxLambda(v)
			} else {
				l, err = YeoJohnsonLambda(v)
			}
			if err != nil {
				return nil, fmt.Errorf("column %q: %w", n, err)
			}
			s.Lambda = append(s.Lambda, nfloat(l))
			if std {
				for i := range v {
					v[i] = s.transform(v[i], l)
				}
				m, va := meanVar(v)
				sd := math.Sqrt(va)
				if sd == 0 || math.IsNaN(sd) {
					sd = 1
				}
				s.Mean = append(s.Mean, nfloat(m))
				s.Std = append(s.Std, nfloat(sd))
			}
		}
		return s, nil
	}
}

func (s *powerStep) transform(x, l float64) float64 {
	if s.Method == "boxcox" {
		return BoxCox(x, l)
	}
	return YeoJohnson(x, l)
}

func (s *powerStep) validate() error {
	if len(s.Lambda) != len(s.Columns) || len(s.Mean) != len(s.Std) || (len(s.Mean) > 0 && len(s.Mean) != len(s.Columns)) {
		return fmt.Errorf("lambda, mean and std do not match the columns")
	}
	if s.Method != "boxcox" && s.Method != "yeojohnson" {
		return fmt.Errorf("unknown method %q", s.Method)
	}
	return nil
}

func (s *powerStep) apply(ctx context.Context, f *frame.Frame) (*frame.Frame, error) {
	return mapColumns(f, s.Columns, s.Keep, s.Method, func(j int, x []float64) {
		l := float64(s.Lambda[j])
		for i, v := range x {
			y := s.transform(v, l)
			if len(s.Mean) > 0 {
				y = (y - float64(s.Mean[j])) / float64(s.Std[j])
			}
			x[i] = y
		}
	})
}
