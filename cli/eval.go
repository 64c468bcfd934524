package cli

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mlwb/mlwb/engine/metrics"
	"github.com/mlwb/mlwb/engine/report"
	"github.com/spf13/cobra"
)

// EvalJSON is the documented output of "mlwb eval --json".
type EvalJSON struct {
	RunID         string                  `json:"run_id"`
	Task          string                  `json:"task"`
	Model         string                  `json:"model"`
	Source        string                  `json:"source"`
	Rows          int                     `json:"rows"`
	PositiveLabel *string                 `json:"positive_label,omitempty"`
	PrimaryMetric string                  `json:"primary_metric"`
	Metrics       map[string]jnum         `json:"metrics"`
	CI            map[string][2]jnum      `json:"ci,omitempty"`
	CILevel       float64                 `json:"ci_level,omitempty"`
	Bootstrap     int                     `json:"bootstrap,omitempty"`
	Labels        []string                `json:"labels,omitempty"`
	Confusion     [][]float64             `json:"confusion_matrix,omitempty"`
	Threshold     *EvalThresholdJSON      `json:"threshold"`
	Checks        []EvalCheckJSON         `json:"checks"`
	Passed        bool                    `json:"passed"`
	Fairness      []EvalFairnessJSON      `json:"fairness"`
	ClassFair     []EvalClassFairJSON     `json:"fairness_by_class,omitempty"`
	RegFair       []EvalRegFairJSON       `json:"fairness_regression,omitempty"`
	Slices        []EvalSliceJSON         `json:"slices"`
	Importance    []EvalImportJSON        `json:"importance,omitempty"`
	PD            map[string][]EvalPDJSON `json:"partial_dependence,omitempty"`
	PDOf          string                  `json:"partial_dependence_of,omitempty"`
	ExplainNote   string                  `json:"explain_note,omitempty"`
	Robustness    []EvalRobustJSON        `json:"robustness,omitempty"`
	RobustNote    string                  `json:"robustness_note,omitempty"`
	Compare       *EvalCompareJSON        `json:"compare,omitempty"`
	Learning      *EvalLearningJSON       `json:"learning_curve,omitempty"`
	Report        *EvalReportJSON         `json:"report,omitempty"`
	Warnings      []string                `json:"warnings"`
}

// EvalThresholdJSON is the binary decision threshold analysis.
type EvalThresholdJSON struct {
	Used    jnum                `json:"used"`
	Saved   *jnum               `json:"saved"`
	AtUsed  EvalPointJSON       `json:"at_used"`
	Best    *EvalPointJSON      `json:"best"`
	Payoff  *map[string]float64 `json:"payoff"`
	SavedTo string              `json:"saved_to,omitempty"`
}

// EvalPointJSON is the state of the classifier at one threshold.
type EvalPointJSON struct {
	Threshold jnum  `json:"threshold"`
	TP        int64 `json:"tp"`
	FP        int64 `json:"fp"`
	FN        int64 `json:"fn"`
	TN        int64 `json:"tn"`
	Precision jnum  `json:"precision"`
	Recall    jnum  `json:"recall"`
	F1        jnum  `json:"f1"`
	Per1000   jnum  `json:"profit_per_1000"`
}

// EvalCheckJSON is one card check.
type EvalCheckJSON struct {
	Name   string `json:"name"`
	Value  jnum   `json:"value"`
	Limit  jnum   `json:"limit"`
	Pass   bool   `json:"pass"`
	Detail string `json:"detail"`
}

// EvalFairnessJSON is one sensitive column.
type EvalFairnessJSON struct {
	Column                      string          `json:"column"`
	Groups                      []EvalGroupJSON `json:"groups"`
	DemographicParityDifference jnum            `json:"demographic_parity_difference"`
	DemographicParityRatio      jnum            `json:"demographic_parity_ratio"`
	FourFifthsViolated          bool            `json:"four_fifths_violated"`
	EqualizedOddsDifference     jnum            `json:"equalized_odds_difference"`
	EqualOpportunityDifference  jnum            `json:"equal_opportunity_difference"`
}

// EvalGroupJSON is one group of a sensitive column.
type EvalGroupJSON struct {
	Group         string  `json:"group"`
	Count         float64 `json:"count"`
	SelectionRate jnum    `json:"selection_rate"`
	TPR           jnum    `json:"tpr"`
	FPR           jnum    `json:"fpr"`
	Precision     jnum    `json:"precision"`
	Accuracy      jnum    `json:"accuracy"`
}

