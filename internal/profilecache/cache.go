// Package profilecache stores profile reports in a workspace, keyed by the
// content hash of the dataset version (and the target column), so that a
// profile computed once by `mlwb profile` or the Profile screen is reused by
// both until the data changes.
//
// A cached report is the documented JSON of profile.Report.MarshalJSON,
// written atomically to reports/profile/<hash12>[-<target>].json; Decode
// reads it back (null becomes NaN). The run time (Report.Elapsed) is not
// part of the JSON and reads back as 0.
package profilecache

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/profile"
	"github.com/mlwb/mlwb/workspace"
)

// Dir is the cache folder under the workspace's reports/.
const Dir = "profile"

// hashPrefix is how many hex digits of the dataset hash name a cache file,
// as they name the dataset's snapshot.
const hashPrefix = 12

// ErrCorrupt is wrapped by Load and Decode when a cache file is not a
// profile report.
var ErrCorrupt = errors.New("profilecache: corrupt report")

// Path returns the cache file of the profile of the dataset version with
// content hash hash (hex) against target ("" for none): the first 12 hex
// digits of hash, then "-" and the target for a target. A target holding
// characters other than letters, digits, '.', '_' and '-' has them replaced
// by '_' and gets 8 hex digits of its SHA-256 appended, so that distinct
// targets never share a file.
func Path(ws *workspace.Workspace, hash, target string) string {
	h := hash
	if len(h) > hashPrefix {
		h = h[:hashPrefix]
	}
	name := h
	if target != "" {
		name += "-" + safeName(target)
	}
	return filepath.Join(ws.ReportsDir(), Dir, name+".json")
}

func safeName(s string) string {
	changed := false
	var b strings.Builder
	for i, r := range s {
		ok := r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.' && i > 0)
		if ok && b.Len() < 64 {
			b.WriteRune(r)
		} else {
			changed = true
			if b.Len() < 64 {
				b.WriteByte('_')
			}
		}
	}
	if changed {
		sum := sha256.Sum256([]byte(s))
		b.WriteString("_" + hex.EncodeToString(sum[:4]))
	}
	return b.String()
}

// Load reads the cached profile of dataset version hash against target. A
// missing file is an error matching fs.ErrNotExist; a file that does not
// decode is an error wrapping ErrCorrupt (callers recompute and Save over
// it).
func Load(ws *workspace.Workspace, hash, target string) (*profile.Report, error) {
	p := Path(ws, hash, target)
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("profilecache: %w", err)
	}
	r, err := Decode(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return r, nil
}

// Save writes r as the cached profile of dataset version hash against
// target, atomically (a reader sees the old file or the new one whole).
func Save(ws *workspace.Workspace, hash, target string, r *profile.Report) error {
	b, err := r.MarshalJSON()
	if err != nil {
		return fmt.Errorf("profilecache: %w", err)
	}
	return SaveJSON(ws, hash, target, b)
}

// SaveJSON writes the already marshalled report b, as Save does.
func SaveJSON(ws *workspace.Workspace, hash, target string, b []byte) error {
	if hash == "" {
		return errors.New("profilecache: empty dataset hash")
	}
	p := Path(ws, hash, target)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("profilecache: %w", err)
	}
	return workspace.WriteFileAtomic(p, b, 0o644)
}

// num is a JSON number where null means NaN.
type num float64

func (n *num) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = num(math.NaN())
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*n = num(f)
	return nil
}

func nums(v []num) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

type matrixJSON struct {
	Rows    []string `json:"rows"`
	Columns []string `json:"columns"`
	Matrix  [][]num  `json:"matrix"`
}

func (m matrixJSON) matrix(symmetric bool) profile.Matrix {
	out := profile.Matrix{Rows: m.Rows, Columns: m.Columns}
	if symmetric {
		out.Rows = m.Columns
	}
	if out.Rows == nil {
		out.Rows = []string{}
	}
	if out.Columns == nil {
		out.Columns = []string{}
	}
	for _, row := range m.Matrix {
		out.Values = append(out.Values, nums(row))
	}
	return out
}

type valueCountJSON struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

