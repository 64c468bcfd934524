package cli

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/metrics"
	"github.com/spf13/cobra"
)

// MetricsJSON is the documented output of "mlwb metrics --json".
type MetricsJSON struct {
	Task          string             `json:"task"`
	Rows          int                `json:"rows"`
	DroppedRows   int                `json:"dropped_rows"`
	PositiveLabel *string            `json:"positive_label,omitempty"`
	Threshold     *jnum              `json:"threshold,omitempty"`
	Metrics       map[string]jnum    `json:"metrics"`
	CI            map[string][2]jnum `json:"ci,omitempty"`
	CILevel       float64            `json:"ci_level,omitempty"`
	Bootstrap     int                `json:"bootstrap,omitempty"`
	Seed          *uint64            `json:"seed,omitempty"`
	Labels        []string           `json:"labels,omitempty"`
	Confusion     [][]float64        `json:"confusion_matrix,omitempty"`
	PerClass      []MetricsClassJSON `json:"per_class,omitempty"`
	Profit        *MetricsProfitJSON `json:"profit,omitempty"`
	Warnings      []string           `json:"warnings"`
}

// MetricsClassJSON is one class of MetricsJSON.PerClass.
type MetricsClassJSON struct {
	Label     string  `json:"label"`
	Precision jnum    `json:"precision"`
	Recall    jnum    `json:"recall"`
	F1        jnum    `json:"f1"`
	Support   float64 `json:"support"`
	Predicted float64 `json:"predicted"`
	ROCAUC    jnum    `json:"roc_auc"`
}

// MetricsProfitJSON is the business analysis of MetricsJSON (with --payoff).
type MetricsProfitJSON struct {
	Per1000AtThreshold jnum `json:"per_1000_at_threshold"`
	BestThreshold      jnum `json:"best_threshold"`
	BestPer1000        jnum `json:"best_per_1000"`
}

// jnum is a float64 that marshals NaN and ±Inf as null.
type jnum float64

func (v jnum) MarshalJSON() ([]byte, error) {
	f := float64(v)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(f)
}

type metricsFlags struct {
	rf        readFlags
	trueSpec  string
	scoreSpec string
	threshold float64
	posLabel  string
	task      string
	ci        bool
	ciB       int
	ciLevel   float64
	seed      uint64
	payoff    string
	asJSON    bool
}

