package selection

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/models"
	"github.com/mlwb/mlwb/engine/stats"
	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// Score names, as Report.Get and Options.RankBy take them and the CLI's
// JSON writes them.
var ScoreNames = []string{"variance", "missing_ratio", "pearson", "spearman", "mutual_info", "chi2", "anova_f", "tree_importance", "l1_coef", "permutation_importance"}

// Options tune Score. The zero value means the defaults.
type Options struct {
	// Neighbors is k of the k-NN mutual information estimators (default 3,
	// scikit-learn's n_neighbors).
	Neighbors int
	// NoModels skips the model-based scores (tree importance, L1,
	// permutation importance).
	NoModels bool
	// ModelRows bounds the rows the model-based scores fit on: a seeded
	// sample when the data has more (default 10000).
	ModelRows int
	// Trees is the number of trees of the forest behind tree and
	// permutation importance (default 30).
	Trees int
	// Redundancy is the |Pearson| from which two numeric features are a
	// redundant pair (default 0.9).
	Redundancy float64
	// RankBy names the score that ranks features (default mutual_info);
	// larger (in absolute value) ranks first, missing scores last.
	RankBy string
	// Seed drives the MI noise, the row sample and the models.
	Seed uint64
	// Workers bounds the goroutines (default GOMAXPROCS).
	Workers int
	// Progress, when set, is called after each feature is scored and,
	// unless NoModels, after each step of the model-based scores (each
	// tree, each feature permuted, the L1 fit), from several goroutines,
	// with the steps done so far and their total.
	Progress func(done, total int)
}

