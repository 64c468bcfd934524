package drift

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"time"
)

// Alert kinds.
const (
	AlertDrift            = "drift"             // a column's score crossed its threshold
	AlertRecovered        = "recovered"         // it crossed back
	AlertDatasetDrift     = "dataset_drift"     // the drift share reached the threshold
	AlertDatasetRecovered = "dataset_recovered" // it fell back below
	AlertMetric           = "metric"            // a model's metric got worse than its threshold
	AlertMetricRecovered  = "metric_recovered"  // it got back within
)

// MetricCrossing returns the alert (at most one) when model's metric on
// window crosses threshold between prev (NaN: no earlier window, so a
// metric already worse than the threshold alerts) and cur: worse means
// below for a metric where higher is better, above otherwise. Column is
// "model:" + metric; an undefined cur gives no alert.
func MetricCrossing(window, model, metric string, prev, cur, threshold float64, higherIsBetter bool, now time.Time) []Alert {
	if cur != cur || threshold != threshold {
		return nil
	}
	bad := func(v float64) bool {
		if higherIsBetter {
			return v < threshold
		}
		return v > threshold
	}
	was := prev == prev && bad(prev)
	kind := ""
	switch {
	case bad(cur) && !was:
		kind = AlertMetric
	case !bad(cur) && was:
		kind = AlertMetricRecovered
	default:
		return nil
	}
	a := Alert{Time: now, Window: window, Column: "model:" + metric, Kind: kind, Score: cur, Threshold: threshold, Model: model}
	if prev == prev {
		p := prev
		a.Previous = &p
	}
	return []Alert{a}
}

// Alert is a threshold crossing between two successive reports.
type Alert struct {
	Time   time.Time `json:"time"`   // when it was detected
	Window string    `json:"window"` // the report's label
	Column string    `json:"column"` // "" for the dataset
	Kind   string    `json:"kind"`
	Method Method    `json:"method,omitempty"`
	// Score and Threshold are the column's score and threshold, or the
	// drift share and its threshold; Previous is the score before.
	Score     float64  `json:"score"`
	Threshold float64  `json:"threshold"`
	Previous  *float64 `json:"previous,omitempty"`
	// Model is the run whose metric crossed (metric alerts only).
	Model string `json:"model,omitempty"`
}

// Key identifies an alert regardless of when it was detected.
func (a Alert) Key() string {
	k := a.Window + "\x00" + a.Column + "\x00" + a.Kind
	if a.Model != "" {
		k += "\x00" + a.Model
	}
	return k
}

// Crossings returns the alerts between the report prev (nil: the first
// report, when every drifted column and dataset drift alert) and cur,
// stamped now.
func Crossings(prev, cur *Report, now time.Time) []Alert {
	var out []Alert
	finite := func(f float64) float64 {
		if f != f || f > 1e308 || f < -1e308 {
			return 0
		}
		return f
	}
	for _, c := range cur.Columns {
		if c.Error != "" {
			continue
		}
		was := false
		var before *float64
		if prev != nil {
			if p, ok := prev.Column(c.Name); ok && p.Error == "" {
				was = p.Drift
				s := finite(p.Score)
				before = &s
			}
		}
		kind := ""
		switch {
		case c.Drift && !was:
			kind = AlertDrift
		case !c.Drift && was:
			kind = AlertRecovered
		default:
			continue
		}
		out = append(out, Alert{Time: now, Window: cur.Label, Column: c.Name, Kind: kind, Method: c.Method,
			Score: finite(c.Score), Threshold: c.Threshold, Previous: before})
	}
	was := prev != nil && prev.DatasetDrift
	if cur.DatasetDrift != was {
		kind := AlertDatasetDrift
		if was {
			kind = AlertDatasetRecovered
		}
		a := Alert{Time: now, Window: cur.Label, Kind: kind, Score: cur.Share, Threshold: cur.ShareThreshold}
		if prev != nil {
			s := prev.Share
			a.Previous = &s
		}
		out = append(out, a)
	}
	return out
}

// AppendAlerts appends alerts to the JSON-lines file path (created 0644),
// all in one write on a file opened with O_APPEND, so concurrent writers
// never interleave within a line and a reader never sees half a record
// (on local file systems, for the few kilobytes an append holds).
func AppendAlerts(path string, alerts []Alert) error {
	if len(alerts) == 0 {
		return nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, a := range alerts {
		if err := enc.Encode(a); err != nil {
			return fmt.Errorf("drift: alerts: %w", err)
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("drift: alerts: %w", err)
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		return fmt.Errorf("drift: alerts: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("drift: alerts: %w", err)
	}
	return f.Close()
}

// ReadAlerts reads the alerts saved in path; a missing file is no alerts.
// A line that does not parse (a torn last line) is skipped.
func ReadAlerts(path string) ([]Alert, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("drift: alerts: %w", err)
	}
	defer f.Close()
	var out []Alert
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var a Alert
		if json.Unmarshal(sc.Bytes(), &a) == nil {
			out = append(out, a)
		}
	}
	return out, sc.Err()
}

// SaveNewAlerts appends to the JSON-lines file path the alerts whose Key
// (window, column, kind and, for a metric, the run) is not in the file
// yet, so comparing the same batches again adds nothing; it returns the
// alerts appended and every alert of the file after the append. Two
// writers racing between the read and the append can both add one alert:
// the file is a log, and readers that need unique alerts dedup by Key.
func SaveNewAlerts(path string, alerts []Alert) (fresh, all []Alert, err error) {
	old, err := ReadAlerts(path)
	if err != nil {
		return nil, nil, err
	}
	seen := make(map[string]bool, len(old))
	for _, a := range old {
		seen[a.Key()] = true
	}
	for _, a := range alerts {
		if !seen[a.Key()] {
			seen[a.Key()] = true
			fresh = append(fresh, a)
		}
	}
	if err := AppendAlerts(path, fresh); err != nil {
		return nil, old, err
	}
	return fresh, append(old, fresh...), nil
}

// MetricGoal is a model metric and the value it must stay within (the
// project card's primary metric and threshold).
type MetricGoal struct {
	Model          string // run id
	Metric         string
	Threshold      float64 // NaN: none
	HigherIsBetter bool
}

// Missed reports whether v is worse than the goal's threshold (false for
// an undefined v or threshold).
func (g MetricGoal) Missed(v float64) bool {
	if v != v || g.Threshold != g.Threshold {
		return false
	}
	if g.HigherIsBetter {
		return v < g.Threshold
	}
	return v > g.Threshold
}

// SeriesAlerts returns the alerts along successive reports, as Crossings
// and MetricCrossing give them between each compared report and the one
// compared before it (the first is compared with nothing, so what is
// already drifted or missed alerts). reports[i] nil is a batch that could
// not be compared: it is skipped. metrics[i] is the goal's metric on
// reports[i] (NaN: unknown); with goal nil there are no metric alerts and
// metrics may be nil.
func SeriesAlerts(reports []*Report, metrics []float64, goal *MetricGoal, now time.Time) []Alert {
	var out []Alert
	var prev *Report
	pv := math.NaN()
	for i, r := range reports {
		if r == nil {
			continue
		}
		out = append(out, Crossings(prev, r, now)...)
		if goal != nil {
			v := metrics[i]
			out = append(out, MetricCrossing(r.Label, goal.Model, goal.Metric, pv, v, goal.Threshold, goal.HigherIsBetter, now)...)
			pv = v
		}
		prev = r
	}
	return out
}
