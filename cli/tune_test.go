package cli

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/engine/tune"
)

// tuneRun runs "mlwb tune --json" and decodes the output.
func tuneRun(t *testing.T, args ...string) TuneJSON {
	t.Helper()
	out, errs, code := run(t, append([]string{"tune", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if errs != "" {
		t.Errorf("--json must keep stderr quiet, got %q", errs)
	}
	var got TuneJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("bad JSON %q: %v", out, err)
	}
	return got
}

// trialKey is a trial without its timing, for comparing studies.
func trialKey(tr TuneTrialJSON) string {
	b, _ := json.Marshal(struct {
		N int
		P map[string]any
		V any
		S string
		I any
	}{tr.Number, tr.Params, tr.Value, tr.State, tr.Intermediate})
	return string(b)
}

func TestTuneReproducibleWithOneJob(t *testing.T) {
	dir := t.TempDir()
	data := churnCSV(t, dir, 300)
	args := []string{"--data", data, "--target", "churn", "--model", "logreg", "--trials", "6", "-j", "1", "--seed", "7"}
	a := tuneRun(t, args...)
	b := tuneRun(t, args...)
	if len(a.Trials) != 6 || len(b.Trials) != 6 {
		t.Fatalf("want 6 trials, got %d and %d", len(a.Trials), len(b.Trials))
	}
	for i := range a.Trials {
		if trialKey(a.Trials[i]) != trialKey(b.Trials[i]) {
			t.Errorf("trial %d differs:\n%s\n%s", i, trialKey(a.Trials[i]), trialKey(b.Trials[i]))
		}
	}
	if !a.Scratch || a.Metric != "accuracy" || a.Direction != "maximize" || a.Sampler != "tpe" {
		t.Errorf("study = %+v, want a scratch tpe study maximising accuracy", a)
	}
	if a.Best == nil {
		t.Fatal("no best trial")
	}
	// The best is the complete trial with the largest accuracy.
	best := math.Inf(-1)
	for _, tr := range a.Trials {
		if tr.State == "complete" && float64(tr.Value) > best {
			best = float64(tr.Value)
		}
		if tr.State == "complete" && len(tr.Intermediate) != 3 {
			t.Errorf("trial %d: %d intermediate values, want one per fold of the default 3-fold CV", tr.Number, len(tr.Intermediate))
		}
		if _, ok := tr.Params["C"]; !ok {
			t.Errorf("trial %d has no C: %v", tr.Number, tr.Params)
		}
	}
	if float64(a.Best.Value) != best {
		t.Errorf("best = %v, want %v", a.Best.Value, best)
	}
	// The last intermediate value of a complete trial is the mean over folds.
	for _, tr := range a.Trials {
		if tr.State == "complete" {
			if last := float64(tr.Intermediate[len(tr.Intermediate)-1]); math.Abs(last-float64(tr.Value)) > 1e-12 {
				t.Errorf("trial %d: last running mean %v, value %v", tr.Number, last, tr.Value)
			}
		}
	}
	// The scratch study can be resumed by its folder.
	c := tuneRun(t, "--resume", a.Dir, "--trials", "2", "-j", "1")
	if len(c.Trials) != 8 || c.Trials[7].Number != 7 {
		t.Errorf("resumed study has %d trials, want 8 numbered 0..7", len(c.Trials))
	}
	for i := range 6 {
		if trialKey(c.Trials[i]) != trialKey(a.Trials[i]) {
			t.Errorf("resume changed trial %d", i)
		}
	}
	os.RemoveAll(a.Dir)
	os.RemoveAll(b.Dir)
}

func TestTuneWorkspaceResumeAfterKill(t *testing.T) {
	dir := t.TempDir()
	data := churnCSV(t, dir, 240)
	ws := filepath.Join(dir, "ws")
	if _, errs, code := run(t, "init", ws); code != 0 {
		t.Fatalf("init: %s", errs)
	}
	space := writeFile(t, dir, "space.txt", "max_depth: int 1..6\nmin_samples_leaf: int 1..20 log\n")
	a := tuneRun(t, "--data", data, "--target", "churn", "--model", "tree", "--space", space, "--trials", "4",
		"-j", "2", "--seed", "1", "-w", ws, "--metric", "balanced_accuracy", "--pruner", "median")
	if a.Scratch || !strings.HasPrefix(a.Dir, filepath.Join(ws, "studies")) {
		t.Fatalf("study in %s, want it under the workspace's studies/", a.Dir)
	}
	if len(a.Trials) != 4 || a.Counts["complete"]+a.Counts["pruned"] != 4 {
		t.Fatalf("trials %+v", a.Counts)
	}
	// A process died while trial 4 was running: its start is in the log,
	// its end is not.
	f, err := os.OpenFile(filepath.Join(a.Dir, tune.LogFile), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(f, `{"ev":"start","n":4,"at":"2026-11-25T10:00:00Z","params":{"max_depth":3,"min_samples_leaf":2}}`)
	fmt.Fprint(f, `{"ev":"step","n":4,"st`) // torn last line
	f.Close()

	// While another process holds the study, resuming is refused.
	cfg, err := tune.LoadConfig(a.Dir)
	if err != nil {
		t.Fatal(err)
	}
	opts, err := cfg.Options()
	if err != nil {
		t.Fatal(err)
	}
	held, err := tune.Open(a.Dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	_, errs, code := run(t, "tune", "--resume", a.StudyID, "-w", ws, "--trials", "1")
	if code == 0 || !strings.Contains(errs, "in use by another mlwb") || strings.Count(errs, "\n") != 1 {
		t.Errorf("second process: exit %d, %q; want a one-line in-use error", code, errs)
	}
	held.Close()

	b := tuneRun(t, "--resume", a.StudyID, "-w", ws, "--trials", "2", "-j", "1")
	if len(b.Trials) != 7 {
		t.Fatalf("resumed: %d trials, want 4 + 1 interrupted + 2", len(b.Trials))
	}
	if tr := b.Trials[4]; tr.State != "failed" || tr.Error != "interrupted" {
		t.Errorf("trial 4 = %+v, want failed (interrupted)", tr)
	}
	for i := range 4 {
		if trialKey(b.Trials[i]) != trialKey(a.Trials[i]) {
			t.Errorf("resume changed trial %d", i)
		}
	}
	if b.Metric != "balanced_accuracy" || b.Model != "tree" || b.Pruner != "median" {
		t.Errorf("resume lost the study's settings: %+v", b)
	}
}

func TestTuneBadInput(t *testing.T) {
	dir := t.TempDir()
	data := churnCSV(t, dir, 120)
	empty := writeFile(t, dir, "empty.txt", "# nothing\n")
	backwards := writeFile(t, dir, "backwards.txt", "C: float 10..1 log\n")
	unknown := writeFile(t, dir, "unknown.txt", "max_depth: int 1..3\nmax_dpth: int 1..3\n")
	var txt strings.Builder
	txt.WriteString("id,x,y\n")
	for i := range 40 {
		fmt.Fprintf(&txt, "row-%d,%d,%d\n", i, i%7, i%2)
	}
	withText := writeFile(t, dir, "text.csv", txt.String())
	base := []string{"tune", "--data", data, "--target", "churn", "--trials", "2", "-j", "1"}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no model", nil, "--model is required"},
		{"empty space", []string{"--model", "logreg", "--space", empty}, "no parameters"},
		{"contradictory space", []string{"--model", "logreg", "--space", backwards}, "backwards.txt:1"},
		{"unknown parameter", []string{"--model", "tree", "--space", unknown}, "max_dpth"},
		{"metric of another task", []string{"--model", "logreg", "--metric", "rmse"}, "accuracy, balanced_accuracy"},
		{"unknown sampler", []string{"--model", "logreg", "--sampler", "bayes"}, "--sampler"},
		{"unknown pruner", []string{"--model", "logreg", "--pruner", "hyperband"}, "--pruner"},
		{"no default space", []string{"--model", "kmeans"}, "--space FILE"},
		{"text column", []string{"--model", "logreg", "--data", withText, "--target", "y"}, "--exclude id"},
		{"resume unknown", []string{"--resume", filepath.Join(dir, "nope"), "-w", dir}, ""},
	}
	for _, c := range cases {
		args := append(append([]string{}, base...), c.args...)
		if c.name == "resume unknown" {
			args = []string{"tune", "--resume", "nope", "-w", dir}
		}
		_, errs, code := run(t, args...)
		if code == 0 {
			t.Errorf("%s: exit 0", c.name)
			continue
		}
		if !strings.Contains(errs, c.want) || strings.Count(errs, "\n") != 1 {
			t.Errorf("%s: error %q, want one line containing %q", c.name, errs, c.want)
		}
	}
}

func TestTuneFailedTrialsDoNotStopTheStudy(t *testing.T) {
	dir := t.TempDir()
	data := churnCSV(t, dir, 150)
	// min_samples_leaf 0 is refused by the tree: half of the trials fail.
	space := writeFile(t, dir, "space.txt", "min_samples_leaf: int 0..1\nmax_depth: int 1..4\n")
	got := tuneRun(t, "--data", data, "--target", "churn", "--model", "tree", "--space", space,
		"--trials", "6", "-j", "1", "--seed", "2", "--sampler", "random")
	if len(got.Trials) != 6 {
		t.Fatalf("%d trials, want 6", len(got.Trials))
	}
	failed, complete := 0, 0
	for _, tr := range got.Trials {
		leaf := tr.Params["min_samples_leaf"]
		switch {
		case tr.State == "failed":
			failed++
			if tr.Error == "" || !math.IsNaN(float64(tr.Value)) {
				t.Errorf("failed trial %d: error %q value %v", tr.Number, tr.Error, tr.Value)
			}
		case tr.State == "complete":
			complete++
		}
		if fmt.Sprint(leaf) == "0" && tr.State != "failed" {
			t.Errorf("trial %d with min_samples_leaf 0 is %s", tr.Number, tr.State)
		}
	}
	if failed == 0 || complete == 0 || got.Best == nil {
		t.Errorf("failed %d complete %d best %v: want both kinds and a best", failed, complete, got.Best)
	}
	os.RemoveAll(got.Dir)
}