func newMetricsCmd(e *env) *cobra.Command {
	var mf metricsFlags
	cmd := &cobra.Command{
		Use:   "metrics --true FILE:COL --score FILE:COL",
		Short: "Compute evaluation metrics from predictions made elsewhere",
		Long: `Compute scikit-learn-compatible metrics from a column of true values and a
column of predictions (the same file or two files with the same row order).
COL is a column name, or a 1-based column number when no column has that name;
FILE:COL splits at the last colon.

Task (override with --task binary|multiclass|regression):
  - --score holds class labels (text, or numbers all among the true values):
    classification from labels; roc_auc, average_precision, log_loss and brier
    are null, with a warning.
  - --true has at most 2 classes and --score is numeric: binary with scores;
    with scores in [0, 1] (probabilities) every metric, otherwise log_loss and
    brier are null. A row is predicted positive when score >= --threshold
    (default 0.5).
  - --score names several columns (FILE:C1,C2,...): class probabilities, one
    column per class, matched to the classes by name (a column named like the
    class, or ending in _CLASS) or else in sorted class order.
  - numeric --true and --score otherwise: regression.

Positive class (binary): --pos-label, or else "1", else "yes"/"true" (any
case), else the second of the two labels in sorted order (numeric order when
both are numbers). scikit-learn needs pos_label for string labels; this is
mlwb's documented default.

Rows where either value is missing are dropped (counted in dropped_rows,
with a warning). Undefined metrics follow scikit-learn: ROC AUC with one class
in y_true is null and a warning says why; precision with no predicted
positives is 0 with a zero_division warning. Log loss clips probabilities to
[eps, 1-eps] with eps = 2^-52 (scikit-learn 1.2's eps="auto").

--ci adds percentile bootstrap intervals (B = --ci-b replicates, default 1000,
seeded by --seed); it is off by default because it costs B metric passes.
--payoff TP,FP,FN,TN (values of a true positive and true negative, costs of a
false positive and false negative, as in the project card) adds the profit per
1,000 predictions at the threshold and the profit-maximising threshold.

JSON output (--json) is stable; undefined values are null, never NaN:
  {"task": "binary|multiclass|regression", "rows": N, "dropped_rows": N,
   "positive_label": "1", "threshold": 0.5,
   "metrics": {"accuracy", "balanced_accuracy", "precision", "recall", "f1",
               "roc_auc", "average_precision", "log_loss", "brier", "mcc",
               "cohen_kappa", "ks", "specificity", "precision_macro",
               "recall_macro", "f1_macro", "..._micro", "..._weighted"}
     multiclass: accuracy, balanced_accuracy, f1_macro/micro/weighted,
               precision_*, recall_*, roc_auc_ovr, roc_auc_ovr_weighted,
               log_loss, mcc, cohen_kappa
     regression: rmse, mae, r2, mse, mape, median_ae, explained_variance,
               max_error
   "ci": {"accuracy": [lo, hi], ...}, "ci_level": 0.95, "bootstrap": 1000,
   "seed": 0                                             (with --ci)
   "labels": [...], "confusion_matrix": [[...]] (rows true, columns predicted),
   "per_class": [{"label", "precision", "recall", "f1", "support",
                  "predicted", "roc_auc"}],
   "profit": {"per_1000_at_threshold", "best_threshold", "best_per_1000"},
   "warnings": ["..."]}`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMetrics(cmd, e, &mf)
		},
	}
	mf.rf.add(cmd)
	f := cmd.Flags()
	f.StringVar(&mf.trueSpec, "true", "", "FILE:COL of the true values (required)")
	f.StringVar(&mf.scoreSpec, "score", "", "FILE:COL of the predictions: scores, probabilities, labels or numbers (required)")
	f.Float64Var(&mf.threshold, "threshold", metrics.DefaultThreshold, "binary: a score >= this is the positive class")
	f.StringVar(&mf.posLabel, "pos-label", "", `binary: the positive class (default "1", "yes", "true", or the second sorted label)`)
	f.StringVar(&mf.task, "task", "auto", "auto, binary, multiclass or regression")
	f.BoolVar(&mf.ci, "ci", false, "add percentile bootstrap confidence intervals")
	f.IntVar(&mf.ciB, "ci-b", 1000, "bootstrap replicates for --ci")
	f.Float64Var(&mf.ciLevel, "ci-level", 0.95, "confidence level for --ci")
	f.Uint64Var(&mf.seed, "seed", 0, "bootstrap seed for --ci")
	f.StringVar(&mf.payoff, "payoff", "", "binary: TP,FP,FN,TN money values (TP/TN gained, FP/FN costs subtracted)")
	f.BoolVar(&mf.asJSON, "json", false, "print JSON (stable, documented above)")
	return cmd
}

// colSpec is FILE:COL[,COL...].
type colSpec struct {
	flag, file string
	cols       []string
}

func parseColSpec(flag, s string) (colSpec, error) {
	i := strings.LastIndex(s, ":")
	if s == "" {
		return colSpec{}, fmt.Errorf("--%s is required (FILE:COL)", flag)
	}
	if i <= 0 || i == len(s)-1 {
		return colSpec{}, fmt.Errorf("--%s %q: want FILE:COL", flag, s)
	}
	return colSpec{flag: flag, file: s[:i], cols: strings.Split(s[i+1:], ",")}, nil
}

// column finds name in f, or a 1-based column number.
func (c colSpec) column(f *frame.Frame, name string) (frame.Column, error) {
	if col, err := f.Column(name); err == nil {
		return col, nil
	}
	if k, err := strconv.Atoi(name); err == nil && k >= 1 && k <= f.NumCols() {
		return f.Col(k - 1), nil
	}
	return nil, fmt.Errorf("--%s: %s has no column %q (columns: %s)", c.flag, c.file, name, strings.Join(f.Names(), ", "))
}

