package models

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// kmeansParams are the parameters of kmeans.
type kmeansParams struct {
	nClusters int
	nInit     int
	maxIter   int
	tol       float64
	seed      uint64
}

func defaultKMeans(seed uint64) kmeansParams {
	return kmeansParams{nClusters: 8, nInit: 10, maxIter: 300, tol: 1e-4, seed: seed}
}

func (p *kmeansParams) table() paramTable {
	return paramTable{
		intParam("n_clusters", "number of clusters k", &p.nClusters, 1, 1<<20, "", 0),
		intParam("n_init", "runs from different k-means++ seeds; the lowest inertia wins", &p.nInit, 1, 1<<20, "", 0),
		intParam("max_iter", "most Lloyd iterations per run", &p.maxIter, 1, 1<<30, "", 0),
		floatParam("tol", "stop when the centres move less than tol × the mean feature variance (squared, summed)", &p.tol, 0, math.MaxFloat64, false),
		seedParam(&p.seed),
	}
}

// KMeans is the "kmeans" model: k-means clustering as scikit-learn's KMeans
// (1.2, algorithm "lloyd", init "k-means++"). Each of n_init runs starts from
// greedy k-means++ centres (Arthur & Vassilvitskii 2007; at each step
// 2 + ⌊ln k⌋ candidates drawn with probability ∝ D(x)² and the one that most
// lowers the potential kept, as scikit-learn's _kmeans_plusplus) and runs
// Lloyd iterations: assign every row to its nearest centre (the lowest index
// on ties), move each centre to the (weighted) mean of its rows, give an
// empty cluster the row farthest from its centre. A run stops when no label
// changes or when Σ||c_new − c_old||² ≤ tol · mean_j Var(x_j); the run with
// the lowest inertia Σ w_i ||x_i − c(x_i)||² is kept. Assignment and centre
// sums run over row blocks on all cores, combined in block order, so the
// result depends only on the data and random_state (whose generator is Go's
// PCG, not numpy's: clusterings match scikit-learn's when the data has a
// clear structure, not seed for seed).
//
// Predict writes the index of the nearest centre. Missing or infinite
// feature values are an error naming the column.
type KMeans struct {
	info
	p kmeansParams
	// Centers holds the k centres, k × features row-major.
	Centers []float64 `json:"centers"`
	// Inertia is the sum of squared distances of the training rows to their centres.
	Inertia float64 `json:"inertia"`
	// NIter is the number of Lloyd iterations of the kept run.
	NIter int `json:"n_iter"`
}

func newKMeans(seed uint64) *KMeans { return &KMeans{p: defaultKMeans(seed)} }

// Kind returns "kmeans".
func (m *KMeans) Kind() string { return "kmeans" }

// Params lists max_iter, n_clusters, n_init, random_state and tol.
func (m *KMeans) Params() []Param {
	d := defaultKMeans(0)
	return m.p.table().list(d.table())
}

// Set sets one parameter.
func (m *KMeans) Set(name, value string) error {
	if m.fitted {
		return ErrFitted
	}
	return m.p.table().set(m.Kind(), name, value)
}

// kmData is X row-major with weights.
type kmData struct {
	n, p int
	x    []float64 // n × p
	w    []float64 // nil = 1
}

func (d *kmData) row(i int) []float64 { return d.x[i*d.p : (i+1)*d.p : (i+1)*d.p] }

func (d *kmData) weight(i int) float64 {
	if d.w == nil {
		return 1
	}
	return d.w[i]
}

func sqDist(a, b []float64) float64 {
	b = b[:len(a)]
	var s float64
	for j, v := range a {
		t := v - b[j]
		s += t * t
	}
	return s
}

