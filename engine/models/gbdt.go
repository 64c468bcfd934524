package models

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
)

// GBDT is the "gbdt" model: histogram-based gradient boosted trees
// (Friedman 2001; second-order boosting as XGBoost, Chen & Guestrin 2016;
// histograms as LightGBM, Ke et al. 2017). Features are binned once (see the
// package doc). Each round fits one tree (K trees for K classes) to the
// gradients g and hessians h of the loss at the current raw scores F:
//
//	squared error  L = ½(F−y)²          g = F−y        h = 1
//	binary         p = σ(F)             g = p−y        h = p(1−p)
//	multiclass     p_k = softmax(F)_k   g_k = p_k−[y=k] h_k = p_k(1−p_k)
//
// (times the sample weight). Leaves get learning_rate · −G/(H+λ).
// Starting scores are the weighted mean, the log-odds of the positive rate,
// or the log class priors.
//
// Early stopping: when early_stopping_rounds > 0, rounds stop once the
// validation loss (FitOptions.EvalX, or else a validation_fraction of the
// training rows held out at random) has not improved for that many rounds,
// and the model keeps the rounds up to the best one.
type GBDT struct {
	info
	nEstimators    int
	learningRate   float64
	maxDepth       int
	maxLeaves      int
	growPolicy     string
	lambda         float64
	gamma          float64
	minChildWeight float64
	subsample      float64
	colsample      float64
	maxBins        int
	earlyStopping  int
	validationFrac float64
	nJobs          int
	seed           uint64

	// Base holds the starting raw score per output (1, or K for multiclass).
	Base []float64 `json:"base_score"`
	// Trees holds the trees round by round; round i's tree for output k is
	// Trees[i*len(Base)+k].
	Trees []*Tree `json:"trees"`
	// BestIteration is the number of rounds kept (after early stopping).
	BestIteration int `json:"best_iteration"`

	once sync.Once
	comp []compiled
	heap *heapForest
}

func newGBDT(seed uint64) *GBDT {
	return &GBDT{nEstimators: 100, learningRate: 0.1, maxDepth: 6, growPolicy: "depthwise", lambda: 1,
		minChildWeight: 1, subsample: 1, colsample: 1, maxBins: 255, validationFrac: 0.1, seed: seed}
}

// Kind returns "gbdt".
func (m *GBDT) Kind() string { return "gbdt" }

func (m *GBDT) table() paramTable {
	return paramTable{
		intParam("n_estimators", "boosting rounds", &m.nEstimators, 1, 1000000, "", 0),
		floatParam("learning_rate", "shrinkage of every tree", &m.learningRate, 0, 10, true),
		intParam("max_depth", "deepest split level; none = unlimited (then max_leaves limits)", &m.maxDepth, 1, 64, "none", 0),
		intParam("max_leaves", "most leaves per tree; 0 = unlimited (31 is LightGBM's num_leaves default)", &m.maxLeaves, 0, 1<<20, "", 0),
		choiceParam("grow_policy", "depthwise (level by level, XGBoost) or lossguide (best leaf first, LightGBM)", &m.growPolicy, "depthwise", "lossguide"),
		floatParam("reg_lambda", "L2 penalty λ on leaf weights", &m.lambda, 0, 1e300, false),
		floatParam("min_split_loss", "least loss reduction γ to split (XGBoost gamma)", &m.gamma, 0, 1e300, false),
		floatParam("min_child_weight", "least hessian sum in a child", &m.minChildWeight, 0, 1e300, false),
		floatParam("subsample", "fraction of rows drawn (without replacement) for each round", &m.subsample, 0, 1, true),
		floatParam("colsample_bytree", "fraction of features drawn for each tree", &m.colsample, 0, 1, true),
		intParam("max_bins", "value bins per feature", &m.maxBins, 2, 255, "", 0),
		intParam("early_stopping_rounds", "stop after this many rounds without validation improvement; 0 = off", &m.earlyStopping, 0, 1000000, "", 0),
		floatParam("validation_fraction", "share of training rows held out for early stopping when no validation set is given", &m.validationFrac, 0, 0.9, true),
		intParam("n_jobs", "goroutines building histograms; 0 or -1 = all cores", &m.nJobs, -1, 1024, "", 0),
		seedParam(&m.seed),
	}
}

