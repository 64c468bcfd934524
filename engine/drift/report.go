package drift

import (
	"encoding/json"
	"math"
	"time"
)

// Result is one method's outcome on one column.
type Result struct {
	Method Method
	// Statistic is the method's raw statistic: D for KS, the unnormalised
	// distance for Wasserstein, the distance for Jensen–Shannon, the index
	// for PSI, χ² for chi-square, z for the Z-test.
	Statistic float64
	// PValue is the p-value of KS, chi-square and the Z-test; NaN for the
	// distances.
	PValue float64
	// Score is what is compared with Threshold: the p-value for tests, the
	// distance (Wasserstein: divided by the reference std) otherwise.
	Score     float64
	Threshold float64
	Drift     bool
}

// Column is the comparison of one column.
type Column struct {
	Name string
	// Type is "numeric" or "categorical": how the column is tested; "" when
	// it could not be.
	Type string
	// DataType is the reference's frame type (int, float, bool, ...).
	DataType string
	// Role is "feature", "target" or "prediction".
	Role string
	Result
	// ReferenceN and CurrentN are the numbers of values compared (missing
	// and infinite values left out).
	ReferenceN, CurrentN int
	// EffectSize measures how far the distributions are apart independently
	// of the sample sizes; Effect names it: "wasserstein_std" (Wasserstein
	// distance in reference standard deviations) for numeric columns,
	// "cramers_v" (Cramér's V of the sample × category table, 0 to 1) for
	// columns tested as categories.
	EffectSize float64
	Effect     string
	// Also holds the results of Options.Also's other methods.
	Also []Result
	// Error says why the column was not compared ("" when it was).
	Error string
}

// Report is the comparison of one current frame (or window) with the
// reference.
type Report struct {
	// Label names the current data: a file, batch or window ("" for one
	// frame); Start and End bound a time window (zero otherwise).
	Label      string
	Start, End time.Time
	ReferenceN int // reference rows
	CurrentN   int // current rows
	Columns    []Column
	// Compared and Drifted count the columns compared and found drifted;
	// Share = Drifted/Compared (0 when none was compared).
	Compared, Drifted int
	Share             float64
	// ShareThreshold is Options.DriftShare; DatasetDrift is
	// Share ≥ ShareThreshold with at least one column compared.
	ShareThreshold float64
	DatasetDrift   bool
}

func (r *Report) summarize() {
	r.Compared, r.Drifted = 0, 0
	for _, c := range r.Columns {
		if c.Error != "" {
			continue
		}
		r.Compared++
		if c.Drift {
			r.Drifted++
		}
	}
	r.Share = 0
	if r.Compared > 0 {
		r.Share = float64(r.Drifted) / float64(r.Compared)
	}
	r.DatasetDrift = r.Compared > 0 && r.Share >= r.ShareThreshold
}

// Column returns the result of the named column.
func (r *Report) Column(name string) (Column, bool) {
	for _, c := range r.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// Role returns the first column with the role ("target", "prediction").
func (r *Report) Role(role string) (Column, bool) {
	for _, c := range r.Columns {
		if c.Role == role {
			return c, true
		}
	}
	return Column{}, false
}

// num is a JSON number that is null when NaN or infinite.
type num float64

func (n num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(f)
}

// ResultJSON is the documented JSON form of a Result.
type ResultJSON struct {
	Method    Method `json:"method"`
	Statistic num    `json:"statistic"`
	PValue    num    `json:"p_value"`
	Score     num    `json:"score"`
	Threshold num    `json:"threshold"`
	Drift     bool   `json:"drift"`
}

// ColumnJSON is the documented JSON form of a Column; NaN is null.
type ColumnJSON struct {
	Name       string       `json:"name"`
	Type       string       `json:"type"`
	DataType   string       `json:"data_type"`
	Role       string       `json:"role"`
	Method     Method       `json:"method"`
	Score      num          `json:"score"`
	Statistic  num          `json:"statistic"`
	PValue     num          `json:"p_value"`
	Threshold  num          `json:"threshold"`
	Drift      bool         `json:"drift"`
	ReferenceN int          `json:"reference_n"`
	CurrentN   int          `json:"current_n"`
	EffectSize num          `json:"effect_size"`
	Effect     string       `json:"effect"`
	Also       []ResultJSON `json:"also,omitempty"`
	Error      string       `json:"error,omitempty"`
}

// ReportJSON is the documented JSON form of a Report.
type ReportJSON struct {
	Label          string       `json:"label,omitempty"`
	Start          *time.Time   `json:"start,omitempty"`
	End            *time.Time   `json:"end,omitempty"`
	DatasetDrift   bool         `json:"dataset_drift"`
	DriftShare     float64      `json:"drift_share"`
	ShareThreshold float64      `json:"drift_share_threshold"`
	Drifted        int          `json:"drifted_columns"`
	Compared       int          `json:"compared_columns"`
	ReferenceN     int          `json:"reference_n"`
	CurrentN       int          `json:"current_n"`
	Columns        []ColumnJSON `json:"columns"`
}

func resultJSON(r Result) ResultJSON {
	return ResultJSON{Method: r.Method, Statistic: num(r.Statistic), PValue: num(r.PValue), Score: num(r.Score), Threshold: num(r.Threshold), Drift: r.Drift}
}

// JSON returns the report's documented JSON form.
func (r *Report) JSON() ReportJSON {
	out := ReportJSON{Label: r.Label, DatasetDrift: r.DatasetDrift, DriftShare: r.Share, ShareThreshold: r.ShareThreshold,
		Drifted: r.Drifted, Compared: r.Compared, ReferenceN: r.ReferenceN, CurrentN: r.CurrentN,
		Columns: make([]ColumnJSON, len(r.Columns))}
	if !r.Start.IsZero() {
		s, e := r.Start, r.End
		out.Start, out.End = &s, &e
	}
	for i, c := range r.Columns {
		cj := ColumnJSON{Name: c.Name, Type: c.Type, DataType: c.DataType, Role: c.Role, Method: c.Method,
			Score: num(c.Score), Statistic: num(c.Statistic), PValue: num(c.PValue), Threshold: num(c.Threshold),
			Drift: c.Drift, ReferenceN: c.ReferenceN, CurrentN: c.CurrentN, EffectSize: num(c.EffectSize),
			Effect: c.Effect, Error: c.Error}
		for _, a := range c.Also {
			cj.Also = append(cj.Also, resultJSON(a))
		}
		out.Columns[i] = cj
	}
	return out
}

// MarshalJSON encodes the report as ReportJSON.
func (r *Report) MarshalJSON() ([]byte, error) { return json.Marshal(r.JSON()) }