// Fit clusters the rows of X (y is ignored; the task must be Clustering).
// Recorder is told, after every Lloyd iteration of every run (numbered
// across runs), the inertia of that iteration's assignment divided by the
// weight sum (the mean squared distance to the nearest centre).
func (m *KMeans) Fit(ctx context.Context, X *Matrix, y, w []float64, opt FitOptions) error {
	if m.fitted {
		return ErrFitted
	}
	if opt.Task != Clustering {
		return fmt.Errorf("models: kmeans fits a clustering task, not %s", opt.Task)
	}
	if _, err := checkFit(m.Kind(), X, nil, w, opt); err != nil {
		return err
	}
	if err := checkFinite(m.Kind(), X); err != nil {
		return err
	}
	k := m.p.nClusters
	if k > X.Rows {
		return fmt.Errorf("models: kmeans: n_clusters %d is more than the %d rows", k, X.Rows)
	}
	n, p := X.Rows, X.Cols
	d := &kmData{n: n, p: p, x: make([]float64, n*p), w: w}
	// Centre the data (scikit-learn does, for accuracy); centres are shifted back.
	mean := make([]float64, p)
	var tol float64
	for j := 0; j < p; j++ {
		c := X.Col(j)
		var s float64
		for _, v := range c {
			s += v
		}
		mean[j] = s / float64(n)
		var ss float64
		for i, v := range c {
			t := v - mean[j]
			d.x[i*p+j] = t
			ss += t * t
		}
		tol += ss / float64(n)
	}
	tol = tol / float64(p) * m.p.tol
	var sw float64
	for i := 0; i < n; i++ {
		sw += d.weight(i)
	}
	rng := rand.New(rand.NewPCG(m.p.seed, 0x6b6d65616e73))
	var (
		bestC              []float64
		bestLabels         []int32
		bestInertia        = math.Inf(1)
		bestIter, recorded int
	)
	for run := 0; run < m.p.nInit; run++ {
		centers, err := kmeansPlusPlus(ctx, d, k, rng)
		if err != nil {
			return err
		}
		labels, inertia, iters, err := lloyd(ctx, d, centers, m.p.maxIter, tol, func(inertia float64) {
			if opt.Recorder != nil {
				opt.Recorder.Iteration(recorded, inertia/sw, math.NaN())
			}
			recorded++
		})
		if err != nil {
			return err
		}
		if bestC == nil || (inertia < bestInertia && !sameClustering(labels, bestLabels, k)) {
			bestC, bestLabels, bestInertia, bestIter = centers, labels, inertia, iters
		}
	}
	for c := 0; c < k; c++ {
		for j := 0; j < p; j++ {
			bestC[c*p+j] += mean[j]
		}
	}
	m.Centers, m.Inertia, m.NIter = bestC, bestInertia, bestIter
	if !allFinite(m.Centers) || math.IsInf(m.Inertia, 0) || math.IsNaN(m.Inertia) {
		return errors.New("models: kmeans: the fit overflowed; scale the features")
	}
	m.setInfo(Clustering, nil, featureNames(X))
	return nil
}

// sameClustering reports whether two labelings are the same partition up to
// renaming (scikit-learn's _is_same_clustering).
func sameClustering(a, b []int32, k int) bool {
	mapping := make([]int32, k)
	for i := range mapping {
		mapping[i] = -1
	}
	for i := range a {
		switch mapping[a[i]] {
		case -1:
			mapping[a[i]] = b[i]
		case b[i]:
		default:
			return false
		}
	}
	return true
}

