package models

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
)

// cartParams are the parameters shared by tree and rf.
type cartParams struct {
	criterion           string
	maxDepth            int
	minSamplesSplit     int
	minSamplesLeaf      int
	minImpurityDecrease float64
	maxFeatures         string
	ccpAlpha            float64
	maxBins             int
	seed                uint64
}

func (p *cartParams) table() paramTable {
	return paramTable{
		choiceParam("criterion", "split quality: auto (gini for classes, squared_error for values), gini, entropy, log_loss (= entropy), squared_error",
			&p.criterion, "auto", "gini", "entropy", "log_loss", "squared_error"),
		intParam("max_depth", "deepest split level; none = grow until leaves are pure", &p.maxDepth, 1, 1<<20, "none", 0),
		intParam("min_samples_split", "fewest rows a node needs to be split", &p.minSamplesSplit, 2, 1<<30, "", 0),
		intParam("min_samples_leaf", "fewest rows in each leaf", &p.minSamplesLeaf, 1, 1<<30, "", 0),
		floatParam("min_impurity_decrease", "split only when the weighted impurity decrease is at least this", &p.minImpurityDecrease, 0, 1e300, false),
		maxFeaturesParam(&p.maxFeatures),
		floatParam("ccp_alpha", "minimal cost-complexity pruning strength (0 = none)", &p.ccpAlpha, 0, 1e300, false),
		intParam("max_bins", "value bins per feature (exact splits when a feature has at most this many distinct values)", &p.maxBins, 2, 255, "", 0),
		seedParam(&p.seed),
	}
}

// config resolves the parameters for a task with K classes and p features.
func (p *cartParams) config(kind string, task Task, K, nFeatures int) (cartConfig, error) {
	crit := p.criterion
	switch {
	case crit == "auto" && task.Classifier():
		crit = "gini"
	case crit == "auto":
		crit = "squared_error"
	case crit == "log_loss":
		crit = "entropy"
	}
	if task.Classifier() == (crit == "squared_error") {
		return cartConfig{}, fmt.Errorf("models: %s: criterion %q does not fit a %s task", kind, p.criterion, task)
	}
	mtry, err := resolveMaxFeatures(p.maxFeatures, nFeatures, task.Classifier())
	if err != nil {
		return cartConfig{}, fmt.Errorf("models: %s parameter \"max_features\": %w", kind, err)
	}
	return cartConfig{criterion: crit, K: K, maxDepth: p.maxDepth, minSamplesSplit: p.minSamplesSplit,
		minSamplesLeaf: p.minSamplesLeaf, minImpurityDecrease: p.minImpurityDecrease, mtry: mtry}, nil
}

func defaultCART(seed uint64, maxFeatures string) cartParams {
	return cartParams{criterion: "auto", minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: maxFeatures, maxBins: 255, seed: seed}
}

// DecisionTree is the "tree" model: one CART tree (Breiman et al. 1984) for
// classification or regression, grown as scikit-learn's
// DecisionTreeClassifier/Regressor with the best splitter, over binned
// features (see the package doc), then pruned by minimal cost-complexity.
type DecisionTree struct {
	info
	p    cartParams
	Tree *Tree `json:"tree"`

	once sync.Once
	comp compiled
}

func newTree(seed uint64) *DecisionTree { return &DecisionTree{p: defaultCART(seed, "none")} }

// Kind returns "tree".
func (m *DecisionTree) Kind() string { return "tree" }

// Params lists criterion, max_depth, min_samples_split, min_samples_leaf,
// min_impurity_decrease, max_features, ccp_alpha, max_bins and random_state.
func (m *DecisionTree) Params() []Param {
	d := defaultCART(0, "none")
	return m.p.table().list(d.table())
}

// Set sets one parameter.
func (m *DecisionTree) Set(name, value string) error {
	if m.fitted {
		return ErrFitted
	}
	return m.p.table().set(m.Kind(), name, value)
}

// Fit grows the tree, then prunes it when ccp_alpha > 0. Recorder is told
// iteration 0 with the training impurity of the leaves (NaN validation loss).
func (m *DecisionTree) Fit(ctx context.Context, X *Matrix, y, w []float64, opt FitOptions) error {
	if m.fitted {
		return ErrFitted
	}
	if opt.Task == Clustering {
		return fmt.Errorf("models: tree cannot fit a clustering task")
	}
	K, err := checkFit(m.Kind(), X, y, w, opt)
	if err != nil {
		return err
	}
	cfg, err := m.p.config(m.Kind(), opt.Task, K, X.Cols)
	if err != nil {
		return err
	}
	b, err := binMatrix(ctx, X, m.p.maxBins, m.p.seed, 0)
	if err != nil {
		return err
	}
	idx := make([]int32, 0, X.Rows)
	for i := 0; i < X.Rows; i++ {
		if w == nil || w[i] > 0 {
			idx = append(idx, int32(i))
		}
	}
	rng := rand.New(rand.NewPCG(m.p.seed, 0x74726565))
	t, err := growCART(ctx, b, y, w, idx, cfg, rng)
	if err != nil {
		return err
	}
	if m.p.ccpAlpha > 0 {
		t = pruneCCP(t, m.p.ccpAlpha)
	}
	m.Tree = t
	m.setInfo(opt.Task, opt.Classes, featureNames(X))
	if opt.Recorder != nil {
		opt.Recorder.Iteration(0, leafImpurity(t), nan())
	}
	return nil
}

func (m *DecisionTree) compiled() *compiled {
	m.once.Do(func() { m.comp = m.Tree.compile() })
	return &m.comp
}

func (m *DecisionTree) validate() error {
	if m.Tree == nil {
		return fmt.Errorf("no tree")
	}
	width := 1
	if m.task.Classifier() {
		width = len(m.classes)
	}
	return m.Tree.validate(len(m.features), width)
}

// Predict writes the predicted value, or the most probable class index.
func (m *DecisionTree) Predict(X *Matrix, out []float64) error {
	if err := checkPredict(m.Kind(), m.fitted, len(m.features), X, out, 1); err != nil {
		return err
	}
	c := m.compiled()
	if !m.task.Classifier() {
		for i := range out {
			out[i] = c.values[c.leaf(X.Data, X.Rows, i)]
		}
		return nil
	}
	K := c.width
	for i := range out {
		o := c.leaf(X.Data, X.Rows, i)
		best := 0
		for k := 1; k < K; k++ {
			if c.values[o+k] > c.values[o+best] {
				best = k
			}
		}
		out[i] = float64(best)
	}
	return nil
}

// PredictProba writes the class frequencies of each row's leaf.
func (m *DecisionTree) PredictProba(X *Matrix, out []float64) error {
	if m.fitted && !m.task.Classifier() {
		return ErrNotClassifier
	}
	if err := checkPredict(m.Kind(), m.fitted, len(m.features), X, out, len(m.classes)); err != nil {
		return err
	}
	c := m.compiled()
	K := c.width
	for i := 0; i < X.Rows; i++ {
		o := c.leaf(X.Data, X.Rows, i)
		copy(out[i*K:(i+1)*K], c.values[o:o+K])
	}
	return nil
}

// leafImpurity returns Σ over leaves of W_leaf/W_root · I(leaf).
func leafImpurity(t *Tree) float64 {
	var s float64
	for n, f := range t.Feature {
		if f < 0 {
			s += t.Weight[n] / t.Weight[0] * t.Impurity[n]
		}
	}
	return s
}
