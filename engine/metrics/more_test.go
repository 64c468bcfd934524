package metrics

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/mlwb/mlwb/engine/frame"
)

func TestFairness(t *testing.T) {
	// testdata/fair.py
	y := []bool{true, false, true, true, false, false, true, false, false, false, true, true, false, false, false}
	p := []bool{true, false, false, true, true, false, true, true, false, false, false, false, false, true, true}
	g := []int32{0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3}
	rep, err := Fairness("grp", y, p, g, []string{"a", "b", "c", "d"})
	if err != nil {
		t.Fatal(err)
	}
	want := []GroupRow{
		{"a", 5, 0.6, 0.6666666666666666, 0.5, 0.6666666666666666, 0.6},
		{"b", 4, 0.5, 1, 0.3333333333333333, 0.5, 0.75},
		{"c", 5, 0.2, 0, 0.3333333333333333, 0, 0.4},
		{"d", 1, 1, math.NaN(), 1, 0, 0},
	}
	for i, w := range want {
		g := rep.Groups[i]
		if g.Group != w.Group || g.Count != w.Count || !near(g.SelectionRate, w.SelectionRate, tol) || !near(g.TPR, w.TPR, tol) ||
			!near(g.FPR, w.FPR, tol) || !near(g.Precision, w.Precision, tol) || !near(g.Accuracy, w.Accuracy, tol) {
			t.Errorf("group %d = %+v, want %+v", i, g, w)
		}
	}
	if !near(rep.DemographicParityDifference, 0.8, tol) || !near(rep.DemographicParityRatio, 0.2, tol) ||
		!near(rep.EqualizedOddsDifference, 1, tol) || !near(rep.EqualOpportunityDifference, 1, tol) || !rep.FourFifthsViolated {
		t.Errorf("gaps %+v, want dpd 0.8 dpr 0.2 eod 1 eopp 1, four-fifths violated", rep)
	}
	if len(rep.Warnings) != 1 {
		t.Errorf("warnings %q, want one about group d", rep.Warnings)
	}
	if _, err := Fairness("grp", y, p[:3], g, nil); err == nil {
		t.Error("length mismatch accepted")
	}
}

// naiveCounts is the O(n) oracle for Ranking.At.
func naiveCounts(y []bool, s []float64, t float64) Counts {
	var c Counts
	for i := range y {
		switch {
		case s[i] >= t && y[i]:
			c.TP++
		case s[i] >= t:
			c.FP++
		case y[i]:
			c.FN++
		default:
			c.TN++
		}
	}
	return c
}

func randomBinary(n int, seed uint64) ([]bool, []float64) {
	rng := rand.New(rand.NewPCG(seed, 1))
	y := make([]bool, n)
	s := make([]float64, n)
	for i := range y {
		y[i] = rng.Float64() < 0.3
		s[i] = math.Round(rng.Float64()*50) / 50 // many ties
		if y[i] {
			s[i] = min(1, s[i]+0.2)
		}
	}
	return y, s
}

func TestThresholdAndProfit(t *testing.T) {
	y, s := randomBinary(500, 3)
	rk, err := NewRanking(context.Background(), y, s)
	if err != nil {
		t.Fatal(err)
	}
	pay := Payoff{TPValue: 100, FPCost: 20, FNCost: 50, TNValue: 1}
	for _, th := range []float64{-1, 0, 0.1, 0.5, 0.51, 0.98, 1, 1.5, math.Inf(1)} {
		if got, want := rk.At(th), naiveCounts(y, s, th); got != want {
			t.Errorf("At(%g) = %+v, want %+v", th, got, want)
		}
	}
	// the best threshold beats every candidate, brute force
	best := rk.BestThreshold(pay)
	bestNaive := math.Inf(-1)
	for _, th := range append(slices.Clone(s), 2) {
		bestNaive = max(bestNaive, pay.Per1000(naiveCounts(y, s, th)))
	}
	if !near(best.Per1000, bestNaive, tol) || !near(pay.Per1000(naiveCounts(y, s, best.Threshold)), best.Per1000, tol) {
		t.Errorf("best %+v, brute force %g", best, bestNaive)
	}
	curve := rk.ThresholdCurve(pay, 0)
	if len(curve) != len(rk.Thresholds())+1 || curve[0].TP+curve[0].FP != 0 {
		t.Errorf("curve has %d points (want %d), first %+v", len(curve), len(rk.Thresholds())+1, curve[0])
	}
	if thin := rk.ThresholdCurve(pay, 10); len(thin) != 11 {
		t.Errorf("thinned curve has %d points, want 11", len(thin))
	}
	// Payoff per 1000 of a known matrix: (3·100 − 1·20 − 2·50 + 4·1)/10·1000
	if v := pay.Per1000(Counts{TP: 3, FP: 1, FN: 2, TN: 4}); v != 18400 {
		t.Errorf("Per1000 = %g, want 18400", v)
	}
}

