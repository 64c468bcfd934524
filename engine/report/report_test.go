package report

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/mlwb/mlwb/engine/metrics"
	"github.com/mlwb/mlwb/workspace"
)

// smallEval: six rows, labels 1,1,0,0,1,0 with scores 0.9..0.1, groups
// a,a,a,b,b,b of column g; the card asks roc_auc ≥ 0.7, a parity
// difference ≤ 0.1 and a ratio ≥ 0.8.
func smallEval(t *testing.T) *Evaluation {
	t.Helper()
	in := metrics.Input{Task: metrics.BinaryTask, Classes: []string{"0", "1"}, Pos: 1,
		True: []int32{1, 1, 0, 0, 1, 0}, Score: []float64{0.9, 0.8, 0.7, 0.3, 0.2, 0.1}}
	rep, err := metrics.Evaluate(context.Background(), in, metrics.Options{})
	if err != nil {
		t.Fatal(err)
	}
	lim, dpd, ratio := 0.7, 0.1, 0.8
	var card workspace.Card
	card.Name = "test"
	card.Metric = workspace.MetricGoal{Name: "roc_auc", Threshold: &lim}
	card.Fairness.MaxDemographicParityDifference, card.Fairness.MinDisparateImpactRatio = &dpd, &ratio
	card.Business = workspace.Business{TruePositiveValue: 10, FalsePositiveCost: 1}
	return &Evaluation{Run: workspace.Run{ID: "r1", Model: "logreg", Task: "binary"}, Card: card, Report: rep, Metric: "roc_auc",
		Source: "test", Payoff: metrics.Payoff{TPValue: 10, FPCost: 1}, HasPayoff: true,
		Groups: []Grouping{{Column: "g", Codes: []int32{0, 0, 0, 1, 1, 1}, Levels: []string{"a", "b"}}}}
}

func TestChecksAt(t *testing.T) {
	e := smallEval(t)
	// roc_auc: of the 9 positive–negative pairs 7 are ordered right
	// (0.9 and 0.8 beat all three negatives, 0.2 beats 0.1): 7/9.
	cases := []struct {
		t          float64
		dpd, ratio float64 // group a and b selection rates: see below
		pass       [3]bool
	}{
		// t = 0.5: a selects 3/3, b 0/3.
		{0.5, 1, 0, [3]bool{true, false, false}},
		// t = 0.15: a 3/3, b 2/3.
		{0.15, 1.0 / 3, 2.0 / 3, [3]bool{true, false, false}},
		// t = 0.05: everyone selected in both groups.
		{0.05, 0, 1, [3]bool{true, true, true}},
	}
	for _, c := range cases {
		got := e.ChecksAt(c.t)
		if len(got) != 3 {
			t.Fatalf("t=%v: %d checks %+v", c.t, len(got), got)
		}
		if math.Abs(got[0].Value-7.0/9) > 1e-15 {
			t.Errorf("roc_auc %v, want 7/9", got[0].Value)
		}
		if math.Abs(got[1].Value-c.dpd) > 1e-15 || math.Abs(got[2].Value-c.ratio) > 1e-15 {
			t.Errorf("t=%v: parity difference %v ratio %v, want %v %v", c.t, got[1].Value, got[2].Value, c.dpd, c.ratio)
		}
		for i := range 3 {
			if got[i].Pass != c.pass[i] {
				t.Errorf("t=%v: check %s pass %v, want %v", c.t, got[i].Name, got[i].Pass, c.pass[i])
			}
		}
	}
}

func TestHTMLSelfContained(t *testing.T) {
	e := smallEval(t)
	e.Fairness, e.Checks = e.FairnessAt(0.5), e.ChecksAt(0.5)
	var h, md bytes.Buffer
	now := time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)
	if err := WriteHTML(&h, e, now); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md, e, now); err != nil {
		t.Fatal(err)
	}
	s := h.String()
	for _, bad := range []string{"http:", "https:", "<script", "src=", "<link"} {
		if strings.Contains(s, bad) {
			t.Errorf("HTML holds %q", bad)
		}
	}
	// ROC, PR, calibration, gain, lift, KS, profit, and one fairness bar chart.
	if n := strings.Count(s, "<svg"); n != 8 {
		t.Errorf("%d charts, want 8", n)
	}
	if !strings.Contains(md.String(), "| roc_auc | 0.7778 |") || !strings.Contains(md.String(), "| disparate impact ratio across g ≥ 0.8 | 0.0000 | FAIL |") {
		t.Errorf("markdown:\n%s", md.String())
	}
}

func TestRegressionCharts(t *testing.T) {
	y := []float64{1, 2, 3, 4}
	p := []float64{1.5, 2, 2.5, 5}
	c := RegressionCharts(y, p, 0)
	if len(c) != 2 || c[0].XMin != 1 || c[0].XMax != 5 {
		t.Fatalf("charts %+v", c)
	}
	// Residuals y − ŷ: −0.5, 0, 0.5, −1 against ŷ.
	want := []float64{-0.5, 0, 0.5, -1}
	for i, r := range c[1].Series[0].Y {
		if r != want[i] || c[1].Series[0].X[i] != p[i] {
			t.Errorf("residual %d: (%v, %v)", i, c[1].Series[0].X[i], r)
		}
	}
}

// The learning curve in the report: a table of means and sds, and a chart
// with both lines, each with its band (a polygon). The chart's y range
// covers every mean ± sd: here 0.6 − 0.1 = 0.5 to 0.95 + 0.02 = 0.97.
func TestLearningInReport(t *testing.T) {
	e := smallEval(t)
	e.Learning = &Learning{Metric: "roc_auc", Validation: "stratified 5-fold, shuffled", K: 5, Points: []LCPoint{
		{Fraction: 0.5, TrainRows: 40, TrainMean: 0.95, TrainStd: 0.02, ValidMean: 0.6, ValidStd: 0.1},
		{Fraction: 1, TrainRows: 80, TrainMean: 0.9, TrainStd: 0.01, ValidMean: 0.7, ValidStd: 0.05},
	}}
	c := LearningChart(e.Learning)
	if len(c.Series) != 2 || c.Series[0].Name != "validation" || math.Abs(c.YMin-0.5) > 1e-15 || math.Abs(c.YMax-0.97) > 1e-15 || c.XMin != 40 || c.XMax != 80 {
		t.Errorf("chart %+v", c)
	}
	var h, md bytes.Buffer
	now := time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)
	if err := WriteHTML(&h, e, now); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md, e, now); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(h.String(), "<polygon"); n != 2 {
		t.Errorf("%d bands, want 2", n)
	}
	if !strings.Contains(md.String(), "| 80 | 100% | 0.9000 | 0.0100 | 0.7000 | 0.0500 |") {
		t.Errorf("markdown:\n%s", md.String())
	}
}
