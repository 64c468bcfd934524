package profile

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Kind names an alert; the upper-case names are part of the JSON output.
type Kind string

// Alert kinds. Thresholds follow ydata-profiling 4.x defaults where it has
// the alert; shares are of all rows unless said otherwise.
const (
	// Constant: exactly one distinct non-missing value.
	Constant Kind = "CONSTANT"
	// Unique: every non-missing value distinct (and more than one of them).
	Unique Kind = "UNIQUE"
	// Missing: more than 1 % of rows missing (MissingShare).
	Missing Kind = "MISSING"
	// Zeros: more than 1 % of rows are 0 (numeric).
	Zeros Kind = "ZEROS"
	// Infinite: more than 1 % of rows are ±Inf (numeric).
	Infinite Kind = "INFINITE"
	// Skewed: |skewness| > 20 (numeric).
	Skewed Kind = "SKEWED"
	// Uniform: χ² goodness of fit to uniform with p > 0.999, on the histogram
	// counts (numeric) or the value counts (categorical and string).
	Uniform Kind = "UNIFORM"
	// HighCardinality: more than 50 distinct values (categorical, string).
	HighCardinality Kind = "HIGH_CARDINALITY"
	// Imbalance: 1 − entropy/log₂k > 0.5 (categorical, string, bool); on the
	// target also: its rarest class holds less than TargetMinorityShare of
	// the values.
	Imbalance Kind = "IMBALANCE"
	// HighCorrelation: |Pearson| or |Spearman|, Cramér's V or η at or above
	// Options.CorrelationThreshold with another column (one alert per column,
	// listing the partners).
	HighCorrelation Kind = "HIGH_CORRELATION"
	// ConstantLength: all values of a text column with more than one distinct
	// value have the same length.
	ConstantLength Kind = "CONSTANT_LENGTH"
	// TypeDate: every examined value of a text column parses as a date.
	TypeDate Kind = "TYPE_DATE"
	// Duplicates: at least one row equals an earlier row (column "").
	Duplicates Kind = "DUPLICATES"
	// Empty: the frame has no rows (column ""), or a column has no values.
	Empty Kind = "EMPTY"
	// Unsupported: a text column mixing numbers (≥ MixedNumericShare of its
	// values) with text.
	Unsupported Kind = "UNSUPPORTED"
	// Outliers: more than 1 % of a numeric column's values outside Tukey's
	// fences Q1 − 1.5·IQR, Q3 + 1.5·IQR, or more than 0.5 % with a modified
	// z-score |0.6745(x − median)/MAD| > 3.5 (Iglewicz and Hoaglin).
	Outliers Kind = "OUTLIERS"
	// InconsistentCategory: distinct values that become equal after trimming,
	// folding white space and case and removing accents.
	InconsistentCategory Kind = "INCONSISTENT_CATEGORY"
	// PII: at least PIIShare of a text column's values look like one kind of
	// personal data (e-mail, phone, IP, Luhn-valid card, mod-97-valid IBAN).
	PII Kind = "PII"
	// Leakage: a feature that almost determines the target (see LeakageLevel).
	Leakage Kind = "LEAKAGE"
)

// Alert thresholds not taken from Options.
const (
	MissingShare        = 0.01
	ZerosShare          = 0.01
	InfiniteShare       = 0.01
	SkewnessLimit       = 20.0
	UniformP            = 0.999
	CardinalityLimit    = 50
	ImbalanceLimit      = 0.5
	OutlierIQRShare     = 0.01
	OutlierRobustZShare = 0.005
	// TargetMinorityShare: a categorical target's rarest class below this
	// share of its values raises IMBALANCE on the target.
	TargetMinorityShare = 0.1
	// LeakageLevel: |Pearson|, η, Cramér's V or normalised mutual information
	// (MI / H(target); only for features with at most CardinalityLimit
	// distinct values, as a unique key trivially determines anything) at or
	// above 0.95, or a categorical feature (≤ CardinalityLimit levels) whose
	// levels are at least LeakagePurity pure while the target's majority
	// class holds less than LeakagePurity of the rows.
	LeakageLevel  = 0.95
	LeakagePurity = 0.99
)

