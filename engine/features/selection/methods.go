package selection

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/mlwb/mlwb/engine/models"
)

// Methods lists the selection methods by name.
var Methods = []string{"topk", "threshold", "rfe", "sfs", "sbs"}

// TopK returns the k features with the largest |score| (NaN scores and
// Dropped features never selected), in rank order.
func TopK(r *Report, by string, k int) ([]string, error) {
	if err := ValidScore(by); err != nil {
		return nil, err
	}
	if k < 1 {
		return nil, fmt.Errorf("selection: k must be at least 1, got %d", k)
	}
	rr := *r
	rr.Features = append([]Feature(nil), r.Features...)
	if err := rr.Rerank(by); err != nil {
		return nil, err
	}
	var out []string
	for _, f := range rr.Ranked() {
		if len(out) == k || math.IsNaN(f.Get(by)) {
			break
		}
		if f.Dropped != "" {
			continue
		}
		out = append(out, f.Name)
	}
	return out, nil
}

// Threshold returns the features whose |score| is at least min (Dropped
// features left out), in frame order.
func Threshold(r *Report, by string, min float64) ([]string, error) {
	if err := ValidScore(by); err != nil {
		return nil, err
	}
	var out []string
	for _, f := range r.Features {
		if v := math.Abs(f.Get(by)); v >= min && f.Dropped == "" {
			out = append(out, f.Name)
		}
	}
	return out, nil
}

// MethodOptions tune RFE, SFS and SBS. The zero value means the defaults.
type MethodOptions struct {
	// Model is the estimator of SFS and SBS (a models registry name;
	// default logreg for classification, ridge for regression). RFE always
	// ranks by random-forest importance.
	Model  string
	Params map[string]string
	// Folds is the number of cross-validation folds of SFS and SBS
	// (default 5).
	Folds int
	// Rows bounds the rows used: a seeded sample above it (default 20000).
	Rows int
	// Trees is the forest size of RFE (default 50).
	Trees int
	Seed  uint64
	// Progress, when set, is told each step's chosen feature and score.
	Progress func(step int, feature string, score float64)
}

func (o MethodOptions) withDefaults(task models.Task) MethodOptions {
	if o.Model == "" {
		o.Model = "ridge"
		if task.Classifier() {
			o.Model = "logreg"
		}
	}
	if o.Folds < 2 {
		o.Folds = 5
	}
	if o.Rows <= 0 {
		o.Rows = 20000
	}
	if o.Trees <= 0 {
		o.Trees = 50
	}
	return o
}

// StepResult is one step of RFE or a sequential search: the feature added
// or removed and the score after it (RFE: its importance when removed).
type StepResult struct {
	Feature string  `json:"feature"`
	Score   float64 `json:"score"`
}

// RFE is recursive feature elimination (Guyon et al. 2002; scikit-learn's
// RFE with step 1): fit a random forest on the remaining features, remove
// the one with the smallest impurity importance, and repeat until k remain.
func RFE(ctx context.Context, d *Design, k int, opt MethodOptions) ([]string, []StepResult, error) {
	opt = opt.withDefaults(d.Task)
	if err := checkK(d, k); err != nil {
		return nil, nil, err
	}
	rows := sampleRows(d.X.Rows, opt.Rows, opt.Seed)
	left := make([]int, len(d.Groups))
	for g := range left {
		left[g] = g
	}
	var steps []StepResult
	for len(left) > k {
		rf, err := fitForest(ctx, d, left, rows, Options{Trees: opt.Trees, Seed: opt.Seed}, nil)
		if err != nil {
			return nil, nil, err
		}
		imp := groupImportance(d, left, forestImportance(rf, countCols(d, left)))
		worst := -1
		for _, g := range left {
			if worst < 0 || imp[g] < imp[worst] {
				worst = g
			}
		}
		steps = append(steps, StepResult{d.Names[worst], imp[worst]})
		if opt.Progress != nil {
			opt.Progress(len(steps), d.Names[worst], imp[worst])
		}
		left = remove(left, worst)
	}
	return names(d, left), steps, nil
}