type reportJSON struct {
	Rows         *int              `json:"rows"`
	Columns      []json.RawMessage `json:"columns"`
	Correlations struct {
		Pearson  matrixJSON `json:"pearson"`
		Spearman matrixJSON `json:"spearman"`
		CramersV matrixJSON `json:"cramers_v"`
		Eta      matrixJSON `json:"eta"`
	} `json:"correlations"`
	Target *struct {
		Name         string `json:"name"`
		Type         string `json:"type"`
		Associations []struct {
			Column       string `json:"column"`
			Method       string `json:"method"`
			Value        num    `json:"value"`
			MutualInfo   num    `json:"mutual_info"`
			NormalizedMI num    `json:"normalized_mi"`
			Purity       num    `json:"purity"`
		} `json:"associations"`
	} `json:"target"`
	Alerts []struct {
		Column string `json:"column"`
		Kind   string `json:"kind"`
		Detail string `json:"detail"`
		Value  num    `json:"value"`
	} `json:"alerts"`
	Duplicates int `json:"duplicates"`
}

// columnJSON holds every key any column type writes; which are read
// depends on "type". Keys whose JSON type differs between column types
// (min, max, top) are kept raw.
type columnJSON struct {
	Name       string           `json:"name"`
	Type       string           `json:"type"`
	Count      int              `json:"count"`
	Missing    int              `json:"missing"`
	MissingPct num              `json:"missing_pct"`
	Distinct   int              `json:"distinct"`
	Min, Max   json.RawMessage  // numeric: number; datetime: RFC 3339 string
	Top        []valueCountJSON `json:"top"`

	Mean, Std, Variance   num
	P1, P5, P25, P50, P75 num
	P95, P99              num
	Range, IQR            num
	Skewness, Kurtosis    num
	Zeros                 int
	Negatives             int
	Infinite              int
	CV, MAD, Sum          num
	Monotonicity          string
	Histogram             struct {
		Edges  []num `json:"edges"`
		Counts []int `json:"counts"`
	}
	OutliersIQR     int `json:"outliers_iqr"`
	OutliersRobustZ int `json:"outliers_robust_z"`
	UniformityP     num `json:"uniformity_p"`

	Entropy, Imbalance num
	LengthMin          num `json:"length_min"`
	LengthMean         num `json:"length_mean"`
	LengthMax          num `json:"length_max"`

	True  int `json:"true"`
	False int `json:"false"`

	RangeSeconds      num `json:"range_seconds"`
	LargestGapSeconds num `json:"largest_gap_seconds"`
}

var monotonicity = map[string]profile.Monotonicity{}

func init() {
	for m := profile.MonotonicNone; m <= profile.StrictlyDecreasing; m++ {
		monotonicity[m.String()] = m
	}
}

// Decode reads a report written by profile.Report.MarshalJSON. Nulls
// become NaN. An error wraps ErrCorrupt.
func Decode(b []byte) (*profile.Report, error) {
	var rj reportJSON
	if err := json.Unmarshal(b, &rj); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if rj.Rows == nil {
		return nil, fmt.Errorf("%w: no \"rows\"", ErrCorrupt)
	}
	r := &profile.Report{Rows: *rj.Rows, Duplicates: rj.Duplicates}
	r.Columns = make([]profile.ColumnReport, len(rj.Columns))
	for i, raw := range rj.Columns {
		c, err := decodeColumn(raw)
		if err != nil {
			return nil, fmt.Errorf("%w: column %d: %v", ErrCorrupt, i+1, err)
		}
		r.Columns[i] = c
	}
	cj := rj.Correlations
	r.Correlations = profile.Correlations{
		Pearson:  cj.Pearson.matrix(true),
		Spearman: cj.Spearman.matrix(true),
		CramersV: cj.CramersV.matrix(true),
		Eta:      cj.Eta.matrix(false),
	}
	if t := rj.Target; t != nil {
		typ, err := frame.ParseType(t.Type)
		if err != nil {
			return nil, fmt.Errorf("%w: target: %v", ErrCorrupt, err)
		}
		tr := &profile.TargetReport{Name: t.Name, Type: typ}
		for _, a := range t.Associations {
			tr.Associations = append(tr.Associations, profile.Association{
				Column: a.Column, Method: a.Method, Value: float64(a.Value),
				MutualInfo: float64(a.MutualInfo), NormalizedMI: float64(a.NormalizedMI), Purity: float64(a.Purity),
			})
		}
		r.Target = tr
	}
	for _, a := range rj.Alerts {
		r.Alerts = append(r.Alerts, profile.Alert{Column: a.Column, Kind: profile.Kind(a.Kind), Detail: a.Detail, Value: float64(a.Value)})
	}
	return r, nil
}

