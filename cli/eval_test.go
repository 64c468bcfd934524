package cli

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/workspace"
)

// evalWorkspace trains a logreg run on churnCSV in a new workspace whose
// card has a metric threshold, business values and "plan" as sensitive
// column; it returns the workspace folder, the data file and the run id.
func evalWorkspace(t *testing.T, limit float64) (string, string, string) {
	t.Helper()
	dir := t.TempDir()
	p := churnCSV(t, dir, 400)
	ws := filepath.Join(dir, "ws")
	if _, errs, code := run(t, "init", ws); code != 0 {
		t.Fatal(errs)
	}
	w, err := workspace.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	c := w.Card()
	c.Task, c.Target = workspace.TaskBinary, "churn"
	c.Metric = workspace.MetricGoal{Name: "roc_auc", Threshold: &limit}
	c.Business = workspace.Business{TruePositiveValue: 100, FalsePositiveCost: 10, FalseNegativeCost: 50}
	c.Privacy.SensitiveAttributes = []string{"plan"}
	ratio := 0.8
	c.Fairness.MinDisparateImpactRatio = &ratio
	if err := w.SaveCard(c); err != nil {
		t.Fatal(err)
	}
	got := trainRaw(t, "--data", p, "--target", "churn", "--model", "logreg", "--exclude", "price,tier", "-w", ws)
	return ws, p, got["run_id"].(string)
}