// kmeansPlusPlus returns k initial centres (k × p) by greedy k-means++
// (scikit-learn's _kmeans_plusplus with n_local_trials = 2 + ⌊ln k⌋).
func kmeansPlusPlus(ctx context.Context, d *kmData, k int, rng *rand.Rand) ([]float64, error) {
	n, p := d.n, d.p
	centers := make([]float64, k*p)
	trials := 2 + int(math.Log(float64(k)))
	first := rng.IntN(n)
	copy(centers[:p], d.row(first))
	closest := make([]float64, n)
	var pot float64
	for i := 0; i < n; i++ {
		closest[i] = sqDist(d.row(i), centers[:p])
		pot += closest[i]
	}
	cum := make([]float64, n)
	candD := make([][]float64, trials)
	for t := range candD {
		candD[t] = make([]float64, n)
	}
	candIdx := make([]int, trials)
	for c := 1; c < k; c++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var s float64
		for i, v := range closest {
			s += v
			cum[i] = s
		}
		for t := range candIdx {
			r := rng.Float64() * pot
			j := sort.SearchFloat64s(cum, r) // first index with cum ≥ r, as np.searchsorted
			candIdx[t] = min(j, n-1)
		}
		pots := make([]float64, trials)
		err := linParallel(ctx, n, linBlock, 0, func(_, lo, hi int) {
			for t, ci := range candIdx {
				cr := d.row(ci)
				dt := candD[t]
				for i := lo; i < hi; i++ {
					dt[i] = math.Min(closest[i], sqDist(d.row(i), cr))
				}
			}
		})
		if err != nil {
			return nil, err
		}
		best := 0
		for t := range candIdx {
			for _, v := range candD[t] {
				pots[t] += v
			}
			if pots[t] < pots[best] {
				best = t
			}
		}
		copy(centers[c*p:(c+1)*p], d.row(candIdx[best]))
		copy(closest, candD[best])
		pot = pots[best]
	}
	return centers, nil
}

// lloyd runs Lloyd iterations from centers (updated in place) and returns
// the labels, the inertia and the number of iterations (scikit-learn's
// _kmeans_single_lloyd). report is called with each iteration's inertia.
func lloyd(ctx context.Context, d *kmData, centers []float64, maxIter int, tol float64, report func(float64)) ([]int32, float64, int, error) {
	n, p := d.n, d.p
	k := len(centers) / p
	labels := make([]int32, n)
	old := make([]int32, n)
	for i := range old {
		old[i] = -1
	}
	nb := linNumBlocks(n)
	sums := make([][]float64, nb)
	wts := make([][]float64, nb)
	inert := make([]float64, nb)
	for b := range sums {
		sums[b] = make([]float64, k*p)
		wts[b] = make([]float64, k)
	}
	dist := make([]float64, n) // squared distance of each row to its centre
	newC := make([]float64, k*p)
	weight := make([]float64, k)
	// assign labels every row with its nearest centre and, when acc, sums
	// the rows per cluster.
	xnorm := make([]float64, n)
	for i := range xnorm {
		xnorm[i] = linDot(d.row(i), d.row(i))
	}
	cnorm := make([]float64, k)
	assign := func(acc bool) error {
		for c := range cnorm {
			cnorm[c] = linDot(centers[c*p:(c+1)*p], centers[c*p:(c+1)*p])
		}
		return linParallel(ctx, n, linBlock, 0, func(b, lo, hi int) {
			s, wt := sums[b], wts[b]
			if acc {
				clear(s)
				clear(wt)
			}
			var in float64
			for i := lo; i < hi; i++ {
				x := d.row(i)
				best, bd := nearestCenter(x, xnorm[i], centers, cnorm, k)
				labels[i] = int32(best)
				dist[i] = bd
				wi := d.weight(i)
				in += wi * bd
				if acc {
					linAxpy(wi, x, s[best*p:(best+1)*p])
					wt[best] += wi
				}
			}
			inert[b] = in
		})
	}
	strict := false
	iter := 0
	for iter = 0; iter < maxIter; iter++ {
		if err := assign(true); err != nil {
			return nil, 0, 0, err
		}
		var in float64
		clear(newC)
		clear(weight)
		for b := 0; b < nb; b++ {
			in += inert[b]
			for i, v := range sums[b] {
				newC[i] += v
			}
			for c, v := range wts[b] {
				weight[c] += v
			}
		}
		report(in)
		relocateEmpty(d, labels, dist, newC, weight, k)
		var shift float64
		for c := 0; c < k; c++ {
			row := newC[c*p : (c+1)*p]
			if weight[c] > 0 {
				for j := range row {
					row[j] /= weight[c]
				}
			} else {
				copy(row, centers[c*p:(c+1)*p])
			}
			shift += sqDist(row, centers[c*p:(c+1)*p])
		}
		copy(centers, newC)
		if equalLabels(labels, old) {
			strict = true
			iter++
			break
		}
		if shift <= tol {
			iter++
			break
		}
		copy(old, labels)
	}
	if !strict {
		// Labels must match the final centres.
		if err := assign(false); err != nil {
			return nil, 0, 0, err
		}
	}
	var in float64
	for i := 0; i < n; i++ {
		c := int(labels[i])
		in += d.weight(i) * sqDist(d.row(i), centers[c*p:(c+1)*p])
	}
	return labels, in, min(iter, maxIter), nil
}

