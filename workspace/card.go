package workspace

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// Task is the kind of learning problem a project is about.
type Task string

// The tasks. TaskUnset means the user has not decided yet.
const (
	TaskUnset      Task = ""
	TaskBinary     Task = "binary"
	TaskMulticlass Task = "multiclass"
	TaskRegression Task = "regression"
	TaskClustering Task = "clustering"
)

// Tasks lists the valid non-empty tasks.
var Tasks = []Task{TaskBinary, TaskMulticlass, TaskRegression, TaskClustering}

// PIIPolicy says what to do with columns holding personal data.
type PIIPolicy string

// The PII policies. PIIUnset means undecided, which the UI treats as mask.
const (
	PIIUnset PIIPolicy = ""
	PIIMask  PIIPolicy = "mask" // show and export them as ****
	PIIHash  PIIPolicy = "hash" // replace values by a salted hash (joins still work)
	PIIDrop  PIIPolicy = "drop" // exclude the columns from training and exports
	PIIKeep  PIIPolicy = "keep" // use them as they are
)

// PIIPolicies lists the valid non-empty policies.
var PIIPolicies = []PIIPolicy{PIIMask, PIIHash, PIIDrop, PIIKeep}

// Card is the project card, mlwb.toml: what the project is for and how its
// models are judged. Users edit it in a text editor or through the UI.
type Card struct {
	Name        string     `toml:"name"`
	Description string     `toml:"description"`
	Task        Task       `toml:"task"`
	Target      string     `toml:"target"`
	Metric      MetricGoal `toml:"metric"`
	Business    Business   `toml:"business"`
	Privacy     Privacy    `toml:"privacy"`
	Fairness    Fairness   `toml:"fairness"`
}

// MetricGoal names the primary metric and the value a model must reach.
type MetricGoal struct {
	// Name is a metric from Metrics (e.g. "roc_auc"), or "".
	Name string `toml:"name"`
	// Threshold is the minimum acceptable value (the maximum for metrics where
	// lower is better), or nil for none.
	Threshold *float64 `toml:"threshold"`
}

// Business holds the money value of each kind of prediction for a binary
// task, used to choose decision thresholds. Costs are positive amounts that
// are subtracted; zero everywhere means "not set".
type Business struct {
	Currency          string  `toml:"currency"`
	TruePositiveValue float64 `toml:"true_positive_value"`
	FalsePositiveCost float64 `toml:"false_positive_cost"`
	FalseNegativeCost float64 `toml:"false_negative_cost"`
	TrueNegativeValue float64 `toml:"true_negative_value"`
}

// IsSet reports whether any business value or cost is non-zero.
func (b Business) IsSet() bool {
	return b.TruePositiveValue != 0 || b.FalsePositiveCost != 0 || b.FalseNegativeCost != 0 || b.TrueNegativeValue != 0
}

// Privacy lists columns that need care.
type Privacy struct {
	// SensitiveAttributes are columns fairness is checked across (sex, age...).
	SensitiveAttributes []string `toml:"sensitive_attributes"`
	// PIIColumns hold personal data (names, e-mails, phone numbers...).
	PIIColumns []string  `toml:"pii_columns"`
	PIIPolicy  PIIPolicy `toml:"pii_policy"`
}

// Fairness holds optional limits checked across SensitiveAttributes; nil
// means no limit.
type Fairness struct {
	// MaxDemographicParityDifference bounds the largest difference in
	// positive-prediction rate between groups, in [0, 1].
	MaxDemographicParityDifference *float64 `toml:"max_demographic_parity_difference"`
	// MaxEqualizedOddsDifference bounds the largest difference in true- or
	// false-positive rate between groups, in [0, 1].
	MaxEqualizedOddsDifference *float64 `toml:"max_equalized_odds_difference"`
	// MinDisparateImpactRatio is the least allowed ratio of the lowest to the
	// highest positive-prediction rate, in (0, 1]; 0.8 is the "four-fifths rule".
	MinDisparateImpactRatio *float64 `toml:"min_disparate_impact_ratio"`
}

