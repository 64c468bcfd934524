package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/mlwb/mlwb/engine/features/selection"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/workspace"
	"github.com/spf13/cobra"
)

// FeaturesJSON is the documented --json output of "mlwb features".
type FeaturesJSON struct {
	Target    string               `json:"target"`
	Task      string               `json:"task"`
	Rows      int                  `json:"rows"`
	RankBy    string               `json:"rank_by"`
	Seconds   float64              `json:"elapsed_seconds"`
	Features  []FeatureScoreJSON   `json:"features"`
	Redundant []RedundantPairJSON  `json:"redundant_pairs"`
	Selection *selection.Selection `json:"selection,omitempty"`
	Saved     string               `json:"saved,omitempty"`
}

// FeatureScoreJSON is one feature's scores; null where a score does not apply.
type FeatureScoreJSON struct {
	Name        string   `json:"name"`
	Type        string   `json:"type"`
	Variance    *float64 `json:"variance"`
	Missing     *float64 `json:"missing_ratio"`
	Pearson     *float64 `json:"pearson"`
	Spearman    *float64 `json:"spearman"`
	MutualInfo  *float64 `json:"mutual_info"`
	Chi2        *float64 `json:"chi2"`
	Chi2P       *float64 `json:"chi2_p"`
	AnovaF      *float64 `json:"anova_f"`
	AnovaP      *float64 `json:"anova_p"`
	Tree        *float64 `json:"tree_importance"`
	L1          *float64 `json:"l1_coef"`
	Permutation *float64 `json:"permutation_importance"`
	Rank        int      `json:"rank"`
	Dropped     string   `json:"model_note,omitempty"`
}

// RedundantPairJSON is a pair of highly correlated features.
type RedundantPairJSON struct {
	A       string  `json:"a"`
	B       string  `json:"b"`
	Pearson float64 `json:"pearson"`
}

func fnum(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func newFeaturesCmd(e *env) *cobra.Command {
	var rf readFlags
	var dir, target, by, method, name string
	var asJSON, noModels bool
	var k, modelRows int
	var minScore, redundancy float64
	var seed uint64
	cmd := &cobra.Command{
		Use:   "features DATASET|FILE",
		Short: "Score every feature against the target and save a feature selection",
		Long: `Score every column of FILE or of a workspace DATASET ("name" or "name@2")
against the target: variance, missing ratio, Pearson and Spearman correlation,
mutual information (k-NN estimator with 3 neighbours as scikit-learn's
mutual_info_classif/regression for numbers, exact for categorical and bool
columns; nats), chi² and ANOVA F with p-values (scikit-learn's chi2, f_classif,
f_regression; chi² of a categorical column is its contingency-table χ²),
random-forest impurity importance (30 trees, min_samples_leaf 5, splits over
at most 255 quantile bins per feature), L1
coefficients (lasso α=0.01 on the standardized target, or L1 logistic
regression C=0.1, on standardized features) and permutation importance
(accuracy or R² drop on 20 % held-out rows, 3 shuffles), plus redundant pairs
(|Pearson| ≥ --redundancy). Model-based scores use a seeded sample of
--model-rows rows (default 10000); --no-models skips them.

The table is sorted by --by (default mutual_info), largest |value| first.
Identifier-like, free-text and constant columns are ranked last, get no
model-based scores and are never selected (model_note says why).

--select METHOD saves a selection into the workspace (-w DIR, or the one
holding the dataset) as features/selections/NAME.json and logs it:
  topk       the --k features ranked first by --by
  threshold  the features with |--by score| ≥ --min
  rfe        recursive feature elimination on forest importance down to --k
  sfs, sbs   sequential forward / backward selection of --k features by
             5-fold cross-validated accuracy (R²) of logistic (ridge) regression

JSON output (--json) is stable; null where a score does not apply:
  {"target", "task", "rows", "rank_by", "elapsed_seconds",
   "features": [{"name", "type", "variance", "missing_ratio", "pearson",
     "spearman", "mutual_info", "chi2", "chi2_p", "anova_f", "anova_p",
     "tree_importance", "l1_coef", "permutation_importance", "rank",
     "model_note"}],
   "redundant_pairs": [{"a", "b", "pearson"}],
   "selection": {"name", "dataset", "target", "task", "method", "by", "k",
     "features": [...], "scores": {...}, "steps": [{"feature", "score"}]},
   "saved": "features/selections/NAME.json"}   (the last two with --select)`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if err := selection.ValidScore(by); err != nil {
				return fmt.Errorf("--by: %w", err)
			}
			if err := checkSelectFlags(cmd, method, k); err != nil {
				return err
			}
			opt, err := rf.options()
			if err != nil {
				return err
			}
			in, err := resolveInput(dir, args[0])
			if err != nil {
				return err
			}
			if target == "" && in.ws != nil {
				target = in.ws.Card().Target
			}
			if target == "" {
				return errors.New("--target COL is required (the project card names no target)")
			}
			f, label, err := loadInput(ctx, e, in, opt, asJSON)
			if err != nil {
				return err
			}
			if _, err := f.Column(target); err != nil {
				return fmt.Errorf("--target: %s has no column %q", label, target)
			}
			bar := newProgress(e.stderr, "scoring", asJSON)
			rep, err := selection.Score(ctx, f, target, selection.Options{
				NoModels: noModels, ModelRows: modelRows, Redundancy: redundancy, RankBy: by, Seed: seed,
				Progress: func(done, total int) { bar.Update(int64(done), int64(total)) },
			})
			bar.Done()
			if err != nil {
				return err
			}
			out := featuresJSON(rep)
			if method != "" {
				sel, saved, err := runSelect(ctx, e, in, dir, f, label, rep, selectArgs{method, by, k, minScore, name, seed, asJSON})
				if err != nil {
					return err
				}
				out.Selection, out.Saved = sel, saved
			}
			if asJSON {
				return writeJSON(e, out)
			}
			return writeFeaturesText(e.stdout, label, rep, out)
		},
	}
	rf.add(cmd)
	fl := cmd.Flags()
	fl.StringVarP(&dir, "workspace", "w", "", "workspace folder (default: the one containing the current folder)")
	fl.StringVar(&target, "target", "", "target column (default: the project card's target)")
	fl.BoolVar(&asJSON, "json", false, "print JSON (stable, documented above)")
	fl.StringVar(&by, "by", "mutual_info", "score that ranks the features: "+strings.Join(selection.ScoreNames, ", "))
	fl.BoolVar(&noModels, "no-models", false, "skip tree, L1 and permutation importance")
	fl.IntVar(&modelRows, "model-rows", 10000, "rows sampled for the model-based scores and methods")
	fl.Float64Var(&redundancy, "redundancy", 0.9, "|Pearson| from which two features are a redundant pair")
	fl.Uint64Var(&seed, "seed", 1, "seed of the noise, samples and models")
	fl.StringVar(&method, "select", "", "save a selection made by METHOD: "+strings.Join(selection.Methods, ", "))
	fl.IntVar(&k, "k", 0, "number of features to select (topk, rfe, sfs, sbs)")
	fl.Float64Var(&minScore, "min", math.NaN(), "smallest |score| kept by --select threshold")
	fl.StringVar(&name, "name", "", "name of the saved selection (default METHOD-K)")
	return cmd
}