// nearestCenter returns the index of the centre (rows of centers, k of
// them, with squared norms cn) nearest to x (squared norm xn), the lowest
// index on ties, and its squared distance. As scikit-learn it ranks centres
// by ||c||² − 2xᵀc (two operations per value instead of three), four centres
// per pass over x.
func nearestCenter(x []float64, xn float64, centers, cn []float64, k int) (int, float64) {
	p := len(x)
	best, bd := 0, math.Inf(1)
	c := 0
	for ; c+4 <= k; c += 4 {
		c0 := centers[c*p : (c+1)*p : (c+1)*p]
		c1 := centers[(c+1)*p : (c+2)*p : (c+2)*p]
		c2 := centers[(c+2)*p : (c+3)*p : (c+3)*p]
		c3 := centers[(c+3)*p : (c+4)*p : (c+4)*p]
		var s0, s1, s2, s3 float64
		for j, v := range x {
			s0 += v * c0[j]
			s1 += v * c1[j]
			s2 += v * c2[j]
			s3 += v * c3[j]
		}
		if v := cn[c] - 2*s0; v < bd {
			best, bd = c, v
		}
		if v := cn[c+1] - 2*s1; v < bd {
			best, bd = c+1, v
		}
		if v := cn[c+2] - 2*s2; v < bd {
			best, bd = c+2, v
		}
		if v := cn[c+3] - 2*s3; v < bd {
			best, bd = c+3, v
		}
	}
	for ; c < k; c++ {
		if v := cn[c] - 2*linDot(x, centers[c*p:(c+1)*p]); v < bd {
			best, bd = c, v
		}
	}
	return best, math.Max(bd+xn, 0)
}

func equalLabels(a, b []int32) bool {
	for i, v := range a {
		if v != b[i] {
			return false
		}
	}
	return true
}

// relocateEmpty gives every empty cluster the row farthest from its centre,
// the farthest first (scikit-learn's _relocate_empty_clusters_dense), moving
// that row's weight out of its old cluster's sums.
func relocateEmpty(d *kmData, labels []int32, dist, sums, weight []float64, k int) {
	var empty []int
	for c := 0; c < k; c++ {
		if weight[c] == 0 {
			empty = append(empty, c)
		}
	}
	if len(empty) == 0 {
		return
	}
	p := d.p
	idx := make([]int, d.n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return dist[idx[a]] > dist[idx[b]] })
	for t, c := range empty {
		if t >= len(idx) {
			break
		}
		far := idx[t]
		wi := d.weight(far)
		oldC := int(labels[far])
		linAxpy(-wi, d.row(far), sums[oldC*p:(oldC+1)*p])
		row := sums[c*p : (c+1)*p]
		for j, v := range d.row(far) {
			row[j] = wi * v
		}
		weight[c] = wi
		weight[oldC] -= wi
	}
}

// Predict writes the index of the nearest centre of every row.
func (m *KMeans) Predict(X *Matrix, out []float64) error {
	if err := checkPredict(m.Kind(), m.fitted, len(m.features), X, out, 1); err != nil {
		return err
	}
	if err := checkFinite(m.Kind(), X); err != nil {
		return err
	}
	p := len(m.features)
	k := len(m.Centers) / p
	x := make([]float64, p)
	for i := range out {
		for j := range x {
			x[j] = X.At(i, j)
		}
		best, bd := 0, math.Inf(1)
		for c := 0; c < k; c++ {
			if v := sqDist(x, m.Centers[c*p:(c+1)*p]); v < bd {
				best, bd = c, v
			}
		}
		out[i] = float64(best)
	}
	return nil
}

// PredictProba returns ErrNotClassifier.
func (m *KMeans) PredictProba(X *Matrix, out []float64) error { return ErrNotClassifier }