func parsePayoff(s string) (metrics.Payoff, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return metrics.Payoff{}, fmt.Errorf("--payoff %q: want four numbers TP,FP,FN,TN", s)
	}
	var v [4]float64
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return metrics.Payoff{}, fmt.Errorf("--payoff %q: %q is not a number", s, p)
		}
		v[i] = x
	}
	return metrics.Payoff{TPValue: v[0], FPCost: v[1], FNCost: v[2], TNValue: v[3]}, nil
}

func runMetrics(cmd *cobra.Command, e *env, mf *metricsFlags) error {
	ts, err := parseColSpec("true", mf.trueSpec)
	if err != nil {
		return err
	}
	ss, err := parseColSpec("score", mf.scoreSpec)
	if err != nil {
		return err
	}
	if len(ts.cols) != 1 {
		return fmt.Errorf("--true %q: name one column", mf.trueSpec)
	}
	if math.IsNaN(mf.threshold) {
		return fmt.Errorf("--threshold must be a number")
	}
	var payoff *metrics.Payoff
	if mf.payoff != "" {
		p, err := parsePayoff(mf.payoff)
		if err != nil {
			return err
		}
		payoff = &p
	}
	switch mf.task {
	case "auto", "binary", "multiclass", "regression":
	default:
		return fmt.Errorf("--task %q: want auto, binary, multiclass or regression", mf.task)
	}
	if mf.ci && (mf.ciB < 1 || !(mf.ciLevel > 0 && mf.ciLevel < 1)) {
		return fmt.Errorf("--ci-b must be at least 1 and --ci-level in (0, 1)")
	}
	opt, err := mf.rf.options()
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	load := func(path string) (*frame.Frame, error) {
		bar := newProgress(e.stderr, "loading "+path, mf.asJSON)
		o := opt
		o.Progress = bar.Update
		f, err := dataio.Load(ctx, path, o)
		bar.Done()
		return f, err
	}
	tf, err := load(ts.file)
	if err != nil {
		return err
	}
	sf := tf
	if ss.file != ts.file {
		if sf, err = load(ss.file); err != nil {
			return err
		}
	}
	if tf.NumRows() != sf.NumRows() {
		return fmt.Errorf("row counts differ: %s has %d rows, %s has %d (--true and --score must be in the same row order)", ts.file, tf.NumRows(), ss.file, sf.NumRows())
	}
	tcol, err := ts.column(tf, ts.cols[0])
	if err != nil {
		return err
	}
	scols := make([]frame.Column, len(ss.cols))
	for i, name := range ss.cols {
		if scols[i], err = ss.column(sf, name); err != nil {
			return err
		}
	}
	prep, err := prepareMetrics(tcol, scols, mf)
	if err != nil {
		return err
	}
	var eopt metrics.Options
	if mf.ci {
		bar := newProgress(e.stderr, "bootstrap", mf.asJSON)
		eopt.Bootstrap = &metrics.BootstrapOptions{B: mf.ciB, Level: mf.ciLevel, Seed: mf.seed, Progress: bar.Update}
		defer bar.Done()
	}
	rep, err := metrics.Evaluate(ctx, prep.in, eopt)
	if err != nil {
		return err
	}
	out := metricsJSON(rep, prep, mf)
	if payoff != nil {
		if rep.Ranking == nil {
			out.Warnings = append(out.Warnings, "--payoff needs binary scores; profit left out")
		} else {
			at := rep.Ranking.ThresholdAt(rep.Threshold, *payoff)
			best := rep.Ranking.BestThreshold(*payoff)
			out.Profit = &MetricsProfitJSON{Per1000AtThreshold: jnum(at.Per1000), BestThreshold: jnum(best.Threshold), BestPer1000: jnum(best.Per1000)}
		}
	}
	if mf.asJSON {
		return writeJSON(e, out)
	}
	return printMetrics(e.stdout, rep, out)
}

// preparedMetrics is the engine input with what the CLI learned on the way.
type preparedMetrics struct {
	in      metrics.Input
	dropped int
	notes   []string
}