func decodeColumn(raw json.RawMessage) (profile.ColumnReport, error) {
	var cj columnJSON
	if err := json.Unmarshal(raw, &cj); err != nil {
		return profile.ColumnReport{}, err
	}
	typ, err := frame.ParseType(cj.Type)
	if err != nil {
		return profile.ColumnReport{}, err
	}
	c := profile.ColumnReport{
		Name: cj.Name, Type: typ, Count: cj.Count, Missing: cj.Missing,
		MissingPct: float64(cj.MissingPct), Distinct: cj.Distinct,
	}
	top := make([]profile.ValueCount, len(cj.Top))
	for i, vc := range cj.Top {
		top[i] = profile.ValueCount{Value: vc.Value, Count: vc.Count}
	}
	switch typ {
	case frame.Float, frame.Int:
		var lo, hi num
		if err := unmarshalNum(cj.Min, &lo); err != nil {
			return c, fmt.Errorf("min: %v", err)
		}
		if err := unmarshalNum(cj.Max, &hi); err != nil {
			return c, fmt.Errorf("max: %v", err)
		}
		mono, ok := monotonicity[cj.Monotonicity]
		if !ok {
			return c, fmt.Errorf("unknown monotonicity %q", cj.Monotonicity)
		}
		c.Numeric = &profile.NumericSummary{
			Mean: float64(cj.Mean), Std: float64(cj.Std), Variance: float64(cj.Variance),
			Min: float64(lo), P1: float64(cj.P1), P5: float64(cj.P5), P25: float64(cj.P25),
			P50: float64(cj.P50), P75: float64(cj.P75), P95: float64(cj.P95), P99: float64(cj.P99), Max: float64(hi),
			Range: float64(cj.Range), IQR: float64(cj.IQR),
			Skewness: float64(cj.Skewness), Kurtosis: float64(cj.Kurtosis),
			Zeros: cj.Zeros, Negatives: cj.Negatives, Infinite: cj.Infinite,
			CV: float64(cj.CV), MAD: float64(cj.MAD), Sum: float64(cj.Sum),
			Monotonicity:    mono,
			OutliersIQR:     cj.OutliersIQR,
			OutliersRobustZ: cj.OutliersRobustZ,
			UniformityP:     float64(cj.UniformityP),
		}
		if len(cj.Histogram.Edges) > 0 {
			c.Numeric.Histogram.Edges = nums(cj.Histogram.Edges)
			c.Numeric.Histogram.Counts = cj.Histogram.Counts
		}
	case frame.Categorical, frame.String:
		if len(top) == 0 {
			top = nil
		}
		t := &profile.TextSummary{
			Top: top, Entropy: float64(cj.Entropy), Imbalance: float64(cj.Imbalance),
			LengthMean: float64(cj.LengthMean), UniformityP: float64(cj.UniformityP),
		}
		if v := float64(cj.LengthMin); !math.IsNaN(v) {
			t.LengthMin = int(v)
		}
		if v := float64(cj.LengthMax); !math.IsNaN(v) {
			t.LengthMax = int(v)
		}
		c.Text = t
	case frame.Bool:
		c.Bool = &profile.BoolSummary{True: cj.True, False: cj.False, Entropy: float64(cj.Entropy), Imbalance: float64(cj.Imbalance)}
	case frame.Datetime:
		d := &profile.DatetimeSummary{}
		if c.Count > 0 {
			var lo, hi string
			if err := json.Unmarshal(cj.Min, &lo); err != nil {
				return c, fmt.Errorf("min: %v", err)
			}
			if err := json.Unmarshal(cj.Max, &hi); err != nil {
				return c, fmt.Errorf("max: %v", err)
			}
			if d.Min, err = time.Parse(time.RFC3339Nano, lo); err != nil {
				return c, err
			}
			if d.Max, err = time.Parse(time.RFC3339Nano, hi); err != nil {
				return c, err
			}
			d.Min, d.Max = d.Min.UTC(), d.Max.UTC()
			d.Range = seconds(float64(cj.RangeSeconds))
			d.LargestGap = seconds(float64(cj.LargestGapSeconds))
		}
		c.Datetime = d
	}
	return c, nil
}

func unmarshalNum(raw json.RawMessage, n *num) error {
	if len(raw) == 0 {
		*n = num(math.NaN())
		return nil
	}
	return json.Unmarshal(raw, n)
}

// seconds converts s (a float of seconds) to a Duration, rounding to the
// nanosecond; NaN is 0.
func seconds(s float64) time.Duration {
	if math.IsNaN(s) {
		return 0
	}
	return time.Duration(math.Round(s * 1e9))
}