func checkSelectFlags(cmd *cobra.Command, method string, k int) error {
	fl := cmd.Flags()
	if method == "" {
		for _, f := range []string{"k", "min", "name"} {
			if fl.Changed(f) {
				return fmt.Errorf("--%s needs --select METHOD", f)
			}
		}
		return nil
	}
	known := false
	for _, m := range selection.Methods {
		known = known || m == method
	}
	if !known {
		return fmt.Errorf("--select: unknown method %q (want %s)", method, strings.Join(selection.Methods, ", "))
	}
	if method == "threshold" {
		if !fl.Changed("min") {
			return errors.New("--select threshold needs --min X")
		}
	} else if k < 1 {
		return fmt.Errorf("--select %s needs --k N (N ≥ 1)", method)
	}
	return nil
}

type selectArgs struct {
	method, by string
	k          int
	min        float64
	name       string
	seed       uint64
	quiet      bool
}

// runSelect makes the selection and saves it into the workspace.
func runSelect(ctx context.Context, e *env, in input, dir string, f *frame.Frame, label string, rep *selection.Report, a selectArgs) (*selection.Selection, string, error) {
	ws := in.ws
	if ws == nil {
		var err error
		if ws, err = openWorkspaceFlag(dir); err != nil {
			return nil, "", fmt.Errorf("--select saves into a workspace: %w", err)
		}
	}
	if a.name == "" {
		a.name = a.method
		if a.method != "threshold" {
			a.name = fmt.Sprintf("%s-%d", a.method, a.k)
		}
	}
	if err := workspace.ValidDatasetName(a.name); err != nil {
		return nil, "", fmt.Errorf("--name: %s", strings.TrimPrefix(strings.Replace(err.Error(), "dataset name", "name", 1), "workspace: "))
	}
	sel := &selection.Selection{Name: a.name, Dataset: label, Target: rep.Target, Task: rep.Task.String(), Method: a.method, Scores: rep.ScoreTable()}
	var err error
	switch a.method {
	case "topk":
		sel.By, sel.K = a.by, a.k
		sel.Features, err = selection.TopK(rep, a.by, a.k)
	case "threshold":
		sel.By, sel.Min = a.by, &a.min
		sel.Features, err = selection.Threshold(rep, a.by, a.min)
	default:
		sel.K = a.k
		bar := newProgress(e.stderr, a.method, a.quiet)
		var d *selection.Design
		if d, err = selection.NewDesign(ctx, f, rep.Target, nil); err != nil {
			return nil, "", err
		}
		steps := len(d.Names) - a.k
		if a.method == "sfs" {
			steps = a.k
		}
		mo := selection.MethodOptions{Seed: a.seed, Progress: func(step int, _ string, _ float64) { bar.Update(int64(step), int64(max(steps, 1))) }}
		switch a.method {
		case "rfe":
			sel.Features, sel.Steps, err = selection.RFE(ctx, d, a.k, mo)
		case "sfs", "sbs":
			sel.Features, sel.Steps, err = selection.Sequential(ctx, d, a.k, a.method == "sfs", mo)
		}
		bar.Done()
	}
	if err != nil {
		return nil, "", err
	}
	if len(sel.Features) == 0 {
		return nil, "", fmt.Errorf("--select %s kept no feature; nothing saved", a.method)
	}
	var buf bytes.Buffer
	if err := sel.Write(&buf); err != nil {
		return nil, "", err
	}
	rel := filepath.Join(workspace.FeaturesDir, "selections", a.name+".json")
	path := ws.Path(rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, "", err
	}
	if err := workspace.WriteFileAtomic(path, buf.Bytes(), 0o644); err != nil {
		return nil, "", err
	}
	if err := ws.Log("features.select", map[string]any{"name": a.name, "dataset": label, "target": rep.Target, "method": a.method, "features": sel.Features, "file": filepath.ToSlash(rel)}); err != nil {
		return nil, "", err
	}
	return sel, filepath.ToSlash(rel), nil
}