// cellText returns the canonical text of a cell: numbers in the shortest
// form ("1", not "1.0"), so that labels match across numeric types.
func cellText(c frame.Column, i int) (string, bool) {
	if c.IsNA(i) {
		return "", false
	}
	switch c.(type) {
	case *frame.Float64Col, *frame.Int64Col:
		v, _ := frame.FloatAt(c, i)
		return strconv.FormatFloat(v, 'g', -1, 64), true
	}
	return c.Format(i), true
}

func isNumeric(c frame.Column) bool {
	switch c.(type) {
	case *frame.Float64Col, *frame.Int64Col, *frame.BoolCol:
		return true
	}
	return false
}

// sortLabels sorts class labels numerically when all are numbers, else as text.
func sortLabels(l []string) {
	nums := true
	for _, s := range l {
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			nums = false
			break
		}
	}
	slices.SortFunc(l, func(a, b string) int {
		if nums {
			x, _ := strconv.ParseFloat(a, 64)
			y, _ := strconv.ParseFloat(b, 64)
			return cmp.Compare(x, y)
		}
		return cmp.Compare(a, b)
	})
}

// defaultPos picks the positive class among labels (see the help).
func defaultPos(labels []string) string {
	for _, want := range []string{"1", "yes", "true"} {
		for _, l := range labels {
			if strings.EqualFold(l, want) {
				return l
			}
		}
	}
	s := slices.Clone(labels)
	sortLabels(s)
	return s[len(s)-1]
}

