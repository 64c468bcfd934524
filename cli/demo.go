package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/demo"
	"github.com/mlwb/mlwb/workspace"

	"github.com/spf13/cobra"
)

// DemoSeed is the seed of the demo data; the demo is the same on every machine.
const DemoSeed = 1

// DemoBatchDir is where the demo's weekly production batches are written,
// relative to the workspace: monitor/batches/week_01.parquet ... week_12.parquet.
const DemoBatchDir = "monitor/batches"

func newDemoCmd(e *env) *cobra.Command {
	var noTUI bool
	cmd := &cobra.Command{
		Use:   "demo [DIR]",
		Short: "Build the demo customer-churn workspace (default ./mlwb-demo) and open it",
		Long: `Build a demo workspace from data mlwb generates itself, deterministically and
offline: 20,000 customers of a subscription business with numeric, categorical,
date, free-text, PII (email, phone) and sensitive (gender, age band) columns, a
churn target driven by real relationships, deliberate quality problems
(missing values, outliers, duplicate rows, inconsistent city spellings), and 12
weekly production batches in monitor/batches/ that drift after week 6.

The project card sets the target (churn), the metric (ROC AUC ≥ 0.80) and the
business values. If DIR already holds a workspace it is opened as it is.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "mlwb-demo"
			if len(args) == 1 {
				dir = args[0]
			}
			if strings.TrimSpace(dir) == "" {
				return errors.New("demo: the directory name is empty")
			}
			ws, err := buildDemo(cmd.Context(), e, dir, noTUI)
			if err != nil {
				return err
			}
			if noTUI {
				return nil
			}
			return runWorkspaceTUI(cmd.Context(), e, ws)
		},
	}
	cmd.Flags().BoolVar(&noTUI, "no-tui", false, "only build the workspace; do not open the TUI")
	return cmd
}

// buildDemo creates the demo workspace in dir, or opens it when it exists.
func buildDemo(ctx context.Context, e *env, dir string, verbose bool) (*workspace.Workspace, error) {
	if ws, err := workspace.Open(dir); err == nil {
		if verbose {
			fmt.Fprintf(e.stdout, "Demo workspace already in %s; left as it is.\n", ws.Dir())
		}
		return ws, nil
	} else if !errors.Is(err, workspace.ErrNotWorkspace) {
		return nil, err
	}
	p := demo.Churn()
	ws, err := workspace.Init(dir, p.Name)
	if err != nil {
		return nil, err
	}
	card := ws.Card()
	card.Description = p.Description
	card.Task = workspace.Task(p.Task)
	card.Target = p.Target
	card.Metric.Name = p.PrimaryMetric
	th := p.Threshold
	card.Metric.Threshold = &th
	card.Business = workspace.Business{
		TruePositiveValue: p.TPValue, FalsePositiveCost: p.FPCost,
		FalseNegativeCost: p.FNCost, TrueNegativeValue: p.TNValue,
	}
	card.Privacy.SensitiveAttributes = p.Sensitive
	card.Privacy.PIIColumns = p.PII
	card.Privacy.PIIPolicy = workspace.PIIMask
	ratio := 0.8
	card.Fairness.MinDisparateImpactRatio = &ratio
	if err := ws.SaveCard(card); err != nil {
		return nil, err
	}
	customers := demo.Customers(DemoSeed, demo.DefaultRows)
	d, err := ws.ImportFrame(ctx, "customers", "mlwb demo (generated, seed 1)", customers)
	if err != nil {
		return nil, err
	}
	batchDir := ws.Path(filepath.FromSlash(DemoBatchDir))
	if err := os.MkdirAll(batchDir, 0o755); err != nil {
		return nil, err
	}
	batches := demo.Batches(DemoSeed, demo.DefaultWeeks, demo.DefaultPerWeek)
	for _, b := range batches {
		path := filepath.Join(batchDir, fmt.Sprintf("week_%02d.parquet", b.Week))
		if err := workspace.WriteAtomic(path, func(w io.Writer) error { return dataio.WriteParquet(w, b.Frame) }); err != nil {
			return nil, err
		}
	}
	if err := ws.Log("demo", map[string]any{"batches": len(batches), "batch_dir": DemoBatchDir}); err != nil {
		return nil, err
	}
	st := ws.State()
	st.Dataset = "customers"
	if err := ws.SaveState(st); err != nil {
		return nil, err
	}
	if verbose {
		fmt.Fprintf(e.stdout, "Built the demo workspace in %s: dataset %q (%d rows × %d columns), %d weekly batches in %s\n",
			ws.Dir(), d.Name, d.Rows, len(d.Columns), len(batches), DemoBatchDir)
	}
	return ws, nil
}
