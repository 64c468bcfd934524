package models

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
)

// RandomForest is the "rf" model: Breiman's (2001) random forest as
// scikit-learn's RandomForestClassifier/Regressor builds it — n_estimators
// CART trees, each on a bootstrap sample (rows drawn with replacement, the
// draw counts used as weights) choosing among max_features random features
// at every split, averaged (class probabilities for classification). Unlike
// scikit-learn, splits are searched over the same pre-binned features (at
// most 255 bins, shared by all trees) instead of every distinct value: for
// features with at most max_bins distinct values this is the same search,
// for continuous features thresholds are restricted to 254 quantiles (see
// bench/train for the accuracy comparison). Trees are grown in parallel on
// n_jobs goroutines; tree t uses its own random streams derived from
// (random_state, t), so the forest does not depend on scheduling.
type RandomForest struct {
	info
	p           cartParams
	nEstimators int
	bootstrap   bool
	oobScore    bool
	nJobs       int

	Trees []*Tree `json:"trees"`
	// OOB is the out-of-bag score (accuracy, or R² for regression) when
	// oob_score was set.
	OOB *float64 `json:"oob_score,omitempty"`

	once sync.Once
	comp []compiled
}

func newForest(seed uint64) *RandomForest {
	return &RandomForest{p: defaultCART(seed, "auto"), nEstimators: 100, bootstrap: true}
}

// Kind returns "rf".
func (m *RandomForest) Kind() string { return "rf" }

func (m *RandomForest) table() paramTable {
	return append(m.p.table(),
		intParam("n_estimators", "number of trees", &m.nEstimators, 1, 100000, "", 0),
		boolParam("bootstrap", "grow each tree on a bootstrap sample (false: on all rows)", &m.bootstrap),
		boolParam("oob_score", "compute the out-of-bag score (needs bootstrap)", &m.oobScore),
		intParam("n_jobs", "goroutines growing trees; 0 or -1 = all cores", &m.nJobs, -1, 1024, "", 0),
	)
}

// Params lists the tree parameters (max_features default auto: sqrt for
// classification, all for regression) and n_estimators, bootstrap,
// oob_score, n_jobs.
func (m *RandomForest) Params() []Param {
	return m.table().list(newForest(0).table())
}

// Set sets one parameter.
func (m *RandomForest) Set(name, value string) error {
	if m.fitted {
		return ErrFitted
	}
	return m.table().set(m.Kind(), name, value)
}

// treeRand returns tree t's two random streams: for the bootstrap draw and
// for feature sampling.
func treeRand(seed uint64, t int) (*rand.Rand, *rand.Rand) {
	return rand.New(rand.NewPCG(seed, uint64(t)<<1)), rand.New(rand.NewPCG(seed, uint64(t)<<1|1))
}

