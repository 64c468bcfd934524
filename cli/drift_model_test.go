package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/metrics"
	"github.com/mlwb/mlwb/engine/models"
	"github.com/mlwb/mlwb/workspace"
)

// churnBatch writes rows lo..hi of churnCSV's generator into dir/name;
// with flip, the churn label is inverted (the model's AUC must fall below
// 0.5); without target, the churn column is left out.
func churnBatch(t *testing.T, dir, name string, lo, hi int, flip, target bool) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("tenure,spend,plan,price,tier")
	if target {
		b.WriteString(",churn")
	}
	b.WriteString("\n")
	for i := lo; i < hi; i++ {
		tenure := (i * 17) % 60
		spend := float64((i*29)%100) / 3
		plan := []string{"basic", "plus", "pro"}[i%3]
		yes := tenure < 20 && i%5 != 0 || i%11 == 0
		if flip {
			yes = !yes
		}
		churn := map[bool]string{true: "yes", false: "no"}[yes]
		price := 2*float64(tenure) + spend + float64(i%7)
		tier := []string{"low", "mid", "high"}[min(tenure/20, 2)]
		fmt.Fprintf(&b, "%d,%.3f,%s,%.2f,%s", tenure, spend, plan, price, tier)
		if target {
			fmt.Fprintf(&b, ",%s", churn)
		}
		b.WriteString("\n")
	}
	return writeFile(t, dir, name, b.String())
}

