package workspace

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/models"
	"github.com/mlwb/mlwb/engine/train"
)

func runFrame(t *testing.T) *frame.Frame {
	t.Helper()
	n := 60
	x := make([]float64, n)
	y := make([]int32, n)
	for i := range n {
		x[i] = float64((i * 7) % n)
		if x[i] >= 30 {
			y[i] = 1
		}
	}
	f, err := frame.New(frame.NewFloat64("x", x, frame.Mask{}), frame.NewCategorical("label", y, []string{"no", "yes"}))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestRunsRoundTrip(t *testing.T) {
	ws, err := Init(t.TempDir(), "runs")
	if err != nil {
		t.Fatal(err)
	}
	res, err := train.Run(context.Background(), train.Job{Frame: runFrame(t), Target: "label", Model: "gbdt",
		Params: map[string]string{"n_estimators": "3"}, Final: true, Seed: 4, Prep: &train.Pipeline{}})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	r := RunFromResult(res, now)
	r.Dataset = RunDataset{Name: "d", Version: 1, Hash: "abc", Rows: 60}
	r.Seed, r.Version = 4, "test"
	art, err := ArtifactsOf(res)
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.SaveRunWith(context.Background(), &r, art); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.ID, "20261125-100000-") {
		t.Errorf("id %q", r.ID)
	}
	got, err := ws.Run(r.ID[:17]) // a unique prefix
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != r.ID || got.Model != "gbdt" || len(got.Folds) != 5 || len(got.Curves) != 6 || !got.HasModel || !got.HasPipeline {
		t.Errorf("read back %+v", got)
	}
	m, _ := got.Metric("roc_auc")
	want, _ := res.Metric("roc_auc")
	if float64(m.Mean) != want.Mean {
		t.Errorf("roc_auc %v, want %v", m.Mean, want.Mean)
	}
	// The saved model predicts as the fitted one.
	lm, err := ws.LoadRunModel(r.ID)
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	_ = models.Save(&a, lm)
	_ = models.Save(&b, res.Final)
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("model file does not round-trip")
	}
	fp, err := ws.LoadRunPipeline(r.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The saved pipeline and model reproduce the out-of-fold-free training
	// predictions of the final model.
	X, err := train.PreparedPipeline(fp).Matrix(context.Background(), runFrame(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	p1, p2 := make([]float64, X.Rows*2), make([]float64, X.Rows*2)
	if err := lm.PredictProba(X, p1); err != nil {
		t.Fatal(err)
	}
	_ = res.Final.PredictProba(X, p2)
	if !slices.Equal(p1, p2) {
		t.Error("the loaded model and pipeline predict differently")
	}
	pf, err := dataio.ReadParquetFile(context.Background(), filepath.Join(ws.RunPath(r.ID), RunPredictions), dataio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if pf.NumRows() != 60 || pf.NumCols() != 6 {
		t.Errorf("predictions %d×%d, want 60×6 (row, fold, y_true, y_pred, p_no, p_yes)", pf.NumRows(), pf.NumCols())
	}

	if _, err := ws.TagRun(r.ID, "baseline"); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.TagRun(r.ID, "baseline"); err != nil {
		t.Fatal(err)
	}
	got, _ = ws.AnnotateRun(r.ID, "first try")
	if len(got.Tags) != 1 || got.Note != "first try" {
		t.Errorf("tags %v note %q", got.Tags, got.Note)
	}
	got, _ = ws.TagRun(r.ID, "-baseline")
	if len(got.Tags) != 0 {
		t.Errorf("tags after removal %v", got.Tags)
	}

	r2 := r
	r2.ID = NewRunID(now.Add(time.Second))
	r2.Model = "rf"
	r2.Params = map[string]string{"n_estimators": "100"}
	r2.Metrics = []RunMetric{{Name: "roc_auc", Mean: m.Mean + 0.1, HigherIsBetter: true}, {Name: "log_loss", Mean: Num(math.NaN()), HigherIsBetter: false}}
	if err := ws.SaveRun(context.Background(), &r2, nil, nil); err != nil {
		t.Fatal(err)
	}
	runs, warn, err := ws.Runs()
	if err != nil || len(warn) != 0 || len(runs) != 2 || runs[0].ID != r.ID {
		t.Fatalf("Runs: %d runs, %v, %v", len(runs), warn, err)
	}
	c := CompareRuns(runs[0], runs[1])
	var auc, ll MetricDiff
	for _, d := range c.Metrics {
		switch d.Name {
		case "roc_auc":
			auc = d
		case "log_loss":
			ll = d
		}
	}
	if auc.Better != "b" || math.Abs(float64(auc.Diff)-0.1) > 1e-12 || ll.Better != "" || !math.IsNaN(float64(ll.B)) {
		t.Errorf("compare: auc %+v, log_loss %+v", auc, ll)
	}
	if !c.SameData || len(c.Params) == 0 || !strings.Contains(strings.Join(c.Differences, ";"), "model: gbdt vs rf") {
		t.Errorf("compare: %+v %+v", c.Params, c.Differences)
	}
	// NaN is written as null and read back as NaN.
	b2, _ := os.ReadFile(filepath.Join(ws.RunPath(r2.ID), RunFile))
	if !bytes.Contains(b2, []byte(`"mean": null`)) {
		t.Error("NaN mean not written as null")
	}
	if _, err := json.Marshal(c); err != nil {
		t.Errorf("comparison JSON: %v", err)
	}

	// A broken run folder is reported, not fatal; a temp folder is ignored.
	os.MkdirAll(filepath.Join(ws.RunsDir(), "broken"), 0o755)
	os.WriteFile(filepath.Join(ws.RunsDir(), "broken", RunFile), []byte("{"), 0o644)
	os.MkdirAll(filepath.Join(ws.RunsDir(), ".tmp-x"), 0o755)
	runs, warn, _ = ws.Runs()
	if len(runs) != 2 || len(warn) != 1 {
		t.Errorf("with a broken run: %d runs, warnings %v", len(runs), warn)
	}

	if err := ws.DeleteRun(r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Run(r.ID); !errors.Is(err, ErrRunNotFound) {
		t.Errorf("deleted run: err = %v", err)
	}
	if _, err := ws.Run("../x"); err == nil {
		t.Error("a path as run id was accepted")
	}
	if err := ws.SaveRun(context.Background(), &r2, nil, nil); err == nil {
		t.Error("saving over an existing run succeeded")
	}
}