// Fit grows the forest. Recorder is told after each finished tree (in
// finishing order, i counting finished trees) the validation loss of the
// trees finished so far when EvalX is set (log-loss or mean squared error),
// NaN otherwise.
func (m *RandomForest) Fit(ctx context.Context, X *Matrix, y, w []float64, opt FitOptions) error {
	if m.fitted {
		return ErrFitted
	}
	if opt.Task == Clustering {
		return fmt.Errorf("models: rf cannot fit a clustering task")
	}
	K, err := checkFit(m.Kind(), X, y, w, opt)
	if err != nil {
		return err
	}
	if m.oobScore && !m.bootstrap {
		return fmt.Errorf("models: rf: oob_score needs bootstrap")
	}
	cfg, err := m.p.config(m.Kind(), opt.Task, K, X.Cols)
	if err != nil {
		return err
	}
	b, err := binMatrix(ctx, X, m.p.maxBins, m.p.seed, m.nJobs)
	if err != nil {
		return err
	}
	n := X.Rows
	trees := make([]*Tree, m.nEstimators)
	inbag := make([][]uint64, m.nEstimators)
	var ev *evalTracker
	if err := checkEval(m.Kind(), opt, X.Cols, K); err != nil {
		return err
	}
	if opt.EvalX != nil && opt.Recorder != nil {
		ev = newEvalTracker(opt, K)
	}
	jobs := min(workers(m.nJobs), m.nEstimators)
	type done struct {
		t   int
		err error
	}
	results := make(chan done, m.nEstimators)
	var next int
	var mu sync.Mutex
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for g := 0; g < jobs; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tw := make([]float64, n)
			cnt := make([]int32, n)
			for cctx.Err() == nil {
				mu.Lock()
				t := next
				next++
				mu.Unlock()
				if t >= m.nEstimators {
					return
				}
				boot, feat := treeRand(m.p.seed, t)
				idx := make([]int32, 0, n)
				var wt []float64
				if m.bootstrap {
					clear(cnt)
					for i := 0; i < n; i++ {
						cnt[boot.IntN(n)]++
					}
					bits := make([]uint64, (n+63)/64)
					for i, c := range cnt {
						wi := 1.0
						if w != nil {
							wi = w[i]
						}
						tw[i] = float64(c) * wi
						if c > 0 {
							bits[i>>6] |= 1 << uint(i&63)
							if tw[i] > 0 {
								idx = append(idx, int32(i))
							}
						}
					}
					inbag[t] = bits
					wt = tw
				} else {
					for i := 0; i < n; i++ {
						if w == nil || w[i] > 0 {
							idx = append(idx, int32(i))
						}
					}
					wt = w
				}
				tree, err := growCART(cctx, b, y, wt, idx, cfg, feat)
				if err == nil && m.p.ccpAlpha > 0 {
					tree = pruneCCP(tree, m.p.ccpAlpha)
				}
				if tree != nil {
					// Node weights and impurities only serve pruning: keep files small.
					tree.Weight, tree.Impurity = nil, nil
				}
				trees[t] = tree
				results <- done{t, err}
			}
		}()
	}
	var firstErr error
	for finished := 0; finished < m.nEstimators; finished++ {
		var d done
		if firstErr = ctx.Err(); firstErr != nil {
			break
		}
		select {
		case d = <-results:
		case <-ctx.Done():
			firstErr = ctx.Err()
		}
		if firstErr == nil && d.err != nil {
			firstErr = d.err
		}
		if firstErr != nil {
			break
		}
		if opt.Recorder != nil {
			v := nan()
			if ev != nil {
				c := trees[d.t].compile()
				v = ev.addTree(&c)
			}
			opt.Recorder.Iteration(finished, nan(), v)
		}
	}
	cancel()
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	m.Trees = trees
	m.setInfo(opt.Task, opt.Classes, featureNames(X))
	if m.oobScore {
		s := m.oob(X, y, K, inbag)
		m.OOB = &s
	}
	return nil
}

// oob returns the out-of-bag score: each row predicted by the trees whose
// bootstrap sample left it out; accuracy for classification, R² for
// regression, over the rows that some tree left out.
func (m *RandomForest) oob(X *Matrix, y []float64, K int, inbag [][]uint64) float64 {
	comp := m.compiledTrees()
	width := max(K, 1)
	n := X.Rows
	sum := make([]float64, n*width)
	cnt := make([]int32, n)
	parallelFor(context.Background(), (n+1023)/1024, m.nJobs, func(blk int) {
		lo, hi := blk*1024, min(n, blk*1024+1024)
		for t := range comp {
			c := &comp[t]
			bits := inbag[t]
			for i := lo; i < hi; i++ {
				if bits[i>>6]&(1<<uint(i&63)) != 0 {
					continue
				}
				o := c.leaf(X.Data, n, i)
				for k := 0; k < width; k++ {
					sum[i*width+k] += c.values[o+k]
				}
				cnt[i]++
			}
		}
	})
	var used, correct float64
	var mean float64
	for i := 0; i < n; i++ {
		if cnt[i] > 0 {
			used++
			mean += y[i]
		}
	}
	if used == 0 {
		return 0
	}
	mean /= used
	var sse, sst float64
	for i := 0; i < n; i++ {
		if cnt[i] == 0 {
			continue
		}
		if K > 0 {
			best := 0
			for k := 1; k < K; k++ {
				if sum[i*K+k] > sum[i*K+best] {
					best = k
				}
			}
			if float64(best) == y[i] {
				correct++
			}
			continue
		}
		p := sum[i] / float64(cnt[i])
		sse += (y[i] - p) * (y[i] - p)
		sst += (y[i] - mean) * (y[i] - mean)
	}
	if K > 0 {
		return correct / used
	}
	if sst == 0 {
		return 0
	}
	return 1 - sse/sst
}

