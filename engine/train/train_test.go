package train

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/models"
	"github.com/mlwb/mlwb/engine/validate"
)

// regFrame is the data of the scikit-learn reference below: x1 = i mod 7,
// x2 = i² mod 11, y = 2·x1 − x2 + (37·i mod 5), i = 0..29.
func regFrame(t *testing.T) *frame.Frame {
	t.Helper()
	n := 30
	x1, x2, y := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		x1[i] = float64(i % 7)
		x2[i] = float64((i * i) % 11)
		y[i] = 2*x1[i] - x2[i] + float64((i*37)%5)
	}
	f, err := frame.New(frame.NewFloat64("x1", x1, frame.Mask{}), frame.NewFloat64("x2", x2, frame.Mask{}), frame.NewFloat64("y", y, frame.Mask{}))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestLinearKFoldMatchesSklearn checks the whole chain (split, fit, predict,
// metrics, mean ± std) against
//
//	i = np.arange(30); X = np.c_[i % 7, (i*i) % 11]; y = 2*X[:,0] - X[:,1] + (i*37) % 5
//	cross_validate(LinearRegression(), X, y, cv=KFold(5),
//	    scoring=['neg_root_mean_squared_error', 'neg_mean_absolute_error', 'r2'])
//
// (scikit-learn 1.2; means and numpy's std with ddof=0). OLS is solved
// exactly by both, so the tolerance is 1e-9.
func TestLinearKFoldMatchesSklearn(t *testing.T) {
	res, err := Run(context.Background(), Job{Frame: regFrame(t), Target: "y", Model: "linear"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Spec.Scheme != validate.KFold || res.Spec.K != 5 {
		t.Errorf("default regression scheme = %v", res.Spec)
	}
	want := map[string]struct {
		folds     []float64
		mean, std float64
	}{
		"rmse": {[]float64{1.6295317016494764, 1.340037228901236, 1.5756383988199403, 1.385678941824447, 1.4629590929698415}, 1.4787690728329883, 0.1097955272677253},
		"mae":  {[]float64{1.439171261250081, 1.0586274538723612, 1.3275999987439813, 1.2160572053979604, 1.2849662071652104}, 1.2652844252859188, 0.12620432478065086},
		"r2":   {[]float64{0.7344626433319361, 0.9490179874650734, 0.9437539904983694, 0.5810677534947521, 0.9232579929508834}, 0.826312073548203, 0.14617041479414875},
	}
	const tol = 1e-9
	for name, w := range want {
		s, ok := res.Metric(name)
		if !ok {
			t.Fatalf("no metric %s", name)
		}
		for i, v := range w.folds {
			if math.Abs(s.Folds[i]-v) > tol {
				t.Errorf("%s fold %d = %v, want %v", name, i, s.Folds[i], v)
			}
		}
		if math.Abs(s.Mean-w.mean) > tol || math.Abs(s.Std-w.std) > tol {
			t.Errorf("%s = %v ± %v, want %v ± %v", name, s.Mean, s.Std, w.mean, w.std)
		}
	}
	// Out-of-fold: every row once, fold by KFold's blocks of 6.
	if len(res.OOF.Row) != 30 {
		t.Fatalf("%d out-of-fold rows", len(res.OOF.Row))
	}
	for k, i := range res.OOF.Row {
		if res.OOF.Fold[k] != i/6 {
			t.Errorf("row %d in fold %d, want %d", i, res.OOF.Fold[k], i/6)
		}
	}
	if res.Final != nil {
		t.Error("final model fitted without Final")
	}
}

// clsFrame: n rows, class 1 when x > 0.6 (x = i/n shuffled by a
// multiplicative step, then 1 added to class 1's), plus a noise column and a categorical column.
func clsFrame(t *testing.T, n int) *frame.Frame {
	t.Helper()
	x, noise := make([]float64, n), make([]float64, n)
	cls := make([]int32, n)
	codes := make([]int32, n)
	for i := range n {
		j := (i * 37) % n
		x[i] = float64(j) / float64(n)
		noise[i] = float64((i*13)%17) / 17
		if x[i] > 0.6 {
			cls[i] = 1
			x[i]++ // a wide gap between the classes
		}
		codes[i] = int32(i % 3)
	}
	f, err := frame.New(frame.NewFloat64("x", x, frame.Mask{}), frame.NewFloat64("noise", noise, frame.Mask{}),
		frame.NewCategorical("city", codes, []string{"a", "b", "c"}),
		frame.NewCategorical("label", cls, []string{"no", "yes"}))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestClassificationSeparable(t *testing.T) {
	var events []Event
	res, err := Run(context.Background(), Job{Frame: clsFrame(t, 200), Target: "label", Model: "tree", Final: true, Seed: 3,
		Progress: func(e Event) { events = append(events, e) }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Task != models.Binary || res.Spec.Scheme != validate.StratifiedKFold {
		t.Fatalf("task %v scheme %v", res.Task, res.Spec.Scheme)
	}
	// A spec with only a seed is still the default.
	res2, err := Run(context.Background(), Job{Frame: clsFrame(t, 60), Target: "label", Model: "tree", Validation: validate.Spec{Seed: 4}})
	if err != nil || res2.Spec.Scheme != validate.StratifiedKFold {
		t.Fatalf("seed-only spec: %v, %v", res2.Spec.Scheme, err)
	}
	if res.Task != models.Binary {
		t.Fatalf("task %v scheme %v", res.Task, res.Spec.Scheme)
	}
	for _, name := range []string{"accuracy", "roc_auc", "f1", "balanced_accuracy"} {
		s, _ := res.Metric(name)
		// The classes are 1 apart in x: a tree splits between them on every
		// fold, each held-out row is classified right, every score is 1.
		if s.Mean != 1 || s.Std != 0 {
			t.Errorf("%s = %v ± %v, want 1 ± 0", name, s.Mean, s.Std)
		}
	}
	if res.Final == nil || res.FinalFitSeconds <= 0 {
		t.Error("no final model")
	}
	var starts, dones int
	for _, e := range events {
		switch e.Phase {
		case FoldStart:
			starts++
		case FoldDone:
			dones++
		}
	}
	if starts != 6 || dones != 6 {
		t.Errorf("%d starts, %d dones; want 6 each (5 folds + final)", starts, dones)
	}
	if len(res.OOF.Proba) != 200*2 {
		t.Errorf("%d probabilities", len(res.OOF.Proba))
	}
}

func TestDeterministic(t *testing.T) {
	f := clsFrame(t, 300)
	var outs [2][]byte
	var aucs [2]float64
	for k := range outs {
		res, err := Run(context.Background(), Job{Frame: f, Target: "label", Model: "rf", Params: map[string]string{"n_estimators": "10"},
			Seed: 9, Final: true, Validation: validate.Spec{Scheme: validate.StratifiedKFold, K: 3, Shuffle: true, Seed: 9}})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := models.Save(&b, res.Final); err != nil {
			t.Fatal(err)
		}
		outs[k] = b.Bytes()
		s, _ := res.Metric("log_loss")
		aucs[k] = s.Mean
	}
	if !bytes.Equal(outs[0], outs[1]) || aucs[0] != aucs[1] {
		t.Error("two runs with the same seed differ")
	}
}

func TestBadInput(t *testing.T) {
	f := clsFrame(t, 60)
	oneClass, _ := frame.New(frame.NewFloat64("x", []float64{1, 2, 3, 4}, frame.Mask{}), frame.NewString("t", []string{"a", "a", "a", "a"}, frame.Mask{}))
	mask := frame.NewMask(4)
	mask.SetNA(2)
	missing, _ := frame.New(frame.NewFloat64("x", []float64{1, 2, 3, 4}, frame.Mask{}), frame.NewFloat64("t", []float64{1, 2, 0, 4}, mask))
	text, _ := frame.New(frame.NewString("name", []string{"a", "b", "c", "d", "e", "f"}, frame.Mask{}), frame.NewFloat64("t", []float64{1, 2, 3, 4, 5, 6}, frame.Mask{}))
	nanX, _ := frame.New(frame.NewFloat64("x", []float64{1, math.NaN(), 3, 4, 5, 6, 7, 8, 9, 10}, frame.Mask{}), frame.NewFloat64("t", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, frame.Mask{}))
	cases := []struct {
		name string
		job  Job
		want string
	}{
		{"one class", Job{Frame: oneClass, Target: "t", Model: "tree"}, "one class"},
		{"missing target", Job{Frame: missing, Target: "t", Model: "tree"}, "missing values"},
		{"text feature without a pipeline", Job{Frame: text, Target: "t", Model: "tree"}, `column "name" is text`},
		{"unknown model", Job{Frame: f, Target: "label", Model: "gbtd"}, `did you mean "gbdt"`},
		{"unknown param", Job{Frame: f, Target: "label", Model: "gbdt", Params: map[string]string{"max_dpth": "3"}}, `did you mean "max_depth"`},
		{"no target", Job{Frame: f, Target: "nope", Model: "tree"}, `no target column "nope"`},
		{"NaN for linear without a pipeline", Job{Frame: nanX, Target: "t", Model: "linear", Validation: validate.Spec{Scheme: validate.KFold, K: 2}}, "missing values"},
		{"too many folds", Job{Frame: regFrame(t), Target: "y", Model: "linear", Validation: validate.Spec{Scheme: validate.KFold, K: 40}}, "40 folds for 30 rows"},
		{"regression model on classes", Job{Frame: f, Target: "label", Model: "logreg", Task: ptr(models.Regression)}, "cannot be trained as regression"},
	}
	for _, c := range cases {
		_, err := Run(context.Background(), c.job)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to mention %q", c.name, err, c.want)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// TestDefaultPipeline: the default preparation imputes missing numbers for
// linear models, one-hot encodes categories and drops free text and
// identifiers, refitting per fold.
func TestDefaultPipeline(t *testing.T) {
	n := 60
	x, y := make([]float64, n), make([]float64, n)
	ids, notes := make([]string, n), make([]string, n)
	mask := frame.NewMask(n)
	for i := range n {
		x[i], y[i] = float64(i%10), float64(i%10)*2+float64(i%3)
		ids[i] = fmt.Sprintf("id-%03d", i)
		notes[i] = fmt.Sprintf("free text number %d about things", i*7)
		if i%7 == 0 {
			mask.SetNA(i)
		}
	}
	codes := make([]int32, n)
	for i := range codes {
		codes[i] = int32(i % 3)
	}
	f, _ := frame.New(frame.NewFloat64("x", x, mask), frame.NewString("id", ids, frame.Mask{}), frame.NewString("notes", notes, frame.Mask{}),
		frame.NewCategorical("c", codes, []string{"a", "b", "c"}), frame.NewFloat64("y", y, frame.Mask{}))
	res, err := Run(context.Background(), Job{Frame: f, Target: "y", Model: "linear", Final: true, Prep: &Pipeline{}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Pipeline, "default pipeline") || !strings.Contains(res.Pipeline, "drop 2") {
		t.Errorf("pipeline %q", res.Pipeline)
	}
	if s, _ := res.Metric("r2"); !(s.Mean > 0.5) {
		t.Errorf("r2 %v", s.Mean)
	}
	if _, ok := res.FinalPrep.(interface{ Save(io.Writer) error }); !ok {
		t.Error("the fitted pipeline cannot be saved")
	}
}

func TestNaNFeaturesTrees(t *testing.T) {
	// Trees take NaN as missing and ±Inf as values; nothing is NaN in the metrics.
	n := 40
	x, y := make([]float64, n), make([]float64, n)
	for i := range n {
		x[i], y[i] = float64(i), float64(i%2)
	}
	x[3], x[7], x[11] = math.NaN(), math.Inf(1), math.Inf(-1)
	f, _ := frame.New(frame.NewFloat64("x", x, frame.Mask{}), frame.NewFloat64("const", make([]float64, n), frame.Mask{}), frame.NewFloat64("y", y, frame.Mask{}))
	res, err := Run(context.Background(), Job{Frame: f, Target: "y", Model: "gbdt", Params: map[string]string{"n_estimators": "5"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Metrics {
		if math.IsNaN(s.Mean) {
			t.Errorf("%s is NaN", s.Name)
		}
	}
	if len(res.Folds[0].Curve) != 5 {
		t.Errorf("curve of %d points, want 5 (one per round)", len(res.Folds[0].Curve))
	}
	if math.IsNaN(res.Folds[0].Curve[0].Valid) {
		t.Error("no validation loss reported for the held-out fold")
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, Job{Frame: clsFrame(t, 100), Target: "label", Model: "gbdt"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestHoldoutAndTestSet(t *testing.T) {
	f := clsFrame(t, 100)
	res, err := Run(context.Background(), Job{Frame: f, Target: "label", Model: "tree", Validation: validate.Spec{Scheme: validate.Holdout, Fraction: 0.25, Stratify: true}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Folds) != 1 || res.Folds[0].TestRows != 25 || res.FitSeconds != res.Folds[0].FitSeconds {
		t.Errorf("holdout: %+v", res.Folds)
	}
	// A test set whose categorical levels are in another order, with an unseen one.
	g, _ := frame.New(frame.NewFloat64("x", []float64{0.1, 1.9, 1.7}, frame.Mask{}), frame.NewFloat64("noise", []float64{0, 0, 0}, frame.Mask{}),
		frame.NewCategorical("city", []int32{0, 1, 2}, []string{"c", "zz", "a"}),
		frame.NewCategorical("label", []int32{0, 1, 1}, []string{"no", "yes"}))
	res, err = Run(context.Background(), Job{Frame: f, Target: "label", Model: "tree", Validation: validate.Spec{Scheme: validate.TestSet}, Test: g})
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := res.Metric("accuracy"); s.Mean != 1 || res.Final == nil || len(res.OOF.Row) != 3 {
		t.Errorf("test set: accuracy %v, final %v, %d predictions", s.Mean, res.Final != nil, len(res.OOF.Row))
	}
}

func TestBootstrapEstimates(t *testing.T) {
	res, err := Run(context.Background(), Job{Frame: clsFrame(t, 120), Target: "label", Model: "tree",
		Params: map[string]string{"max_depth": "1"}, Validation: validate.Spec{Scheme: validate.Bootstrap, B: 10}, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Folds) != 10 || len(res.Estimates) != len(res.Metrics) {
		t.Fatalf("%d folds, %d estimates", len(res.Folds), len(res.Estimates))
	}
	for _, e := range res.Estimates {
		if e.Name == "roc_auc" && e.NoInfo != 0.5 {
			t.Errorf("roc_auc no-information = %v", e.NoInfo)
		}
		lo, hi := math.Min(e.Apparent, e.OOB), math.Max(e.Apparent, e.OOB)
		// .632 is a convex combination of the apparent and out-of-bag values.
		if e.E632 < lo-1e-12 || e.E632 > hi+1e-12 {
			t.Errorf("%s: .632 = %v outside [%v, %v]", e.Name, e.E632, lo, hi)
		}
	}
}

// TestNoInfoBruteForce compares the closed forms with the mean over all n²
// (label, prediction) pairs.
func TestNoInfoBruteForce(t *testing.T) {
	y := []float64{1, 0, 1, 1, 0, 2, 2, 1}
	pred := []float64{1, 1, 0, 1, 2, 2, 0, 1}
	n := float64(len(y))
	var acc float64
	for _, a := range y {
		for _, b := range pred {
			if a == b {
				acc++
			}
		}
	}
	if got := noInfo("accuracy", models.Multiclass, 3, y, pred, nil); math.Abs(got-acc/(n*n)) > 1e-12 {
		t.Errorf("accuracy γ = %v, want %v", got, acc/(n*n))
	}
	yr := []float64{3, -1, 4, 1.5, 9}
	pr := []float64{2, 0, 5, 1, 7}
	var mae, mape float64
	for _, a := range yr {
		for _, b := range pr {
			mae += math.Abs(a-b) / 25
			mape += math.Abs(a-b) / math.Abs(a) / 25
		}
	}
	if got := noInfo("mae", models.Regression, 0, yr, pr, nil); math.Abs(got-mae) > 1e-12 {
		t.Errorf("mae γ = %v, want %v", got, mae)
	}
	if got := noInfo("mape", models.Regression, 0, yr, pr, nil); math.Abs(got-mape) > 1e-12 {
		t.Errorf("mape γ = %v, want %v", got, mape)
	}
	var mse float64
	for _, a := range yr {
		for _, b := range pr {
			mse += (a - b) * (a - b) / 25
		}
	}
	if got := noInfo("rmse", models.Regression, 0, yr, pr, nil); math.Abs(got-math.Sqrt(mse)) > 1e-12 {
		t.Errorf("rmse γ = %v, want %v", got, math.Sqrt(mse))
	}
}

func TestClusteringAndTimeSeries(t *testing.T) {
	f := regFrame(t)
	res, err := Run(context.Background(), Job{Frame: f, Model: "kmeans", Params: map[string]string{"n_clusters": "2"}, Exclude: []string{"y"}})
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := res.Metric("inertia"); res.Task != models.Clustering || !(s.Mean > 0) {
		t.Errorf("kmeans: task %v inertia %v", res.Task, s.Mean)
	}
	res, err = Run(context.Background(), Job{Frame: f, Target: "y", Model: "ridge", Validation: validate.Spec{Scheme: validate.TimeSeriesSplit, K: 4, Time: "x2"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Folds) != 4 || res.Folds[0].TestRows != 6 || res.Folds[0].TrainRows != 6 {
		t.Errorf("time series folds: %+v", res.Folds[0])
	}
	for _, name := range res.Features {
		if name == "x2" {
			t.Error("the time column was used as a feature")
		}
	}
}