func prepareMetrics(tcol frame.Column, scols []frame.Column, mf *metricsFlags) (*preparedMetrics, error) {
	if _, ok := tcol.(*frame.DatetimeCol); ok {
		return nil, fmt.Errorf("--true column %q is a date-time column; metrics need labels or numbers", tcol.Name())
	}
	for _, c := range scols {
		if _, ok := c.(*frame.DatetimeCol); ok {
			return nil, fmt.Errorf("--score column %q is a date-time column", c.Name())
		}
		if len(scols) > 1 && !isNumeric(c) {
			return nil, fmt.Errorf("--score column %q is %s; probability columns must be numeric", c.Name(), c.Type())
		}
	}
	n := tcol.Len()
	// rows with every value present
	keep := make([]int, 0, n)
	for i := range n {
		ok := !tcol.IsNA(i)
		for _, c := range scols {
			if c.IsNA(i) {
				ok = false
			} else if v, num := frame.FloatAt(c, i); num && math.IsNaN(v) {
				ok = false
			}
		}
		if v, num := frame.FloatAt(tcol, i); num && math.IsNaN(v) {
			ok = false
		}
		if ok {
			keep = append(keep, i)
		}
	}
	p := &preparedMetrics{dropped: n - len(keep)}
	if p.dropped > 0 {
		p.notes = append(p.notes, fmt.Sprintf("dropped %d of %d rows with a missing true value or prediction", p.dropped, n))
	}
	if len(keep) == 0 {
		return nil, fmt.Errorf("no rows with both a true value (%s) and a prediction (%s)", tcol.Name(), scols[0].Name())
	}
	trueText := make([]string, len(keep))
	trueSet := map[string]bool{}
	for k, i := range keep {
		trueText[k], _ = cellText(tcol, i)
		trueSet[trueText[k]] = true
	}
	floats := func(c frame.Column) []float64 {
		out := make([]float64, len(keep))
		for k, i := range keep {
			out[k], _ = frame.FloatAt(c, i)
		}
		return out
	}
	task := mf.task
	sc := scols[0]
	var scoreText []string
	if len(scols) == 1 {
		scoreText = make([]string, len(keep))
		subset := true
		for k, i := range keep {
			scoreText[k], _ = cellText(sc, i)
			if !trueSet[scoreText[k]] {
				subset = false
			}
		}
		if task == "auto" {
			switch {
			case !isNumeric(sc) || subset:
				task = "labels"
			case len(trueSet) <= 2:
				task = "binary"
			case isNumeric(tcol):
				task = "regression"
			default:
				return nil, fmt.Errorf("cannot tell the task: --true %q has %d classes and --score %q is numeric but not among them; use --task or give one probability column per class", tcol.Name(), len(trueSet), sc.Name())
			}
		} else if task != "regression" && (!isNumeric(sc) || (subset && task == "multiclass")) {
			task = "labels"
		} else if task == "multiclass" {
			return nil, fmt.Errorf("--task multiclass with one numeric --score column %q that is not class labels: give one probability column per class (FILE:C1,C2,...)", sc.Name())
		}
	} else if task == "regression" {
		return nil, fmt.Errorf("--task regression takes one --score column, got %d", len(scols))
	} else {
		task = "proba"
	}

	classIndex := func(labels []string) map[string]int32 {
		m := make(map[string]int32, len(labels))
		for i, l := range labels {
			m[l] = int32(i)
		}
		return m
	}
	codes := func(text []string, idx map[string]int32) []int32 {
		out := make([]int32, len(text))
		for k, s := range text {
			out[k] = idx[s]
		}
		return out
	}
	// binaryClasses returns the two classes in sorted order and the
	// positive one, naming a missing class after its counterpart.
	binaryClasses := func(present []string) ([]string, string, error) {
		pos := mf.posLabel
		if len(present) == 1 {
			only := present[0]
			if pos == "" {
				pos = only
				if c, ok := counterpart[strings.ToLower(only)]; ok && (only == "0" || strings.EqualFold(only, "no") || strings.EqualFold(only, "false")) {
					pos = c
				}
			}
			neg := only
			if pos == only {
				neg = counterpart[strings.ToLower(only)]
				if neg == "" {
					neg = "not " + only
				}
			}
			p.notes = append(p.notes, fmt.Sprintf("only class %q occurs in the true values", only))
			classes := []string{neg, pos}
			sortLabels(classes)
			return classes, pos, nil
		}
		if pos == "" {
			pos = defaultPos(present)
		}
		if !slices.Contains(present, pos) {
			return nil, "", fmt.Errorf("--pos-label %q is not one of the classes %s", pos, strings.Join(present, ", "))
		}
		return present, pos, nil
	}

	switch task {
	case "regression":
		if !isNumeric(tcol) || !isNumeric(sc) {
			return nil, fmt.Errorf("regression needs numeric columns: --true %q is %s, --score %q is %s", tcol.Name(), tcol.Type(), sc.Name(), sc.Type())
		}
		p.in = metrics.Input{Task: metrics.RegressionTask, YTrue: floats(tcol), YPred: floats(sc)}
	case "binary":
		present := keysSorted(trueSet)
		if len(present) > 2 {
			return nil, fmt.Errorf("--task binary: --true %q has %d classes (%s)", tcol.Name(), len(present), strings.Join(head(present, 5), ", "))
		}
		classes, pos, err := binaryClasses(present)
		if err != nil {
			return nil, err
		}
		th := mf.threshold
		p.in = metrics.Input{Task: metrics.BinaryTask, Classes: classes, Pos: slices.Index(classes, pos),
			True: codes(trueText, classIndex(classes)), Score: floats(sc), Threshold: &th}
	case "labels":
		set := map[string]bool{}
		for l := range trueSet {
			set[l] = true
		}
		for _, s := range scoreText {
			set[s] = true
		}
		labels := keysSorted(set)
		if (len(labels) <= 2 && mf.task != "multiclass") || mf.task == "binary" {
			if len(labels) > 2 {
				return nil, fmt.Errorf("--task binary: %d classes among the true and predicted labels", len(labels))
			}
			classes, pos, err := binaryClasses(labels)
			if err != nil {
				return nil, err
			}
			idx := classIndex(classes)
			p.in = metrics.Input{Task: metrics.BinaryTask, Classes: classes, Pos: slices.Index(classes, pos),
				True: codes(trueText, idx), Pred: codes(scoreText, idx)}
		} else {
			idx := classIndex(labels)
			p.in = metrics.Input{Task: metrics.MulticlassTask, Classes: labels, True: codes(trueText, idx), Pred: codes(scoreText, idx)}
		}
	case "proba":
		labels, order, err := matchProbaColumns(scols, keysSorted(trueSet))
		if err != nil {
			return nil, err
		}
		idx := classIndex(labels)
		cols := make([][]float64, len(order))
		for j, c := range order {
			cols[j] = floats(scols[c])
		}
		if len(labels) == 2 && mf.task != "multiclass" {
			classes, pos, err := binaryClasses(labels)
			if err != nil {
				return nil, err
			}
			th := mf.threshold
			p.in = metrics.Input{Task: metrics.BinaryTask, Classes: classes, Pos: slices.Index(classes, pos),
				True: codes(trueText, classIndex(classes)), Score: cols[idx[pos]], Threshold: &th}
			break
		}
		k := len(labels)
		pr := metrics.Proba{K: k, P: make([]float64, k*len(keep))}
		for r := range keep {
			for j := range k {
				pr.P[r*k+j] = cols[j][r]
			}
		}
		p.in = metrics.Input{Task: metrics.MulticlassTask, Classes: labels, True: codes(trueText, idx), Proba: pr}
	}
	return p, nil
}