func (m *RandomForest) compiledTrees() []compiled {
	m.once.Do(func() {
		m.comp = make([]compiled, len(m.Trees))
		for t, tr := range m.Trees {
			m.comp[t] = tr.compile()
		}
	})
	return m.comp
}

func (m *RandomForest) validate() error {
	if len(m.Trees) == 0 {
		return fmt.Errorf("no trees")
	}
	width := 1
	if m.task.Classifier() {
		width = len(m.classes)
	}
	for t, tr := range m.Trees {
		if tr == nil {
			return fmt.Errorf("tree %d missing", t)
		}
		if err := tr.validate(len(m.features), width); err != nil {
			return fmt.Errorf("tree %d: %w", t, err)
		}
	}
	if m.OOB != nil && math.IsNaN(*m.OOB) {
		return fmt.Errorf("NaN oob score")
	}
	return nil
}

// average writes the mean over trees of each row's leaf values (width per row).
func (m *RandomForest) average(X *Matrix, out []float64, width int) {
	comp := m.compiledTrees()
	n := X.Rows
	clear(out)
	parallelFor(context.Background(), (n+511)/512, m.nJobs, func(blk int) {
		lo, hi := blk*512, min(n, blk*512+512)
		for t := range comp {
			c := &comp[t]
			for i := lo; i < hi; i++ {
				o := c.leaf(X.Data, n, i)
				for k := 0; k < width; k++ {
					out[i*width+k] += c.values[o+k]
				}
			}
		}
		inv := 1 / float64(len(comp))
		for i := lo * width; i < hi*width; i++ {
			out[i] *= inv
		}
	})
}

// Predict writes the mean prediction, or the class with the highest mean probability.
func (m *RandomForest) Predict(X *Matrix, out []float64) error {
	if err := checkPredict(m.Kind(), m.fitted, len(m.features), X, out, 1); err != nil {
		return err
	}
	if !m.task.Classifier() {
		m.average(X, out, 1)
		return nil
	}
	K := len(m.classes)
	p := make([]float64, X.Rows*K)
	m.average(X, p, K)
	argmaxRows(p, K, out)
	return nil
}

// PredictProba writes the class probabilities averaged over the trees.
func (m *RandomForest) PredictProba(X *Matrix, out []float64) error {
	if m.fitted && !m.task.Classifier() {
		return ErrNotClassifier
	}
	if err := checkPredict(m.Kind(), m.fitted, len(m.features), X, out, len(m.classes)); err != nil {
		return err
	}
	m.average(X, out, len(m.classes))
	return nil
}

// evalTracker accumulates an ensemble's predictions on a validation set to
// report its loss as trees are added.
type evalTracker struct {
	X     *Matrix
	y     []float64
	K     int
	sum   []float64
	trees int
}

func newEvalTracker(opt FitOptions, K int) *evalTracker {
	return &evalTracker{X: opt.EvalX, y: opt.EvalY, K: K, sum: make([]float64, opt.EvalX.Rows*max(K, 1))}
}

// addTree adds a tree's leaf values and returns the loss of the average:
// log-loss (probabilities clipped to [1e-15, 1−1e-15]) or mean squared error.
func (e *evalTracker) addTree(c *compiled) float64 {
	width := max(e.K, 1)
	n := e.X.Rows
	for i := 0; i < n; i++ {
		o := c.leaf(e.X.Data, n, i)
		for k := 0; k < width; k++ {
			e.sum[i*width+k] += c.values[o+k]
		}
	}
	e.trees++
	inv := 1 / float64(e.trees)
	var loss float64
	for i := 0; i < n; i++ {
		if e.K > 0 {
			p := e.sum[i*width+int(e.y[i])] * inv
			loss -= math.Log(min(max(p, 1e-15), 1-1e-15))
		} else {
			d := e.sum[i]*inv - e.y[i]
			loss += d * d
		}
	}
	return loss / float64(n)
}