// Alert is one data-quality finding.
type Alert struct {
	Column string // "" for the whole table
	Kind   Kind
	Detail string
	Value  float64 // the measured quantity (a share, count, statistic or correlation)
}

func pct(v float64) string { return fmt.Sprintf("%.1f%%", 100*v) }

func alerts(r *Report, work []*colWork, opt Options) []Alert {
	var out []Alert
	add := func(col string, k Kind, v float64, format string, args ...any) {
		out = append(out, Alert{Column: col, Kind: k, Detail: fmt.Sprintf(format, args...), Value: v})
	}
	rows := float64(r.Rows)
	if r.Rows == 0 {
		add("", Empty, 0, "the table has no rows")
	}
	if r.Duplicates > 0 {
		add("", Duplicates, float64(r.Duplicates), "%d duplicate rows (%s)", r.Duplicates, pct(float64(r.Duplicates)/rows))
	}
	corr := highCorrelations(r, opt.CorrelationThreshold)
	var assoc map[string]Association
	if r.Target != nil {
		assoc = map[string]Association{}
		for _, a := range r.Target.Associations {
			assoc[a.Column] = a
		}
	}
	for i, c := range r.Columns {
		name := c.Name
		if r.Rows > 0 && c.Count == 0 {
			add(name, Empty, 1, "all %d values missing", r.Rows)
		}
		if share := c.MissingPct / 100; share > MissingShare {
			add(name, Missing, share, "%d missing (%s)", c.Missing, pct(share))
		}
		if c.Distinct == 1 {
			add(name, Constant, 1, "one distinct value")
		}
		if c.Count > 1 && c.Distinct == c.Count {
			add(name, Unique, 1, "all %d values distinct", c.Count)
		}
		if s := c.Numeric; s != nil && c.Count > 0 {
			if sh := float64(s.Zeros) / rows; sh > ZerosShare {
				add(name, Zeros, sh, "%d zeros (%s)", s.Zeros, pct(sh))
			}
			if sh := float64(s.Infinite) / rows; sh > InfiniteShare {
				add(name, Infinite, sh, "%d infinite values (%s)", s.Infinite, pct(sh))
			}
			if math.Abs(s.Skewness) > SkewnessLimit {
				add(name, Skewed, s.Skewness, "skewness %.3g", s.Skewness)
			}
			if s.UniformityP > UniformP {
				add(name, Uniform, s.UniformityP, "histogram fits a uniform distribution (χ² p = %.4f)", s.UniformityP)
			}
			n := float64(c.Count)
			if float64(s.OutliersIQR)/n > OutlierIQRShare || float64(s.OutliersRobustZ)/n > OutlierRobustZShare {
				add(name, Outliers, float64(s.OutliersIQR), "%d values (%s) beyond 1.5×IQR fences [%.6g, %.6g]; %d (%s) with robust z > 3.5",
					s.OutliersIQR, pct(float64(s.OutliersIQR)/n), s.P25-1.5*s.IQR, s.P75+1.5*s.IQR, s.OutliersRobustZ, pct(float64(s.OutliersRobustZ)/n))
			}
		}
		if t := c.Text; t != nil && c.Count > 0 {
			if c.Distinct > CardinalityLimit {
				add(name, HighCardinality, float64(c.Distinct), "%d distinct values", c.Distinct)
			}
			if t.Imbalance > ImbalanceLimit {
				add(name, Imbalance, t.Imbalance, "imbalance %.3f (1 − entropy/log₂k, k = %d)", t.Imbalance, c.Distinct)
			}
			if t.UniformityP > UniformP {
				add(name, Uniform, t.UniformityP, "value counts fit a uniform distribution (χ² p = %.4f)", t.UniformityP)
			}
			if c.Distinct > 1 && t.LengthMin == t.LengthMax {
				add(name, ConstantLength, float64(t.LengthMin), "every value has %d characters", t.LengthMin)
			}
		}
		if b := c.Bool; b != nil && b.Imbalance > ImbalanceLimit {
			add(name, Imbalance, b.Imbalance, "imbalance %.3f (%d true, %d false)", b.Imbalance, b.True, b.False)
		}
		out = append(out, work[i].alerts...)
		if p, ok := corr[name]; ok {
			out = append(out, p)
		}
		if r.Target != nil && name == r.Target.Name {
			if levels, counts := classShares(work[i]); len(levels) > 1 {
				minK, tot := -1, 0
				for k, n := range counts {
					tot += n
					if n > 0 && (minK < 0 || n < counts[minK]) {
						minK = k
					}
				}
				if minK >= 0 {
					if sh := float64(counts[minK]) / float64(tot); sh < TargetMinorityShare {
						add(name, Imbalance, sh, "target minority class %q is %s of values", levels[minK], pct(sh))
					}
				}
			}
		}
		if a, ok := assoc[name]; ok {
			if d := leakage(a, c); d != "" {
				add(name, Leakage, a.Value, "%s", d)
			}
		}
	}
	return out
}