func (o Options) withDefaults() Options {
	if o.Neighbors <= 0 {
		o.Neighbors = 3
	}
	if o.ModelRows <= 0 {
		o.ModelRows = 10000
	}
	if o.Trees <= 0 {
		o.Trees = 30
	}
	if o.Redundancy <= 0 {
		o.Redundancy = 0.9
	}
	if o.RankBy == "" {
		o.RankBy = "mutual_info"
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o
}

// Feature holds the scores of one feature. A score that does not apply
// (Pearson of a categorical feature, χ² for regression, …) is NaN.
type Feature struct {
	Name         string
	Type         string
	Variance     float64 // population variance (VarianceThreshold's)
	MissingRatio float64
	Pearson      float64 // with the target (regression, binary: class index)
	Spearman     float64
	MutualInfo   float64 // nats
	Chi2, Chi2P  float64
	AnovaF       float64
	AnovaP       float64
	Tree         float64 // forest impurity importance (MDI), sums to 1
	L1           float64 // coefficient on the standardized feature
	Permutation  float64 // mean drop of accuracy or R² on held-out rows
	Rank         int     // 1-based by Options.RankBy
	Dropped      string  // why model-based scores are missing (identifier, free text)
}

// Get returns the named score (see ScoreNames), NaN for an unknown name.
func (f Feature) Get(name string) float64 {
	switch name {
	case "variance":
		return f.Variance
	case "missing_ratio":
		return f.MissingRatio
	case "pearson":
		return f.Pearson
	case "spearman":
		return f.Spearman
	case "mutual_info":
		return f.MutualInfo
	case "chi2":
		return f.Chi2
	case "chi2_p":
		return f.Chi2P
	case "anova_f":
		return f.AnovaF
	case "anova_p":
		return f.AnovaP
	case "tree_importance":
		return f.Tree
	case "l1_coef":
		return f.L1
	case "permutation_importance":
		return f.Permutation
	}
	return math.NaN()
}

// Pair is two redundant numeric features.
type Pair struct {
	A, B    string
	Pearson float64
}

// Report is the result of Score.
type Report struct {
	Target    string
	Task      models.Task
	Classes   []string
	Rows      int
	RankBy    string
	Features  []Feature // in frame order
	Redundant []Pair    // by decreasing |Pearson|
	Elapsed   time.Duration
}

// ErrUnknownScore is wrapped by errors naming a score that does not exist.
var ErrUnknownScore = errors.New("selection: unknown score")

// ValidScore reports an error for a name not among ScoreNames.
func ValidScore(name string) error {
	for _, n := range ScoreNames {
		if n == name {
			return nil
		}
	}
	return fmt.Errorf("%w %q (want one of %v)", ErrUnknownScore, name, ScoreNames)
}

// target is the encoded target.
type target struct {
	y       []float64
	codes   []int32 // class index for classifiers
	task    models.Task
	classes []string
	noisy   []float64 // scaled and jittered y for regression MI
	rank    []float64 // average ranks of y over all rows
}

func encodeTarget(f *frame.Frame, name string) (*target, error) {
	c, err := f.Column(name)
	if err != nil {
		return nil, fmt.Errorf("selection: target: %w", err)
	}
	task, classes, err := models.DetectTask(c)
	if err != nil {
		return nil, fmt.Errorf("selection: %w", err)
	}
	y, err := models.EncodeTarget(c, task, classes)
	if err != nil {
		return nil, fmt.Errorf("selection: %w", err)
	}
	t := &target{y: y, task: task, classes: classes, rank: stats.Rank(nil, y)}
	if task.Classifier() {
		t.codes = make([]int32, len(y))
		for i, v := range y {
			t.codes[i] = int32(v)
		}
	}
	return t, nil
}

// Score scores every column of f but the target against the target.
func Score(ctx context.Context, f *frame.Frame, targetName string, opt Options) (*Report, error) {
	start := time.Now()
	opt = opt.withDefaults()
	if err := ValidScore(opt.RankBy); err != nil {
		return nil, err
	}
	tg, err := encodeTarget(f, targetName)
	if err != nil {
		return nil, err
	}
	var cols []frame.Column
	for _, c := range f.Columns() {
		if c.Name() != targetName {
			cols = append(cols, c)
		}
	}
	if len(cols) == 0 {
		return nil, errors.New("selection: no feature columns besides the target")
	}
	r := &Report{Target: targetName, Task: tg.task, Classes: tg.classes, Rows: f.NumRows(), RankBy: opt.RankBy, Features: make([]Feature, len(cols))}
	if tg.task == models.Regression {
		tg.noisy = noise(tg.y, newRand(opt.Seed, 0))
	}
	// Progress counts the features scored, then the model steps (one per
	// tree, per feature permuted and the L1 fit).
	total := len(cols)
	if !opt.NoModels {
		total += opt.Trees + len(cols) + 1
	}
	var done atomic.Int64
	step := func() {
		if opt.Progress != nil {
			opt.Progress(int(done.Add(1)), total)
		}
	}
	// The model-based scores are fitted on a sample beside the per-feature
	// scores; both share the workers.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var ms *modelResult
	var merr error
	mdone := make(chan struct{})
	if opt.NoModels {
		close(mdone)
	} else {
		go func() {
			defer close(mdone)
			ms, merr = modelScores(ctx, f, targetName, cols, opt, step)
			if merr != nil {
				cancel()
			}
		}()
	}
	// Numeric columns as floats, shared by the per-feature scores and the
	// redundancy pass.
	xs := make([][]float64, len(cols))
	err = parallel(ctx, len(cols), opt.Workers, func(j int) error {
		xs[j] = numericValues(cols[j])
		r.Features[j] = scoreFeature(cols[j], xs[j], tg, opt, uint64(j)+1)
		step()
		return nil
	})
	var why map[string]string
	if err == nil {
		why, err = dropReasons(ctx, f, targetName, opt.Workers)
	}
	if err == nil {
		r.Redundant, err = redundancy(ctx, cols, xs, opt)
	}
	if err != nil {
		cancel()
	}
	<-mdone
	if merr != nil && (err == nil || errors.Is(err, context.Canceled)) {
		err = merr
	}
	if err != nil {
		return nil, err
	}
	for j := range r.Features {
		r.Features[j].Dropped = why[r.Features[j].Name]
		if ms != nil {
			r.Features[j].Tree, r.Features[j].L1, r.Features[j].Permutation = ms.tree[j], ms.l1[j], ms.perm[j]
		}
	}
	r.rank()
	r.Elapsed = time.Since(start)
	return r, nil
}

// rank numbers the features by |RankBy| decreasing, NaN last; features
// DefaultPipeline drops (identifiers, free text, constants) come after all
// others, whatever their score: the exact mutual information of an
// identifier is the target's entropy, which says nothing.
func (r *Report) rank() {
	order := make([]int, len(r.Features))
	for i := range order {
		order[i] = i
	}
	key := func(i int) float64 {
		v := math.Abs(r.Features[i].Get(r.RankBy))
		if math.IsNaN(v) {
			return math.Inf(-1)
		}
		return v
	}
	sort.SliceStable(order, func(a, b int) bool {
		da, db := r.Features[order[a]].Dropped != "", r.Features[order[b]].Dropped != ""
		if da != db {
			return db
		}
		return key(order[a]) > key(order[b])
	})
	for k, i := range order {
		r.Features[i].Rank = k + 1
	}
}

// Ranked returns the features ordered by rank.
func (r *Report) Ranked() []Feature {
	out := append([]Feature(nil), r.Features...)
	sort.Slice(out, func(a, b int) bool { return out[a].Rank < out[b].Rank })
	return out
}

// Rerank ranks the features by another score.
func (r *Report) Rerank(by string) error {
	if err := ValidScore(by); err != nil {
		return err
	}
	r.RankBy = by
	r.rank()
	return nil
}

// numericValues returns a numeric or datetime column as floats (datetime
// in days), nil for categorical and string columns.
func numericValues(c frame.Column) []float64 {
	if c.Type() == frame.Categorical || c.Type() == frame.String {
		return nil
	}
	x, _ := frame.Floats(c)
	if c.Type() == frame.Datetime {
		x, _ = floatsOf(c)
		for i := range x {
			x[i] /= 86400e9
		}
	}
	return x
}

func floatsOf(c frame.Column) ([]float64, error) {
	out := make([]float64, c.Len())
	for i := range out {
		out[i], _ = frame.FloatAt(c, i)
	}
	return out, nil
}

// scoreFeature computes the model-free scores of one column.
func scoreFeature(c frame.Column, x []float64, tg *target, opt Options, stream uint64) Feature {
	n := c.Len()
	ft := Feature{Name: c.Name(), Type: c.Type().String(), MissingRatio: float64(c.NullCount()) / float64(max(n, 1))}
	nan := math.NaN()
	ft.Variance, ft.Pearson, ft.Spearman, ft.MutualInfo = nan, nan, nan, nan
	ft.Chi2, ft.Chi2P, ft.AnovaF, ft.AnovaP = nan, nan, nan, nan
	ft.Tree, ft.L1, ft.Permutation = nan, nan, nan
	if x == nil { // discrete feature
		codes, levels := levelCodes(c)
		if tg.task.Classifier() {
			t := stats.NewContingency(codes, tg.codes, len(levels), len(tg.classes))
			ft.MutualInfo = MutualInfoDD(t)
			chi2, rr, cc := t.ChiSquare()
			ft.Chi2 = chi2
			if df := (rr - 1) * (cc - 1); df > 0 {
				ft.Chi2P = distuv.ChiSquared{K: float64(df)}.Survival(chi2)
			}
		} else {
			var yv []float64
			var cv []int32
			for i, k := range codes {
				if k >= 0 {
					yv = append(yv, tg.noisy[i])
					cv = append(cv, k)
				}
			}
			if len(yv) > 1 {
				ft.MutualInfo = MutualInfoCD(yv, compact(cv), opt.Neighbors)
			}
			yy := make([]float64, 0, len(yv))
			for i, k := range codes {
				if k >= 0 {
					yy = append(yy, tg.y[i])
				}
			}
			ft.AnovaF, ft.AnovaP = anova(yy, compact(cv))
		}
		return ft
	}
	// Rows where x has a value (all of them: x and the target as they are).
	xv, yv, cv := x, tg.y, tg.codes
	if slices.ContainsFunc(x, func(v float64) bool { return v != v || math.IsInf(v, 0) }) {
		xv, yv, cv = make([]float64, 0, n), make([]float64, 0, n), nil
		if tg.codes != nil {
			cv = make([]int32, 0, n)
		}
		for i, v := range x {
			if v == v && !math.IsInf(v, 0) {
				xv = append(xv, v)
				yv = append(yv, tg.y[i])
				if tg.codes != nil {
					cv = append(cv, tg.codes[i])
				}
			}
		}
	}
	if len(xv) < 2 {
		return ft
	}
	_, ft.Variance = meanVarPop(xv)
	// One sort of x serves its ranks and, reordered where the noise breaks
	// ties, the mutual information.
	ord := make([]int32, len(xv))
	sorted := stats.Argsort(xv, ord)
	if tg.task != models.Multiclass {
		ft.Pearson = stats.Pearson(xv, yv)
		rx := make([]float64, len(xv))
		stats.AverageRanks(sorted, func(k int, r float64) { rx[ord[k]] = r })
		if len(xv) == n { // no missing x: reuse the target's ranks
			ft.Spearman = stats.Pearson(rx, tg.rank)
		} else {
			ft.Spearman = stats.Pearson(rx, stats.Rank(nil, yv))
		}
	}
	r := newRand(opt.Seed, stream)
	xn := noise(xv, r)
	if c.Type() == frame.Bool {
		// A bool feature is discrete: exact mutual information.
		b := make([]int32, len(xv))
		for i, v := range xv {
			b[i] = int32(v)
		}
		if tg.task.Classifier() {
			ft.MutualInfo = MutualInfoDD(stats.NewContingency(b, cv, 2, len(tg.classes)))
		} else {
			var yn []float64
			for i, v := range x {
				if v == v {
					yn = append(yn, tg.noisy[i])
				}
			}
			ft.MutualInfo = MutualInfoCD(yn, compact(b), opt.Neighbors)
		}
	}
	if tg.task.Classifier() {
		if c.Type() != frame.Bool {
			// sorted and ord are not needed any more: resort reuses them.
			sn, on := resort(xn, ord, sorted)
			ft.MutualInfo = mutualInfoCDSorted(sn, on, cv, opt.Neighbors)
		}
		ft.Chi2, ft.Chi2P = chi2Counts(xv, cv, len(tg.classes))
		ft.AnovaF, ft.AnovaP = anova(xv, cv)
	} else {
		var yn []float64
		for i, v := range x {
			if v == v && !math.IsInf(v, 0) {
				yn = append(yn, tg.noisy[i])
			}
		}
		if c.Type() != frame.Bool {
			ft.MutualInfo = MutualInfoCC(xn, yn, opt.Neighbors)
		}
		ft.AnovaF, ft.AnovaP = fRegression(xv, yv)
	}
	return ft
}

// compact renumbers codes to 0..k−1 in order of first use.
func compact(codes []int32) []int32 {
	m := map[int32]int32{}
	out := make([]int32, len(codes))
	for i, c := range codes {
		k, ok := m[c]
		if !ok {
			k = int32(len(m))
			m[c] = k
		}
		out[i] = k
	}
	return out
}

// chi2Counts is scikit-learn's chi2 for one non-negative feature x and
// class codes y (K classes, all of them counted, as LabelBinarizer does):
//
//	Oₖ = Σ_{i: yᵢ=k} xᵢ,  Eₖ = (Nₖ/N) Σᵢ xᵢ,  χ² = Σₖ (Oₖ − Eₖ)²/Eₖ,
//
// with the p-value of χ² with K − 1 degrees of freedom. It returns NaN for
// a feature with negative values (scikit-learn refuses them).
func chi2Counts(x []float64, y []int32, K int) (float64, float64) {
	obs := make([]float64, K)
	cnt := make([]float64, K)
	var tot float64
	for i, v := range x {
		if v < 0 {
			return math.NaN(), math.NaN()
		}
		obs[y[i]] += v
		cnt[y[i]]++
		tot += v
	}
	n := float64(len(x))
	var chi2 float64
	classes := 0
	for k := range obs {
		if cnt[k] > 0 {
			classes++
		}
		e := cnt[k] / n * tot
		if e > 0 {
			chi2 += (obs[k] - e) * (obs[k] - e) / e
		} else if obs[k] != 0 {
			return math.Inf(1), 0
		}
	}
	if tot == 0 {
		return math.NaN(), math.NaN()
	}
	return chi2, distuv.ChiSquared{K: float64(K - 1)}.Survival(chi2)
}

// anova is the one-way ANOVA F test of x grouped by g (scikit-learn's
// f_classif): F = (SSB/(k − 1)) / (SSW/(n − k)), p from F(k − 1, n − k).
func anova(x []float64, g []int32) (float64, float64) {
	k := 0
	for _, c := range g {
		k = max(k, int(c)+1)
	}
	sum := make([]float64, k)
	cnt := make([]float64, k)
	var tot float64
	for i, v := range x {
		sum[g[i]] += v
		cnt[g[i]]++
		tot += v
	}
	n := float64(len(x))
	groups := 0
	for _, c := range cnt {
		if c > 0 {
			groups++
		}
	}
	if groups < 2 || n <= float64(groups) {
		return math.NaN(), math.NaN()
	}
	mean := tot / n
	var ssb, ssw float64
	for c := range sum {
		if cnt[c] > 0 {
			d := sum[c]/cnt[c] - mean
			ssb += cnt[c] * d * d
		}
	}
	for i, v := range x {
		d := v - sum[g[i]]/cnt[g[i]]
		ssw += d * d
	}
	dfb, dfw := float64(groups-1), n-float64(groups)
	F := (ssb / dfb) / (ssw / dfw)
	if ssw == 0 {
		return math.Inf(1), 0
	}
	return F, fSurvival(F, dfb, dfw)
}

// fRegression is scikit-learn's f_regression: with r the Pearson
// correlation of x and y over n rows, F = r²/(1 − r²)·(n − 2), p from
// F(1, n − 2).
func fRegression(x, y []float64) (float64, float64) {
	r := stats.Pearson(x, y)
	n := float64(len(x))
	if math.IsNaN(r) || n < 3 {
		return math.NaN(), math.NaN()
	}
	F := r * r / (1 - r*r) * (n - 2)
	return F, fSurvival(F, 1, n-2)
}

// fSurvival returns P(F(d1, d2) > f) = I_{d2/(d2 + d1 f)}(d2/2, d1/2),
// the regularized incomplete beta function, accurate far in the tail (where
// 1 − CDF would round to 0).
func fSurvival(f, d1, d2 float64) float64 {
	if math.IsInf(f, 1) {
		return 0
	}
	return mathext.RegIncBeta(d2/2, d1/2, d2/(d2+d1*f))
}

// redundancy returns the pairs of numeric features with |Pearson| ≥ the
// threshold. For columns without NaN the means and the sums of squares
// Σ(xᵢ − x̄)² are computed once per column and only Σ(xᵢ − x̄)(yᵢ − ȳ) per
// pair, in stats.Pearson's order of operations, so the values are the same;
// columns with NaN take stats.Pearson (pairwise deletion).
func redundancy(ctx context.Context, cols []frame.Column, xs [][]float64, opt Options) ([]Pair, error) {
	var num []int
	for j, x := range xs {
		if x != nil {
			num = append(num, j)
		}
	}
	mean, ss := make([]float64, len(num)), make([]float64, len(num))
	full := make([]bool, len(num))
	err := parallel(ctx, len(num), opt.Workers, func(a int) error {
		x := xs[num[a]]
		var s float64
		for _, v := range x {
			if v != v {
				return nil
			}
			s += v
		}
		m := s / float64(len(x))
		var q float64
		for _, v := range x {
			q += (v - m) * (v - m)
		}
		mean[a], ss[a], full[a] = m, q, len(x) >= 2
		return nil
	})
	if err != nil {
		return nil, err
	}
	var mu sync.Mutex
	var out []Pair
	err = parallel(ctx, len(num), opt.Workers, func(a int) error {
		for b := a + 1; b < len(num); b++ {
			var r float64
			if full[a] && full[b] {
				x, y, mx, my := xs[num[a]], xs[num[b]], mean[a], mean[b]
				var sxy float64
				for i, v := range x {
					sxy += (v - mx) * (y[i] - my)
				}
				r = math.NaN()
				if den := math.Sqrt(ss[a] * ss[b]); den != 0 {
					r = sxy / den
				}
			} else {
				r = stats.Pearson(xs[num[a]], xs[num[b]])
			}
			if math.Abs(r) >= opt.Redundancy {
				mu.Lock()
				out = append(out, Pair{cols[num[a]].Name(), cols[num[b]].Name(), r})
				mu.Unlock()
			}
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool {
		if math.Abs(out[i].Pearson) != math.Abs(out[j].Pearson) {
			return math.Abs(out[i].Pearson) > math.Abs(out[j].Pearson)
		}
		return out[i].A+"\x00"+out[i].B < out[j].A+"\x00"+out[j].B
	})
	return out, err
}

// parallel runs fn(0..n−1) on up to workers goroutines, stopping at the
// first error or when ctx is cancelled.
func parallel(ctx context.Context, n, workers int, fn func(i int) error) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for w := 0; w < min(workers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				err := ctx.Err()
				if err == nil {
					err = fn(i)
				}
				if err != nil {
					once.Do(func() { first = err })
					next.Store(int64(n))
					return
				}
			}
		}()
	}
	wg.Wait()
	return first
}

// levelCodes dictionary-encodes a column by text (−1 for missing).
func levelCodes(c frame.Column) ([]int32, []string) {
	if cc, ok := c.(*frame.CategoricalCol); ok {
		return cc.Codes, cc.Levels
	}
	codes := make([]int32, c.Len())
	index := map[string]int32{}
	var levels []string
	for i := range codes {
		if c.IsNA(i) {
			codes[i] = -1
			continue
		}
		s := c.Format(i)
		k, ok := index[s]
		if !ok {
			k = int32(len(levels))
			index[s] = k
			levels = append(levels, s)
		}
		codes[i] = k
	}
	return codes, levels
}
