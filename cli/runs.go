package cli

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/mlwb/mlwb/engine/report"
	"github.com/mlwb/mlwb/workspace"
	"github.com/spf13/cobra"
)

// RunsJSON is the documented output of "mlwb runs --json".
type RunsJSON struct {
	Metric string         `json:"metric"`
	Runs   []RunEntryJSON `json:"runs"`
}

// RunEntryJSON is one leaderboard row.
type RunEntryJSON struct {
	ID         string          `json:"id"`
	Time       string          `json:"time"`
	Dataset    string          `json:"dataset"`
	Target     string          `json:"target"`
	Task       string          `json:"task"`
	Model      string          `json:"model"`
	Validation string          `json:"validation"`
	Mean       workspace.Num   `json:"mean"`
	Std        workspace.Num   `json:"std"`
	Folds      []workspace.Num `json:"folds"`
	Seconds    float64         `json:"seconds"`
	Tags       []string        `json:"tags"`
	Note       string          `json:"note"`
}

func newRunsCmd(e *env) *cobra.Command {
	var dir, metric string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "runs",
		Short: "List training runs as a leaderboard; show, tag, annotate, compare, delete them",
		Long: `List the workspace's training runs, best first by the project card's metric
(or --metric NAME; default: roc_auc for binary, accuracy for multiclass, rmse
for regression), with mean ± std over the folds and the total time.

  mlwb runs show ID         the run's record (--json: run.json as stored)
  mlwb runs tag ID TAG      add a tag (-TAG removes it)
  mlwb runs note ID TEXT    set the note ("" clears it)
  mlwb runs rm ID           delete the run's folder
  mlwb runs compare A B     metrics, parameters and settings side by side

ID may be any unique prefix of a run id.

JSON output (--json) of the list: {"metric", "runs": [{"id", "time", "dataset",
"target", "task", "model", "validation", "mean", "std", "folds": [...],
"seconds", "tags", "note"}]} with null for undefined values.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := openWorkspaceFlag(dir)
			if err != nil {
				return err
			}
			runs, warn, err := ws.Runs()
			if err != nil {
				return err
			}
			for _, w := range warn {
				e.warn(w)
			}
			if metric == "" {
				metric = ws.Card().Metric.Name
			}
			sorted, used := workspace.Leaderboard(runs, metric)
			out := RunsJSON{Metric: used, Runs: []RunEntryJSON{}}
			for _, r := range sorted {
				m, _ := r.Metric(used)
				if _, ok := r.Metric(used); !ok {
					m = workspace.RunMetric{Mean: workspace.Num(math.NaN()), Std: workspace.Num(math.NaN())}
				}
				tags := r.Tags
				if tags == nil {
					tags = []string{}
				}
				out.Runs = append(out.Runs, RunEntryJSON{ID: r.ID, Time: r.Time.Format("2006-01-02T15:04:05Z"),
					Dataset: runDatasetLabel(r.Dataset), Target: r.Target, Task: r.Task, Model: r.Model,
					Validation: r.Validation.Description, Mean: m.Mean, Std: m.Std, Folds: m.Folds,
					Seconds: r.Timings.Total, Tags: tags, Note: r.Note})
			}
			if asJSON {
				return writeJSON(e, out)
			}
			if len(out.Runs) == 0 {
				fmt.Fprintln(e.stdout, "No runs yet: mlwb train --data DATASET --model gbdt")
				return nil
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintf(tw, "#\tid\tmodel\tdataset\tvalidation\t%s\t± std\ttime\ttags\n", used)
			for i, r := range out.Runs {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%.1fs\t%s\n", i+1, r.ID, r.Model, r.Dataset, r.Validation,
					fmtMetric(float64(r.Mean)), fmtMetric(float64(r.Std)), r.Seconds, strings.Join(r.Tags, ","))
			}
			return tw.Flush()
		},
	}
	cmd.PersistentFlags().StringVarP(&dir, "workspace", "w", "", "workspace folder (default: the one containing the current folder)")
	cmd.Flags().StringVar(&metric, "metric", "", "rank by this metric (default: the card's)")
	cmd.PersistentFlags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.AddCommand(
		&cobra.Command{Use: "show ID", Short: "Show a run's record", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				ws, err := openWorkspaceFlag(dir)
				if err != nil {
					return err
				}
				r, err := ws.Run(args[0])
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(e, r)
				}
				return writeRunText(e.stdout, r)
			}},
		&cobra.Command{Use: "tag ID TAG", Short: "Tag a run (-TAG removes the tag)", Args: cobra.ExactArgs(2),
			RunE: func(cmd *cobra.Command, args []string) error {
				ws, err := openWorkspaceFlag(dir)
				if err != nil {
					return err
				}
				r, err := ws.TagRun(args[0], args[1])
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(e, map[string]any{"id": r.ID, "tags": nonNil(r.Tags)})
				}
				fmt.Fprintf(e.stdout, "run %s tags: %s\n", r.ID, strings.Join(r.Tags, ", "))
				return nil
			}},
		&cobra.Command{Use: "note ID TEXT", Short: "Set a run's note", Args: cobra.ExactArgs(2),
			RunE: func(cmd *cobra.Command, args []string) error {
				ws, err := openWorkspaceFlag(dir)
				if err != nil {
					return err
				}
				r, err := ws.AnnotateRun(args[0], args[1])
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(e, map[string]any{"id": r.ID, "note": r.Note})
				}
				fmt.Fprintf(e.stdout, "run %s note: %s\n", r.ID, r.Note)
				return nil
			}},
		&cobra.Command{Use: "rm ID", Short: "Delete a run", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				ws, err := openWorkspaceFlag(dir)
				if err != nil {
					return err
				}
				r, err := ws.Run(args[0])
				if err != nil {
					return err
				}
				if err := ws.DeleteRun(r.ID); err != nil {
					return err
				}
				if asJSON {
					return writeJSON(e, map[string]any{"deleted": r.ID})
				}
				fmt.Fprintf(e.stdout, "deleted run %s\n", r.ID)
				return nil
			}},
		&cobra.Command{Use: "compare A B", Short: "Compare two runs side by side", Args: cobra.ExactArgs(2),
			Long: `Compare two runs: metrics (mean ± std over the folds), parameters and
settings side by side. When both were validated on the same folds (same data
hash, target, scheme, k, repeats, and seed where the folds depend on it), a
paired comparison of the card's metric (else the task's primary metric):
B − A per fold, mean ± sd (n − 1), and the corrected resampled t-test of
Nadeau & Bengio (2003), as Weka's Experimenter applies it; otherwise "not
paired" and the reason.