// EvalClassFairJSON is the one-vs-rest fairness of a multiclass run across
// one sensitive column: per class the binary groups, and the worst class's
// gaps (maximum differences, minimum ratio).
type EvalClassFairJSON struct {
	Column                      string              `json:"column"`
	Classes                     []EvalClassGapsJSON `json:"classes"`
	DemographicParityDifference jnum                `json:"demographic_parity_difference"`
	DemographicParityRatio      jnum                `json:"demographic_parity_ratio"`
	FourFifthsViolated          bool                `json:"four_fifths_violated"`
	EqualizedOddsDifference     jnum                `json:"equalized_odds_difference"`
	EqualOpportunityDifference  jnum                `json:"equal_opportunity_difference"`
}

// EvalClassGapsJSON is one class one-vs-rest.
type EvalClassGapsJSON struct {
	Class                       string          `json:"class"`
	Groups                      []EvalGroupJSON `json:"groups"`
	DemographicParityDifference jnum            `json:"demographic_parity_difference"`
	EqualizedOddsDifference     jnum            `json:"equalized_odds_difference"`
}

// EvalRegFairJSON is a regression's fairness across one sensitive column.
type EvalRegFairJSON struct {
	Column                   string             `json:"column"`
	Groups                   []EvalRegGroupJSON `json:"groups"`
	MeanPredictionDifference jnum               `json:"mean_prediction_difference"`
	MAEDifference            jnum               `json:"mae_difference"`
}

// EvalRegGroupJSON is one group of a regression.
type EvalRegGroupJSON struct {
	Group          string  `json:"group"`
	Count          float64 `json:"count"`
	MeanPrediction jnum    `json:"mean_prediction"`
	MeanTarget     jnum    `json:"mean_target"`
	MAE            jnum    `json:"mae"`
}

// EvalSliceJSON is one slice (worst first).
type EvalSliceJSON struct {
	Feature string `json:"feature"`
	Value   string `json:"value"`
	Count   int    `json:"count"`
	Metric  jnum   `json:"metric"`
	Delta   jnum   `json:"delta"`
}

// EvalImportJSON is one feature's permutation importance (drop of the
// score when the feature is shuffled; mean and std over 5 repeats).
type EvalImportJSON struct {
	Feature string `json:"feature"`
	Mean    jnum   `json:"mean"`
	Std     jnum   `json:"std"`
}

// EvalRobustJSON is the score under one perturbation: Gaussian noise of
// level standard deviations on numeric features, or a share level of
// values missing.
type EvalRobustJSON struct {
	Kind  string  `json:"kind"`
	Level float64 `json:"level"`
	Score jnum    `json:"score"`
}

// EvalLearningJSON is the cross-validated learning curve (--learning-curve).
type EvalLearningJSON struct {
	Metric     string       `json:"metric"`
	Validation string       `json:"validation"`
	Folds      int          `json:"folds"`
	Points     []EvalLCJSON `json:"points"`
}

// EvalLCJSON is one training size of the learning curve: the metric on the
// training rows and on the validation fold, mean and std (ddof 0) over the
// folds, and per fold.
type EvalLCJSON struct {
	TrainRows int     `json:"train_rows"`
	Fraction  float64 `json:"fraction"`
	TrainMean jnum    `json:"train_mean"`
	TrainStd  jnum    `json:"train_std"`
	ValidMean jnum    `json:"valid_mean"`
	ValidStd  jnum    `json:"valid_std"`
	Train     []jnum  `json:"train"`
	Valid     []jnum  `json:"valid"`
}

// EvalPDJSON is one point of a partial dependence curve.
type EvalPDJSON struct {
	Value jnum `json:"value"`
	Mean  jnum `json:"mean"`
}

// EvalCompareJSON sets another run's metrics beside this one's (--compare).
type EvalCompareJSON struct {
	RunID   string                  `json:"run_id"`
	Model   string                  `json:"model"`
	Metrics map[string]EvalDiffJSON `json:"metrics"`
	// Paired compares the runs' validation folds (see mlwb runs compare).
	Paired PairedJSON `json:"paired"`
}

// EvalDiffJSON is one metric of both runs: A this run, B the other, and
// B's 95% bootstrap interval.
type EvalDiffJSON struct {
	A      jnum    `json:"a"`
	B      jnum    `json:"b"`
	Diff   jnum    `json:"diff"`
	CIB    [2]jnum `json:"ci_b"`
	Better string  `json:"better"`
}

// EvalReportJSON names the report files written with --report.
type EvalReportJSON struct {
	Markdown string `json:"markdown"`
	HTML     string `json:"html"`
}

