package models

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"testing"

	"github.com/mlwb/mlwb/engine/dataio"
)

// irisPath is the shared real data file (see ../shared/data/SOURCES.md).
const irisPath = "../../../shared/data/iris.csv"

// TestNonTreeOnIris compares nb, logreg, knn and Silhouette with
// scikit-learn 1.2 on the iris table (/usr/bin/python3):
//
//	X = df.drop(columns="species").to_numpy(float); y = pd.Categorical(df.species).codes
//	rows = [0, 60, 120, 70, 133]
//	GaussianNB().fit(X, y).predict_proba(X[rows])                          # to 1e-9
//	LogisticRegression(max_iter=10000, tol=1e-10).fit(X, y).predict_proba(X[rows])  # to 5e-5 (ftol stop)
//	KNeighborsClassifier(n_neighbors=7, weights="distance").fit(X, y).predict_proba(X[rows])
//	silhouette_score(X, y)                                                 # to 1e-12
func TestNonTreeOnIris(t *testing.T) {
	if _, err := os.Stat(irisPath); err != nil {
		t.Skip("shared data not present:", err)
	}
	f, err := dataio.Load(context.Background(), irisPath, dataio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tcol, _ := f.Column("species")
	task, classes, err := DetectTask(tcol)
	if err != nil {
		t.Fatal(err)
	}
	y, err := EncodeTarget(tcol, task, classes)
	if err != nil {
		t.Fatal(err)
	}
	X, err := FromFrame(f, []string{"sepal_length", "sepal_width", "petal_length", "petal_width"})
	if err != nil {
		t.Fatal(err)
	}
	rows := X.TakeRows([]int{0, 60, 120, 70, 133})
	opt := FitOptions{Task: task, Classes: classes}
	cases := []struct {
		kind   string
		params map[string]string
		want   []float64
		tol    float64
	}{
		{"nb", nil, []float64{1.0, 1.3578426545097534e-18, 7.112835116303153e-26, 1.074993064785575e-41, 0.999999764931773, 2.3506822702927002e-07, 7.891629968232406e-222, 1.1711689678382956e-08, 0.9999999882883103, 2.591538028250168e-130, 0.15449408494388256, 0.8455059150561174, 2.6838258262863244e-131, 0.7126451442155288, 0.2873548557844708}, 1e-9},
		{"logreg", map[string]string{"max_iter": "10000", "tol": "1e-10"}, []float64{0.9815846522037225, 0.018415333299454474, 1.4496823031003109e-08, 0.055762082936927686, 0.9377680113085058, 0.006469905754566631, 5.605468955906497e-06, 0.023844462334995375, 0.9761499321960488, 0.002308523069909548, 0.44011008986545136, 0.5575813870646392, 0.0005288547584422119, 0.47556852697565694, 0.5239026182659009}, 5e-5}, // both fits stop on scipy's relative-decrease rule (ftol 2.2e-9) at path-dependent points; measured gap 3.2e-5
		{"knn", map[string]string{"n_neighbors": "7", "weights": "distance"}, []float64{1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0}, 1e-12},
	}
	for _, c := range cases {
		m, err := New(c.kind, c.params, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Fit(context.Background(), X, y, nil, opt); err != nil {
			t.Fatalf("%s: %v", c.kind, err)
		}
		got := make([]float64, len(c.want))
		if err := m.PredictProba(rows, got); err != nil {
			t.Fatal(err)
		}
		closeTo(t, c.kind+" iris", got, c.want, c.tol)
	}
	s, err := Silhouette(context.Background(), X, y, 0)
	if err != nil {
		t.Fatal(err)
	}
	closeTo(t, "iris silhouette", []float64{s}, []float64{0.5034774406932966}, 1e-12)
}

// TestLinearBlocksDeterministic fits on more rows than one parallel block:
// the model files must not depend on n_jobs or GOMAXPROCS.
func TestLinearBlocksDeterministic(t *testing.T) {
	const n, p = 3*linBlock + 17, 6
	rng := rand.New(rand.NewPCG(3, 4))
	X := NewMatrix(n, p)
	y := make([]float64, n)
	for i := 0; i < n; i++ {
		var z float64
		for j := 0; j < p; j++ {
			v := rng.NormFloat64()
			X.Set(i, j, v)
			z += v * float64(j-2)
		}
		y[i] = float64(int(math.Max(0, math.Min(2, z/3+1+rng.NormFloat64()))))
	}
	opt := FitOptions{Task: Multiclass, Classes: []string{"a", "b", "c"}}
	save := func(m Model) []byte {
		var buf bytes.Buffer
		if err := Save(&buf, m); err != nil {
			t.Fatal(err)
		}
		return bytes.ReplaceAll(buf.Bytes(), []byte(`"n_jobs":"3"`), []byte(`"n_jobs":"1"`))
	}
	for _, pen := range []string{"l2", "l1"} {
		var first []byte
		for _, jobs := range []string{"1", "3"} {
			m, _ := New("logreg", map[string]string{"penalty": pen, "n_jobs": jobs}, 0)
			if err := m.Fit(context.Background(), X, y, nil, opt); err != nil {
				t.Fatal(err)
			}
			if b := save(m); first == nil {
				first = b
			} else if !bytes.Equal(first, b) {
				t.Errorf("logreg %s: n_jobs changed the model", pen)
			}
		}
	}
	var first []byte
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for rep := 0; rep < 2; rep++ {
		runtime.GOMAXPROCS(1 + 2*rep) // 1 then 3 goroutines
		m, _ := New("kmeans", map[string]string{"n_clusters": "5", "n_init": "2"}, 9)
		if err := m.Fit(context.Background(), X, nil, nil, FitOptions{Task: Clustering}); err != nil {
			t.Fatal(err)
		}
		if b := save(m); first == nil {
			first = b
		} else if !bytes.Equal(first, b) {
			t.Error("kmeans: same seed, different model")
		}
	}
}