// counterpart names the other class of a one-class binary sample.
var counterpart = map[string]string{"1": "0", "0": "1", "yes": "no", "no": "yes", "true": "false", "false": "true"}

// matchProbaColumns assigns probability columns to classes: by name (the
// class label, or a name ending in _LABEL) when every column matches, else
// in sorted class order. It returns the class labels (true classes plus any
// named only by a column) and, per class, its column index.
func matchProbaColumns(cols []frame.Column, trueLabels []string) ([]string, []int, error) {
	byName := make([]string, len(cols))
	for i, c := range cols {
		name := c.Name()
		if j := strings.LastIndex(name, "_"); j >= 0 && !slices.Contains(trueLabels, name) {
			name = name[j+1:]
		}
		byName[i] = name
	}
	named := true
	for _, l := range trueLabels {
		if !slices.Contains(byName, l) {
			named = false
		}
	}
	uniq := map[string]bool{}
	for _, n := range byName {
		uniq[n] = true
	}
	if named && len(uniq) == len(cols) {
		labels := slices.Clone(byName)
		sortLabels(labels)
		order := make([]int, len(labels))
		for j, l := range labels {
			order[j] = slices.Index(byName, l)
		}
		return labels, order, nil
	}
	if len(cols) != len(trueLabels) {
		return nil, nil, fmt.Errorf("--score has %d probability columns but --true has %d classes (%s), and the column names do not name the classes", len(cols), len(trueLabels), strings.Join(head(trueLabels, 8), ", "))
	}
	order := make([]int, len(cols))
	for j := range order {
		order[j] = j
	}
	return trueLabels, order, nil
}

func keysSorted(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sortLabels(out)
	return out
}

func head(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(slices.Clone(s[:n]), "...")
}

func metricsJSON(rep *metrics.Report, prep *preparedMetrics, mf *metricsFlags) *MetricsJSON {
	out := &MetricsJSON{Task: rep.Task.String(), Rows: rep.N, DroppedRows: prep.dropped, Metrics: map[string]jnum{}}
	out.Warnings = append(append([]string{}, prep.notes...), rep.Warnings...)
	for _, name := range rep.Names {
		out.Metrics[name] = jnum(rep.Values[name])
	}
	if rep.CI != nil {
		out.CI = map[string][2]jnum{}
		for _, name := range rep.Names {
			iv := rep.CI[name]
			out.CI[name] = [2]jnum{jnum(iv.Lo), jnum(iv.Hi)}
		}
		out.CILevel, out.Bootstrap = mf.ciLevel, mf.ciB
		seed := mf.seed
		out.Seed = &seed
	}
	if rep.Task == metrics.BinaryTask {
		pos := rep.Classes[rep.Pos]
		out.PositiveLabel = &pos
		if !math.IsNaN(rep.Threshold) {
			t := jnum(rep.Threshold)
			out.Threshold = &t
		}
	}
	if c := rep.Confusion; c != nil {
		out.Labels = c.Labels
		k := c.K()
		for i := range k {
			out.Confusion = append(out.Confusion, slices.Clone(c.M[i*k:(i+1)*k]))
		}
		for _, r := range rep.PerClass {
			out.PerClass = append(out.PerClass, MetricsClassJSON{Label: r.Label, Precision: jnum(r.Precision), Recall: jnum(r.Recall),
				F1: jnum(r.F1), Support: r.Support, Predicted: r.Predicted, ROCAUC: jnum(r.ROCAUC)})
		}
	}
	return out
}