func evalRaw(t *testing.T, args ...string) (map[string]any, EvalJSON) {
	t.Helper()
	out, errs, code := run(t, append([]string{"eval", "--json", "--bootstrap", "50"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if strings.Contains(out, "NaN") {
		t.Errorf("JSON holds NaN: %s", out)
	}
	var raw map[string]any
	var typed EvalJSON
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("bad JSON %q: %v", out, err)
	}
	if err := json.Unmarshal([]byte(out), &typed); err != nil {
		t.Fatal(err)
	}
	return raw, typed
}

func TestEvalJSON(t *testing.T) {
	ws, _, id := evalWorkspace(t, 0.8)
	raw, got := evalRaw(t, id[:15], "-w", ws)
	if got.RunID != id || got.Task != "binary" || got.Rows != 400 || got.PrimaryMetric != "roc_auc" {
		t.Fatalf("head: %+v", got)
	}
	for _, k := range []string{"metrics", "ci", "checks", "fairness", "threshold", "slices", "passed"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("no key %q in %v", k, raw)
		}
	}
	auc := float64(got.Metrics["roc_auc"])
	if !(auc > 0.8 && auc <= 1) {
		t.Errorf("roc_auc %v on a learnable target", auc)
	}
	if ci := got.CI["roc_auc"]; !(float64(ci[0]) <= auc && auc <= float64(ci[1])) {
		t.Errorf("roc_auc %v outside its interval %v", auc, ci)
	}
	// The held-out AUC equals the engine's on the stored predictions.
	if got.Threshold == nil || got.Threshold.Best == nil || float64(got.Threshold.Used) != 0.5 || got.Threshold.Saved != nil {
		t.Fatalf("threshold %+v", got.Threshold)
	}
	b := got.Threshold.Best
	if n := b.TP + b.FP + b.FN + b.TN; n != 400 {
		t.Errorf("best confusion sums to %d", n)
	}
	// profit per 1,000 = 1000·(100·TP − 10·FP − 50·FN)/N, literal payoff of the card.
	want := 1000 * (100*float64(b.TP) - 10*float64(b.FP) - 50*float64(b.FN)) / 400
	if math.Abs(float64(b.Per1000)-want) > 1e-9 {
		t.Errorf("best profit %v, want %v", b.Per1000, want)
	}
	if len(got.Fairness) != 1 || got.Fairness[0].Column != "plan" || len(got.Fairness[0].Groups) != 3 {
		t.Fatalf("fairness %+v", got.Fairness)
	}
	var cnt float64
	for _, g := range got.Fairness[0].Groups {
		cnt += g.Count
	}
	if cnt != 400 {
		t.Errorf("fairness groups hold %v rows", cnt)
	}
	if len(got.Checks) != 2 || got.Checks[0].Name != "roc_auc" || !got.Checks[0].Pass || float64(got.Checks[0].Limit) != 0.8 {
		t.Errorf("checks %+v", got.Checks)
	}
}

func TestEvalCheckFails(t *testing.T) {
	ws, _, id := evalWorkspace(t, 0.999)
	_, got := evalRaw(t, id, "-w", ws)
	if len(got.Checks) == 0 || got.Checks[0].Pass || got.Passed {
		t.Errorf("an AUC limit of 0.999 passed: %+v", got.Checks)
	}
	out, _, code := run(t, "eval", id, "-w", ws, "--bootstrap", "0")
	if code != 0 || !strings.Contains(out, "FAIL  roc_auc ≥ 0.999") {
		t.Errorf("text output:\n%s", out)
	}
}

func TestEvalSaveThresholdAndReport(t *testing.T) {
	ws, _, id := evalWorkspace(t, 0.8)
	_, got := evalRaw(t, id, "-w", ws, "--save-threshold", "0.3")
	if got.Threshold.Saved == nil || float64(*got.Threshold.Saved) != 0.3 || float64(got.Threshold.Used) != 0.3 {
		t.Fatalf("threshold after save: %+v", got.Threshold)
	}
	b, err := os.ReadFile(filepath.Join(ws, "runs", id, "threshold.json"))
	if err != nil || !strings.Contains(string(b), `"threshold": 0.3`) {
		t.Fatalf("threshold.json %s %v", b, err)
	}
	// The confusion matrix now uses 0.3: predicted positives = TP+FP at 0.3.
	at := got.Threshold.AtUsed
	if float64(got.Confusion[0][1]) != float64(at.FP) || float64(got.Confusion[1][1]) != float64(at.TP) {
		t.Errorf("confusion %v vs point %+v", got.Confusion, at)
	}
	// A later eval reads it back.
	_, again := evalRaw(t, id, "-w", ws)
	if again.Threshold.Saved == nil || float64(*again.Threshold.Saved) != 0.3 {
		t.Errorf("saved threshold not read back: %+v", again.Threshold)
	}
	_, best := evalRaw(t, id, "-w", ws, "--save-threshold", "best", "--report")
	if float64(best.Threshold.Used) != float64(best.Threshold.Best.Threshold) {
		t.Errorf("best not saved: %+v", best.Threshold)
	}
	if best.Report == nil {
		t.Fatal("no report paths")
	}
	for _, p := range []string{best.Report.Markdown, best.Report.HTML} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Size() > 1<<20 || fi.Size() < 1000 {
			t.Errorf("%s has %d bytes", p, fi.Size())
		}
	}
	h, _ := os.ReadFile(best.Report.HTML)
	for _, bad := range []string{"http://", "https://", "<script", "src="} {
		if strings.Contains(string(h), bad) {
			t.Errorf("HTML report holds %q: not self-contained", bad)
		}
	}
	if !strings.Contains(string(h), "<svg") || !strings.Contains(string(h), "Fairness across plan") {
		t.Error("HTML report lacks its charts or fairness table")
	}
	if _, errs, code := run(t, "eval", id, "-w", ws, "--save-threshold", "abc"); code == 0 || strings.Count(errs, "\n") != 1 {
		t.Errorf("bad threshold: %d %q", code, errs)
	}
}

func TestEvalNewData(t *testing.T) {
	ws, p, id := evalWorkspace(t, 0.8)
	_, heldOut := evalRaw(t, id, "-w", ws, "--bootstrap", "0")
	_, got := evalRaw(t, id, "-w", ws, "--data", p, "--bootstrap", "0")
	if !strings.HasPrefix(got.Source, "new data") || got.Rows != 400 {
		t.Fatalf("source %q rows %d", got.Source, got.Rows)
	}
	// In-sample AUC of the final model is at least about the held-out one
	// (0.02 of slack: logreg barely overfits 400 rows, 3 features).
	if float64(got.Metrics["roc_auc"]) < float64(heldOut.Metrics["roc_auc"])-0.02 {
		t.Errorf("in-sample AUC %v below held-out %v", got.Metrics["roc_auc"], heldOut.Metrics["roc_auc"])
	}
	bad := writeFile(t, t.TempDir(), "x.csv", "a,b\n1,2\n")
	if _, errs, code := run(t, "eval", id, "-w", ws, "--data", bad); code == 0 || !strings.Contains(errs, `no target column "churn"`) {
		t.Errorf("bad data: %d %q", code, errs)
	}
	if _, errs, code := run(t, "eval", "nosuchrun", "-w", ws); code == 0 || !strings.Contains(errs, "no run") {
		t.Errorf("no run: %d %q", code, errs)
	}
}

