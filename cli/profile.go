package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/profile"
	"github.com/mlwb/mlwb/internal/profilecache"
	"github.com/mlwb/mlwb/workspace"
	"github.com/spf13/cobra"
)

func newProfileCmd(e *env) *cobra.Command {
	var rf readFlags
	var dir, target string
	var asJSON, refresh bool
	cmd := &cobra.Command{
		Use:   "profile FILE|DATASET",
		Short: "Profile a data file or dataset: statistics, histograms, correlations and alerts",
		Long: `Profile every column of FILE (any format "mlwb info" reads) or of a workspace
DATASET ("name" for the latest version, "name@2" for version 2): counts,
moments, quantiles, histograms, top values, correlation matrices, associations
with a target and data-quality alerts (MISSING, SKEWED, OUTLIERS, PII, LEAKAGE…).
An existing file path wins over a dataset of the same name.

With a workspace (-w DIR, or the one containing the current folder) the
target defaults to the project card's target when the dataset has that column,
and the report is cached in reports/profile/<dataset-hash12>[-<target>].json:
the next run, and the Profile screen, reuse it while the dataset version is
unchanged (--refresh recomputes it). Files are never cached.

JSON output (--json, one line) is stable; NaN and ±Inf are written as null:
  {"rows": N,
   "columns": [{"name", "type", "count", "missing", "missing_pct", "distinct",
     numeric: "mean", "std", "variance", "min", "p1", "p5", "p25", "p50", "p75",
              "p95", "p99", "max", "range", "iqr", "skewness", "kurtosis", "zeros",
              "negatives", "infinite", "cv", "mad", "sum", "monotonicity",
              "histogram": {"edges": [...], "counts": [...]}, "outliers_iqr",
              "outliers_robust_z", "uniformity_p"
     text:     "top": [{"value", "count"}], "entropy", "imbalance", "length_min",
              "length_mean", "length_max", "uniformity_p"
     bool:     "true", "false", "top", "entropy", "imbalance"
     datetime: "min", "max" (RFC 3339), "range_seconds", "largest_gap_seconds"}],
   "correlations": {"pearson": {"columns": [...], "matrix": [[...]]}, "spearman": {...},
     "cramers_v": {...}, "eta": {"rows": [...], "columns": [...], "matrix": [[...]]}},
   "target": {"name", "type", "associations": [{"column", "method", "value",
     "mutual_info", "normalized_mi", "purity"}]}        (only with a target)
   "alerts": [{"column", "kind", "detail", "value"}],
   "duplicates": N}
Correlation matrices hold at most the first 200 eligible columns.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opt, err := rf.options()
			if err != nil {
				return err
			}
			src, err := resolveInput(dir, args[0])
			if err != nil {
				return err
			}
			if target == "" && src.ws != nil {
				if t := src.ws.Card().Target; t != "" && slices.ContainsFunc(src.ds.Columns, func(c workspace.ColumnInfo) bool { return c.Name == t }) {
					target = t
				}
			}
			if target != "" && src.ws != nil && !slices.ContainsFunc(src.ds.Columns, func(c workspace.ColumnInfo) bool { return c.Name == target }) {
				return fmt.Errorf("--target: dataset %s has no column %q", src.label(), target)
			}
			r, cached, err := runProfile(cmd.Context(), e, src, target, opt, refresh, asJSON)
			if err != nil {
				return err
			}
			if asJSON {
				b, err := r.MarshalJSON()
				if err != nil {
					return err
				}
				_, err = e.stdout.Write(append(b, '\n'))
				return err
			}
			return writeProfileText(e.stdout, src.label(), r, cached)
		},
	}
	rf.add(cmd)
	cmd.Flags().StringVarP(&dir, "workspace", "w", "", "workspace folder (default: the one containing the current folder)")
	cmd.Flags().StringVar(&target, "target", "", "column to relate every other column to (default: the card's target)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (stable, documented above)")
	cmd.Flags().BoolVar(&refresh, "refresh", false, "recompute even if a cached profile exists")
	return cmd
}

// runProfile returns the profile of src against target, from the cache when
// possible; cached reports whether it came from there.
func runProfile(ctx context.Context, e *env, src input, target string, opt dataio.Options, refresh, quiet bool) (*profile.Report, bool, error) {
	if src.ws != nil && !refresh {
		r, err := profilecache.Load(src.ws, src.ds.Hash, target)
		switch {
		case err == nil:
			return r, true, nil
		case errors.Is(err, profilecache.ErrCorrupt):
			e.warn(err.Error() + "; recomputing")
		case !errors.Is(err, fs.ErrNotExist):
			return nil, false, err
		}
	}
	f, _, err := loadInput(ctx, e, src, opt, quiet)
	if err != nil {
		return nil, false, err
	}
	bar := newProgress(e.stderr, "profiling", quiet)
	var done atomic.Int64
	total := int64(f.NumCols())
	r, err := profile.Profile(ctx, f, profile.Options{Target: target, Progress: func(profile.ColumnReport) {
		bar.Update(done.Add(1), total)
	}})
	bar.Done()
	if err != nil {
		return nil, false, err
	}
	if src.ws != nil {
		if err := profilecache.Save(src.ws, src.ds.Hash, target, r); err != nil {
			e.warn("profile not cached: " + err.Error())
		}
	}
	return r, false, nil
}

// fmtNum formats a statistic compactly: up to 4 significant digits, "-" for
// NaN.
func fmtNum(v float64) string {
	switch {
	case math.IsNaN(v):
		return "-"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	case v == math.Trunc(v) && math.Abs(v) < 1e7:
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// clip shortens s to n runes with a trailing "…".
func clip(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' {
			return ' '
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// writeProfileText prints the human summary: a per-column table, the alerts
// grouped by kind, the strongest correlations and the target associations.
func writeProfileText(w io.Writer, label string, r *profile.Report, cached bool) error {
	how := fmt.Sprintf("profiled in %.2fs", r.Elapsed.Seconds())
	if cached {
		how = "cached profile; --refresh to recompute"
	}
	tgt := ""
	if r.Target != nil {
		tgt = ", target " + r.Target.Name
	}
	fmt.Fprintf(w, "%s: %d rows × %d columns, %d duplicate rows%s (%s)\n\n", label, r.Rows, len(r.Columns), r.Duplicates, tgt, how)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tcolumn\ttype\tmissing\tdistinct\tmean\tstd\tmin\tmax\ttop")
	for i, c := range r.Columns {
		miss := "0"
		if c.Missing > 0 {
			miss = fmt.Sprintf("%.1f%%", c.MissingPct)
		}
		mean, std, lo, hi, top := "", "", "", "", ""
		switch {
		case c.Numeric != nil:
			s := c.Numeric
			mean, std, lo, hi = fmtNum(s.Mean), fmtNum(s.Std), fmtNum(s.Min), fmtNum(s.Max)
		case c.Text != nil && len(c.Text.Top) > 0:
			top = fmt.Sprintf("%s (%d)", clip(c.Text.Top[0].Value, 24), c.Text.Top[0].Count)
		case c.Bool != nil:
			top = fmt.Sprintf("true %d, false %d", c.Bool.True, c.Bool.False)
		case c.Datetime != nil && c.Count > 0:
			lo, hi = c.Datetime.Min.Format(time.DateOnly), c.Datetime.Max.Format(time.DateOnly)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", i+1, clip(c.Name, 28), c.Type, miss, c.Distinct, mean, std, lo, hi, top)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	if len(r.Alerts) > 0 {
		fmt.Fprintf(w, "\nAlerts (%d):\n", len(r.Alerts))
		var kinds []profile.Kind
		by := map[profile.Kind][]profile.Alert{}
		for _, a := range r.Alerts {
			if _, ok := by[a.Kind]; !ok {
				kinds = append(kinds, a.Kind)
			}
			by[a.Kind] = append(by[a.Kind], a)
		}
		for _, k := range kinds {
			fmt.Fprintf(w, "  %s (%d)\n", k, len(by[k]))
			tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
			for _, a := range by[k] {
				col := a.Column
				if col == "" {
					col = "(table)"
				}
				fmt.Fprintf(tw, "    %s\t%s\n", clip(col, 28), clip(a.Detail, 100))
			}
			tw.Flush()
		}
	}

	if pairs := profilecache.StrongestPairs(r, 10); len(pairs) > 0 {
		fmt.Fprintln(w, "\nStrongest correlations:")
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		for _, p := range pairs {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%+.3f\n", clip(p.A, 28), clip(p.B, 28), p.Method, p.Value)
		}
		tw.Flush()
	}
	if t := r.Target; t != nil && len(t.Associations) > 0 {
		as := slices.Clone(t.Associations)
		slices.SortStableFunc(as, func(a, b profile.Association) int {
			return cmpAbs(b.Value, a.Value)
		})
		fmt.Fprintf(w, "\nAssociation with the target %s:\n", t.Name)
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  column\tmethod\tvalue\tmutual info (bits)")
		for i, a := range as {
			if i == 10 {
				break
			}
			m := a.Method
			if m == "" {
				m = "-"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", clip(a.Column, 28), m, fmtNum(a.Value), fmtNum(a.MutualInfo))
		}
		tw.Flush()
	}
	return nil
}

// cmpAbs orders by |a| then |b|, NaN lowest.
func cmpAbs(a, b float64) int {
	fa, fb := math.Abs(a), math.Abs(b)
	if math.IsNaN(fa) {
		fa = -1
	}
	if math.IsNaN(fb) {
		fb = -1
	}
	switch {
	case fa < fb:
		return -1
	case fa > fb:
		return 1
	}
	return 0
}