func metricNum(v float64) string {
	switch {
	case math.IsNaN(v):
		return "—"
	case math.IsInf(v, 0):
		return strconv.FormatFloat(v, 'g', -1, 64)
	case v != 0 && (math.Abs(v) >= 1e6 || math.Abs(v) < 1e-3):
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
	return strconv.FormatFloat(v, 'f', 4, 64)
}

// metricTable writes rows with the first column left-aligned and the
// others right-aligned, two spaces apart, indented by two.
func metricTable(w io.Writer, rows [][]string) {
	var width []int
	for _, r := range rows {
		for j, c := range r {
			if j >= len(width) {
				width = append(width, 0)
			}
			width[j] = max(width[j], utf8.RuneCountInString(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		b.WriteString("  ")
		for j, c := range r {
			pad := strings.Repeat(" ", width[j]-utf8.RuneCountInString(c))
			if j == 0 {
				b.WriteString(c + pad)
			} else {
				b.WriteString("  " + pad + c)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// printMetricTable prints every metric of rep (with its interval when
// withCI) and, for classification, the confusion matrix.
func printMetricTable(w io.Writer, rep *metrics.Report, withCI bool, ciLevel float64) {
	rows := [][]string{{"metric", "value"}}
	if withCI {
		rows[0] = append(rows[0], fmt.Sprintf("%g%% CI", 100*ciLevel))
	}
	for _, name := range rep.Names {
		r := []string{name, metricNum(rep.Values[name])}
		if withCI {
			iv := rep.CI[name]
			ci := "—"
			if !math.IsNaN(iv.Lo) {
				ci = "[" + metricNum(iv.Lo) + ", " + metricNum(iv.Hi) + "]"
			}
			r = append(r, ci)
		}
		rows = append(rows, r)
	}
	metricTable(w, rows)
	if c := rep.Confusion; c != nil {
		fmt.Fprintln(w, "\nconfusion matrix (rows: true, columns: predicted)")
		rows = [][]string{append([]string{""}, c.Labels...)}
		for i, l := range c.Labels {
			r := []string{l}
			for j := range c.K() {
				r = append(r, strconv.FormatFloat(c.At(i, j), 'f', -1, 64))
			}
			rows = append(rows, r)
		}
		metricTable(w, rows)
	}
}

func printMetrics(w io.Writer, rep *metrics.Report, out *MetricsJSON) error {
	head := fmt.Sprintf("%s · %d rows", out.Task, out.Rows)
	if out.DroppedRows > 0 {
		head += fmt.Sprintf(" (%d dropped)", out.DroppedRows)
	}
	if out.PositiveLabel != nil {
		head += fmt.Sprintf(" · positive class %q", *out.PositiveLabel)
	}
	if out.Threshold != nil {
		head += fmt.Sprintf(" · threshold %g", float64(*out.Threshold))
	}
	fmt.Fprintln(w, head)
	fmt.Fprintln(w)
	printMetricTable(w, rep, out.CI != nil, out.CILevel)
	if c := rep.Confusion; c != nil {
		fmt.Fprintln(w, "\nper class")
		rows := [][]string{{"class", "precision", "recall", "f1", "support", "roc_auc"}}
		for _, r := range rep.PerClass {
			rows = append(rows, []string{r.Label, metricNum(r.Precision), metricNum(r.Recall), metricNum(r.F1),
				strconv.FormatFloat(r.Support, 'f', -1, 64), metricNum(r.ROCAUC)})
		}
		metricTable(w, rows)
	}
	if out.Profit != nil {
		fmt.Fprintf(w, "\nprofit per 1,000 predictions: %s at threshold %g; best %s at threshold %s\n",
			metricNum(float64(out.Profit.Per1000AtThreshold)), rep.Threshold, metricNum(float64(out.Profit.BestPer1000)), metricNum(float64(out.Profit.BestThreshold)))
	}
	if len(out.Warnings) > 0 {
		fmt.Fprintln(w, "\nwarnings:")
		for _, s := range out.Warnings {
			fmt.Fprintf(w, "  - %s\n", s)
		}
	}
	return nil
}