func TestEvalRegression(t *testing.T) {
	ws, p, _ := evalWorkspace(t, 0.8)
	got := trainRaw(t, "--data", p, "--target", "price", "--model", "ridge", "--exclude", "churn,tier", "-w", ws)
	id := got["run_id"].(string)
	raw, ev := evalRaw(t, id, "-w", ws, "--report")
	if ev.Task != "regression" || ev.PrimaryMetric != "rmse" || raw["threshold"] != nil {
		t.Fatalf("task %s metric %s threshold %v", ev.Task, ev.PrimaryMetric, raw["threshold"])
	}
	// price = 2·tenure + spend + (i mod 7): a linear model leaves residuals
	// of about the (i mod 7) term, whose sd is 2; RMSE well under 3.
	if r := float64(ev.Metrics["rmse"]); !(r > 0 && r < 3) {
		t.Errorf("rmse %v", r)
	}
	// The roc_auc check of the card does not apply to a regression run, nor
	// do the fairness limits on selection rates; its groups of plan are
	// compared on mean prediction and MAE.
	if len(ev.Checks) != 0 || len(ev.Fairness) != 0 || len(ev.RegFair) != 1 {
		t.Fatalf("checks %+v fairness %+v %+v", ev.Checks, ev.Fairness, ev.RegFair)
	}
	rf := ev.RegFair[0]
	lo, hi, mlo, mhi, n := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1), 0.0
	for _, g := range rf.Groups {
		lo, hi = min(lo, float64(g.MeanPrediction)), max(hi, float64(g.MeanPrediction))
		mlo, mhi = min(mlo, float64(g.MAE)), max(mhi, float64(g.MAE))
		n += g.Count
	}
	if rf.Column != "plan" || len(rf.Groups) != 3 || n != 400 || float64(rf.MeanPredictionDifference) != hi-lo || float64(rf.MAEDifference) != mhi-mlo {
		t.Errorf("regression fairness %+v", rf)
	}
	h, err := os.ReadFile(ev.Report.HTML)
	if err != nil || !strings.Contains(string(h), "Residuals against predicted") || !strings.Contains(string(h), "<circle") {
		t.Errorf("regression report lacks its residual chart: %v", err)
	}
}

func TestEvalExplain(t *testing.T) {
	ws, _, id := evalWorkspace(t, 0.8)
	_, got := evalRaw(t, id, "-w", ws, "--explain", "--bootstrap", "0")
	// churn follows tenure (tenure < 20), not spend or plan.
	if len(got.Importance) != 3 || got.Importance[0].Feature != "tenure" || !(float64(got.Importance[0].Mean) > 0.1) {
		t.Fatalf("importance %+v", got.Importance)
	}
	pd := got.PD["tenure"]
	if len(pd) < 5 || !(float64(pd[0].Mean) > float64(pd[len(pd)-1].Mean)) {
		t.Errorf("partial dependence on tenure should fall: %+v", pd)
	}
}

func TestEvalCompare(t *testing.T) {
	ws, p, a := evalWorkspace(t, 0.8)
	got := trainRaw(t, "--data", p, "--target", "churn", "--model", "rf", "--param", "n_estimators=10", "--exclude", "price,tier", "-w", ws)
	b := got["run_id"].(string)
	_, ev := evalRaw(t, a, "-w", ws, "--compare", b)
	_, evb := evalRaw(t, b, "-w", ws)
	c := ev.Compare
	if c == nil || c.RunID != b || c.Model != "rf" {
		t.Fatalf("compare %+v", c)
	}
	d := c.Metrics["roc_auc"]
	if d.A != ev.Metrics["roc_auc"] || d.B != evb.Metrics["roc_auc"] || math.Abs(float64(d.Diff-(d.B-d.A))) > 1e-15 {
		t.Errorf("roc_auc diff %+v vs %v and %v", d, ev.Metrics["roc_auc"], evb.Metrics["roc_auc"])
	}
	if want := map[bool]string{true: "b", false: "a"}[d.B > d.A]; d.A != d.B && d.Better != want {
		t.Errorf("better %q, want %q", d.Better, want)
	}
}