func TestDriftModel(t *testing.T) {
	dir := t.TempDir()
	data := churnCSV(t, dir, 400)
	ws := filepath.Join(dir, "ws")
	if _, errs, code := run(t, "init", ws); code != 0 {
		t.Fatal(errs)
	}
	if _, errs, code := run(t, "import", data, "--name", "churn", "-w", ws); code != 0 {
		t.Fatal(errs)
	}
	tr := trainRaw(t, "--data", "churn", "--target", "churn", "--model", "logreg", "--exclude", "price,tier", "-w", ws, "--cv", "3")
	id := tr["run_id"].(string)
	batches := filepath.Join(dir, "batches")
	if err := os.Mkdir(batches, 0o755); err != nil {
		t.Fatal(err)
	}
	paths := []string{
		churnBatch(t, batches, "b1.csv", 400, 600, false, true),
		churnBatch(t, batches, "b2.csv", 600, 800, true, true),
		churnBatch(t, batches, "b3.csv", 800, 900, false, false),
	}

	out, errs, code := run(t, "drift", "--model", id[:17], "--current", batches, "-w", ws, "--json")
	if code != 0 && code != DriftExitCode {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var j DriftJSON
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, out)
	}
	var raw map[string]any
	_ = json.Unmarshal([]byte(out), &raw)
	for _, k := range []string{"model", "metrics", "prediction", "target", "windows"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	if j.Reference != "churn@1" || j.Model == nil || j.Model.Run != id || j.Model.Score != "prediction" || j.Model.Task != "binary" {
		t.Fatalf("reference %q model %+v", j.Reference, j.Model)
	}
	if j.Prediction == nil || j.Prediction.Role != "prediction" || j.Prediction.Name != "prediction" {
		t.Fatalf("prediction = %+v", j.Prediction)
	}
	if len(j.Windows) != 3 {
		t.Fatalf("windows = %d", len(j.Windows))
	}
	if j.Windows[2].Metrics != nil || !strings.Contains(j.Windows[2].MetricsError, `no target column "churn"`) || j.Metrics != nil {
		t.Errorf("unlabelled batch: metrics %v error %q, top %v", j.Windows[2].Metrics, j.Windows[2].MetricsError, j.Metrics)
	}

	// The metrics per batch equal package metrics on the same rows, scored
	// by the run's model through the training preparation.
	w, err := workspace.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	m, err := w.LoadRunModel(id)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	trainText, err := os.ReadFile(data)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range paths[:2] {
		// The training rows then the batch's in one file: its categorical
		// levels are the training data's, so models.FromFrame gives the
		// batch's matrix independently of the scorer.
		batchText, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		g, err := dataio.Load(ctx, p, dataio.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var both strings.Builder
		both.Write(trainText)
		for _, line := range strings.Split(strings.TrimSpace(string(batchText)), "\n")[1:] {
			// batch columns: tenure,spend,plan,price,tier,churn; training's:
			// tenure,spend,plan,churn,price,tier.
			f := strings.Split(line, ",")
			fmt.Fprintf(&both, "%s,%s,%s,%s,%s,%s\n", f[0], f[1], f[2], f[5], f[3], f[4])
		}
		all, err := dataio.Load(ctx, writeFile(t, dir, "both.csv", both.String()), dataio.Options{})
		if err != nil {
			t.Fatal(err)
		}
		full, err := models.FromFrame(all, m.Features())
		if err != nil {
			t.Fatal(err)
		}
		rows := make([]int, g.NumRows())
		for r := range rows {
			rows[r] = 400 + r
		}
		X := full.TakeRows(rows)
		proba := make([]float64, X.Rows*2)
		if err := m.PredictProba(X, proba); err != nil {
			t.Fatal(err)
		}
		in := metrics.Input{Task: metrics.BinaryTask, Classes: m.Classes(), Pos: 1, True: make([]int32, X.Rows), Score: make([]float64, X.Rows)}
		col, _ := g.Column("churn")
		for r := range in.True {
			if col.Format(r) == m.Classes()[1] {
				in.True[r] = 1
			}
			in.Score[r] = proba[2*r+1]
		}
		rep, err := metrics.Evaluate(ctx, in, metrics.Options{})
		if err != nil {
			t.Fatal(err)
		}
		win := j.Windows[i]
		if win.MetricsN != 200 {
			t.Errorf("%s: metrics_n = %d", win.Label, win.MetricsN)
		}
		for _, name := range []string{"roc_auc", "accuracy"} {
			got, want := float64(win.Metrics[name]), rep.Values[name]
			if math.Abs(got-want) > 1e-12 {
				t.Errorf("%s %s = %v, engine/metrics %v", win.Label, name, got, want)
			}
		}
	}
	if auc1, auc2 := float64(j.Windows[0].Metrics["roc_auc"]), float64(j.Windows[1].Metrics["roc_auc"]); !(auc1 > 0.7 && auc2 < 0.3) {
		t.Errorf("AUC %v then %v on inverted labels", auc1, auc2)
	}

	// Human output names the model and prints a metric column per batch.
	out, errs, code = run(t, "drift", "--model", id, "--current", batches, "-w", ws)
	if code != 0 && code != DriftExitCode {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"model: run " + id, "roc_auc", "prediction drift", "model metrics on b3.csv: none"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// Errors: unknown run, run and --prediction-column together, a batch
	// missing a feature.
	_, errs, code = run(t, "drift", "--model", "19990101", "--current", batches, "-w", ws)
	if code != 1 || !strings.Contains(errs, `no run "19990101"`) || strings.Count(errs, "\n") != 1 {
		t.Errorf("unknown run: exit %d, stderr %q", code, errs)
	}
	_, errs, code = run(t, "drift", "--model", id, "--prediction-column", "x", "--current", batches, "-w", ws)
	if code != 1 || !strings.Contains(errs, "exclude each other") {
		t.Errorf("--prediction-column: exit %d, stderr %q", code, errs)
	}
	bad := writeFile(t, dir, "nospend.csv", "tenure,plan,churn\n3,basic,yes\n40,pro,no\n")
	_, errs, code = run(t, "drift", "--model", id, "--current", bad, "-w", ws)
	if code != 1 || !strings.Contains(errs, `no feature column "spend"`) {
		t.Errorf("missing feature: exit %d, stderr %q", code, errs)
	}
}

// TestDriftModelRegression checks the regression score and metrics and a
// run trained on a file.
func TestDriftModelRegression(t *testing.T) {
	dir := t.TempDir()
	data := churnCSV(t, dir, 300)
	ws := filepath.Join(dir, "ws")
	if _, errs, code := run(t, "init", ws); code != 0 {
		t.Fatal(errs)
	}
	tr := trainRaw(t, "--data", data, "--target", "price", "--model", "linear", "--exclude", "churn,tier", "-w", ws, "--cv", "3")
	id := tr["run_id"].(string)
	cur := churnBatch(t, dir, "cur.csv", 300, 500, false, true)
	out, errs, code := run(t, "drift", "--model", id, "--current", cur, "-w", ws, "--json")
	if code != 0 && code != DriftExitCode {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var j DriftJSON
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatal(err)
	}
	if j.Reference != data || j.Model.Task != "regression" || j.Prediction == nil || j.Prediction.Type != "numeric" {
		t.Fatalf("reference %q model %+v prediction %+v", j.Reference, j.Model, j.Prediction)
	}
	// price = 2·tenure + spend + (i mod 7): a linear fit leaves residuals
	// of the i mod 7 term only, so r2 is near 1 and rmse near its std 2.
	r2, rmse := float64(j.Metrics["r2"]), float64(j.Metrics["rmse"])
	if !(r2 > 0.99) || !(rmse > 1.5 && rmse < 2.5) || j.Windows[0].MetricsN != 200 {
		t.Errorf("metrics %v n %d", j.Metrics, j.Windows[0].MetricsN)
	}
}

// TestDriftModelPipeline: a run trained through the default feature
// pipeline is scored through its saved pipeline.json; its metrics match
// the held-out quality of the run on data from the same generator.
func TestDriftModelPipeline(t *testing.T) {
	dir := t.TempDir()
	data := churnCSV(t, dir, 400)
	ws := filepath.Join(dir, "ws")
	if _, errs, code := run(t, "init", ws); code != 0 {
		t.Fatal(errs)
	}
	tr := trainRaw(t, "--data", data, "--target", "churn", "--model", "logreg", "--pipeline", "default", "--exclude", "price,tier", "-w", ws, "--cv", "3")
	id := tr["run_id"].(string)
	cur := churnBatch(t, dir, "cur.csv", 400, 700, false, true)
	out, errs, code := run(t, "drift", "--model", id, "--current", cur, "-w", ws, "--json")
	if code != 0 && code != DriftExitCode {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var j DriftJSON
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatal(err)
	}
	cvAUC := tr["metrics"].(map[string]any)["roc_auc"].(map[string]any)["mean"].(float64)
	auc := float64(j.Metrics["roc_auc"])
	if j.Prediction == nil || j.Prediction.Error != "" || j.Windows[0].MetricsN != 300 || math.Abs(auc-cvAUC) > 0.1 {
		t.Fatalf("prediction %+v, n %d, roc_auc %v vs cross-validated %v", j.Prediction, j.Windows[0].MetricsN, auc, cvAUC)
	}
	// Without pipeline.json the run cannot be scored: a clear error.
	if err := os.Remove(filepath.Join(ws, "runs", id, "pipeline.json")); err != nil {
		t.Fatal(err)
	}
	_, errs, code = run(t, "drift", "--model", id, "--current", cur, "-w", ws)
	if code != 1 || !strings.Contains(errs, "pipeline") || strings.Count(errs, "\n") != 1 {
		t.Fatalf("no pipeline.json: exit %d, stderr %q", code, errs)
	}
}

// TestDriftModelGoal: the model's metric on the latest batch worse than
// the card's threshold exits 3 (without dataset drift) and raises a metric
// alert, saved once.
func TestDriftModelGoal(t *testing.T) {
	dir := t.TempDir()
	data := churnCSV(t, dir, 400)
	ws := filepath.Join(dir, "ws")
	if _, errs, code := run(t, "init", ws); code != 0 {
		t.Fatal(errs)
	}
	if _, errs, code := run(t, "import", data, "--name", "churn", "-w", ws); code != 0 {
		t.Fatal(errs)
	}
	w, err := workspace.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	card := w.Card()
	thr := 0.6
	card.Metric = workspace.MetricGoal{Name: "roc_auc", Threshold: &thr}
	if err := w.SaveCard(card); err != nil {
		t.Fatal(err)
	}
	tr := trainRaw(t, "--data", "churn", "--target", "churn", "--model", "logreg", "--exclude", "price,tier", "-w", ws, "--cv", "3")
	id := tr["run_id"].(string)
	batches := filepath.Join(dir, "batches")
	if err := os.Mkdir(batches, 0o755); err != nil {
		t.Fatal(err)
	}
	churnBatch(t, batches, "b1.csv", 400, 600, false, true)

	// One good batch: the goal is met, exit 0, no alert.
	out, errs, code := run(t, "drift", "--model", id, "--current", batches, "-w", ws, "--json")
	var j DriftJSON
	if code != 0 || json.Unmarshal([]byte(out), &j) != nil || j.Goal == nil || j.Goal.Missed || j.Goal.Metric != "roc_auc" || j.Goal.Threshold != 0.6 || len(j.Alerts) != 0 {
		t.Fatalf("good batch: exit %d goal %+v alerts %+v, stderr %s", code, j.Goal, j.Alerts, errs)
	}
	if j.DatasetDrift {
		t.Fatal("the test needs batches without dataset drift")
	}

	// Inverted labels: AUC below 0.6 on the latest batch, exit 3 for it alone.
	churnBatch(t, batches, "b2.csv", 600, 800, true, true)
	out, errs, code = run(t, "drift", "--model", id, "--current", batches, "-w", ws, "--json")
	j = DriftJSON{}
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatal(err)
	}
	if code != DriftExitCode || j.DatasetDrift || !strings.Contains(errs, "model "+id+": roc_auc") || strings.Contains(errs, "dataset drift") {
		t.Fatalf("bad batch: exit %d dataset drift %v, stderr %q", code, j.DatasetDrift, errs)
	}
	if j.Goal == nil || !j.Goal.Missed || !(float64(j.Goal.Value) < 0.6) {
		t.Fatalf("goal %+v", j.Goal)
	}
	var metric []DriftAlertJSON
	for _, a := range j.Alerts {
		if a.Kind == "metric" {
			metric = append(metric, a)
		}
	}
	if len(metric) != 1 || metric[0].Window != "b2.csv" || metric[0].Column != "model:roc_auc" || metric[0].Model != id || !metric[0].New ||
		metric[0].Threshold != 0.6 || metric[0].Previous == nil || *metric[0].Previous < 0.6 {
		t.Fatalf("metric alerts %+v", metric)
	}
	path := filepath.Join(ws, "monitor", "alerts.jsonl")
	first, _ := os.ReadFile(path)
	if !strings.Contains(string(first), `"column":"model:roc_auc"`) {
		t.Fatalf("alerts file:\n%s", first)
	}
	out, _, code = run(t, "drift", "--model", id, "--current", batches, "-w", ws)
	if again, _ := os.ReadFile(path); code != DriftExitCode || string(again) != string(first) {
		t.Fatalf("re-run: exit %d, file\n%s", code, again)
	}
	if !strings.Contains(out, "goal (project card): roc_auc ≥ 0.6000; on b2.csv:") || !strings.Contains(out, "MISSED") {
		t.Errorf("output:\n%s", out)
	}
}
