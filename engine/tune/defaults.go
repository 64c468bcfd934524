package tune

import (
	"fmt"
	"sort"
	"strings"
)

// defaultSpaces are the search spaces DefaultSpace returns, in the text
// form, with parameter names as the models take them (scikit-learn's, and
// XGBoost's for gbdt). Ranges follow common practice (Optuna's and
// scikit-learn's examples, the XGBoost tuning guide): rates and penalties on
// log scales, counts of trees on a log scale, depths linear.
var defaultSpaces = map[string]string{
	"gbdt": `n_estimators: int 50..1000 log
learning_rate: float 0.01..0.3 log
grow_policy: cat depthwise|lossguide
max_depth: int 2..10 if grow_policy=depthwise
max_leaves: int 8..256 log if grow_policy=lossguide
min_child_weight: float 0.01..20 log
subsample: float 0.5..1
colsample_bytree: float 0.5..1
reg_lambda: float 0.001..10 log
`,
	"rf": `n_estimators: int 50..500 log
max_depth: int 2..32 log
min_samples_leaf: int 1..20 log
max_features: cat sqrt|log2|0.5|1.0
bootstrap: cat true|false
`,
	"tree": `max_depth: int 1..20
min_samples_split: int 2..40 log
min_samples_leaf: int 1..20 log
max_features: cat sqrt|log2|0.5|1.0
`,
	"logreg": `C: float 1e-4..1e4 log
penalty: cat l2|l1
`,
	"knn": `n_neighbors: int 1..50 log
weights: cat uniform|distance
metric: cat euclidean|manhattan
`,
	"ridge": `alpha: float 1e-4..1e3 log
`,
	"lasso": `alpha: float 1e-5..10 log
`,
	"enet": `alpha: float 1e-5..10 log
l1_ratio: float 0..1
`,
}

// DefaultModels lists the models DefaultSpace knows, sorted.
func DefaultModels() []string {
	out := make([]string, 0, len(defaultSpaces))
	for k := range defaultSpaces {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// DefaultSpace returns a fresh copy of the default search space of a model
// (gbdt, rf, tree, logreg, knn, ridge, lasso, enet).
func DefaultSpace(model string) (*Space, error) {
	txt, ok := defaultSpaces[model]
	if !ok {
		names := DefaultModels()
		if c := closest(model, names); c != "" {
			return nil, fmt.Errorf("tune: no default search space for model %q (did you mean %q?)", model, c)
		}
		return nil, fmt.Errorf("tune: no default search space for model %q (have %s)", model, strings.Join(names, ", "))
	}
	return Parse(model+" default space", txt)
}
