package report

import (
	"math"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/workspace"
)

// foldRun is a run validated by k-fold with the given roc_auc per fold,
// each fold training on train rows and validating on test rows.
func foldRun(id string, scheme string, seed uint64, train, test int, auc ...float64) workspace.Run {
	r := workspace.Run{ID: id, Target: "y", Task: "binary", Seed: seed,
		Dataset:    workspace.RunDataset{Name: "d", Version: 1, Hash: "abc"},
		Validation: workspace.RunValidation{Scheme: scheme, Description: scheme, K: len(auc), Folds: len(auc)}}
	m := workspace.RunMetric{Name: "roc_auc", HigherIsBetter: true}
	for j, v := range auc {
		m.Folds = append(m.Folds, workspace.Num(v))
		r.Folds = append(r.Folds, workspace.RunFold{Index: j, TrainRows: train, TestRows: test})
	}
	r.Metrics = []workspace.RunMetric{m}
	return r
}

// Reference values from scipy 1.10 (/usr/bin/python3):
//
//	d = np.array([0.01, 0.02, -0.005, 0.015, 0.01]); J = 5; r = 1/4
//	t = d.mean() / np.sqrt((1/J + r) * d.var(ddof=1))   # 1.5936381457791913
//	p = 2 * scipy.stats.t.sf(abs(t), J - 1)            # 0.1862398042884256
//	d = [0.011, 0.012, 0.009, 0.010, 0.013, 0.008, 0.011, 0.012, 0.010, 0.009]
//	J = 10; r = 20/180: t 14.453191233845391, p 1.5567988833000302e-07
func TestPairedComparison(t *testing.T) {
	a5 := []float64{0.80, 0.78, 0.81, 0.79, 0.80}
	b5 := make([]float64, 5)
	for j, d := range []float64{0.01, 0.02, -0.005, 0.015, 0.01} {
		b5[j] = a5[j] + d
	}
	a10 := make([]float64, 10)
	b10 := make([]float64, 10)
	for j, d := range []float64{0.011, 0.012, 0.009, 0.010, 0.013, 0.008, 0.011, 0.012, 0.010, 0.009} {
		a10[j] = 0.7 + 0.01*float64(j%3)
		b10[j] = a10[j] + d
	}
	cases := []struct {
		name          string
		a, b          workspace.Run
		mean, std, tt float64
		p             float64
		better        string
	}{
		{"5-fold", foldRun("a", "stratified_kfold", 0, 80, 20, a5...), foldRun("b", "stratified_kfold", 9, 80, 20, b5...),
			0.01, 0.009354143466934854, 1.5936381457791913, 0.1862398042884256, "b"},
		{"10-fold, b worse", foldRun("a", "kfold", 1, 180, 20, b10...), foldRun("b", "kfold", 1, 180, 20, a10...),
			-0.0105, 0.0015811388300841897, -14.453191233845391, 1.5567988833000302e-07, "a"},
	}
	for _, c := range cases {
		p := PairedComparison(c.a, c.b, "roc_auc")
		if !p.OK {
			t.Fatalf("%s: not paired: %s", c.name, p.Reason)
		}
		// Tolerances: the differences are formed from sums of decimals
		// (1e-15 each); t and p follow within a few ulps of 1e-12.
		if math.Abs(p.Mean-c.mean) > 1e-15 || math.Abs(p.Std-c.std) > 1e-14 || math.Abs(p.T-c.tt) > 1e-9*math.Abs(c.tt) ||
			math.Abs(p.P-c.p) > 1e-9*c.p || p.Better != c.better || p.DF != len(c.a.Folds)-1 {
			t.Errorf("%s: %+v, want mean %v std %v t %v p %v better %s", c.name, p, c.mean, c.std, c.tt, c.p, c.better)
		}
	}
	// Not paired, with the reason.
	base := foldRun("a", "stratified_kfold", 0, 80, 20, a5...)
	other := func(f func(r *workspace.Run)) workspace.Run {
		r := foldRun("b", "stratified_kfold", 0, 80, 20, b5...)
		f(&r)
		return r
	}
	for _, c := range []struct {
		b   workspace.Run
		why string
	}{
		{other(func(r *workspace.Run) { r.Dataset.Hash = "def" }), "different data (dataset hash abc vs def)"},
		{other(func(r *workspace.Run) { r.Dataset.Hash = "" }), "has no recorded hash"},
		{other(func(r *workspace.Run) { r.Validation.Scheme = "kfold" }), "different validation schemes"},
		{other(func(r *workspace.Run) { r.Validation.Shuffle = true }), "different folds"},
		{other(func(r *workspace.Run) { r.Validation.Shuffle, r.Seed = true, 4 }), "different folds"},
		{other(func(r *workspace.Run) { r.Target = "z" }), "different targets"},
		{other(func(r *workspace.Run) { r.Folds[2].TestRows = 21 }), "fold 3 differs"},
		{other(func(r *workspace.Run) { r.Metrics[0].Folds[1] = workspace.Num(math.NaN()) }), "undefined on fold 2"},
		{other(func(r *workspace.Run) { r.Metrics[0].Name = "accuracy" }), "not in both runs"},
	} {
		if p := PairedComparison(base, c.b, "roc_auc"); p.OK || !strings.Contains(p.Reason, c.why) {
			t.Errorf("want not paired (%s): %+v", c.why, p)
		}
	}
	// Shuffled folds pair only with the same seed.
	sa, sb := base, other(func(r *workspace.Run) { r.Seed = 2 })
	sa.Validation.Shuffle, sb.Validation.Shuffle = true, true
	if p := PairedComparison(sa, sb, "roc_auc"); p.OK || !strings.Contains(p.Reason, "different seeds (0 vs 2)") {
		t.Errorf("shuffled, seeds 0 and 2: %+v", p)
	}
	// A holdout is one split: nothing to pair.
	h := base
	h.Validation.Scheme = "holdout"
	if p := PairedComparison(h, h, "roc_auc"); p.OK || !strings.Contains(p.Reason, "not on folds") {
		t.Errorf("holdout: %+v", p)
	}
	// Identical folds: no difference, p = 1.
	if p := PairedComparison(base, base, "roc_auc"); !p.OK || p.Mean != 0 || p.P != 1 || p.Better != "" {
		t.Errorf("a run with itself: %+v", p)
	}
}