type evalFlags struct {
	dir, data, save string
	asJSON, report  bool
	explain         bool
	learning        bool
	compare         string
	b, slices       int
	folds           int
}

func newEvalCmd(e *env) *cobra.Command {
	var fl evalFlags
	cmd := &cobra.Command{
		Use:   "eval RUN_ID",
		Short: "Evaluate a training run: metrics with intervals, threshold, fairness, slices, card checks",
		Long: `Evaluate a run of the workspace on its held-out predictions (out-of-fold or
test set), or with --data FILE its model on new labelled data. Metrics are
scikit-learn's, each with a 95% percentile bootstrap interval (--bootstrap N
replicates, 0 for none). For a binary task the decision threshold is the one
saved with the run (runs/<id>/threshold.json) or 0.5; with the card's business
values the profit per 1,000 predictions and the profit-maximising threshold
are shown. Fairness compares the groups of the card's sensitive columns
(Fairlearn's definitions), slices list the primary metric per category and
quantile bin of each feature, worst first, and checks hold the run against
the card (metric threshold, fairness limits).

  --save-threshold T|best   save a decision threshold with the run
  --report                  write reports/<run>-eval.md and .html and print the paths
  --explain                 permutation importance and partial dependence
  --compare OTHER_RUN       evaluate another run the same way, metrics side by side
  --learning-curve          cross-validated learning curve: in each of --folds folds
                            (stratified for classification, shuffled with the run's
                            seed) refit on 10%..100% of the fold's training rows and
                            score on them and on the fold's validation rows

RUN_ID may be any unique prefix of a run id. The exit status is 0 even when a
check fails; scripts read "passed".

JSON output (--json): {"run_id", "task", "model", "source", "rows",
"positive_label", "primary_metric", "metrics": {name: number}, "ci": {name:
[lo, hi]}, "ci_level", "bootstrap", "labels", "confusion_matrix" (rows true,
columns predicted), "threshold": null or {"used", "saved", "at_used", "best":
{"threshold", "tp", "fp", "fn", "tn", "precision", "recall", "f1",
"profit_per_1000"}, "payoff", "saved_to"}, "checks": [{"name", "value",
"limit", "pass", "detail"}], "passed", "fairness": [{"column", "groups":
[{"group", "count", "selection_rate", "tpr", "fpr", "precision",
"accuracy"}], "demographic_parity_difference", "demographic_parity_ratio",
"four_fifths_violated", "equalized_odds_difference",
"equal_opportunity_difference"}] (binary tasks), "fairness_by_class" (multiclass:
one-vs-rest per class on the most probable class) [{"column", "classes":
[{"class", "groups": [as above], "demographic_parity_difference",
"equalized_odds_difference"}], and the worst class's
"demographic_parity_difference" (max), "demographic_parity_ratio" (min),
"four_fifths_violated", "equalized_odds_difference",
"equal_opportunity_difference" (max)}], "fairness_regression" [{"column",
"groups": [{"group", "count", "mean_prediction", "mean_target", "mae"}],
"mean_prediction_difference", "mae_difference"}] (max − min over groups),
"slices": [{"feature", "value", "count",
"metric", "delta"}], with --explain "importance": [{"feature", "mean",
"std"}], "partial_dependence": {number feature: [{"value", "mean"}]},
"partial_dependence_of" ("P(class)" averaged for a classifier, or
"prediction") and
"explain_note", "robustness": [{"kind": "noise"|"missing", "level",
"score"}], "robustness_note", with --learning-curve "learning_curve":
{"metric", "validation", "folds", "points": [{"train_rows", "fraction",
"train_mean", "train_std", "valid_mean", "valid_std", "train": [per fold],
"valid": [per fold]}]}, with --compare B "compare": {"run_id", "model", "metrics":
{name: {"a", "b", "diff", "ci_b", "better"}}, "paired": as in mlwb runs
compare --json (this run is A)}, "report": {"markdown", "html"}, "warnings"} with null
where a value is undefined.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runEval(cmd, e, args[0], &fl) },
	}
	f := cmd.Flags()
	f.StringVarP(&fl.dir, "workspace", "w", "", "workspace folder (default: the one containing the current folder)")
	f.StringVar(&fl.data, "data", "", "evaluate the run's model on this labelled file instead of its held-out predictions")
	f.BoolVar(&fl.asJSON, "json", false, "print JSON")
	f.BoolVar(&fl.report, "report", false, "write the Markdown and HTML report into reports/")
	f.IntVar(&fl.b, "bootstrap", 1000, "bootstrap replicates for the intervals (0: none)")
	f.BoolVar(&fl.explain, "explain", false, "add permutation importance and partial dependence (refits nothing; predicts with the run's model)")
	f.BoolVar(&fl.learning, "learning-curve", false, "cross-validated learning curve: refit on 10%..100% of each fold's training rows, score on them and on the fold")
	f.IntVar(&fl.folds, "folds", 5, "folds of the learning curve")
	f.StringVar(&fl.compare, "compare", "", "evaluate another run the same way and set its metrics beside")
	f.IntVar(&fl.slices, "slices", 10, "slices to show (worst first)")
	f.StringVar(&fl.save, "save-threshold", "", `save a decision threshold with the run: a number, or "best" (profit-maximising)`)
	return cmd
}

func runEval(cmd *cobra.Command, e *env, id string, fl *evalFlags) error {
	ws, err := openWorkspaceFlag(fl.dir)
	if err != nil {
		return err
	}
	b := fl.b
	if b <= 0 {
		b = -1
	}
	bar := newProgress(e.stderr, "bootstrap", fl.asJSON)
	ev, err := report.Load(cmd.Context(), ws, id, report.Options{Data: fl.data, B: b, Progress: bar.Update})
	bar.Done()
	if err != nil {
		return err
	}
	savedTo := ""
	if fl.save != "" {
		r := ev.Report.Ranking
		if r == nil {
			return fmt.Errorf("eval: --save-threshold needs a binary run with scores; run %s is %s", ev.Run.ID, ev.Run.Task)
		}
		var t float64
		if fl.save == "best" {
			if ev.Best == nil {
				return fmt.Errorf("eval: --save-threshold best needs the card's business values ([business] in mlwb.toml)")
			}
			t = ev.Best.Threshold
		} else if t, err = strconv.ParseFloat(fl.save, 64); err != nil || math.IsNaN(t) || math.IsInf(t, 0) {
			return fmt.Errorf("eval: --save-threshold %q is neither a number nor \"best\"", fl.save)
		}
		per := math.NaN()
		if ev.HasPayoff {
			per = r.ThresholdAt(t, ev.Payoff).Per1000
		}
		if err := report.SaveThreshold(ws, ev.Run.ID, t, per, time.Now()); err != nil {
			return err
		}
		// Re-evaluate so every number below uses the saved threshold.
		ev, err = report.Load(cmd.Context(), ws, ev.Run.ID, report.Options{Data: fl.data, B: b})
		if err != nil {
			return err
		}
		savedTo = ws.RunPath(ev.Run.ID) + "/" + report.ThresholdFile
	}
	out := evalJSON(ev, b, fl.slices)
	if out.Threshold != nil {
		out.Threshold.SavedTo = savedTo
	}
	if fl.learning {
		metric := ev.Metric
		if _, ok := ev.Run.Metric(metric); !ok && len(ev.Run.Metrics) > 0 {
			metric = ev.Run.Metrics[0].Name
		}
		lbar := newProgress(e.stderr, "learning curve", fl.asJSON)
		if fl.folds < 2 {
			return fmt.Errorf("eval: --folds %d: want at least 2", fl.folds)
		}
		lc, err := report.LearningCurve(cmd.Context(), ws, ev.Run, metric, report.LearningOptions{K: fl.folds, Progress: lbar.Update})
		lbar.Done()
		if err != nil {
			return err
		}
		ev.Learning = lc
		out.Learning = &EvalLearningJSON{Metric: lc.Metric, Validation: lc.Validation, Folds: lc.K, Points: []EvalLCJSON{}}
		for _, p := range lc.Points {
			out.Learning.Points = append(out.Learning.Points, EvalLCJSON{TrainRows: p.TrainRows, Fraction: p.Fraction,
				TrainMean: jnum(p.TrainMean), TrainStd: jnum(p.TrainStd), ValidMean: jnum(p.ValidMean), ValidStd: jnum(p.ValidStd),
				Train: jnums(p.Train), Valid: jnums(p.Valid)})
		}
	}
	if fl.compare != "" {
		other, err := report.Load(cmd.Context(), ws, fl.compare, report.Options{Data: fl.data, B: b})
		if err != nil {
			return err
		}
		out.Compare = compareJSON(ev, other)
	}
	if fl.explain {
		ex, err := report.Explain(cmd.Context(), ws, ev, report.ExplainOptions{Seed: ev.Run.Seed})
		if err != nil {
			return err
		}
		ev.Explain = ex
		out.ExplainNote = fmt.Sprintf("%s: drop of %s, %d rows, %s", "permutation importance", ex.Score, ex.Rows, ex.Note)
		out.PD, out.PDOf = map[string][]EvalPDJSON{}, ex.PDOf
		for _, im := range ex.Importance {
			out.Importance = append(out.Importance, EvalImportJSON{Feature: im.Feature, Mean: jnum(im.Mean), Std: jnum(im.Std)})
		}
		out.RobustNote = ex.RobustNote
		for _, r := range ex.Robustness {
			out.Robustness = append(out.Robustness, EvalRobustJSON{Kind: r.Kind, Level: r.Level, Score: jnum(r.Score)})
		}
		for f, pts := range ex.PD {
			for _, p := range pts {
				out.PD[f] = append(out.PD[f], EvalPDJSON{Value: jnum(p.Value), Mean: jnum(p.Mean)})
			}
		}
	}
	if fl.report {
		md, html, err := report.Export(ws, ev, time.Now())
		if err != nil {
			return err
		}
		out.Report = &EvalReportJSON{Markdown: md, HTML: html}
	}
	if fl.asJSON {
		return writeJSON(e, out)
	}
	printEval(e.stdout, ev, out)
	return nil
}

func compareJSON(a, b *report.Evaluation) *EvalCompareJSON {
	out := &EvalCompareJSON{RunID: b.Run.ID, Model: b.Run.Model, Metrics: map[string]EvalDiffJSON{},
		Paired: pairedJSON(report.PairedComparison(a.Run, b.Run, report.CompareMetric(a.Card, a.Run, b.Run)))}
	for _, name := range a.Report.Names {
		vb, ok := b.Report.Values[name]
		if !ok {
			continue
		}
		va := a.Report.Values[name]
		d := EvalDiffJSON{A: jnum(va), B: jnum(vb), Diff: jnum(vb - va), CIB: [2]jnum{jnum(math.NaN()), jnum(math.NaN())}}
		if b.Report.CI != nil {
			d.CIB = [2]jnum{jnum(b.Report.CI[name].Lo), jnum(b.Report.CI[name].Hi)}
		}
		if !math.IsNaN(va) && !math.IsNaN(vb) && va != vb {
			d.Better = "a"
			if (vb > va) == metrics.HigherIsBetter(name) {
				d.Better = "b"
			}
		}
		out.Metrics[name] = d
	}
	return out
}

func pointJSON(p metrics.ThresholdPoint) EvalPointJSON {
	return EvalPointJSON{Threshold: jnum(p.Threshold), TP: int64(p.TP), FP: int64(p.FP), FN: int64(p.FN), TN: int64(p.TN),
		Precision: jnum(p.Precision), Recall: jnum(p.Recall), F1: jnum(p.F1), Per1000: jnum(p.Per1000)}
}

func evalJSON(ev *report.Evaluation, b, nslices int) *EvalJSON {
	rep := ev.Report
	out := &EvalJSON{RunID: ev.Run.ID, Task: ev.Run.Task, Model: ev.Run.Model, Source: ev.Source, Rows: rep.N,
		PrimaryMetric: ev.Metric, Metrics: map[string]jnum{}, Checks: []EvalCheckJSON{}, Passed: true,
		Fairness: []EvalFairnessJSON{}, Slices: []EvalSliceJSON{}, Warnings: append(slices.Clone(ev.Warnings), rep.Warnings...)}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	for _, name := range rep.Names {
		out.Metrics[name] = jnum(rep.Values[name])
	}
	if rep.CI != nil {
		out.CI = map[string][2]jnum{}
		for _, name := range rep.Names {
			iv := rep.CI[name]
			out.CI[name] = [2]jnum{jnum(iv.Lo), jnum(iv.Hi)}
		}
		out.CILevel, out.Bootstrap = 0.95, b
	}
	if c := rep.Confusion; c != nil {
		out.Labels = c.Labels
		k := c.K()
		for i := range k {
			out.Confusion = append(out.Confusion, slices.Clone(c.M[i*k:(i+1)*k]))
		}
	}
	if rep.Task == metrics.BinaryTask {
		pos := rep.Classes[rep.Pos]
		out.PositiveLabel = &pos
	}
	if r := rep.Ranking; r != nil {
		t := ev.Threshold()
		th := &EvalThresholdJSON{Used: jnum(t), AtUsed: pointJSON(r.ThresholdAt(t, ev.Payoff))}
		if ev.Saved != nil {
			s := jnum(ev.Saved.Threshold)
			th.Saved = &s
		}
		if ev.Best != nil {
			p := pointJSON(*ev.Best)
			th.Best = &p
			po := map[string]float64{"true_positive_value": ev.Payoff.TPValue, "false_positive_cost": ev.Payoff.FPCost,
				"false_negative_cost": ev.Payoff.FNCost, "true_negative_value": ev.Payoff.TNValue}
			th.Payoff = &po
		} else {
			th.AtUsed.Per1000 = jnum(math.NaN())
		}
		out.Threshold = th
	}
	for _, c := range ev.Checks {
		out.Checks = append(out.Checks, EvalCheckJSON{Name: c.Name, Value: jnum(c.Value), Limit: jnum(c.Limit), Pass: c.Pass, Detail: c.Detail})
		out.Passed = out.Passed && c.Pass
	}
	for _, f := range ev.Fairness {
		fj := EvalFairnessJSON{Column: f.Column, DemographicParityDifference: jnum(f.DemographicParityDifference),
			DemographicParityRatio: jnum(f.DemographicParityRatio), FourFifthsViolated: f.FourFifthsViolated,
			EqualizedOddsDifference: jnum(f.EqualizedOddsDifference), EqualOpportunityDifference: jnum(f.EqualOpportunityDifference)}
		for _, g := range f.Groups {
			fj.Groups = append(fj.Groups, EvalGroupJSON{Group: g.Group, Count: g.Count, SelectionRate: jnum(g.SelectionRate),
				TPR: jnum(g.TPR), FPR: jnum(g.FPR), Precision: jnum(g.Precision), Accuracy: jnum(g.Accuracy)})
		}
		out.Fairness = append(out.Fairness, fj)
		out.Warnings = append(out.Warnings, f.Warnings...)
	}
	for _, f := range ev.ClassFairness {
		cj := EvalClassFairJSON{Column: f.Column, DemographicParityDifference: jnum(f.DemographicParityDifference),
			DemographicParityRatio: jnum(f.DemographicParityRatio), FourFifthsViolated: f.FourFifthsViolated,
			EqualizedOddsDifference: jnum(f.EqualizedOddsDifference), EqualOpportunityDifference: jnum(f.EqualOpportunityDifference)}
		for k, pc := range f.PerClass {
			g := EvalClassGapsJSON{Class: f.Classes[k], DemographicParityDifference: jnum(pc.DemographicParityDifference),
				EqualizedOddsDifference: jnum(pc.EqualizedOddsDifference)}
			for _, r := range pc.Groups {
				g.Groups = append(g.Groups, EvalGroupJSON{Group: r.Group, Count: r.Count, SelectionRate: jnum(r.SelectionRate),
					TPR: jnum(r.TPR), FPR: jnum(r.FPR), Precision: jnum(r.Precision), Accuracy: jnum(r.Accuracy)})
			}
			cj.Classes = append(cj.Classes, g)
		}
		out.ClassFair = append(out.ClassFair, cj)
	}
	for _, f := range ev.RegressionFairness {
		rj := EvalRegFairJSON{Column: f.Column, MeanPredictionDifference: jnum(f.MeanPredictionDifference), MAEDifference: jnum(f.MAEDifference)}
		for _, g := range f.Groups {
			rj.Groups = append(rj.Groups, EvalRegGroupJSON{Group: g.Group, Count: g.Count, MeanPrediction: jnum(g.MeanPrediction),
				MeanTarget: jnum(g.MeanTarget), MAE: jnum(g.MAE)})
		}
		out.RegFair = append(out.RegFair, rj)
	}
	for i, s := range ev.Slices {
		if i >= nslices {
			break
		}
		out.Slices = append(out.Slices, EvalSliceJSON{Feature: s.Feature, Value: s.Value, Count: s.Count, Metric: jnum(s.Metric), Delta: jnum(s.Delta)})
	}
	return out
}

func printEval(w io.Writer, ev *report.Evaluation, out *EvalJSON) {
	rep := ev.Report
	head := fmt.Sprintf("run %s · %s · %s · %d rows · %s", out.RunID, out.Model, out.Task, out.Rows, out.Source)
	fmt.Fprintln(w, head)
	fmt.Fprintln(w)
	printMetricTable(w, rep, rep.CI != nil, out.CILevel)
	var rows [][]string
	if th := out.Threshold; th != nil {
		src := "default"
		if th.Saved != nil {
			src = "saved"
		}
		fmt.Fprintf(w, "\nthreshold %s (%s): precision %s, recall %s", metricNum(float64(th.Used)), src,
			metricNum(float64(th.AtUsed.Precision)), metricNum(float64(th.AtUsed.Recall)))
		if th.Best != nil {
			fmt.Fprintf(w, ", profit per 1,000 predictions %s\n", money(float64(th.AtUsed.Per1000)))
			fmt.Fprintf(w, "best threshold %s: profit per 1,000 predictions %s (precision %s, recall %s)\n",
				metricNum(float64(th.Best.Threshold)), money(float64(th.Best.Per1000)), metricNum(float64(th.Best.Precision)), metricNum(float64(th.Best.Recall)))
		} else {
			fmt.Fprintln(w, " (no business values on the card)")
		}
		if th.SavedTo != "" {
			fmt.Fprintf(w, "threshold saved to %s\n", th.SavedTo)
		}
	}
	for _, f := range out.Fairness {
		fmt.Fprintf(w, "\nfairness across %s\n", f.Column)
		rows = [][]string{{"group", "count", "selection", "tpr", "fpr", "precision", "accuracy"}}
		for _, g := range f.Groups {
			rows = append(rows, []string{g.Group, strconv.FormatFloat(g.Count, 'f', -1, 64), metricNum(float64(g.SelectionRate)),
				metricNum(float64(g.TPR)), metricNum(float64(g.FPR)), metricNum(float64(g.Precision)), metricNum(float64(g.Accuracy))})
		}
		metricTable(w, rows)
		ff := ""
		if f.FourFifthsViolated {
			ff = "  ✗ below the four-fifths rule"
		}
		fmt.Fprintf(w, "  parity difference %s, ratio %s%s; equalized odds difference %s; equal opportunity difference %s\n",
			metricNum(float64(f.DemographicParityDifference)), metricNum(float64(f.DemographicParityRatio)), ff,
			metricNum(float64(f.EqualizedOddsDifference)), metricNum(float64(f.EqualOpportunityDifference)))
	}
	for _, f := range out.ClassFair {
		fmt.Fprintf(w, "\nfairness across %s, one-vs-rest per class\n", f.Column)
		rows = [][]string{{"group", "class", "count", "selection", "tpr", "fpr"}}
		for _, c := range f.Classes {
			for _, g := range c.Groups {
				rows = append(rows, []string{g.Group, c.Class, strconv.FormatFloat(g.Count, 'f', -1, 64), metricNum(float64(g.SelectionRate)),
					metricNum(float64(g.TPR)), metricNum(float64(g.FPR))})
			}
		}
		metricTable(w, rows)
		ff := ""
		if f.FourFifthsViolated {
			ff = "  ✗ below the four-fifths rule"
		}
		fmt.Fprintf(w, "  worst class: parity difference %s, ratio %s%s; equalized odds difference %s; equal opportunity difference %s\n",
			metricNum(float64(f.DemographicParityDifference)), metricNum(float64(f.DemographicParityRatio)), ff,
			metricNum(float64(f.EqualizedOddsDifference)), metricNum(float64(f.EqualOpportunityDifference)))
	}
	for _, f := range out.RegFair {
		fmt.Fprintf(w, "\nfairness across %s\n", f.Column)
		rows = [][]string{{"group", "count", "mean prediction", "mean target", "mae"}}
		for _, g := range f.Groups {
			rows = append(rows, []string{g.Group, strconv.FormatFloat(g.Count, 'f', -1, 64), metricNum(float64(g.MeanPrediction)),
				metricNum(float64(g.MeanTarget)), metricNum(float64(g.MAE))})
		}
		metricTable(w, rows)
		fmt.Fprintf(w, "  difference between groups: mean prediction %s, mae %s\n", metricNum(float64(f.MeanPredictionDifference)), metricNum(float64(f.MAEDifference)))
	}
	if len(out.Slices) > 0 {
		fmt.Fprintf(w, "\nworst slices by %s\n", out.PrimaryMetric)
		rows = [][]string{{"feature", "value", "rows", out.PrimaryMetric, "Δ"}}
		for _, s := range out.Slices {
			rows = append(rows, []string{s.Feature, s.Value, strconv.Itoa(s.Count), metricNum(float64(s.Metric)), signed(float64(s.Delta))})
		}
		metricTable(w, rows)
	}
	if len(out.Checks) > 0 {
		fmt.Fprintln(w, "\nchecks against the card")
		for _, c := range out.Checks {
			mark := "PASS"
			if !c.Pass {
				mark = "FAIL"
			}
			fmt.Fprintf(w, "  %s  %s (%s)\n", mark, c.Detail, metricNum(float64(c.Value)))
		}
	}
	if lc := ev.Learning; lc != nil {
		fmt.Fprintf(w, "\nlearning curve (%s, mean ± sd over %s)\n", lc.Metric, lc.Validation)
		rows = [][]string{{"training rows", "training", "± sd", "validation", "± sd"}}
		for _, p := range lc.Points {
			rows = append(rows, []string{strconv.Itoa(p.TrainRows), metricNum(p.TrainMean), metricNum(p.TrainStd),
				metricNum(p.ValidMean), metricNum(p.ValidStd)})
		}
		metricTable(w, rows)
	}
	if c := out.Compare; c != nil {
		fmt.Fprintf(w, "\ncompared with run %s (%s)\n", c.RunID, c.Model)
		rows = [][]string{{"metric", "this", "other", "other − this", "better"}}
		for _, name := range rep.Names {
			d, ok := c.Metrics[name]
			if !ok {
				continue
			}
			better := map[string]string{"a": "this", "b": "other", "": "="}[d.Better]
			rows = append(rows, []string{name, metricNum(float64(d.A)), metricNum(float64(d.B)), signed(float64(d.Diff)), better})
		}
		metricTable(w, rows)
		writePairedText(w, c.Paired)
	}
	if len(out.Importance) > 0 {
		fmt.Fprintf(w, "\n%s\n", out.ExplainNote)
		rows = [][]string{{"feature", "importance", "± std"}}
		for _, im := range out.Importance {
			rows = append(rows, []string{im.Feature, metricNum(float64(im.Mean)), metricNum(float64(im.Std))})
		}
		metricTable(w, rows)
		fmt.Fprintf(w, "\nrobustness (%s; none %s)\n", ev.Explain.Score, metricNum(ev.Explain.Base))
		rows = [][]string{{"perturbation", "score", "change"}}
		for _, r := range ev.Explain.Robustness {
			rows = append(rows, []string{r.Label(), metricNum(r.Score), signed(r.Score - ev.Explain.Base)})
		}
		metricTable(w, rows)
		if out.RobustNote != "" {
			fmt.Fprintf(w, "  %s\n", out.RobustNote)
		}
	}
	if out.Report != nil {
		fmt.Fprintf(w, "\nreport: %s\n        %s\n", out.Report.Markdown, out.Report.HTML)
	}
	for _, m := range out.Warnings {
		fmt.Fprintf(w, "\nwarning: %s", m)
	}
	if len(out.Warnings) > 0 {
		fmt.Fprintln(w)
	}
}

func money(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

func signed(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	s := metricNum(v)
	if v >= 0 {
		s = "+" + s
	}
	return strings.Replace(s, "-", "−", 1)
}

func jnums(v []float64) []jnum {
	out := make([]jnum, len(v))
	for i, x := range v {
		out[i] = jnum(x)
	}
	return out
}

// PairedJSON is the paired comparison of mlwb runs compare --json.
type PairedJSON struct {
	Metric string `json:"metric"`
	Paired bool   `json:"paired"`
	Reason string `json:"reason,omitempty"`
	Diffs  []jnum `json:"diffs"`
	Mean   jnum   `json:"mean"`
	Std    jnum   `json:"std"`
	Ratio  jnum   `json:"test_train_ratio"`
	T      jnum   `json:"t"`
	DF     int    `json:"df"`
	P      jnum   `json:"p"`
	Better string `json:"better"`
}

func pairedJSON(p report.Paired) PairedJSON {
	return PairedJSON{Metric: p.Metric, Paired: p.OK, Reason: p.Reason, Diffs: jnums(p.Diffs), Mean: jnum(p.Mean),
		Std: jnum(p.Std), Ratio: jnum(p.Ratio), T: jnum(p.T), DF: p.DF, P: jnum(p.P), Better: p.Better}
}

func writePairedText(w io.Writer, p PairedJSON) {
	if !p.Paired {
		fmt.Fprintf(w, "\nnot paired: %s\n", p.Reason)
		return
	}
	ds := make([]string, len(p.Diffs))
	for i, d := range p.Diffs {
		ds[i] = fmtSigned(float64(d))
	}
	fmt.Fprintf(w, "\npaired on %d validation folds, %s B − A: %s\n", len(p.Diffs), p.Metric, strings.Join(ds, " "))
	verdict := "no significant difference at 0.05"
	if p.P < 0.05 {
		verdict = "B is better"
		if p.Better == "a" {
			verdict = "A is better"
		}
		verdict += " at 0.05"
	}
	pv := metricNum(float64(p.P))
	if p.P < 0.001 {
		pv = strconv.FormatFloat(float64(p.P), 'e', 1, 64)
	}
	fmt.Fprintf(w, "  mean %s ± %s (sd); corrected resampled t = %s, df %d, p = %s: %s\n",
		fmtSigned(float64(p.Mean)), metricNum(float64(p.Std)), metricNum(float64(p.T)), p.DF, pv, verdict)
}