func TestGainsAndKS(t *testing.T) {
	// 10 rows, 4 positives, distinct scores: top 20 % holds 2 positives
	y := []bool{true, true, false, true, false, false, true, false, false, false}
	s := []float64{0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1}
	rk, _ := NewRanking(context.Background(), y, s)
	g := rk.Gains(5)
	wantGain := []float64{0.5, 0.75, 0.75, 1, 1}
	for i, p := range g {
		if !near(p.Gain, wantGain[i], tol) || !near(p.Lift, wantGain[i]/p.Fraction, tol) {
			t.Errorf("gain %d = %+v, want gain %g", i, p, wantGain[i])
		}
	}
	// ties: all scores equal, gain is interpolated along the diagonal
	rk, _ = NewRanking(context.Background(), []bool{true, false, false, false}, []float64{0.5, 0.5, 0.5, 0.5})
	for _, p := range rk.Gains(4) {
		if !near(p.Gain, p.Fraction, tol) || !near(p.Lift, 1, tol) {
			t.Errorf("tied gain %+v, want the diagonal", p)
		}
	}
	// KS = scipy.stats.ks_2samp([.95,.9,.7,.4], [.8,.6,.5,.3,.2,.1]).statistic
	// = 0.5833333333333334, reached at 0.7 (TPR 3/4, FPR 1/6)
	rk, _ = NewRanking(context.Background(), y, s)
	if d, th := rk.KS(); !near(d, 0.75-1.0/6, tol) || th != 0.7 {
		t.Errorf("KS %g at %g, want %g at 0.7", d, th, 0.75-1.0/6)
	}
}

// resample returns the rows of idx drawn by counts w (in row order).
func expand(w []float64) []int {
	var idx []int
	for r, c := range w {
		for range int(c) {
			idx = append(idx, r)
		}
	}
	return idx
}

