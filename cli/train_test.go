package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/engine/demo"
	"github.com/mlwb/mlwb/engine/features"
	"github.com/mlwb/mlwb/engine/features/selection"
	"github.com/mlwb/mlwb/engine/train"
	"github.com/mlwb/mlwb/workspace"
)

// churnCSV writes n rows: tenure, spend, plan (categorical), churn (yes/no,
// mostly when tenure is short), price (regression target), tier (3 classes).
func churnCSV(t *testing.T, dir string, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("tenure,spend,plan,churn,price,tier\n")
	for i := range n {
		tenure := (i * 17) % 60
		spend := float64((i*29)%100) / 3
		plan := []string{"basic", "plus", "pro"}[i%3]
		churn := "no"
		if tenure < 20 && i%5 != 0 || i%11 == 0 {
			churn = "yes"
		}
		price := 2*float64(tenure) + spend + float64(i%7)
		tier := []string{"low", "mid", "high"}[min(tenure/20, 2)]
		fmt.Fprintf(&b, "%d,%.3f,%s,%s,%.2f,%s\n", tenure, spend, plan, churn, price, tier)
	}
	return writeFile(t, dir, "churn.csv", b.String())
}

// trainRaw runs "mlwb train --json" and decodes the output with nulls kept.
// Without a --pipeline argument it trains with --pipeline raw, not the
// default auto: the eval and drift tests that call it were written for raw
// runs (TestDriftModel builds its expected matrix with models.FromFrame,
// which only a raw run matches; the eval tests also pass on auto runs now
// that engine/report handles pipeline runs). The tests of auto call
// trainAuto.
func trainRaw(t *testing.T, args ...string) map[string]any {
	t.Helper()
	if !slices.Contains(args, "--pipeline") {
		args = append(args, "--pipeline", "raw")
	}
	return trainJSONOut(t, args...)
}

// trainAuto runs "mlwb train --json" with the default preparation.
func trainAuto(t *testing.T, args ...string) map[string]any {
	t.Helper()
	if slices.Contains(args, "--pipeline") {
		t.Fatal("trainAuto with --pipeline")
	}
	return trainJSONOut(t, args...)
}