// Sequential is scikit-learn's SequentialFeatureSelector: forward, start
// from no feature and add, at each step, the one whose addition gives the
// best mean cross-validated score (accuracy or R²) until k are selected;
// backward, start from all and remove the one whose removal scores best
// until k remain.
func Sequential(ctx context.Context, d *Design, k int, forward bool, opt MethodOptions) ([]string, []StepResult, error) {
	opt = opt.withDefaults(d.Task)
	if err := checkK(d, k); err != nil {
		return nil, nil, err
	}
	if _, err := models.New(opt.Model, opt.Params, opt.Seed); err != nil {
		return nil, nil, err
	}
	rows := sampleRows(d.X.Rows, opt.Rows, opt.Seed)
	folds := kfold(rows, opt.Folds, opt.Seed)
	var chosen []int
	if !forward {
		for g := range d.Groups {
			chosen = append(chosen, g)
		}
	}
	var steps []StepResult
	for (forward && len(chosen) < k) || (!forward && len(chosen) > k) {
		best, bestScore := -1, math.Inf(-1)
		for g := range d.Groups {
			in := contains(chosen, g)
			if forward == in {
				continue
			}
			var cand []int
			if forward {
				cand = append(append([]int(nil), chosen...), g)
			} else {
				cand = remove(chosen, g)
			}
			s, err := cvScore(ctx, d, cand, folds, opt)
			if err != nil {
				return nil, nil, err
			}
			if s > bestScore {
				best, bestScore = g, s
			}
		}
		if best < 0 {
			break
		}
		if forward {
			chosen = append(chosen, best)
		} else {
			chosen = remove(chosen, best)
		}
		steps = append(steps, StepResult{d.Names[best], bestScore})
		if opt.Progress != nil {
			opt.Progress(len(steps), d.Names[best], bestScore)
		}
	}
	sort.Ints(chosen)
	return names(d, chosen), steps, nil
}

// cvScore returns the mean score of the model over the folds.
func cvScore(ctx context.Context, d *Design, gs []int, folds [][]int, opt MethodOptions) (float64, error) {
	var sum float64
	for f := range folds {
		var train []int
		for o := range folds {
			if o != f {
				train = append(train, folds[o]...)
			}
		}
		m, err := models.New(opt.Model, opt.Params, opt.Seed)
		if err != nil {
			return 0, err
		}
		X, y := d.Sub(gs, train)
		if err := m.Fit(ctx, X, y, nil, d.fitOptions()); err != nil {
			return 0, fmt.Errorf("selection: %s on %v: %w", opt.Model, names(d, gs), err)
		}
		Xt, yt := d.Sub(gs, folds[f])
		s, err := d.score(m, Xt, yt)
		if err != nil {
			return 0, err
		}
		sum += s
	}
	return sum / float64(len(folds)), nil
}

// kfold shuffles rows (seeded) and cuts them into k folds.
func kfold(rows []int, k int, seed uint64) [][]int {
	p := append([]int(nil), rows...)
	newRand(seed, 5).Shuffle(len(p), func(a, b int) { p[a], p[b] = p[b], p[a] })
	out := make([][]int, k)
	for i, r := range p {
		out[i*k/len(p)] = append(out[i*k/len(p)], r)
	}
	return out
}

func checkK(d *Design, k int) error {
	if k < 1 || k > len(d.Groups) {
		return fmt.Errorf("selection: k = %d, want 1 to %d (the usable features)", k, len(d.Groups))
	}
	return nil
}

func countCols(d *Design, gs []int) int {
	n := 0
	for _, g := range gs {
		n += len(d.Groups[g])
	}
	return n
}

func remove(gs []int, g int) []int {
	var out []int
	for _, v := range gs {
		if v != g {
			out = append(out, v)
		}
	}
	return out
}

func contains(gs []int, g int) bool {
	for _, v := range gs {
		if v == g {
			return true
		}
	}
	return false
}

func names(d *Design, gs []int) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = d.Names[g]
	}
	return out
}