// TestWeightsEqualResampling checks the bootstrap shortcut: evaluating with
// counts w equals evaluating the explicitly resampled rows.
func TestWeightsEqualResampling(t *testing.T) {
	ctx := context.Background()
	y, s := randomBinary(300, 5)
	yi := make([]int32, len(y))
	for i, v := range y {
		if v {
			yi[i] = 1
		}
	}
	rng := rand.New(rand.NewPCG(9, 9))
	reg := Input{Task: RegressionTask, YTrue: make([]float64, 300), YPred: make([]float64, 300)}
	for i := range reg.YTrue {
		reg.YTrue[i] = rng.NormFloat64()*3 + 1
		reg.YPred[i] = reg.YTrue[i] + rng.NormFloat64()
	}
	multi := Input{Task: MulticlassTask, Classes: []string{"a", "b", "c"}, True: make([]int32, 300), Proba: Proba{K: 3, P: make([]float64, 900)}}
	for i := range multi.True {
		multi.True[i] = int32(rng.IntN(3))
		a, b := rng.Float64(), rng.Float64()
		a, b = min(a, b), max(a, b)
		multi.Proba.P[3*i], multi.Proba.P[3*i+1], multi.Proba.P[3*i+2] = a, b-a, 1-b
		multi.Proba.P[3*i+int(multi.True[i])] += 0.3
	}
	inputs := []Input{binaryInput(yi, s), reg, multi}
	for _, in := range inputs {
		rep, err := Evaluate(ctx, in, Options{})
		if err != nil {
			t.Fatal(err)
		}
		wrow := make([]float64, rep.N)
		for range rep.N {
			wrow[rng.IntN(rep.N)]++
		}
		wpos := wrow
		if rep.ev.order != nil {
			wpos = make([]float64, rep.N)
			for k, r := range rep.ev.order {
				wpos[k] = wrow[r]
			}
		}
		got, _ := rep.ev.eval(wpos, false)
		idx := expand(wrow)
		sub := take(in, idx)
		want, err := Evaluate(ctx, sub, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for i, name := range rep.Names {
			if !near(got[i], want.Values[name], 1e-9) {
				t.Errorf("%s %s: weighted %.17g, resampled %.17g", in.Task, name, got[i], want.Values[name])
			}
		}
	}
}

func take(in Input, idx []int) Input {
	out := in
	out.True, out.Pred, out.Score, out.YTrue, out.YPred = nil, nil, nil, nil, nil
	out.Proba = Proba{K: in.Proba.K}
	for _, r := range idx {
		if in.True != nil {
			out.True = append(out.True, in.True[r])
		}
		if in.Score != nil {
			out.Score = append(out.Score, in.Score[r])
		}
		if in.YTrue != nil {
			out.YTrue = append(out.YTrue, in.YTrue[r])
			out.YPred = append(out.YPred, in.YPred[r])
		}
		if in.Proba.P != nil {
			out.Proba.P = append(out.Proba.P, in.Proba.P[r*in.Proba.K:(r+1)*in.Proba.K]...)
		}
	}
	return out
}

func TestBootstrap(t *testing.T) {
	y, s := randomBinary(400, 11)
	yi := make([]int32, len(y))
	for i, v := range y {
		if v {
			yi[i] = 1
		}
	}
	in := binaryInput(yi, s)
	run := func(workers int) *Report {
		rep, err := Evaluate(context.Background(), in, Options{Bootstrap: &BootstrapOptions{B: 200, Seed: 42, Workers: workers}})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	a, b := run(1), run(3)
	for _, name := range a.Names {
		ia, ib := a.CI[name], b.CI[name]
		if !near(ia.Lo, ib.Lo, 0) || !near(ia.Hi, ib.Hi, 0) {
			t.Errorf("%s: interval depends on workers: %+v vs %+v", name, ia, ib)
		}
		v := a.Values[name]
		if !(ia.Lo <= v && v <= ia.Hi) && name != "ks" {
			t.Errorf("%s = %g outside its interval [%g, %g]", name, v, ia.Lo, ia.Hi)
		}
	}
	if w := a.CI["roc_auc"].Hi - a.CI["roc_auc"].Lo; !(w > 0.01 && w < 0.3) {
		t.Errorf("roc_auc interval width %g implausible for n = 400", w)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Evaluate(ctx, in, Options{Bootstrap: &BootstrapOptions{B: 50}}); err == nil {
		t.Error("cancelled bootstrap succeeded")
	}
}

func TestSlices(t *testing.T) {
	// accuracy is 1 where x < 5 and the group is "u", worse elsewhere
	n := 100
	yi := make([]int32, n)
	s := make([]float64, n)
	x := make([]float64, n)
	grp := make([]string, n)
	for i := range n {
		yi[i] = int32(i % 2)
		x[i] = float64(i % 10)
		grp[i] = []string{"u", "v"}[i%4/2]
		s[i] = float64(yi[i])
		if x[i] >= 5 && i%3 == 0 {
			s[i] = 1 - s[i] // wrong
		}
	}
	rep, err := Evaluate(context.Background(), binaryInput(yi, s), Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := frame.MustNew(frame.NewFloat64("x", x, frame.Mask{}), frame.CategoricalFromStrings("g", grp, nil))
	sl, err := rep.Slices(context.Background(), f, []string{"x", "g"}, "accuracy", SliceOptions{Bins: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(sl) != 4 {
		t.Fatalf("slices %+v, want 4", sl)
	}
	if sl[0].Feature != "x" || sl[0].Value != "[4.5, 9]" || sl[len(sl)-1].Value != "[0, 4.5)" || sl[len(sl)-1].Metric != 1 {
		t.Errorf("slices %+v: want x's upper bin worst and its lower bin best", sl)
	}
	for _, v := range sl {
		// brute force the slice accuracy
		var hit, tot float64
		for i := range n {
			in := (v.Feature == "x" && ((v.Value == "[0, 4.5)") == (x[i] < 4.5))) || (v.Feature == "g" && grp[i] == v.Value)
			if in {
				tot++
				if (s[i] >= 0.5) == (yi[i] == 1) {
					hit++
				}
			}
		}
		if int(tot) != v.Count || !near(v.Metric, hit/tot, tol) {
			t.Errorf("slice %+v, brute force %g of %g", v, hit/tot, tot)
		}
	}
	if _, err := rep.Slices(context.Background(), f, []string{"x"}, "rmse", SliceOptions{}); err == nil {
		t.Error("unknown metric accepted")
	}
}

// Multiclass fairness one-vs-rest. Reference by hand with numpy:
//
//	t = np.array([0,1,2,0,1,2, 0,1,2,0,2,1]); p = np.array([0,1,1,0,2,2, 1,1,1,0,2,1])
//	g = np.array([0]*6 + [1]*6)
//	for k in range(3): for gg in (0, 1): m = g == gg; y = t[m] == k; q = p[m] == k
//	    sr = q.mean(); tpr = q[y].mean(); fpr = q[~y].mean()
//	class 0: sr [1/3, 1/6] tpr [1, 0.5] fpr [0, 0]
//	class 1: sr [1/3, 2/3] tpr [0.5, 1] fpr [0.25, 0.5]
//	class 2: sr [1/3, 1/6] tpr [0.5, 0.5] fpr [0.25, 0]
//	dpd per class [1/6, 1/3, 1/6] → max 1/3; ratio [0.5, 0.5, 0.5] → min 0.5
//	equalized odds [0.5, 0.5, 0.25] → 0.5; equal opportunity [0.5, 0.5, 0] → 0.5
func TestClassFairness(t *testing.T) {
	truth := []int32{0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 2, 1}
	pred := []int32{0, 1, 1, 0, 2, 2, 1, 1, 1, 0, 2, 1}
	g := []int32{0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1}
	rep, err := ClassFairness("grp", truth, pred, []string{"x", "y", "z"}, g, []string{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	want := [3][2][3]float64{ // class, group: selection rate, TPR, FPR
		{{1.0 / 3, 1, 0}, {1.0 / 6, 0.5, 0}},
		{{1.0 / 3, 0.5, 0.25}, {2.0 / 3, 1, 0.5}},
		{{1.0 / 3, 0.5, 0.25}, {1.0 / 6, 0.5, 0}},
	}
	for k, pc := range rep.PerClass {
		for gi, w := range want[k] {
			r := pc.Groups[gi]
			if !near(r.SelectionRate, w[0], tol) || !near(r.TPR, w[1], tol) || !near(r.FPR, w[2], tol) {
				t.Errorf("class %d group %d: %+v, want %v", k, gi, r, w)
			}
		}
	}
	if !near(rep.DemographicParityDifference, 1.0/3, tol) || !near(rep.DemographicParityRatio, 0.5, tol) || !rep.FourFifthsViolated ||
		!near(rep.EqualizedOddsDifference, 0.5, tol) || !near(rep.EqualOpportunityDifference, 0.5, tol) {
		t.Errorf("summary %+v", rep)
	}
	if _, err := ClassFairness("grp", truth, pred[:3], nil, g, nil); err == nil {
		t.Error("length mismatch accepted")
	}
}

// Regression fairness. Reference with numpy:
//
//	y = [1, 2, 3, 4, 5, 6, 7]; p = [1.5, 2, 2, 4.5, 6, 5, 9]; groups a,a,a,b,b,b,NA
//	a: mean p 1.8333333333333333, mean y 2, MAE 0.5
//	b: mean p 5.166666666666667, mean y 5, MAE 0.8333333333333334
//	NA: mean p 9, mean y 7, MAE 2
//	differences: mean prediction 9 − 1.8333 = 7.166666666666667, MAE 2 − 0.5 = 1.5
func TestRegressionFairness(t *testing.T) {
	y := []float64{1, 2, 3, 4, 5, 6, 7}
	p := []float64{1.5, 2, 2, 4.5, 6, 5, 9}
	g := []int32{0, 0, 0, 1, 1, 1, -1}
	rep, err := RegressionFairness("grp", y, p, g, []string{"a", "b", "unused"})
	if err != nil {
		t.Fatal(err)
	}
	want := []RegressionGroup{{"a", 3, 1.8333333333333333, 2, 0.5}, {"b", 3, 5.166666666666667, 5, 0.8333333333333334}, {"NA", 1, 9, 7, 2}}
	if len(rep.Groups) != 3 {
		t.Fatalf("groups %+v", rep.Groups)
	}
	for i, w := range want {
		r := rep.Groups[i]
		if r.Group != w.Group || r.Count != w.Count || !near(r.MeanPrediction, w.MeanPrediction, tol) || !near(r.MeanTarget, w.MeanTarget, tol) || !near(r.MAE, w.MAE, tol) {
			t.Errorf("group %d: %+v, want %+v", i, r, w)
		}
	}
	if !near(rep.MeanPredictionDifference, 7.166666666666667, tol) || !near(rep.MAEDifference, 1.5, tol) {
		t.Errorf("differences %v %v", rep.MeanPredictionDifference, rep.MAEDifference)
	}
	if _, err := RegressionFairness("grp", y, p, []int32{0, 0, 0, 1, 1, 1, 5}, []string{"a", "b"}); err == nil {
		t.Error("group index 5 of 2 levels accepted")
	}
}