func trainJSONOut(t *testing.T, args ...string) map[string]any {
	t.Helper()
	out, errs, code := run(t, append([]string{"train", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if strings.Contains(out, "NaN") {
		t.Errorf("JSON holds NaN: %s", out)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("bad JSON %q: %v", out, err)
	}
	return got
}

func TestTrainJSONBinary(t *testing.T) {
	p := churnCSV(t, t.TempDir(), 300)
	got := trainRaw(t, "--data", p, "--target", "churn", "--model", "gbdt", "--param", "n_estimators=20", "--exclude", "price,tier")
	if got["run_id"] != nil {
		t.Errorf("scratch run has id %v", got["run_id"])
	}
	if got["task"] != "binary" || got["model"] != "gbdt" {
		t.Errorf("task %v model %v", got["task"], got["model"])
	}
	v := got["validation"].(map[string]any)
	if v["scheme"] != "stratified_kfold" || v["folds"] != 5.0 {
		t.Errorf("validation %v", v)
	}
	ms := got["metrics"].(map[string]any)
	for _, name := range []string{"accuracy", "balanced_accuracy", "f1", "roc_auc", "log_loss"} {
		m, ok := ms[name].(map[string]any)
		if !ok {
			t.Fatalf("no metric %s in %v", name, ms)
		}
		mean, _ := m["mean"].(float64)
		if folds := m["folds"].([]any); len(folds) != 5 || !(mean > 0) {
			t.Errorf("%s: mean %v, %d folds", name, m["mean"], len(folds))
		}
	}
	if acc := ms["accuracy"].(map[string]any)["mean"].(float64); acc < 0.7 {
		t.Errorf("accuracy %v on a learnable target", acc)
	}
	if got["params"].(map[string]any)["n_estimators"] != "20" {
		t.Errorf("params %v", got["params"])
	}
	if fs, _ := got["fit_seconds"].(float64); !(fs > 0) {
		t.Errorf("fit_seconds %v", got["fit_seconds"])
	}
}

func TestTrainJSONRegressionAndMulticlass(t *testing.T) {
	dir := t.TempDir()
	p := churnCSV(t, dir, 200)
	got := trainRaw(t, "--data", p, "--target", "price", "--model", "ridge", "--exclude", "plan,churn,tier", "--cv", "4")
	if got["task"] != "regression" || got["validation"].(map[string]any)["scheme"] != "kfold" {
		t.Errorf("regression: task %v validation %v", got["task"], got["validation"])
	}
	ms := got["metrics"].(map[string]any)
	for _, name := range []string{"rmse", "mae", "r2"} {
		if _, ok := ms[name]; !ok {
			t.Errorf("no %s", name)
		}
	}
	if r2 := ms["r2"].(map[string]any)["mean"].(float64); r2 < 0.9 {
		t.Errorf("ridge r2 %v on a linear target", r2)
	}
	got = trainRaw(t, "--data", p, "--target", "tier", "--model", "tree", "--exclude", "price", "--holdout", "0.25")
	if got["task"] != "multiclass" {
		t.Errorf("task %v", got["task"])
	}
	v := got["validation"].(map[string]any)
	if v["scheme"] != "holdout" || v["folds"] != 1.0 {
		t.Errorf("holdout: %v", v)
	}
	if _, ok := got["metrics"].(map[string]any)["roc_auc"]; !ok {
		t.Error("no roc_auc for multiclass")
	}
}

func TestTrainWorkspaceDeterministic(t *testing.T) {
	dir := t.TempDir()
	p := churnCSV(t, dir, 300)
	ws := filepath.Join(dir, "ws")
	if _, errs, code := run(t, "init", ws); code != 0 {
		t.Fatal(errs)
	}
	args := []string{"--data", p, "--target", "churn", "--model", "rf", "--param", "n_estimators=15", "--exclude", "price,tier", "--cv", "3", "--shuffle", "--seed", "7", "-w", ws}
	a := trainRaw(t, args...)
	b := trainRaw(t, args...)
	ida, idb := a["run_id"].(string), b["run_id"].(string)
	if ida == "" || ida == idb {
		t.Fatalf("run ids %q %q", ida, idb)
	}
	ma, _ := json.Marshal(a["metrics"])
	mb, _ := json.Marshal(b["metrics"])
	if !bytes.Equal(ma, mb) {
		t.Errorf("metrics differ:\n%s\n%s", ma, mb)
	}
	fa, err := os.ReadFile(filepath.Join(ws, "runs", ida, "model.mlwb"))
	if err != nil {
		t.Fatal(err)
	}
	fb, _ := os.ReadFile(filepath.Join(ws, "runs", idb, "model.mlwb"))
	if !bytes.Equal(fa, fb) {
		t.Error("model.mlwb bytes differ between identical runs")
	}
	if _, err := os.Stat(filepath.Join(ws, "runs", ida, "predictions.parquet")); err != nil {
		t.Error(err)
	}

	// A third run on another model, then the runs commands.
	c := trainRaw(t, "--data", p, "--target", "churn", "--model", "logreg", "--exclude", "price,tier", "-w", ws, "--seed", "7")
	idc := c["run_id"].(string)
	out, errs, code := run(t, "runs", "-w", ws, "--json", "--metric", "roc_auc")
	if code != 0 {
		t.Fatal(errs)
	}
	var list RunsJSON
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	if list.Metric != "roc_auc" || len(list.Runs) != 3 {
		t.Fatalf("runs: %s", out)
	}
	for i := 1; i < 3; i++ {
		if float64(list.Runs[i].Mean) > float64(list.Runs[i-1].Mean) {
			t.Errorf("leaderboard not sorted best first: %v", out)
		}
	}
	// Tag by the shortest prefix of ida that no other run shares (runs made
	// in the same second differ only in their random suffix).
	prefix := ida
	for n := 16; n < len(ida); n++ {
		if !strings.HasPrefix(idb, ida[:n]) && !strings.HasPrefix(idc, ida[:n]) {
			prefix = ida[:n]
			break
		}
	}
	if _, errs, code := run(t, "runs", "tag", prefix, "best", "-w", ws); code != 0 {
		t.Errorf("tag: %s", errs)
	}
	if _, errs, code := run(t, "runs", "note", ida, "seven trees too few", "-w", ws); code != 0 {
		t.Errorf("note: %s", errs)
	}
	out, _, _ = run(t, "runs", "show", ida, "-w", ws)
	if !strings.Contains(out, "tags: best") || !strings.Contains(out, "note: seven trees too few") || !strings.Contains(out, "roc_auc") {
		t.Errorf("show:\n%s", out)
	}
	out, _, code = run(t, "runs", "compare", ida, idc, "-w", ws)
	if code != 0 || !strings.Contains(out, "model: rf vs logreg") || !strings.Contains(out, "n_estimators") {
		t.Errorf("compare:\n%s", out)
	}
	if _, errs, code := run(t, "runs", "rm", idc, "-w", ws); code != 0 {
		t.Errorf("rm: %s", errs)
	}
	if _, errs, code := run(t, "runs", "show", idc, "-w", ws); code == 0 || !strings.Contains(errs, "no run") {
		t.Errorf("show after rm: %d %s", code, errs)
	}
}

func TestTrainARFFDefaultTarget(t *testing.T) {
	var b strings.Builder
	b.WriteString("@relation toy\n@attribute x numeric\n@attribute z numeric\n@attribute class {a,b}\n@data\n")
	for i := range 40 {
		c := "a"
		if i%2 == 1 {
			c = "b"
		}
		fmt.Fprintf(&b, "%d,%d,%s\n", i%2*10+i%3, i%5, c)
	}
	p := writeFile(t, t.TempDir(), "toy.arff", b.String())
	got := trainRaw(t, "--data", p, "--model", "tree", "--cv", "4")
	if got["target"] != "class" || got["task"] != "binary" {
		t.Errorf("target %v task %v", got["target"], got["task"])
	}
	if acc := got["metrics"].(map[string]any)["accuracy"].(map[string]any)["mean"]; acc != 1.0 {
		t.Errorf("accuracy %v (x separates the classes)", acc)
	}
}

func TestTrainBootstrapAndTestSet(t *testing.T) {
	dir := t.TempDir()
	p := churnCSV(t, dir, 120)
	got := trainRaw(t, "--data", p, "--target", "churn", "--model", "tree", "--param", "max_depth=3", "--exclude", "price,tier", "--bootstrap", "8")
	if got["validation"].(map[string]any)["folds"] != 8.0 {
		t.Errorf("bootstrap folds %v", got["validation"])
	}
	est, ok := got["estimates"].(map[string]any)["accuracy"].(map[string]any)
	if !ok || est["e632"] == nil || est["e632_plus"] == nil {
		t.Errorf("estimates %v", got["estimates"])
	}
	got = trainRaw(t, "--data", p, "--target", "churn", "--model", "tree", "--exclude", "price,tier", "--test", p)
	// Scored on its own training rows, an unlimited tree is perfect.
	if acc := got["metrics"].(map[string]any)["accuracy"].(map[string]any)["mean"]; got["validation"].(map[string]any)["scheme"] != "test_set" || acc != 1.0 {
		t.Errorf("test set: %v accuracy %v", got["validation"], acc)
	}
}

func TestTrainErrors(t *testing.T) {
	dir := t.TempDir()
	p := churnCSV(t, dir, 60)
	var tb strings.Builder
	tb.WriteString("name,y\n")
	for i := range 200 {
		fmt.Fprintf(&tb, "person number %d,%d\n", i, i%3)
	}
	text := writeFile(t, dir, "text.csv", tb.String())
	one := writeFile(t, dir, "one.csv", "x,y\n1,a\n2,a\n3,a\n")
	miss := writeFile(t, dir, "miss.csv", "x,y\n1,a\n2,\n3,b\n4,a\n")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--data", p, "--target", "churn"}, "--model is required"},
		{[]string{"--data", p, "--target", "churn", "--model", "gbtd"}, `did you mean "gbdt"`},
		{[]string{"--data", p, "--target", "churn", "--model", "gbdt", "--param", "max_dpth=3"}, `did you mean "max_depth"`},
		{[]string{"--data", p, "--target", "churn", "--model", "gbdt", "--param", "max_depth"}, "want NAME=VALUE"},
		{[]string{"--data", p, "--target", "churn", "--model", "gbdt", "--cv", "3", "--holdout", "0.2"}, "choose one validation"},
		{[]string{"--data", p, "--target", "nope", "--model", "gbdt"}, `no column "nope"`},
		{[]string{"--data", p, "--model", "gbdt"}, "--target COL is required"},
		{[]string{"--data", text, "--target", "y", "--model", "tree", "--pipeline", "raw"}, `column "name" is text`},
		{[]string{"--data", text, "--target", "y", "--model", "tree"}, `pipeline leaves no feature: "name" identifier-like`},
		{[]string{"--data", text, "--target", "y", "--model", "tree", "--pipeline", "default"}, `pipeline leaves no feature: "name" identifier-like`},
		{[]string{"--data", text, "--target", "y", "--model", "tree", "--pipeline", "fancy"}, `want auto, saved, default or raw`},
		{[]string{"--data", text, "--target", "y", "--model", "tree", "--pipeline", "saved"}, `a file has no saved pipeline`},
		{[]string{"--data", p, "--target", "churn", "--model", "tree", "--features", "tenure", "--selection", "x"}, `--features and --selection`},
		{[]string{"--data", p, "--target", "churn", "--model", "tree", "--features", "tenure,nope"}, `no feature column "nope"`},
		{[]string{"--data", one, "--target", "y", "--model", "tree"}, "one class"},
		{[]string{"--data", miss, "--target", "y", "--model", "tree"}, "missing values"},
		{[]string{"--data", p, "--target", "churn", "--model", "gbdt", "--holdout", "1.5"}, "fraction in (0, 1)"},
		{[]string{"--data", filepath.Join(dir, "absent.csv"), "--target", "y", "--model", "tree"}, "no such file"},
	}
	for _, c := range cases {
		_, errs, code := run(t, append([]string{"train"}, c.args...)...)
		if code == 0 || !strings.Contains(errs, c.want) || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want one line mentioning %q", c.args, code, errs, c.want)
		}
	}
}

func TestTrainTextOutput(t *testing.T) {
	p := churnCSV(t, t.TempDir(), 100)
	out, errs, code := run(t, "train", "--data", p, "--target", "price", "--model", "linear", "--exclude", "plan,churn,tier")
	if code != 0 {
		t.Fatal(errs)
	}
	for _, want := range []string{"linear on churn.csv (100 rows, 2 features), target price (regression)", "validation: 5-fold", "rmse", "scratch run"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "NaN") {
		t.Errorf("NaN shown:\n%s", out)
	}
}

func TestTrainDefaultPipeline(t *testing.T) {
	dir := t.TempDir()
	// spend has missing values; plan is categorical; linear models need the
	// pipeline's imputation and one-hot encoding.
	var b strings.Builder
	b.WriteString("id,spend,plan,price\n")
	for i := range 80 {
		spend := fmt.Sprint(i % 9)
		if i%6 == 0 {
			spend = ""
		}
		fmt.Fprintf(&b, "row-%d,%s,%s,%d.5\n", i, spend, []string{"a", "b"}[i%2], 3*(i%9)+10*(i%2))
	}
	p := writeFile(t, dir, "p.csv", b.String())
	ws := filepath.Join(dir, "ws")
	if _, errs, code := run(t, "init", ws); code != 0 {
		t.Fatal(errs)
	}
	if _, errs, code := run(t, "train", "--data", p, "--target", "price", "--model", "linear", "--exclude", "id", "--pipeline", "raw"); code == 0 || !strings.Contains(errs, "missing values") {
		t.Errorf("raw linear with missing values: exit %d %s", code, errs)
	}
	got := trainRaw(t, "--data", p, "--target", "price", "--model", "linear", "--pipeline", "default", "-w", ws)
	id := got["run_id"].(string)
	if r2 := got["metrics"].(map[string]any)["r2"].(map[string]any)["mean"].(float64); r2 < 0.8 {
		t.Errorf("r2 %v", r2)
	}
	if _, err := os.Stat(filepath.Join(ws, "runs", id, "pipeline.json")); err != nil {
		t.Error(err)
	}
	out, _, _ := run(t, "runs", "show", id, "-w", ws)
	if !strings.Contains(out, "pipeline: default pipeline (drop 1") {
		t.Errorf("show:\n%s", out)
	}
}

// TestTrainSavedPipelineAndSelection trains a small demo dataset after
// "mlwb features --select" and a pipeline saved as the Features screen saves
// it: by default the run uses both, says so on stderr and records them;
// --pipeline raw keeps the selection; a stale selection is a one-line error
// naming the missing column.
func TestTrainSavedPipelineAndSelection(t *testing.T) {
	ctx := context.Background()
	ws := filepath.Join(t.TempDir(), "ws")
	if _, errs, code := run(t, "init", ws); code != 0 {
		t.Fatal(errs)
	}
	w, err := workspace.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	f := demo.Customers(3, 1500)
	if _, err := w.ImportFrame(ctx, "customers", "demo", f); err != nil {
		t.Fatal(err)
	}
	if _, errs, code := run(t, "features", "customers", "--target", "churn", "--no-models", "--select", "topk", "--k", "5", "-w", ws); code != 0 {
		t.Fatal(errs)
	}
	selFile := filepath.Join(ws, "features", "selections", "topk-5.json")
	fh, err := os.Open(selFile)
	if err != nil {
		t.Fatal(err)
	}
	sel, err := selection.ReadSelection(fh)
	fh.Close()
	if err != nil || len(sel.Features) != 5 {
		t.Fatalf("selection %v %v", sel, err)
	}

	// No saved pipeline yet: the default one, with the selection.
	out, errs, code := run(t, "train", "--data", "customers", "--target", "churn", "--model", "logreg", "--cv", "3", "-w", ws)
	if code != 0 {
		t.Fatal(errs)
	}
	for _, want := range []string{"no saved pipeline for customers: using the default pipeline",
		"using the saved selection features/selections/topk-5.json: 5 features (topk by mutual_info) for target churn"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if !strings.Contains(out, "(1500 rows, 5 features)") || !strings.Contains(out, "pipeline: default pipeline (") {
		t.Errorf("output:\n%s", out)
	}

	// The pipeline the Features screen saves (the default one, frozen).
	pipe, _ := features.DefaultPipeline(f, "churn")
	pipe.Steps = append(pipe.Steps, features.Spec{Transform: "standard_scale"})
	b, err := pipe.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(ws, "features", "pipelines"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ws, "features", "pipelines", "customers.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	got := trainAuto(t, "--data", "customers", "--target", "churn", "--model", "logreg", "--cv", "3", "-w", ws)
	pl := got["pipeline"].(string)
	if !strings.HasPrefix(pl, "saved pipeline features/pipelines/customers.json (") || !strings.HasSuffix(pl, "standard_scale); selection features/selections/topk-5.json (topk, 5 features)") {
		t.Errorf("pipeline %q", pl)
	}
	if got["selection"] != "features/selections/topk-5.json" || got["features"] != 5.0 {
		t.Errorf("selection %v features %v", got["selection"], got["features"])
	}
	id := got["run_id"].(string)
	r, err := w.Run(id)
	if err != nil {
		t.Fatal(err)
	}
	if r.Pipeline != pl || !slices.Equal(r.Features, sel.Features) || !r.HasPipeline {
		t.Errorf("run.json: pipeline %q features %v has_pipeline %v", r.Pipeline, r.Features, r.HasPipeline)
	}
	fp, err := w.LoadRunPipeline(id)
	if err != nil {
		t.Fatal(err)
	}
	var inputs []string
	for _, c := range fp.Input {
		inputs = append(inputs, c.Name)
	}
	if fp.FittedRows != 1500 || !slices.Equal(inputs, sel.Features) || fp.Steps[len(fp.Steps)-1].Transform != "standard_scale" {
		t.Errorf("pipeline.json: %d rows, inputs %v", fp.FittedRows, inputs)
	}
	out, _, _ = run(t, "runs", "show", id, "-w", ws)
	if !strings.Contains(out, "pipeline: "+pl) {
		t.Errorf("runs show:\n%s", out)
	}

	// --pipeline raw: the selection's columns as they are.
	got = trainRaw(t, "--data", "customers", "--target", "churn", "--model", "tree", "--cv", "3", "-w", ws)
	if got["pipeline"] != (&train.Raw{}).Name() || got["features"] != 5.0 || got["selection"] != "features/selections/topk-5.json" {
		t.Errorf("raw: pipeline %v features %v selection %v", got["pipeline"], got["features"], got["selection"])
	}
	// --selection none, --features: every column / the named ones.
	got = trainAuto(t, "--data", "customers", "--target", "churn", "--model", "logreg", "--cv", "3", "--selection", "none", "-w", ws)
	if got["selection"] != nil || got["features"].(float64) < 15 {
		t.Errorf("none: selection %v features %v", got["selection"], got["features"])
	}
	got = trainAuto(t, "--data", "customers", "--target", "churn", "--model", "logreg", "--cv", "3", "--features", "tenure_months,plan", "-w", ws)
	if got["selection"] != nil || got["features"] != 2.0 || !strings.HasSuffix(got["pipeline"].(string), "(onehot, standard_scale)") {
		t.Errorf("features: selection %v features %v pipeline %v", got["selection"], got["features"], got["pipeline"])
	}
	// --pipeline saved needs the file.
	if err := os.Remove(filepath.Join(ws, "features", "pipelines", "customers.json")); err != nil {
		t.Fatal(err)
	}
	_, errs, code = run(t, "train", "--json", "--data", "customers", "--target", "churn", "--model", "tree", "--pipeline", "saved", "-w", ws)
	if code == 0 || strings.TrimSpace(errs) != "mlwb: train: pipeline saved: no pipeline saved for customers: expected features/pipelines/customers.json (save one on the Features screen with w)" {
		t.Errorf("saved without a file: %d %q", code, errs)
	}

	// A stale selection (a column since removed) is a one-line error naming it.
	sel.Features = append(sel.Features[:4], "loyalty_score")
	var buf bytes.Buffer
	if err := sel.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(selFile, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{"raw", "auto"} {
		_, errs, code = run(t, "train", "--json", "--data", "customers", "--target", "churn", "--model", "tree", "--cv", "3", "--pipeline", mode, "-w", ws)
		if code == 0 || !strings.Contains(errs, `"loyalty_score"`) || !strings.Contains(errs, "topk-5.json") || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
			t.Errorf("stale selection, %s: exit %d %q", mode, code, errs)
		}
	}
}
