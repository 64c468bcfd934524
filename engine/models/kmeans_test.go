package models

import (
	"bytes"
	"context"
	"errors"
	"math"
	"sort"
	"strings"
	"testing"
)

// kmBlobs is the data of the snippet
//
//	m = 60; t = np.arange(m)
//	cent = np.array([[0, 0], [10, 10], [-10, 10]])
//	B = cent[t % 3] + np.c_[0.5 * np.sin(t), 0.5 * np.cos(1.7 * t)]
func kmBlobs() *Matrix {
	cent := [][2]float64{{0, 0}, {10, 10}, {-10, 10}}
	B := NewMatrix(60, 2)
	for i := 0; i < 60; i++ {
		c := cent[i%3]
		B.Set(i, 0, c[0]+0.5*math.Sin(float64(i)))
		B.Set(i, 1, c[1]+0.5*math.Cos(1.7*float64(i)))
	}
	return B
}

// TestKMeansVsSklearn compares with scikit-learn 1.2 (/usr/bin/python3):
//
//	km = KMeans(n_clusters=3, n_init=10, random_state=0).fit(B)
//	km.cluster_centers_ (sorted by x, then y); km.inertia_
//
// The random generators differ, so only a clustering that every good start
// finds is comparable; then centres and inertia agree to rounding (1e-9).
func TestKMeansVsSklearn(t *testing.T) {
	B := kmBlobs()
	m, err := New("kmeans", map[string]string{"n_clusters": "3"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var iters int
	rec := RecorderFunc(func(i int, tr, va float64) {
		if i != iters || math.IsNaN(tr) || !math.IsNaN(va) {
			t.Errorf("recorder call %d: %d %v %v", iters, i, tr, va)
		}
		iters++
	})
	if err := m.Fit(context.Background(), B, nil, nil, FitOptions{Task: Clustering, Recorder: rec}); err != nil {
		t.Fatal(err)
	}
	km := m.(*KMeans)
	c := km.Centers
	order := []int{0, 1, 2}
	sort.Slice(order, func(a, b int) bool {
		ia, ib := order[a], order[b]
		if c[2*ia] != c[2*ib] {
			return c[2*ia] < c[2*ib]
		}
		return c[2*ia+1] < c[2*ib+1]
	})
	var got []float64
	for _, k := range order {
		got = append(got, c[2*k], c[2*k+1])
	}
	closeTo(t, "centers", got, []float64{-9.980359931502486, 9.999587756003859, 0.005540821045285449, -0.007278508867728739, 10.0233025930755, 10.02984509701373}, 1e-9)
	closeTo(t, "inertia", []float64{km.Inertia}, []float64{15.049088251821562}, 1e-9)
	if iters < 10 {
		t.Errorf("%d recorder calls for 10 runs", iters)
	}
	labels := make([]float64, B.Rows)
	if err := m.Predict(B, labels); err != nil {
		t.Fatal(err)
	}
	for i := 3; i < B.Rows; i++ {
		if labels[i] != labels[i%3] {
			t.Fatalf("row %d in cluster %v, row %d in %v", i, labels[i], i%3, labels[i%3])
		}
	}
	s, err := Silhouette(context.Background(), B, labels, 0)
	if err != nil {
		t.Fatal(err)
	}
	// silhouette_score(B, t % 3) = 0.9525514920888196
	closeTo(t, "silhouette blobs", []float64{s}, []float64{0.9525514920888196}, 1e-12)
}

// TestSilhouetteVsSklearn compares with scikit-learn's silhouette_score on
// linTestData (its euclidean_distances has rounding of order 1e-15 here):
//
//	silhouette_score(X, y3)                                 # 0.1745502809877842
//	lab = np.arange(n) % 4; lab[0] = 7; silhouette_score(X, lab)  # -0.23730345677714074 (a singleton cluster)
func TestSilhouetteVsSklearn(t *testing.T) {
	X, y := linTestData()
	_, y3 := logTargets(y)
	s, err := Silhouette(context.Background(), X, y3, 0)
	if err != nil {
		t.Fatal(err)
	}
	closeTo(t, "silhouette y3", []float64{s}, []float64{0.1745502809877842}, 1e-12)
	lab := make([]float64, X.Rows)
	for i := range lab {
		lab[i] = float64(i % 4)
	}
	lab[0] = 7
	s, err = Silhouette(context.Background(), X, lab, 0)
	if err != nil {
		t.Fatal(err)
	}
	closeTo(t, "silhouette singleton", []float64{s}, []float64{-0.23730345677714074}, 1e-12)
	if _, err := Silhouette(context.Background(), X, make([]float64, X.Rows), 0); err == nil || !strings.Contains(err.Error(), "1 clusters") {
		t.Errorf("one cluster: %v", err)
	}
	// Above SilhouetteMaxRows a seeded sample is scored: the same seed gives
	// the same value, and on tiled blobs it is near the exact one.
	idx := make([]int, SilhouetteMaxRows+3000)
	for i := range idx {
		idx[i] = i % 60
	}
	big := kmBlobs().TakeRows(idx)
	bl := make([]float64, big.Rows)
	for i := range bl {
		bl[i] = float64(idx[i] % 3)
	}
	if testing.Short() {
		t.Skip("sampled silhouette is O(20000²)")
	}
	a, err := Silhouette(context.Background(), big, bl, 5)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Silhouette(context.Background(), big, bl, 5)
	if a != b || math.Abs(a-0.95) > 0.01 {
		t.Errorf("sampled silhouette %v, %v", a, b)
	}
}

func TestKMeansDeterminismAndErrors(t *testing.T) {
	X, _ := linTestData()
	var first []byte
	for rep := 0; rep < 2; rep++ {
		m, _ := New("kmeans", map[string]string{"n_clusters": "4", "n_init": "3"}, 42)
		if err := m.Fit(context.Background(), X, nil, nil, FitOptions{Task: Clustering}); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := Save(&buf, m); err != nil {
			t.Fatal(err)
		}
		if rep == 0 {
			first = buf.Bytes()
			back, err := Load(bytes.NewReader(first))
			if err != nil {
				t.Fatal(err)
			}
			a, b := make([]float64, X.Rows), make([]float64, X.Rows)
			_ = m.Predict(X, a)
			_ = back.Predict(X, b)
			closeTo(t, "reloaded labels", b, a, 0)
		} else if !bytes.Equal(first, buf.Bytes()) {
			t.Error("same seed, different model files")
		}
	}
	m, _ := New("kmeans", map[string]string{"n_clusters": "41"}, 0)
	if err := m.Fit(context.Background(), X, nil, nil, FitOptions{Task: Clustering}); err == nil {
		t.Error("41 clusters of 40 rows")
	}
	m, _ = New("kmeans", nil, 0)
	if err := m.Fit(context.Background(), X, nil, nil, FitOptions{}); err == nil {
		t.Error("kmeans fitted a regression task")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	m, _ = New("kmeans", nil, 0)
	if err := m.Fit(ctx, X, nil, nil, FitOptions{Task: Clustering}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	// Integer weights equal repeated rows.
	B := kmBlobs()
	w := make([]float64, B.Rows)
	var idx []int
	for i := range w {
		w[i] = float64(1 + i%2)
		for k := 0; k <= i%2; k++ {
			idx = append(idx, i)
		}
	}
	a, _ := New("kmeans", map[string]string{"n_clusters": "3"}, 0)
	if err := a.Fit(context.Background(), B, nil, w, FitOptions{Task: Clustering}); err != nil {
		t.Fatal(err)
	}
	b, _ := New("kmeans", map[string]string{"n_clusters": "3"}, 0)
	if err := b.Fit(context.Background(), B.TakeRows(idx), nil, nil, FitOptions{Task: Clustering}); err != nil {
		t.Fatal(err)
	}
	closeTo(t, "weighted inertia", []float64{a.(*KMeans).Inertia}, []float64{b.(*KMeans).Inertia}, 1e-9)
}