func (m *KMeans) validate() error {
	p := len(m.features)
	if m.task != Clustering {
		return fmt.Errorf("kmeans model with task %s", m.task)
	}
	if len(m.Centers) == 0 || len(m.Centers)%p != 0 {
		return fmt.Errorf("%d centre values for %d features", len(m.Centers), p)
	}
	return nil
}

// SilhouetteMaxRows is the most rows Silhouette scores exactly; above it, it
// scores a uniform sample of this many rows (without replacement, drawn with
// the seed), as scikit-learn's silhouette_score(sample_size=...).
const SilhouetteMaxRows = 20000

// Silhouette returns the mean silhouette coefficient of the clustering
// labels (cluster indices, as Predict writes them) of the rows of X, with
// euclidean distances (Rousseeuw 1987; scikit-learn's silhouette_score):
//
//	s(i) = (b(i) − a(i)) / max(a(i), b(i))
//
// with a(i) the mean distance from i to the other rows of its cluster and
// b(i) the smallest mean distance from i to the rows of another cluster;
// s(i) = 0 when i's cluster has one row. It is exact (O(n²) distances, over
// row blocks on all cores) for up to SilhouetteMaxRows rows and estimated on
// a sample of SilhouetteMaxRows rows drawn with seed above that. The labels
// must name between 2 and n − 1 clusters.
func Silhouette(ctx context.Context, X *Matrix, labels []float64, seed uint64) (float64, error) {
	if X == nil || X.Rows == 0 {
		return 0, errors.New("models: silhouette: no rows")
	}
	if len(labels) != X.Rows {
		return 0, fmt.Errorf("models: silhouette: %d labels for %d rows", len(labels), X.Rows)
	}
	if err := checkFinite("silhouette", X); err != nil {
		return 0, err
	}
	rows := make([]int, X.Rows)
	for i := range rows {
		rows[i] = i
	}
	if X.Rows > SilhouetteMaxRows {
		rng := rand.New(rand.NewPCG(seed, 0x73696c68))
		rng.Shuffle(len(rows), func(a, b int) { rows[a], rows[b] = rows[b], rows[a] })
		rows = rows[:SilhouetteMaxRows]
	}
	n, p := len(rows), X.Cols
	// Relabel clusters 0..C−1 in order of first appearance.
	ids := map[float64]int{}
	lab := make([]int, n)
	for t, i := range rows {
		v := labels[i]
		if v != math.Trunc(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("models: silhouette: label of row %d is %v; want a cluster index", i+1, v)
		}
		c, ok := ids[v]
		if !ok {
			c = len(ids)
			ids[v] = c
		}
		lab[t] = c
	}
	C := len(ids)
	if C < 2 || C > n-1 {
		return 0, fmt.Errorf("models: silhouette: %d clusters among %d rows; want 2 to %d", C, n, n-1)
	}
	size := make([]float64, C)
	for _, c := range lab {
		size[c]++
	}
	x := make([]float64, n*p)
	for t, i := range rows {
		for j := 0; j < p; j++ {
			x[t*p+j] = X.At(i, j)
		}
	}
	s := make([]float64, n)
	err := linParallel(ctx, n, 256, 0, func(_, lo, hi int) {
		sum := make([]float64, C)
		for i := lo; i < hi; i++ {
			clear(sum)
			xi := x[i*p : (i+1)*p]
			for r := 0; r < n; r++ {
				sum[lab[r]] += math.Sqrt(sqDist(xi, x[r*p:(r+1)*p]))
			}
			own := lab[i]
			if size[own] <= 1 {
				s[i] = 0
				continue
			}
			a := sum[own] / (size[own] - 1)
			b := math.Inf(1)
			for c := 0; c < C; c++ {
				if c != own {
					b = math.Min(b, sum[c]/size[c])
				}
			}
			if den := math.Max(a, b); den > 0 {
				s[i] = (b - a) / den
			}
		}
	})
	if err != nil {
		return 0, err
	}
	var tot float64
	for _, v := range s {
		tot += v
	}
	return tot / float64(n), nil
}
