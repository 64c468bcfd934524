package models

import (
	"context"
	"errors"
	"fmt"
	"math"
)

// knnParams are the parameters of knn.
type knnParams struct {
	nNeighbors int
	weights    string
	metric     string
	nJobs      int
}

func defaultKNN() knnParams {
	return knnParams{nNeighbors: 5, weights: "uniform", metric: "euclidean", nJobs: -1}
}

func (p *knnParams) table() paramTable {
	return paramTable{
		intParam("n_neighbors", "neighbours k that vote or average", &p.nNeighbors, 1, 1<<30, "", 0),
		choiceParam("weights", "uniform (every neighbour counts the same) or distance (weight 1/distance)", &p.weights, "uniform", "distance"),
		choiceParam("metric", "euclidean (minkowski p=2) or manhattan (p=1)", &p.metric, "euclidean", "manhattan"),
		intParam("n_jobs", "goroutines over query blocks (-1 or 0 = all cores); results do not depend on it", &p.nJobs, -1, 1<<16, "", 0),
	}
}

// KNN is the "knn" model: k-nearest neighbours classification and regression
// by exact brute-force search, as scikit-learn's KNeighborsClassifier and
// KNeighborsRegressor (algorithm "brute"). Fit keeps the training rows; a
// query's k nearest training rows (euclidean or manhattan distance; equal
// distances are ordered by training row, the earlier first) vote with equal
// weights or weights 1/d. When some neighbours are at distance 0, only they
// count, with weight 1 each (scikit-learn's rule). The class probabilities
// are the normalised votes; the regression value is the weighted mean of the
// neighbours' targets. Queries run in blocks on all cores.
//
// The model file holds the training rows. Missing or infinite feature values
// are an error naming the column (impute first), in Fit and in Predict.
// Sample weights are refused, as scikit-learn has none for k-NN.
type KNN struct {
	info
	p knnParams
	// N is the number of training rows.
	N int `json:"n"`
	// X holds the training rows, N × features row-major.
	X []float64 `json:"x"`
	// Y holds the training targets (class indices for a classifier).
	Y []float64 `json:"y"`
}

func newKNN() *KNN { return &KNN{p: defaultKNN()} }

// Kind returns "knn".
func (m *KNN) Kind() string { return "knn" }

// Params lists metric, n_jobs, n_neighbors and weights.
func (m *KNN) Params() []Param {
	d := defaultKNN()
	return m.p.table().list(d.table())
}

// Set sets one parameter.
func (m *KNN) Set(name, value string) error {
	if m.fitted {
		return ErrFitted
	}
	return m.p.table().set(m.Kind(), name, value)
}

