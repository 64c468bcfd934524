package drift

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/metrics"
	"github.com/mlwb/mlwb/engine/models"
)

// tierFrame: x numeric, plan categorical with levels in the given order,
// tier (3 classes) decided by x.
func tierFrame(n int, levels []string) *frame.Frame {
	x := make([]float64, n)
	plan := make([]int32, n)
	tier := make([]int32, n)
	for i := range x {
		x[i] = float64((i * 37) % 90)
		plan[i] = int32(i % len(levels))
		tier[i] = int32(int(x[i]) / 30)
	}
	f, _ := frame.New(frame.NewFloat64("x", x, frame.Mask{}), frame.NewCategorical("plan", plan, levels),
		frame.NewCategorical("tier", tier, []string{"a", "b", "c"}))
	return f
}

func TestScorerMulticlass(t *testing.T) {
	ctx := context.Background()
	tr := tierFrame(300, []string{"basic", "plus", "pro"})
	col, _ := tr.Column("tier")
	task, classes, err := models.DetectTask(col)
	if err != nil || task != models.Multiclass {
		t.Fatal(task, err)
	}
	y, _ := models.EncodeTarget(col, task, classes)
	X, _ := models.FromFrame(tr, []string{"x", "plan"})
	m, err := models.New("tree", nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Fit(ctx, X, y, nil, models.FitOptions{Task: task, Classes: classes}); err != nil {
		t.Fatal(err)
	}
	s, err := NewScorer(ctx, m, tr, "tier")
	if err != nil {
		t.Fatal(err)
	}
	// The same rows with plan's levels in another order (and one unseen)
	// give the training matrix: codes follow the training levels by label.
	cur := tierFrame(300, []string{"pro", "basic", "plus"})
	got, err := s.Matrix(cur)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 300; i++ {
		want := map[int]float64{0: 2, 1: 0, 2: 1}[i%3]
		if got.At(i, 1) != want || got.At(i, 0) != X.At(i, 0) {
			t.Fatalf("row %d: %v %v, want %v %v", i, got.At(i, 0), got.At(i, 1), X.At(i, 0), want)
		}
	}
	g, sc, err := s.WithPrediction(ctx, tr)
	if err != nil {
		t.Fatal(err)
	}
	pc, _ := g.Column(PredictionColumn)
	if pc.Type() != frame.Categorical || pc.Format(0) != classes[int(sc.Pred[0])] {
		t.Fatalf("prediction column %v %q", pc.Type(), pc.Format(0))
	}
	met, err := s.Metrics(ctx, tr, sc)
	if err != nil {
		t.Fatal(err)
	}
	// A tree on x alone separates the tiers: accuracy 1 on training rows.
	if met.N != 300 || met.Values["accuracy"] != 1 || met.Values["roc_auc"] != 1 {
		t.Fatalf("metrics %+v", met)
	}
	in := metrics.Input{Task: metrics.MulticlassTask, Classes: classes, True: make([]int32, 300), Proba: metrics.Proba{P: sc.Proba, K: 3}}
	for i := range in.True {
		in.True[i] = int32(y[i])
	}
	rep, _ := metrics.Evaluate(ctx, in, metrics.Options{})
	if math.Abs(rep.Values["roc_auc_ovr"]-met.Values["roc_auc"]) > 1e-12 {
		t.Errorf("roc_auc %v, metrics %v", met.Values["roc_auc"], rep.Values["roc_auc_ovr"])
	}

	// A missing feature is an error naming it; a label outside the classes
	// is left out of the metrics.
	onlyX, _ := cur.Select("x")
	if _, err := s.Predict(ctx, onlyX); !errors.Is(err, ErrModel) || !strings.Contains(err.Error(), `"plan"`) {
		t.Errorf("missing feature: %v", err)
	}
	odd, _ := cur.With(frame.NewCategorical("tier", make([]int32, 300), []string{"zzz"}))
	if met, err := s.Metrics(ctx, odd, sc); err != nil || met.N != 0 || met.Unlabelled != 300 || !math.IsNaN(met.Values["accuracy"]) {
		t.Errorf("unknown labels: %+v %v", met, err)
	}
}

func TestMetricCrossing(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		prev, cur float64
		higher    bool
		kind      string
	}{
		{nan, 0.7, true, AlertMetric},
		{nan, 0.9, true, ""},
		{0.9, 0.7, true, AlertMetric},
		{0.7, 0.75, true, ""},
		{0.7, 0.85, true, AlertMetricRecovered},
		{0.9, nan, true, ""},
		{1.0, 2.0, false, AlertMetric}, // rmse above 1.5
		{2.0, 1.0, false, AlertMetricRecovered},
	} {
		thr := 0.8
		if !c.higher {
			thr = 1.5
		}
		got := MetricCrossing("w", "run1", "m", c.prev, c.cur, thr, c.higher, time.Time{})
		kind := ""
		if len(got) == 1 {
			kind = got[0].Kind
			if got[0].Column != "model:m" || got[0].Model != "run1" || got[0].Score != c.cur {
				t.Errorf("%+v", got[0])
			}
		}
		if kind != c.kind || len(got) > 1 {
			t.Errorf("prev %v cur %v: %v, want %q", c.prev, c.cur, got, c.kind)
		}
	}
}

