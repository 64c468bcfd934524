package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
func trainRaw(t *testing.T, args ...string) map[string]any {
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
		{[]string{"--data", text, "--target", "y", "--model", "tree"}, `column "name" is text`},
		{[]string{"--data", text, "--target", "y", "--model", "tree", "--pipeline", "default"}, `pipeline leaves no feature: "name" identifier-like`},
		{[]string{"--data", text, "--target", "y", "--model", "tree", "--pipeline", "fancy"}, `want raw or default`},
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
	if _, errs, code := run(t, "train", "--data", p, "--target", "price", "--model", "linear", "--exclude", "id"); code == 0 || !strings.Contains(errs, "missing values") {
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
