package models

import (
	"fmt"
	"sort"
	"strings"
)

// Names lists the registry names New accepts, in the order a user picks
// from. Each learner adds its name here and its case in newModel.
var names = []string{"tree", "rf", "gbdt", "linear", "ridge", "lasso", "enet", "logreg", "nb", "knn", "kmeans"}

// Names returns the names New accepts.
func Names() []string { return append([]string(nil), names...) }

// newModel returns a model of kind name with default parameters and seed.
// Each learner adds its case here (one line) and its name to names.
func newModel(name string, seed uint64) (Model, bool) {
	switch name {
	case "tree":
		return newTree(seed), true
	case "rf":
		return newForest(seed), true
	case "gbdt":
		return newGBDT(seed), true
	case "linear", "ridge", "lasso", "enet":
		return newLinear(name), true
	case "logreg":
		return newLogReg(), true
	case "nb":
		return newNB(), true
	case "knn":
		return newKNN(), true
	case "kmeans":
		return newKMeans(seed), true
	}
	return nil, false
}

// New returns an unfitted model of kind name (see Names) with the given
// parameters (scikit-learn names, values as text; see each model's Params)
// and seed (the random_state; a random_state in params wins). Parameters are
// applied in name order, so the first bad one named is the same every time.
func New(name string, params map[string]string, seed uint64) (Model, error) {
	m, ok := newModel(name, seed)
	if !ok {
		if s := closest(name, names); s != "" {
			return nil, fmt.Errorf("models: no model %q (did you mean %q?)", name, s)
		}
		return nil, fmt.Errorf("models: no model %q (want %s)", name, strings.Join(names, ", "))
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := m.Set(k, params[k]); err != nil {
			return nil, err
		}
	}
	return m, nil
}