// Fit stores the training rows. Recorder is not called (there are no
// iterations).
func (m *KNN) Fit(ctx context.Context, X *Matrix, y, w []float64, opt FitOptions) error {
	if m.fitted {
		return ErrFitted
	}
	if opt.Task == Clustering {
		return errors.New("models: knn cannot fit a clustering task (use kmeans)")
	}
	if w != nil {
		return errors.New("models: knn takes no sample weights")
	}
	if _, err := checkFit(m.Kind(), X, y, w, opt); err != nil {
		return err
	}
	if err := checkFinite(m.Kind(), X); err != nil {
		return err
	}
	if m.p.nNeighbors > X.Rows {
		return fmt.Errorf("models: knn: n_neighbors %d is more than the %d training rows", m.p.nNeighbors, X.Rows)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	n, p := X.Rows, X.Cols
	m.N = n
	m.X = make([]float64, n*p)
	for j := 0; j < p; j++ {
		for i, v := range X.Col(j) {
			m.X[i*p+j] = v
		}
	}
	m.Y = append([]float64(nil), y...)
	m.setInfo(opt.Task, opt.Classes, featureNames(X))
	return nil
}

// knnBlock is the number of queries per parallel block and knnTile the
// number of training rows measured against a whole block at a time (so the
// tile stays in cache).
const (
	knnBlock = 64
	knnTile  = 512
	// knnSlack bounds the relative rounding error of a squared distance
	// computed as ||q||² + ||x||² − 2qᵀx (about p·ε for p features; 1e-10
	// covers p up to 10⁵).
	knnSlack = 1e-10
)

// knnHeap is the sorted list of one query's nearest rows so far.
type knnHeap struct {
	dist  []float64 // squared euclidean or manhattan, ascending
	idx   []int
	cnt   int
	worst float64
}

// push offers training row r at distance d. It is inserted after every kept
// row at a distance ≤ d, so equal distances stay in training-row order (rows
// are offered in increasing order).
func (h *knnHeap) push(d float64, r int) {
	k := len(h.dist)
	if h.cnt == k && !(d < h.worst) {
		return
	}
	pos := h.cnt
	if h.cnt < k {
		h.cnt++
	} else {
		pos = k - 1
	}
	for pos > 0 && h.dist[pos-1] > d {
		h.dist[pos], h.idx[pos] = h.dist[pos-1], h.idx[pos-1]
		pos--
	}
	h.dist[pos], h.idx[pos] = d, r
	if h.cnt == k {
		h.worst = h.dist[k-1]
	}
}

// neighbours calls f(i, dist, idx) for every row i of X with its k nearest
// training rows in order (dist the distances, not squared).
func (m *KNN) neighbours(X *Matrix, f func(i int, dist []float64, idx []int)) error {
	if err := checkFinite(m.Kind(), X); err != nil {
		return err
	}
	k, p := m.p.nNeighbors, len(m.features)
	manhattan := m.p.metric == "manhattan"
	var xn []float64
	if !manhattan {
		xn = make([]float64, m.N)
		for r := range xn {
			row := m.X[r*p : (r+1)*p]
			xn[r] = linDot(row, row)
		}
	}
	return linParallel(context.Background(), X.Rows, knnBlock, m.p.nJobs, func(_, lo, hi int) {
		nq := hi - lo
		q := make([]float64, nq*p)
		for j := 0; j < p; j++ {
			col := X.Col(j)
			for t := 0; t < nq; t++ {
				q[t*p+j] = col[lo+t]
			}
		}
		heaps := make([]knnHeap, nq)
		for t := range heaps {
			heaps[t] = knnHeap{dist: make([]float64, k), idx: make([]int, k), worst: math.Inf(1)}
		}
		for r0 := 0; r0 < m.N; r0 += knnTile {
			r1 := min(m.N, r0+knnTile)
			for t := range heaps {
				qt := q[t*p : (t+1)*p : (t+1)*p]
				h := &heaps[t]
				r := r0
				if !manhattan {
					// Screen by ||q||² + ||x||² − 2qᵀx (two operations per
					// value) and measure the exact distance only for rows
					// that may enter the list; slack covers the rounding of
					// the screen (≤ p·ε·(||q||² + ||x||²)), so the result is
					// that of exact distances.
					qn := linDot(qt, qt)
					for ; r+4 <= r1; r += 4 {
						x0 := m.X[r*p : (r+1)*p : (r+1)*p]
						x1 := m.X[(r+1)*p : (r+2)*p : (r+2)*p]
						x2 := m.X[(r+2)*p : (r+3)*p : (r+3)*p]
						x3 := m.X[(r+3)*p : (r+4)*p : (r+4)*p]
						var s0, s1, s2, s3 float64
						for j, v := range qt {
							s0 += v * x0[j]
							s1 += v * x1[j]
							s2 += v * x2[j]
							s3 += v * x3[j]
						}
						for u, sv := range [4]float64{s0, s1, s2, s3} {
							ru := r + u
							tot := qn + xn[ru]
							if h.cnt == len(h.dist) && tot-2*sv-knnSlack*tot >= h.worst {
								continue
							}
							h.push(sqDist(qt, m.X[ru*p:(ru+1)*p]), ru)
						}
					}
				}
				for ; r < r1; r++ {
					row := m.X[r*p : (r+1)*p : (r+1)*p]
					var d float64
					if manhattan {
						for j, v := range row {
							d += math.Abs(qt[j] - v)
						}
					} else {
						for j, v := range row {
							t := qt[j] - v
							d += t * t
						}
					}
					h.push(d, r)
				}
			}
		}
		for t := range heaps {
			h := &heaps[t]
			if !manhattan {
				for i := range h.dist {
					h.dist[i] = math.Sqrt(h.dist[i])
				}
			}
			f(lo+t, h.dist, h.idx)
		}
	})
}

// voteWeights writes the weight of each neighbour: 1, 1/d, or, when some
// distances are 0, 1 for those and 0 for the others.
func (m *KNN) voteWeights(dist, out []float64) {
	if m.p.weights == "uniform" {
		for t := range out {
			out[t] = 1
		}
		return
	}
	zero := false
	for _, d := range dist {
		if d == 0 {
			zero = true
		}
	}
	for t, d := range dist {
		switch {
		case zero && d == 0:
			out[t] = 1
		case zero:
			out[t] = 0
		default:
			out[t] = 1 / d
		}
	}
}

// PredictProba writes the neighbours' (weighted) class shares.
func (m *KNN) PredictProba(X *Matrix, out []float64) error {
	if m.fitted && !m.task.Classifier() {
		return ErrNotClassifier
	}
	if err := checkPredict(m.Kind(), m.fitted, len(m.features), X, out, len(m.classes)); err != nil {
		return err
	}
	K := len(m.classes)
	return m.neighbours(X, func(i int, dist []float64, idx []int) {
		wv := make([]float64, len(dist))
		m.voteWeights(dist, wv)
		row := out[i*K : (i+1)*K]
		clear(row)
		var s float64
		for t, r := range idx {
			row[int(m.Y[r])] += wv[t]
			s += wv[t]
		}
		for c := range row {
			row[c] /= s
		}
	})
}

// Predict writes the most probable class (the first on ties) or the
// (weighted) mean target of the neighbours.
func (m *KNN) Predict(X *Matrix, out []float64) error {
	if err := checkPredict(m.Kind(), m.fitted, len(m.features), X, out, 1); err != nil {
		return err
	}
	if m.task.Classifier() {
		K := len(m.classes)
		pr := make([]float64, X.Rows*K)
		if err := m.PredictProba(X, pr); err != nil {
			return err
		}
		argmaxRows(pr, K, out)
		return nil
	}
	return m.neighbours(X, func(i int, dist []float64, idx []int) {
		wv := make([]float64, len(dist))
		m.voteWeights(dist, wv)
		var s, sw float64
		for t, r := range idx {
			s += wv[t] * m.Y[r]
			sw += wv[t]
		}
		out[i] = s / sw
	})
}

func (m *KNN) validate() error {
	p := len(m.features)
	if m.task == Clustering {
		return errors.New("knn model with task clustering")
	}
	if m.N < m.p.nNeighbors || len(m.X) != m.N*p || len(m.Y) != m.N {
		return fmt.Errorf("%d rows, %d values and %d targets for %d features and n_neighbors %d", m.N, len(m.X), len(m.Y), p, m.p.nNeighbors)
	}
	if m.task.Classifier() {
		for _, v := range m.Y {
			if k := int(v); float64(k) != v || k < 0 || k >= len(m.classes) {
				return fmt.Errorf("target %v is not a class index", v)
			}
		}
	}
	return nil
}