func TestEvalRobustness(t *testing.T) {
	ws, p, _ := evalWorkspace(t, 0.8)
	kinds := func(rs []EvalRobustJSON) map[string][]EvalRobustJSON {
		out := map[string][]EvalRobustJSON{}
		for _, r := range rs {
			out[r.Kind] = append(out[r.Kind], r)
		}
		return out
	}
	// logreg refuses missing values: only noise and category swaps (plan is
	// categorical) are tried.
	_, lr := evalRaw(t, mustRun(t, ws), "-w", ws, "--explain", "--bootstrap", "0")
	if k := kinds(lr.Robustness); len(k["noise"]) != 3 || len(k["swap"]) != 3 || len(k["missing"]) != 0 || !strings.Contains(lr.RobustNote, "missing values not tried") {
		t.Errorf("logreg robustness %+v note %q", lr.Robustness, lr.RobustNote)
	}
	g := trainRaw(t, "--data", p, "--target", "churn", "--model", "gbdt", "--param", "n_estimators=20", "--exclude", "price,tier", "-w", ws)
	id := g["run_id"].(string)
	_, got := evalRaw(t, id, "-w", ws, "--explain", "--bootstrap", "0")
	k := kinds(got.Robustness)
	if len(k["noise"]) != 3 || len(k["swap"]) != 3 || len(k["missing"]) != 3 || k["missing"][2].Level != 0.5 {
		t.Fatalf("robustness %+v", got.Robustness)
	}
	// Half the values missing must cost AUC on a target that depends on
	// one feature; a tenth of an sd of noise barely changes it.
	if !(float64(k["missing"][2].Score) < float64(k["noise"][0].Score)) {
		t.Errorf("50%% missing scored %v, 0.1 sd noise %v", k["missing"][2].Score, k["noise"][0].Score)
	}
}

// mustRun returns the id of the only run in workspace ws.
func mustRun(t *testing.T, ws string) string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(ws, "runs"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			return e.Name()
		}
	}
	t.Fatal("no run")
	return ""
}

func TestEvalLearningCurve(t *testing.T) {
	ws, _, id := evalWorkspace(t, 0.8)
	_, got := evalRaw(t, id, "-w", ws, "--learning-curve", "--bootstrap", "0")
	lc := got.Learning
	// 400 rows in 5 stratified folds: 320 training rows per fold, refits on
	// ⌊0.1·320⌋ = 32 … 320 of them.
	if lc == nil || lc.Folds != 5 || lc.Metric != "roc_auc" || len(lc.Points) != 10 || lc.Points[0].TrainRows != 32 || lc.Points[9].TrainRows != 320 || lc.Points[9].Fraction != 1 {
		t.Fatalf("learning curve %+v", lc)
	}
	for _, p := range lc.Points {
		if s := float64(p.ValidMean); !(s > 0.5 && s <= 1) || len(p.Valid) != 5 || len(p.Train) != 5 {
			t.Errorf("validation AUC %v at %d rows (%v)", s, p.TrainRows, p.Valid)
		}
		if !(float64(p.ValidStd) >= 0 && float64(p.TrainStd) >= 0) {
			t.Errorf("std %v %v", p.TrainStd, p.ValidStd)
		}
	}
	// The training score of the smallest refit is above its validation
	// score (32 rows fit better than they generalise).
	if p := lc.Points[0]; !(float64(p.TrainMean) > float64(p.ValidMean)) {
		t.Errorf("at %d rows training %v, validation %v", p.TrainRows, p.TrainMean, p.ValidMean)
	}
	if _, errs, code := run(t, "eval", id, "-w", ws, "--learning-curve", "--folds", "1"); code == 0 || !strings.Contains(errs, "--folds 1") {
		t.Errorf("--folds 1: exit %d %q", code, errs)
	}
}