// MetricInfo describes a metric the card may name.
type MetricInfo struct {
	Name           string
	Tasks          []Task
	Min, Max       float64 // range of values; ±Inf when unbounded
	HigherIsBetter bool
}

var metrics = []MetricInfo{
	{"roc_auc", []Task{TaskBinary}, 0, 1, true},
	{"pr_auc", []Task{TaskBinary}, 0, 1, true},
	{"accuracy", []Task{TaskBinary, TaskMulticlass}, 0, 1, true},
	{"balanced_accuracy", []Task{TaskBinary, TaskMulticlass}, 0, 1, true},
	{"f1", []Task{TaskBinary}, 0, 1, true},
	{"precision", []Task{TaskBinary}, 0, 1, true},
	{"recall", []Task{TaskBinary}, 0, 1, true},
	{"mcc", []Task{TaskBinary, TaskMulticlass}, -1, 1, true},
	{"brier", []Task{TaskBinary}, 0, 1, false},
	{"log_loss", []Task{TaskBinary, TaskMulticlass}, 0, math.Inf(1), false},
	{"f1_macro", []Task{TaskMulticlass}, 0, 1, true},
	{"f1_weighted", []Task{TaskMulticlass}, 0, 1, true},
	{"roc_auc_ovr", []Task{TaskMulticlass}, 0, 1, true},
	{"rmse", []Task{TaskRegression}, 0, math.Inf(1), false},
	{"mae", []Task{TaskRegression}, 0, math.Inf(1), false},
	{"mape", []Task{TaskRegression}, 0, math.Inf(1), false},
	{"r2", []Task{TaskRegression}, math.Inf(-1), 1, true},
	{"silhouette", []Task{TaskClustering}, -1, 1, true},
	{"davies_bouldin", []Task{TaskClustering}, 0, math.Inf(1), false},
	{"calinski_harabasz", []Task{TaskClustering}, 0, math.Inf(1), true},
}

// Metrics returns the metrics a card may name, for task (all when task is
// TaskUnset), in a stable order.
func Metrics(task Task) []MetricInfo {
	var out []MetricInfo
	for _, m := range metrics {
		if task == TaskUnset || slices.Contains(m.Tasks, task) {
			m.Tasks = slices.Clone(m.Tasks)
			out = append(out, m)
		}
	}
	return out
}

// LookupMetric returns the metric called name.
func LookupMetric(name string) (MetricInfo, bool) {
	for _, m := range metrics {
		if m.Name == name {
			m.Tasks = slices.Clone(m.Tasks)
			return m, true
		}
	}
	return MetricInfo{}, false
}

// CardError is an invalid project card. File and Line are set when the
// error comes from a file (Line 0 when the key's line is unknown); Col is set
// for syntax errors; Field is the dotted key ("metric.threshold") for
// validation errors.
type CardError struct {
	File  string
	Line  int
	Col   int
	Field string
	Msg   string
}