// TestScorerWith: a scorer with its own matrix builder uses it, and names
// its column clear of the training columns.
func TestScorerWith(t *testing.T) {
	ctx := context.Background()
	x := []float64{1, 2, 3, 4, 5, 6}
	f, _ := frame.New(frame.NewFloat64("x", x, frame.Mask{}), frame.NewFloat64("prediction", x, frame.Mask{}))
	X, _ := models.FromFrame(f, []string{"x"})
	m, _ := models.New("linear", nil, 1)
	y := []float64{3, 5, 7, 9, 11, 13} // 2x + 1
	if err := m.Fit(ctx, X, y, nil, models.FitOptions{Task: models.Regression}); err != nil {
		t.Fatal(err)
	}
	calls := 0
	s, err := NewScorerWith(m, f.Names(), "", func(ctx context.Context, g *frame.Frame) (*models.Matrix, error) {
		calls++
		return models.FromFrame(g, []string{"x"})
	})
	if err != nil {
		t.Fatal(err)
	}
	g, sc, err := s.WithPrediction(ctx, f)
	if err != nil || calls != 1 || s.Column() != "prediction_score" {
		t.Fatalf("err %v calls %d column %q", err, calls, s.Column())
	}
	pc, _ := g.Column("prediction_score")
	for i, want := range y {
		v, _ := frame.FloatAt(pc, i)
		if math.Abs(v-want) > 1e-9 || math.Abs(sc.Pred[i]-want) > 1e-9 {
			t.Errorf("row %d: %v, want %v", i, v, want)
		}
	}
	if _, err := s.Metrics(ctx, f, sc); !errors.Is(err, ErrModel) {
		t.Errorf("metrics without a target: %v", err)
	}
}

// TestMetricAlertKeys: metric alerts of two models on one window are
// distinct; drift alerts keep their key.
func TestMetricAlertKeys(t *testing.T) {
	a := MetricCrossing("w", "r1", "roc_auc", math.NaN(), 0.5, 0.8, true, time.Time{})
	b := MetricCrossing("w", "r2", "roc_auc", math.NaN(), 0.5, 0.8, true, time.Time{})
	if len(a) != 1 || len(b) != 1 || a[0].Key() == b[0].Key() {
		t.Fatalf("%v %v", a, b)
	}
	if k := (Alert{Window: "w", Column: "c", Kind: AlertDrift}).Key(); k != "w\x00c\x00drift" {
		t.Errorf("drift key %q", k)
	}
}