JSON output (--json): {"a", "b", "same_data", "metrics", "params",
"differences", "paired": {"metric", "paired", "reason", "diffs", "mean",
"std", "test_train_ratio", "t", "df", "p", "better"}} with null where a value
is undefined.`,
			RunE: func(cmd *cobra.Command, args []string) error {
				ws, err := openWorkspaceFlag(dir)
				if err != nil {
					return err
				}
				a, err := ws.Run(args[0])
				if err != nil {
					return err
				}
				b, err := ws.Run(args[1])
				if err != nil {
					return err
				}
				c := workspace.CompareRuns(a, b)
				pm := report.CompareMetric(ws.Card(), a, b)
				pr := report.PairedComparison(a, b, pm)
				if asJSON {
					return writeJSON(e, map[string]any{"a": a.ID, "b": b.ID, "same_data": c.SameData,
						"metrics": c.Metrics, "params": nonNilP(c.Params), "differences": nonNil(c.Differences),
						"paired": pairedJSON(pr)})
				}
				if err := writeCompareText(e.stdout, c); err != nil {
					return err
				}
				writePairedText(e.stdout, pairedJSON(pr))
				return nil
			}},
	)
	return cmd
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilP(s []workspace.ParamDiff) []workspace.ParamDiff {
	if s == nil {
		return []workspace.ParamDiff{}
	}
	return s
}

func runDatasetLabel(d workspace.RunDataset) string {
	if d.Version > 0 {
		return fmt.Sprintf("%s@%d", d.Name, d.Version)
	}
	return d.Name
}

func writeRunText(w io.Writer, r workspace.Run) error {
	fmt.Fprintf(w, "run %s  %s  mlwb %s\n", r.ID, r.Time.Format("2006-01-02 15:04:05Z"), r.Version)
	fmt.Fprintf(w, "data: %s (%d rows, hash %.12s), target %s (%s)\n", runDatasetLabel(r.Dataset), r.Dataset.Rows, r.Dataset.Hash, r.Target, r.Task)
	fmt.Fprintf(w, "model: %s seed %d", r.Model, r.Seed)
	for _, k := range sortedKeys(r.Params) {
		fmt.Fprintf(w, " %s=%s", k, r.Params[k])
	}
	fmt.Fprintf(w, "\npipeline: %s\nvalidation: %s (%d folds)\n\n", r.Pipeline, r.Validation.Description, r.Validation.Folds)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "metric\tmean\t± std\tfolds")
	for _, m := range r.Metrics {
		fs := make([]string, 0, len(m.Folds))
		for i, v := range m.Folds {
			if i == 10 {
				fs = append(fs, "…")
				break
			}
			fs = append(fs, fmtMetric(float64(v)))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.Name, fmtMetric(float64(m.Mean)), fmtMetric(float64(m.Std)), strings.Join(fs, " "))
	}
	tw.Flush()
	fmt.Fprintf(w, "\nfit %.2fs, final fit %.2fs, total %.2fs\n", r.Timings.Fit, r.Timings.FinalFit, r.Timings.Total)
	if len(r.Tags) > 0 {
		fmt.Fprintf(w, "tags: %s\n", strings.Join(r.Tags, ", "))
	}
	if r.Note != "" {
		fmt.Fprintf(w, "note: %s\n", r.Note)
	}
	for _, warn := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
	return nil
}

func writeCompareText(w io.Writer, c workspace.Comparison) error {
	fmt.Fprintf(w, "A %s  %s on %s\nB %s  %s on %s\n", c.A.ID, c.A.Model, runDatasetLabel(c.A.Dataset), c.B.ID, c.B.Model, runDatasetLabel(c.B.Dataset))
	if !c.SameData {
		fmt.Fprintln(w, "note: the runs trained on different data")
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "metric\tA\tB\tB − A\tbetter")
	for _, d := range c.Metrics {
		fmt.Fprintf(tw, "%s\t%s ± %s\t%s ± %s\t%s\t%s\n", d.Name, fmtMetric(float64(d.A)), fmtMetric(float64(d.StdA)),
			fmtMetric(float64(d.B)), fmtMetric(float64(d.StdB)), fmtSigned(float64(d.Diff)), strings.ToUpper(d.Better))
	}
	tw.Flush()
	if len(c.Params) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "parameter\tA\tB")
		for _, p := range c.Params {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", p.Name, orDash(p.A), orDash(p.B))
		}
		tw.Flush()
	}
	for _, d := range c.Differences {
		fmt.Fprintf(w, "differs: %s\n", d)
	}
	return nil
}

func fmtSigned(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	return fmt.Sprintf("%+.4f", v)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