func (e *CardError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
			if e.Col > 0 {
				fmt.Fprintf(&b, ":%d", e.Col)
			}
		}
		b.WriteString(": ")
	} else {
		b.WriteString("workspace: card: ")
	}
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Validate checks the card: a name, a known task, a known metric that fits
// the task, a threshold in the metric's range, finite business values and
// non-negative costs, a known PII policy, column lists without blanks or
// duplicates, and fairness limits in range. It returns the first problem as
// a *CardError.
func (c Card) Validate() error {
	bad := func(field, format string, args ...any) error {
		return &CardError{Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	if strings.TrimSpace(c.Name) == "" {
		return bad("name", "must not be empty")
	}
	if c.Task != TaskUnset && !slices.Contains(Tasks, c.Task) {
		return bad("task", "%q is not one of binary, multiclass, regression, clustering (or \"\")", string(c.Task))
	}
	if c.Metric.Name != "" {
		m, ok := LookupMetric(c.Metric.Name)
		if !ok {
			return bad("metric.name", "unknown metric %q (known: %s)", c.Metric.Name, metricNames(c.Task))
		}
		if c.Task != TaskUnset && !slices.Contains(m.Tasks, c.Task) {
			return bad("metric.name", "%s does not apply to a %s task (use one of %s)", m.Name, c.Task, metricNames(c.Task))
		}
		if t := c.Metric.Threshold; t != nil && (math.IsNaN(*t) || *t < m.Min || *t > m.Max) {
			return bad("metric.threshold", "%s is outside the range of %s, %s", formatFloat(*t), m.Name, rangeText(m.Min, m.Max))
		}
	} else if c.Metric.Threshold != nil {
		return bad("metric.threshold", "is set but metric.name is empty")
	}
	for _, v := range []struct {
		field string
		x     float64
		cost  bool
	}{
		{"business.true_positive_value", c.Business.TruePositiveValue, false},
		{"business.false_positive_cost", c.Business.FalsePositiveCost, true},
		{"business.false_negative_cost", c.Business.FalseNegativeCost, true},
		{"business.true_negative_value", c.Business.TrueNegativeValue, false},
	} {
		if math.IsNaN(v.x) || math.IsInf(v.x, 0) {
			return bad(v.field, "must be a finite number, not %s", formatFloat(v.x))
		}
		if v.cost && v.x < 0 {
			return bad(v.field, "must not be negative: costs are subtracted, so write %s", formatFloat(-v.x))
		}
	}
	for _, l := range []struct {
		field string
		cols  []string
	}{
		{"privacy.sensitive_attributes", c.Privacy.SensitiveAttributes},
		{"privacy.pii_columns", c.Privacy.PIIColumns},
	} {
		seen := map[string]bool{}
		for _, col := range l.cols {
			if strings.TrimSpace(col) == "" {
				return bad(l.field, "holds an empty column name")
			}
			if seen[col] {
				return bad(l.field, "lists %q twice", col)
			}
			seen[col] = true
		}
	}
	if p := c.Privacy.PIIPolicy; p != PIIUnset && !slices.Contains(PIIPolicies, p) {
		return bad("privacy.pii_policy", "%q is not one of mask, hash, drop, keep", string(p))
	}
	for _, f := range []struct {
		field  string
		x      *float64
		lo, hi float64
		openLo bool
	}{
		{"fairness.max_demographic_parity_difference", c.Fairness.MaxDemographicParityDifference, 0, 1, false},
		{"fairness.max_equalized_odds_difference", c.Fairness.MaxEqualizedOddsDifference, 0, 1, false},
		{"fairness.min_disparate_impact_ratio", c.Fairness.MinDisparateImpactRatio, 0, 1, true},
	} {
		if f.x == nil {
			continue
		}
		if x := *f.x; math.IsNaN(x) || x < f.lo || x > f.hi || (f.openLo && x == f.lo) {
			lo := "["
			if f.openLo {
				lo = "("
			}
			return bad(f.field, "%s is outside %s%s, %s]", formatFloat(x), lo, formatFloat(f.lo), formatFloat(f.hi))
		}
	}
	return nil
}

func metricNames(t Task) string {
	var names []string
	for _, m := range Metrics(t) {
		names = append(names, m.Name)
	}
	return strings.Join(names, ", ")
}

func rangeText(lo, hi float64) string {
	l, h := "["+formatFloat(lo), formatFloat(hi)+"]"
	if math.IsInf(lo, -1) {
		l = "(-inf"
	}
	if math.IsInf(hi, 1) {
		h = "inf)"
	}
	return l + ", " + h
}

func formatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// clone returns a deep copy with empty lists as nil, so that equal cards
// compare equal with reflect.DeepEqual.
func (c Card) clone() Card {
	cl := func(s []string) []string {
		if len(s) == 0 {
			return nil
		}
		return slices.Clone(s)
	}
	cp := func(p *float64) *float64 {
		if p == nil {
			return nil
		}
		v := *p
		return &v
	}
	c.Privacy.SensitiveAttributes = cl(c.Privacy.SensitiveAttributes)
	c.Privacy.PIIColumns = cl(c.Privacy.PIIColumns)
	c.Metric.Threshold = cp(c.Metric.Threshold)
	c.Fairness.MaxDemographicParityDifference = cp(c.Fairness.MaxDemographicParityDifference)
	c.Fairness.MaxEqualizedOddsDifference = cp(c.Fairness.MaxEqualizedOddsDifference)
	c.Fairness.MinDisparateImpactRatio = cp(c.Fairness.MinDisparateImpactRatio)
	return c
}

// Render returns the card as mlwb.toml text, with a comment explaining every
// field. Unset optional values are written as commented-out examples.
func (c Card) Render() []byte {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	opt := func(key string, v *float64, example string) {
		if v == nil {
			line("# %s = %s", key, example)
		} else {
			line("%s = %s", key, tomlFloat(*v))
		}
	}
	line("# mlwb project card. Edit it freely: mlwb reads it when it opens the workspace.")
	line("# When mlwb itself saves the card it rewrites this file from its template;")
	line("# the previous version is kept in .mlwb/%s.bak.", CardFile)
	line("")
	line("# Project name, shown in the title bar and in reports.")
	line("name = %s", tomlString(c.Name))
	line("# What the project is for, in a sentence or two.")
	line("description = %s", tomlString(c.Description))
	line("")
	line("# Learning task: \"binary\", \"multiclass\", \"regression\", \"clustering\",")
	line("# or \"\" while undecided.")
	line("task = %s", tomlString(string(c.Task)))
	line("# Column to predict (not used for clustering).")
	line("target = %s", tomlString(c.Target))
	line("")
	line("[metric]")
	line("# Primary metric models are ranked by. binary: roc_auc, pr_auc, accuracy,")
	line("# balanced_accuracy, f1, precision, recall, mcc, brier, log_loss;")
	line("# multiclass: accuracy, balanced_accuracy, f1_macro, f1_weighted, roc_auc_ovr,")
	line("# mcc, log_loss; regression: rmse, mae, mape, r2; clustering: silhouette,")
	line("# davies_bouldin, calinski_harabasz.")
	line("name = %s", tomlString(c.Metric.Name))
	line("# Value a model must reach to be acceptable: a minimum, or a maximum for")
	line("# metrics where lower is better (rmse, mae, mape, log_loss, brier,")
	line("# davies_bouldin). Leave commented out for none.")
	opt("threshold", c.Metric.Threshold, "0.8")
	line("")
	line("[business]")
	line("# Money per prediction, used to pick decision thresholds for binary tasks.")
	line("# Values are gains, costs are positive amounts that are subtracted;")
	line("# all zero means not set.")
	line("currency = %s", tomlString(c.Business.Currency))
	line("# Gain from a correctly flagged positive (e.g. a customer kept).")
	line("true_positive_value = %s", tomlFloat(c.Business.TruePositiveValue))
	line("# Cost of flagging a negative (e.g. a needless discount).")
	line("false_positive_cost = %s", tomlFloat(c.Business.FalsePositiveCost))
	line("# Cost of missing a positive (e.g. a customer lost).")
	line("false_negative_cost = %s", tomlFloat(c.Business.FalseNegativeCost))
	line("# Gain from a correctly passed negative (usually 0).")
	line("true_negative_value = %s", tomlFloat(c.Business.TrueNegativeValue))
	line("")
	line("[privacy]")
	line("# Columns fairness is checked across, e.g. [\"sex\", \"age_group\"].")
	line("sensitive_attributes = %s", tomlStrings(c.Privacy.SensitiveAttributes))
	line("# Columns holding personal data, e.g. [\"email\", \"phone\"].")
	line("pii_columns = %s", tomlStrings(c.Privacy.PIIColumns))
	line("# What to do with PII columns: \"mask\" (show as ****), \"hash\" (replace by a")
	line("# salted hash), \"drop\" (leave out of training and exports) or \"keep\".")
	line("# \"\" means undecided and is treated as mask.")
	line("pii_policy = %s", tomlString(string(c.Privacy.PIIPolicy)))
	line("")
	line("[fairness]")
	line("# Optional limits across the sensitive attributes; commented out = no limit.")
	line("# Largest allowed difference in positive-prediction rate between groups (0-1).")
	opt("max_demographic_parity_difference", c.Fairness.MaxDemographicParityDifference, "0.1")
	line("# Largest allowed difference in true/false positive rate between groups (0-1).")
	opt("max_equalized_odds_difference", c.Fairness.MaxEqualizedOddsDifference, "0.1")
	line("# Least allowed ratio of lowest to highest positive rate (0.8 = four-fifths rule).")
	opt("min_disparate_impact_ratio", c.Fairness.MinDisparateImpactRatio, "0.8")
	return []byte(b.String())
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

func tomlStrings(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = tomlString(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// tomlFloat writes x as a TOML float (always with a point or exponent, so it
// reads back as a float).
func tomlFloat(x float64) string {
	switch {
	case math.IsNaN(x):
		return "nan"
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	}
	s := strconv.FormatFloat(x, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

// parseCard decodes and validates card text; file is used in errors.
func parseCard(file string, text []byte) (Card, []string, error) {
	if !utf8.Valid(text) {
		return Card{}, nil, &CardError{File: file, Line: invalidUTF8Line(text), Msg: "not valid UTF-8"}
	}
	var c Card
	md, err := toml.Decode(string(text), &c)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return Card{}, nil, &CardError{File: file, Line: pe.Position.Line, Col: pe.Position.Col, Msg: pe.Message}
		}
		// Type mismatches ("threshold = \"high\"") are not ParseErrors; the
		// message names the key, which locates the line.
		msg := strings.TrimPrefix(err.Error(), "toml: ")
		ce := &CardError{File: file, Msg: msg}
		if k := mismatchKey(msg); k != "" {
			ce.Field, ce.Line = k, keyLine(text, k)
			if _, rest, ok := strings.Cut(msg, "): "); ok {
				ce.Msg = rest
			}
		}
		return Card{}, nil, ce
	}
	var warn []string
	for _, k := range md.Undecoded() {
		warn = append(warn, fmt.Sprintf("%s:%d: unknown key %q is ignored (and dropped if mlwb rewrites the card)", file, keyLine(text, k.String()), k.String()))
	}
	if err := c.Validate(); err != nil {
		ce := err.(*CardError)
		ce.File = file
		ce.Line = keyLine(text, ce.Field)
		return Card{}, nil, ce
	}
	return c.clone(), warn, nil
}

// mismatchKey extracts the key from BurntSushi/toml decode errors such as
// `toml: line 3 (last key "metric.threshold"): incompatible types: ...`.
func mismatchKey(msg string) string {
	_, rest, ok := strings.Cut(msg, `last key "`)
	if !ok {
		return ""
	}
	k, _, _ := strings.Cut(rest, `"`)
	return k
}

func invalidUTF8Line(text []byte) int {
	for i, l := range strings.Split(string(text), "\n") {
		if !utf8.ValidString(l) {
			return i + 1
		}
	}
	return 0
}

// keyLine returns the 1-based line where the dotted key (as "metric.name")
// is assigned, or 0. It understands [table] headers and bare or quoted keys,
// which is all the card uses.
func keyLine(text []byte, dotted string) int {
	if dotted == "" {
		return 0
	}
	table, key := "", dotted
	if i := strings.LastIndexByte(dotted, '.'); i >= 0 {
		table, key = dotted[:i], dotted[i+1:]
	}
	cur := ""
	for i, l := range strings.Split(string(text), "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "[") && !strings.HasPrefix(l, "[[") {
			cur = strings.TrimSpace(strings.Trim(strings.SplitN(l, "#", 2)[0], " []"))
			continue
		}
		k, _, ok := strings.Cut(l, "=")
		if !ok || strings.HasPrefix(l, "#") {
			continue
		}
		k = strings.Trim(strings.TrimSpace(k), `"'`)
		switch {
		case cur == table && k == key:
			return i + 1
		case cur == "" && k == dotted:
			return i + 1
		}
	}
	return 0
}

// readCard reads and parses the card file.
func readCard(path string) (Card, []byte, []string, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return Card{}, nil, nil, fmt.Errorf("workspace: %w", err)
	}
	c, warn, err := parseCard(path, text)
	return c, text, warn, err
}

// ErrCardChanged is returned by SaveCard when mlwb.toml was changed on disk
// (by the user or another process) since this handle read it.
var ErrCardChanged = errors.New("workspace: mlwb.toml changed on disk since it was loaded")

// Card returns a copy of the project card as last loaded or saved.
func (w *Workspace) Card() Card {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.card.clone()
}

// SaveCard validates c and writes it to mlwb.toml. If the file already says
// the same (say, only comments differ) it is left alone, so comments the user
// wrote survive; otherwise it is rewritten from the commented template
// (Render) and the previous text is kept in .mlwb/mlwb.toml.bak. It returns a
// *CardError when c is invalid, and an error matching ErrCardChanged when
// the file was edited since this handle loaded it: Reload, reapply, save.
func (w *Workspace) SaveCard(c Card) error {
	if err := c.Validate(); err != nil {
		return err
	}
	c = c.clone()
	var changed []string
	err := w.withWriteLock(context.Background(), func() error {
		path := w.Path(CardFile)
		disk, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("workspace: %w", err)
		}
		w.mu.Lock()
		loaded := w.cardText
		w.mu.Unlock()
		if string(disk) != string(loaded) {
			return fmt.Errorf("%w: reload it and apply the change again", ErrCardChanged)
		}
		old, _, perr := parseCard(path, disk)
		if perr == nil && reflect.DeepEqual(old, c) {
			return nil
		}
		changed = cardDiff(old, c)
		if err := WriteFileAtomic(w.Path(metaDir, CardFile+".bak"), disk, 0o644); err != nil {
			return err
		}
		text := c.Render()
		if err := WriteFileAtomic(path, text, 0o644); err != nil {
			return err
		}
		w.mu.Lock()
		w.card, w.cardText = c, text
		w.mu.Unlock()
		return nil
	})
	if err != nil || changed == nil {
		return err
	}
	return w.Log("card.save", map[string]any{"changed": changed})
}

// cardDiff lists the dotted keys whose rendered values differ.
func cardDiff(a, b Card) []string {
	fa, fb := flattenCard(a.Render()), flattenCard(b.Render())
	var out []string
	for _, k := range fb.keys {
		if fa.vals[k] != fb.vals[k] {
			out = append(out, k)
		}
	}
	for _, k := range fa.keys {
		if _, ok := fb.vals[k]; !ok {
			out = append(out, k)
		}
	}
	if out == nil {
		out = []string{}
	}
	return out
}

type flatCard struct {
	keys []string
	vals map[string]string
}

// flattenCard reads back Render's output as dotted key → value text.
func flattenCard(text []byte) flatCard {
	f := flatCard{vals: map[string]string{}}
	table := ""
	for _, l := range strings.Split(string(text), "\n") {
		if strings.HasPrefix(l, "[") {
			table = strings.Trim(l, "[]") + "."
			continue
		}
		k, v, ok := strings.Cut(l, " = ")
		if !ok || strings.HasPrefix(l, "#") {
			continue
		}
		f.keys = append(f.keys, table+k)
		f.vals[table+k] = v
	}
	return f
}