// Params lists n_estimators, learning_rate, max_depth, max_leaves,
// grow_policy, reg_lambda, min_split_loss, min_child_weight, subsample,
// colsample_bytree, max_bins, early_stopping_rounds, validation_fraction,
// n_jobs and random_state.
func (m *GBDT) Params() []Param { return m.table().list(newGBDT(0).table()) }

// Set sets one parameter.
func (m *GBDT) Set(name, value string) error {
	if m.fitted {
		return ErrFitted
	}
	return m.table().set(m.Kind(), name, value)
}

// Fit boosts the trees. Recorder is told after every round the training
// loss (when a Recorder is set) and the validation loss (NaN without a
// validation set): half the mean squared error, or the log-loss.
func (m *GBDT) Fit(ctx context.Context, X *Matrix, y, w []float64, opt FitOptions) error {
	if m.fitted {
		return ErrFitted
	}
	if opt.Task == Clustering {
		return fmt.Errorf("models: gbdt cannot fit a clustering task")
	}
	K, err := checkFit(m.Kind(), X, y, w, opt)
	if err != nil {
		return err
	}
	if err := checkEval(m.Kind(), opt, X.Cols, K); err != nil {
		return err
	}
	evY := opt.EvalY
	rng := rand.New(rand.NewPCG(m.seed, 0x67626474))
	b, err := binMatrix(ctx, X, m.maxBins, m.seed, m.nJobs)
	if err != nil {
		return err
	}
	n := X.Rows
	// Training rows and validation rows (binned, no copy of X).
	train := make([]int32, 0, n)
	var evRows []int32
	var evB *binned
	switch {
	case opt.EvalX != nil:
		// b.apply in parallel over columns.
		evB = &binned{Rows: opt.EvalX.Rows, Cols: X.Cols, Bins: make([]uint8, opt.EvalX.Rows*X.Cols), Upper: b.Upper, Values: b.Values}
		parallelFor(ctx, X.Cols, m.nJobs, func(j int) { binColumn(b.Upper[j], opt.EvalX.Col(j), evB.col(j)) })
		evRows = make([]int32, opt.EvalX.Rows)
		for i := range evRows {
			evRows[i] = int32(i)
		}
	case m.earlyStopping > 0:
		perm := rng.Perm(n)
		nv := int(math.Round(m.validationFrac * float64(n)))
		if nv < 1 || nv >= n {
			return fmt.Errorf("models: gbdt: validation_fraction %v of %d rows leaves no validation or training rows", m.validationFrac, n)
		}
		evRows = make([]int32, nv)
		for i := range evRows {
			evRows[i] = int32(perm[i])
		}
		slices.Sort(evRows)
		evB, evY = b, y
	}
	inVal := make([]bool, n)
	if evB == b {
		for _, r := range evRows {
			inVal[r] = true
		}
	}
	for i := 0; i < n; i++ {
		if !inVal[i] && (w == nil || w[i] > 0) {
			train = append(train, int32(i))
		}
	}
	if len(train) == 0 {
		return fmt.Errorf("models: gbdt: no training rows")
	}
	out := 1
	if opt.Task == Multiclass {
		out = K
	}
	wt := func(r int32) float64 {
		if w == nil {
			return 1
		}
		return w[r]
	}
	// Starting scores.
	base := make([]float64, out)
	{
		var sw float64
		sums := make([]float64, max(K, 1))
		for _, r := range train {
			sw += wt(r)
			if K > 0 {
				sums[int(y[r])] += wt(r)
			} else {
				sums[0] += wt(r) * y[r]
			}
		}
		switch opt.Task {
		case Regression:
			base[0] = sums[0] / sw
		case Binary:
			p := min(max(sums[1]/sw, 1e-15), 1-1e-15)
			base[0] = math.Log(p / (1 - p))
		default:
			for k := range base {
				base[k] = math.Log(max(sums[k]/sw, 1e-15))
			}
		}
	}
	F := make([]float64, n*out) // raw scores, row-major
	for i := 0; i < n; i++ {
		copy(F[i*out:(i+1)*out], base)
	}
	var evF []float64
	if evB != nil {
		evF = make([]float64, evB.Rows*out)
		for i := 0; i < evB.Rows; i++ {
			copy(evF[i*out:(i+1)*out], base)
		}
	}
	cfg := gbConfig{maxDepth: m.maxDepth, maxLeaves: m.maxLeaves, lossguide: m.growPolicy == "lossguide",
		lambda: m.lambda, gamma: m.gamma, minChildWeight: m.minChildWeight, lr: m.learningRate, jobs: m.nJobs}
	if cfg.lossguide && cfg.maxLeaves == 0 && cfg.maxDepth == 0 {
		cfg.maxLeaves = 31
	}
	if !cfg.lossguide && cfg.maxDepth == 0 && cfg.maxLeaves == 0 {
		return fmt.Errorf("models: gbdt: depthwise growth needs max_depth or max_leaves")
	}
	grower := newGBGrower(b, cfg)
	gh := make([][]ghPair, out) // gradient pairs of rows[i] at [i], one slice per output
	for k := range gh {
		gh[k] = make([]ghPair, len(train))
	}
	allFeats := make([]int, X.Cols)
	for j := range allFeats {
		allFeats[j] = j
	}
	nSub := len(train)
	if m.subsample < 1 {
		nSub = max(1, int(math.Round(m.subsample*float64(len(train)))))
	}
	nCol := max(1, int(math.Round(m.colsample*float64(X.Cols))))
	var idx []int32 // the row sample of a round
	var inSample []bool
	if nSub < len(train) {
		idx = make([]int32, nSub)
		inSample = make([]bool, n)
	}
	var trees []*Tree
	bestLoss, bestIter := math.Inf(1), -1
	for it := 0; it < m.nEstimators; it++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		// Row sample for this round (grow does not reorder rows).
		rows := train
		if nSub < len(train) {
			rows = idx[:nSub]
			perm := rng.Perm(len(train))[:nSub]
			for i, p := range perm {
				rows[i] = train[p]
			}
			slices.Sort(rows)
		}
		gbGradients(m.nJobs, opt.Task, rows, F, out, y, w, gh)
		if inSample != nil {
			clear(inSample)
			for _, r := range rows {
				inSample[r] = true
			}
		}
		for k := 0; k < out; k++ {
			feats := allFeats
			if nCol < X.Cols {
				perm := rng.Perm(X.Cols)[:nCol]
				slices.Sort(perm)
				feats = perm
			}
			tree, leaves, err := grower.grow(ctx, rows, gh[k][:len(rows)], feats)
			if err != nil {
				return err
			}
			trees = append(trees, tree)
			// Update scores: sampled rows from leaf ranges, the rest by traversal.
			grower.addLeaves(tree, leaves, F, out, k)
			if inSample != nil {
				rowChunks(m.nJobs, len(train), func(lo, hi int) {
					for _, r := range train[lo:hi] {
						if !inSample[r] {
							F[int(r)*out+k] += tree.Value[binLeaf(tree, grower.bthr, b, int(r))]
						}
					}
				})
			}
			if evB != nil {
				rowChunks(m.nJobs, len(evRows), func(lo, hi int) {
					for i := lo; i < hi; i++ {
						evF[i*out+k] += tree.Value[binLeaf(tree, grower.bthr, evB, int(evRows[i]))]
					}
				})
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		trainLoss, validLoss := nan(), nan()
		if opt.Recorder != nil {
			trainLoss = meanLoss(m.nJobs, opt.Task, F, out, y, train, false)
		}
		if evB != nil {
			validLoss = meanLoss(m.nJobs, opt.Task, evF, out, evY, evRows, true)
			if validLoss < bestLoss {
				bestLoss, bestIter = validLoss, it
			}
		}
		if opt.Recorder != nil {
			opt.Recorder.Iteration(it, trainLoss, validLoss)
		}
		if m.earlyStopping > 0 && evB != nil && it-bestIter >= m.earlyStopping {
			break
		}
	}
	rounds := len(trees) / out
	if m.earlyStopping > 0 && bestIter >= 0 {
		rounds = bestIter + 1
	}
	m.Base = base
	m.Trees = trees[:rounds*out]
	m.BestIteration = rounds
	m.setInfo(opt.Task, opt.Classes, featureNames(X))
	return nil
}

// rowChunks calls f(lo, hi) for the chunks of rowChunk rows of [0, n), in
// parallel on up to workers(jobs) goroutines.
func rowChunks(jobs, n int, f func(lo, hi int)) {
	nc := (n + rowChunk - 1) / rowChunk
	if n < serialWork {
		jobs = 1
	}
	gbParallel(nc, jobs, func(c int) { f(c*rowChunk, min(n, (c+1)*rowChunk)) })
}

// gbGradients writes the gradient pairs of every output at the scores F
// into gh[k][i] for row rows[i] (see GBDT):
//
//	squared error  g = F−y            h = 1
//	binary         g = σ(F)−y         h = max(p(1−p), 1e-16)  (σ through gbExp)
//	multiclass     g_k = p_k−[y=k]    h_k = max(p_k(1−p_k), 1e-16)  (softmax through gbExp)
//
// times the sample weight w (nil = 1).
func gbGradients(jobs int, task Task, rows []int32, F []float64, out int, y, w []float64, gh [][]ghPair) {
	rowChunks(jobs, len(rows), func(lo, hi int) {
		if task == Binary && w == nil {
			// The common case without the per-row switch.
			g := gh[0][lo:hi]
			for i, r := range rows[lo:hi] {
				p := 1 / (1 + gbExp(-F[r]))
				g[i] = ghPair{p - y[r], max(p*(1-p), 1e-16)}
			}
			return
		}
		var prob []float64
		if task == Multiclass {
			prob = make([]float64, out)
		}
		for i := lo; i < hi; i++ {
			r := rows[i]
			fr := F[int(r)*out : int(r)*out+out]
			wr := 1.0
			if w != nil {
				wr = w[r]
			}
			switch task {
			case Regression:
				gh[0][i] = ghPair{(fr[0] - y[r]) * wr, wr}
			case Binary:
				p := 1 / (1 + gbExp(-fr[0]))
				gh[0][i] = ghPair{(p - y[r]) * wr, max(p*(1-p), 1e-16) * wr}
			default:
				gbSoftmax(fr, prob)
				for k, p := range prob {
					g := p
					if int(y[r]) == k {
						g = p - 1
					}
					gh[k][i] = ghPair{g * wr, max(p*(1-p), 1e-16) * wr}
				}
			}
		}
	})
}

// meanLoss returns the mean loss over rows (½ squared error, or log-loss
// with probabilities clipped to [1e-15, 1−1e-15]); scores of rows[i] are at
// F[r*out:] or, when pos is set, at F[i*out:] (validation scores). Chunks
// of rowChunk rows are summed in parallel and their sums added in order.
func meanLoss(jobs int, task Task, F []float64, out int, y []float64, rows []int32, pos bool) float64 {
	part := make([]float64, (len(rows)+rowChunk-1)/rowChunk)
	rowChunks(jobs, len(rows), func(lo, hi int) {
		prob := make([]float64, out)
		var s float64
		for i := lo; i < hi; i++ {
			r := rows[i]
			at := int(r)
			if pos {
				at = i
			}
			fr := F[at*out : at*out+out]
			switch task {
			case Regression:
				d := fr[0] - y[r]
				s += 0.5 * d * d
			case Binary:
				p := min(max(sigmoid(fr[0]), 1e-15), 1-1e-15)
				if y[r] == 1 {
					s -= math.Log(p)
				} else {
					s -= math.Log(1 - p)
				}
			default:
				softmax(fr, prob)
				s -= math.Log(min(max(prob[int(y[r])], 1e-15), 1-1e-15))
			}
		}
		part[lo/rowChunk] = s
	})
	var s float64
	for _, v := range part {
		s += v
	}
	return s / float64(len(rows))
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// softmax writes exp(f_k − max f) / Σ exp(f_j − max f) into p.
func softmax(f, p []float64) {
	mx := f[0]
	for _, v := range f[1:] {
		mx = max(mx, v)
	}
	var s float64
	for k, v := range f {
		p[k] = math.Exp(v - mx)
		s += p[k]
	}
	for k := range p {
		p[k] /= s
	}
}

// gbSoftmax is softmax through gbExp, for the gradients.
func gbSoftmax(f, p []float64) {
	mx := f[0]
	for _, v := range f[1:] {
		mx = max(mx, v)
	}
	var s float64
	for k, v := range f {
		p[k] = gbExp(v - mx)
		s += p[k]
	}
	for k := range p {
		p[k] /= s
	}
}

func (m *GBDT) compiledTrees() []compiled {
	m.once.Do(func() {
		m.comp = make([]compiled, len(m.Trees))
		for t, tr := range m.Trees {
			m.comp[t] = tr.compile()
		}
		m.heap = newHeapForest(m.Trees, len(m.features))
	})
	return m.comp
}

func (m *GBDT) validate() error {
	out := 1
	if m.task == Multiclass {
		out = len(m.classes)
	}
	if len(m.Base) != out {
		return fmt.Errorf("%d base scores for %d outputs", len(m.Base), out)
	}
	if len(m.Trees)%out != 0 || len(m.Trees) == 0 {
		return fmt.Errorf("%d trees for %d outputs", len(m.Trees), out)
	}
	for t, tr := range m.Trees {
		if tr == nil {
			return fmt.Errorf("tree %d missing", t)
		}
		if err := tr.validate(len(m.features), 1); err != nil {
			return fmt.Errorf("tree %d: %w", t, err)
		}
	}
	return nil
}

// raw writes the raw scores (Rows × outputs, row-major) of X.
func (m *GBDT) raw(X *Matrix, F []float64) {
	comp := m.compiledTrees()
	out := len(m.Base)
	n := X.Rows
	if h := m.heap; h != nil {
		// Fast path: 64-row blocks, ranked once, walked over heap-laid trees.
		const per = 16 * heapBlock
		parallelFor(context.Background(), (n+per-1)/per, m.nJobs, func(blk int) {
			ranks := make([]uint8, heapBlock*X.Cols)
			lo, hi := blk*per, min(n, blk*per+per)
			for i := lo; i < hi; i++ {
				copy(F[i*out:(i+1)*out], m.Base)
			}
			for b := lo; b < hi; b += heapBlock {
				h.add(X.Data, n, b, min(hi, b+heapBlock), F, out, ranks)
			}
		})
		return
	}
	const block = 256
	parallelFor(context.Background(), (n+block-1)/block, m.nJobs, func(blk int) {
		lo, hi := blk*block, min(n, blk*block+block)
		for i := lo; i < hi; i++ {
			copy(F[i*out:(i+1)*out], m.Base)
		}
		// Trees too deep for the heap layout: walk them.
		for t := range comp {
			c := &comp[t]
			k := t % out
			for i := lo; i < hi; i++ {
				F[i*out+k] += c.values[c.leaf(X.Data, n, i)]
			}
		}
	})
}

// Predict writes the predicted value, or the most probable class index.
func (m *GBDT) Predict(X *Matrix, out []float64) error {
	if err := checkPredict(m.Kind(), m.fitted, len(m.features), X, out, 1); err != nil {
		return err
	}
	switch m.task {
	case Regression:
		m.raw(X, out)
	case Binary:
		m.raw(X, out)
		for i, v := range out {
			if v > 0 {
				out[i] = 1
			} else {
				out[i] = 0
			}
		}
	default:
		K := len(m.classes)
		F := make([]float64, X.Rows*K)
		m.raw(X, F)
		argmaxRows(F, K, out)
	}
	return nil
}

// PredictProba writes class probabilities: σ(F) for binary (as [1−p, p]),
// softmax(F) for multiclass.
func (m *GBDT) PredictProba(X *Matrix, out []float64) error {
	if m.fitted && !m.task.Classifier() {
		return ErrNotClassifier
	}
	if err := checkPredict(m.Kind(), m.fitted, len(m.features), X, out, len(m.classes)); err != nil {
		return err
	}
	if m.task == Binary {
		F := make([]float64, X.Rows)
		m.raw(X, F)
		rowChunks(m.nJobs, X.Rows, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				p := sigmoid(F[i])
				out[2*i], out[2*i+1] = 1-p, p
			}
		})
		return nil
	}
	K := len(m.classes)
	m.raw(X, out)
	rowChunks(m.nJobs, X.Rows, func(lo, hi int) {
		tmp := make([]float64, K)
		for i := lo; i < hi; i++ {
			softmax(out[i*K:(i+1)*K], tmp)
			copy(out[i*K:(i+1)*K], tmp)
		}
	})
	return nil
}