func featuresJSON(r *selection.Report) FeaturesJSON {
	out := FeaturesJSON{Target: r.Target, Task: r.Task.String(), Rows: r.Rows, RankBy: r.RankBy, Seconds: r.Elapsed.Seconds(), Redundant: []RedundantPairJSON{}}
	for _, f := range r.Ranked() {
		out.Features = append(out.Features, FeatureScoreJSON{
			Name: f.Name, Type: f.Type, Variance: fnum(f.Variance), Missing: fnum(f.MissingRatio),
			Pearson: fnum(f.Pearson), Spearman: fnum(f.Spearman), MutualInfo: fnum(f.MutualInfo),
			Chi2: fnum(f.Chi2), Chi2P: fnum(f.Chi2P), AnovaF: fnum(f.AnovaF), AnovaP: fnum(f.AnovaP),
			Tree: fnum(f.Tree), L1: fnum(f.L1), Permutation: fnum(f.Permutation), Rank: f.Rank, Dropped: f.Dropped,
		})
	}
	for _, p := range r.Redundant {
		out.Redundant = append(out.Redundant, RedundantPairJSON{p.A, p.B, p.Pearson})
	}
	return out
}

// writeFeaturesText prints the ranked score table, the redundant pairs and
// the saved selection.
func writeFeaturesText(w io.Writer, label string, r *selection.Report, out FeaturesJSON) error {
	fmt.Fprintf(w, "%s: %d rows, %d features, target %s (%s), scored in %.2fs, ranked by %s\n\n", label, r.Rows, len(r.Features), r.Target, r.Task, r.Elapsed.Seconds(), r.RankBy)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "rank\tfeature\ttype\tmissing\tMI\tpearson\tspearman\tchi2\tchi2 p\tF\tF p\ttree\tL1\tperm\t")
	for _, f := range r.Ranked() {
		miss := "0"
		if f.MissingRatio > 0 {
			miss = fmt.Sprintf("%.1f%%", 100*f.MissingRatio)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", f.Rank, clip(f.Name, 28), f.Type, miss,
			fmtNum(f.MutualInfo), fmtNum(f.Pearson), fmtNum(f.Spearman), fmtNum(f.Chi2), fmtNum(f.Chi2P),
			fmtNum(f.AnovaF), fmtNum(f.AnovaP), fmtNum(f.Tree), fmtNum(f.L1), fmtNum(f.Permutation))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, f := range r.Ranked() {
		if f.Dropped != "" {
			fmt.Fprintf(w, "ranked last, never selected, no model scores: %s (%s)\n", f.Name, f.Dropped)
		}
	}
	if len(r.Redundant) > 0 {
		fmt.Fprintf(w, "\nRedundant pairs (|pearson| high):\n")
		for _, p := range r.Redundant {
			fmt.Fprintf(w, "  %s ~ %s  %.3f\n", p.A, p.B, p.Pearson)
		}
	}
	if out.Selection != nil {
		fmt.Fprintf(w, "\nSaved selection %q (%s, %d features) to %s:\n  %s\n", out.Selection.Name, out.Selection.Method, len(out.Selection.Features), out.Saved, strings.Join(out.Selection.Features, ", "))
	}
	return nil
}