// leakage returns why the association a of feature c with the target is too
// strong, or "".
func leakage(a Association, c ColumnReport) string {
	lowCard := c.Distinct <= CardinalityLimit && c.Distinct < c.Count
	switch {
	case math.Abs(a.Value) >= LeakageLevel:
		return fmt.Sprintf("%s %.4f with the target", a.Method, a.Value)
	case (c.Numeric != nil || lowCard) && a.NormalizedMI >= LeakageLevel:
		return fmt.Sprintf("explains %s of the target's entropy (mutual information %.4f bits)", pct(a.NormalizedMI), a.MutualInfo)
	case lowCard && a.Purity >= LeakagePurity && a.majority < LeakagePurity:
		return fmt.Sprintf("its levels are %s pure in the target", pct(a.Purity))
	}
	return ""
}

// highCorrelations returns one HIGH_CORRELATION alert per column that has
// partners at or above thr.
func highCorrelations(r *Report, thr float64) map[string]Alert {
	type partner struct {
		name, method string
		v            float64
	}
	found := map[string][]partner{}
	scan := func(m Matrix, method string, symmetric bool) {
		for i, row := range m.Values {
			for j, v := range row {
				if symmetric && i == j {
					continue
				}
				if math.Abs(v) >= thr {
					a, b := m.Rows[i], m.Columns[j]
					found[a] = append(found[a], partner{b, method, v})
					if !symmetric {
						found[b] = append(found[b], partner{a, method, v})
					}
				}
			}
		}
	}
	c := r.Correlations
	scan(c.Pearson, "pearson", true)
	scan(c.Spearman, "spearman", true)
	scan(c.CramersV, "cramers_v", true)
	scan(c.Eta, "eta", false)
	out := map[string]Alert{}
	for name, ps := range found {
		// strongest first; one entry per partner (its strongest measure)
		sort.SliceStable(ps, func(i, j int) bool { return math.Abs(ps[i].v) > math.Abs(ps[j].v) })
		seen := map[string]bool{}
		var parts []string
		for _, p := range ps {
			if seen[p.name] {
				continue
			}
			seen[p.name] = true
			if len(parts) < 10 {
				parts = append(parts, fmt.Sprintf("%s (%s %.3f)", p.name, p.method, p.v))
			}
		}
		d := "highly correlated with " + strings.Join(parts, ", ")
		if len(seen) > len(parts) {
			d += fmt.Sprintf(" and %d more", len(seen)-len(parts))
		}
		out[name] = Alert{Column: name, Kind: HighCorrelation, Detail: d, Value: math.Abs(ps[0].v)}
	}
	return out
}