func TestRunsComparePaired(t *testing.T) {
	ws, p, a := evalWorkspace(t, 0.8)
	g := trainRaw(t, "--data", p, "--target", "churn", "--model", "gbdt", "--param", "n_estimators=20", "--exclude", "price,tier", "-w", ws)
	b := g["run_id"].(string)
	out, errs, code := run(t, "runs", "compare", a, b, "-w", ws, "--json")
	if code != 0 {
		t.Fatal(errs)
	}
	var got struct {
		Paired PairedJSON `json:"paired"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	pr := got.Paired
	if !pr.Paired || pr.Metric != "roc_auc" || len(pr.Diffs) != 5 || pr.DF != 4 || float64(pr.Ratio) != 0.25 || !(float64(pr.P) >= 0 && float64(pr.P) <= 1) {
		t.Fatalf("paired %+v", pr)
	}
	// The differences are B's fold AUCs minus A's, as run.json holds them.
	w, err := workspace.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	ra, _ := w.Run(a)
	rb, _ := w.Run(b)
	ma, _ := ra.Metric("roc_auc")
	mb, _ := rb.Metric("roc_auc")
	for j := range 5 {
		if d := float64(mb.Folds[j] - ma.Folds[j]); float64(pr.Diffs[j]) != d {
			t.Errorf("fold %d: diff %v, want %v", j+1, pr.Diffs[j], d)
		}
	}
	text, _, _ := run(t, "runs", "compare", a, b, "-w", ws)
	if !strings.Contains(text, "paired on 5 validation folds, roc_auc B − A") || !strings.Contains(text, "corrected resampled t") {
		t.Errorf("text:\n%s", text)
	}
	// A holdout run is not paired with a 5-fold one.
	h := trainRaw(t, "--data", p, "--target", "churn", "--model", "logreg", "--holdout", "0.25", "--exclude", "price,tier", "-w", ws)
	text, _, _ = run(t, "runs", "compare", a, h["run_id"].(string), "-w", ws)
	if !strings.Contains(text, "not paired: different validation schemes") {
		t.Errorf("holdout text:\n%s", text)
	}
}

// A multiclass run (tier) is compared across plan one-vs-rest per class;
// the summary is the worst class and the card's ratio limit is checked on it.
func TestEvalMulticlassFairness(t *testing.T) {
	ws, p, _ := evalWorkspace(t, 0.8)
	got := trainRaw(t, "--data", p, "--target", "tier", "--model", "logreg", "--exclude", "churn,price", "-w", ws)
	_, ev := evalRaw(t, got["run_id"].(string), "-w", ws, "--bootstrap", "0")
	if ev.Task != "multiclass" || len(ev.ClassFair) != 1 {
		t.Fatalf("task %s fairness by class %+v", ev.Task, ev.ClassFair)
	}
	f := ev.ClassFair[0]
	if len(f.Classes) != 3 {
		t.Fatalf("classes %+v", f.Classes)
	}
	worst := math.Inf(-1)
	for _, c := range f.Classes {
		if len(c.Groups) != 3 {
			t.Errorf("class %s groups %+v", c.Class, c.Groups)
		}
		// Selection rates of one class over the groups: the difference.
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, g := range c.Groups {
			lo, hi = min(lo, float64(g.SelectionRate)), max(hi, float64(g.SelectionRate))
		}
		if d := float64(c.DemographicParityDifference); math.Abs(d-(hi-lo)) > 1e-15 {
			t.Errorf("class %s: difference %v, want %v", c.Class, d, hi-lo)
		}
		worst = max(worst, hi-lo)
	}
	if float64(f.DemographicParityDifference) != worst {
		t.Errorf("worst difference %v, want %v", f.DemographicParityDifference, worst)
	}
	var ratio *EvalCheckJSON
	for i := range ev.Checks {
		if ev.Checks[i].Name == "disparate_impact_ratio plan" {
			ratio = &ev.Checks[i]
		}
	}
	if ratio == nil || ratio.Value != f.DemographicParityRatio {
		t.Errorf("checks %+v, want the ratio %v", ev.Checks, f.DemographicParityRatio)
	}
}
