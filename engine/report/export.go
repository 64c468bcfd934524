package report

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/mlwb/mlwb/engine/metrics"
	"github.com/mlwb/mlwb/workspace"
)

// Export writes the evaluation as reports/<run>-eval.md and
// reports/<run>-eval.html (atomically) and returns their paths.
func Export(ws *workspace.Workspace, e *Evaluation, now time.Time) (string, string, error) {
	base := filepath.Join(ws.ReportsDir(), e.Run.ID+"-eval")
	var md, ht bytes.Buffer
	if err := WriteMarkdown(&md, e, now); err != nil {
		return "", "", err
	}
	if err := WriteHTML(&ht, e, now); err != nil {
		return "", "", err
	}
	if err := workspace.WriteFileAtomic(base+".md", md.Bytes(), 0o644); err != nil {
		return "", "", err
	}
	if err := workspace.WriteFileAtomic(base+".html", ht.Bytes(), 0o644); err != nil {
		return "", "", err
	}
	_ = ws.Log("report", map[string]any{"run": e.Run.ID, "markdown": base + ".md", "html": base + ".html"})
	return base + ".md", base + ".html", nil
}

// Num formats a metric value: 4 decimals, "—" when undefined.
func Num(v float64) string {
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

func ci(e *Evaluation, name string) string {
	if e.Report.CI == nil {
		return ""
	}
	iv := e.Report.CI[name]
	if math.IsNaN(iv.Lo) {
		return "—"
	}
	return "[" + Num(iv.Lo) + ", " + Num(iv.Hi) + "]"
}

// table is a header row and body rows, rendered as Markdown or HTML.
type table [][]string

func (t table) markdown(w io.Writer) {
	for i, r := range t {
		fmt.Fprintf(w, "| %s |\n", strings.Join(r, " | "))
		if i == 0 {
			seps := make([]string, len(r))
			for j := range seps {
				seps[j] = "---"
			}
			fmt.Fprintf(w, "| %s |\n", strings.Join(seps, " | "))
		}
	}
	fmt.Fprintln(w)
}

func (t table) html(w io.Writer) {
	fmt.Fprintln(w, "<table>")
	for i, r := range t {
		tag := "td"
		if i == 0 {
			tag = "th"
		}
		fmt.Fprint(w, "<tr>")
		for _, c := range r {
			fmt.Fprintf(w, "<%s>%s</%s>", tag, html.EscapeString(c), tag)
		}
		fmt.Fprintln(w, "</tr>")
	}
	fmt.Fprintln(w, "</table>")
}

// Sections are the report's tables in order: title and table.
func (e *Evaluation) sections() []struct {
	Title string
	T     table
} {
	type sec = struct {
		Title string
		T     table
	}
	var out []sec
	rep := e.Report
	mt := table{{"metric", "value", "95% CI"}}
	for _, n := range rep.Names {
		mt = append(mt, []string{n, Num(rep.Values[n]), ci(e, n)})
	}
	out = append(out, sec{"Metrics", mt})
	if c := rep.Confusion; c != nil {
		ct := table{append([]string{"true \\ predicted"}, c.Labels...)}
		for i, l := range c.Labels {
			r := []string{l}
			for j := range c.K() {
				r = append(r, strconv.FormatFloat(c.At(i, j), 'f', -1, 64))
			}
			ct = append(ct, r)
		}
		out = append(out, sec{fmt.Sprintf("Confusion matrix (threshold %s)", Num(rep.Threshold)), ct})
	}
	if r := rep.Ranking; r != nil {
		tt := table{{"threshold", "precision", "recall", "f1", "profit per 1,000"}}
		add := func(label string, p metrics.ThresholdPoint) {
			per := "—"
			if e.HasPayoff {
				per = strconv.FormatFloat(p.Per1000, 'f', 0, 64)
			}
			tt = append(tt, []string{label + " " + Num(p.Threshold), Num(p.Precision), Num(p.Recall), Num(p.F1), per})
		}
		add("used", r.ThresholdAt(e.Threshold(), e.Payoff))
		if e.Best != nil {
			add("best", *e.Best)
		}
		out = append(out, sec{"Decision threshold", tt})
	}
	for _, f := range e.Fairness {
		ft := table{{"group", "count", "selection rate", "TPR", "FPR", "precision", "accuracy"}}
		for _, g := range f.Groups {
			ft = append(ft, []string{g.Group, strconv.FormatFloat(g.Count, 'f', -1, 64), Num(g.SelectionRate), Num(g.TPR), Num(g.FPR), Num(g.Precision), Num(g.Accuracy)})
		}
		flag := ""
		if f.FourFifthsViolated {
			flag = " (below the four-fifths rule)"
		}
		ft = append(ft, []string{"parity difference " + Num(f.DemographicParityDifference), "ratio " + Num(f.DemographicParityRatio) + flag,
			"equalized odds diff. " + Num(f.EqualizedOddsDifference), "equal opportunity diff. " + Num(f.EqualOpportunityDifference), "", "", ""})
		out = append(out, sec{"Fairness across " + f.Column, ft})
	}
	for _, f := range e.ClassFairness {
		ft := table{{"group", "class", "count", "selection rate", "TPR", "FPR"}}
		for k, pc := range f.PerClass {
			for _, g := range pc.Groups {
				ft = append(ft, []string{g.Group, f.Classes[k], strconv.FormatFloat(g.Count, 'f', -1, 64), Num(g.SelectionRate), Num(g.TPR), Num(g.FPR)})
			}
		}
		flag := ""
		if f.FourFifthsViolated {
			flag = " (below the four-fifths rule)"
		}
		ft = append(ft, []string{"worst class:", "parity difference " + Num(f.DemographicParityDifference), "ratio " + Num(f.DemographicParityRatio) + flag,
			"equalized odds diff. " + Num(f.EqualizedOddsDifference), "equal opportunity diff. " + Num(f.EqualOpportunityDifference), ""})
		out = append(out, sec{"Fairness across " + f.Column + " (one-vs-rest per class)", ft})
	}
	for _, f := range e.RegressionFairness {
		ft := table{{"group", "count", "mean prediction", "mean target", "MAE"}}
		for _, g := range f.Groups {
			ft = append(ft, []string{g.Group, strconv.FormatFloat(g.Count, 'f', -1, 64), Num(g.MeanPrediction), Num(g.MeanTarget), Num(g.MAE)})
		}
		ft = append(ft, []string{"difference", "", Num(f.MeanPredictionDifference), "", Num(f.MAEDifference)})
		out = append(out, sec{"Fairness across " + f.Column, ft})
	}
	if len(e.Slices) > 0 {
		st := table{{"feature", "value", "rows", e.Metric, "Δ"}}
		for i, s := range e.Slices {
			if i >= 15 {
				break
			}
			st = append(st, []string{s.Feature, s.Value, strconv.Itoa(s.Count), Num(s.Metric), Num(s.Delta)})
		}
		out = append(out, sec{"Worst slices by " + e.Metric, st})
	}
	if ex := e.Explain; ex != nil {
		it := table{{"feature", "importance (drop of " + ex.Score + ")", "± std"}}
		for _, im := range ex.Importance {
			it = append(it, []string{im.Feature, Num(im.Mean), Num(im.Std)})
		}
		out = append(out, sec{fmt.Sprintf("Permutation importance (%d rows, %s)", ex.Rows, ex.Note), it})
		rt := table{{"perturbation", ex.Score, "change"}, {"none", Num(ex.Base), ""}}
		for _, r := range ex.Robustness {
			rt = append(rt, []string{r.Label(), Num(r.Score), Num(r.Score - ex.Base)})
		}
		out = append(out, sec{"Robustness", rt})
	}
	if lc := e.Learning; lc != nil {
		lt := table{{"training rows", "share", "training " + lc.Metric, "± sd", "validation " + lc.Metric, "± sd"}}
		for _, p := range lc.Points {
			lt = append(lt, []string{strconv.Itoa(p.TrainRows), fmt.Sprintf("%g%%", 100*p.Fraction),
				Num(p.TrainMean), Num(p.TrainStd), Num(p.ValidMean), Num(p.ValidStd)})
		}
		out = append(out, sec{"Learning curve (refits, mean and sd over " + lc.Validation + ")", lt})
	}
	if len(e.Checks) > 0 {
		kt := table{{"check", "value", "result"}}
		for _, c := range e.Checks {
			res := "PASS"
			if !c.Pass {
				res = "FAIL"
			}
			kt = append(kt, []string{c.Detail, Num(c.Value), res})
		}
		out = append(out, sec{"Checks against the card", kt})
	}
	return out
}

func (e *Evaluation) header(now time.Time) []string {
	r := e.Run
	return []string{
		fmt.Sprintf("Project: %s", e.Card.Name),
		fmt.Sprintf("Run %s: %s on %s, target %s (%s), %s", r.ID, r.Model, datasetLabel(r.Dataset), r.Target, r.Task, r.Validation.Description),
		fmt.Sprintf("Evaluated on %s, %d rows; written %s", e.Source, e.Report.N, now.UTC().Format("2006-01-02 15:04 UTC")),
	}
}

func datasetLabel(d workspace.RunDataset) string {
	if d.Version > 0 {
		return fmt.Sprintf("%s@%d", d.Name, d.Version)
	}
	return d.Name
}

// WriteMarkdown writes the report as Markdown (tables only; the charts are
// in the HTML file).
func WriteMarkdown(w io.Writer, e *Evaluation, now time.Time) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Evaluation of run %s\n\n", e.Run.ID)
	for _, l := range e.header(now) {
		fmt.Fprintf(&b, "%s  \n", l)
	}
	fmt.Fprintln(&b)
	for _, s := range e.sections() {
		fmt.Fprintf(&b, "## %s\n\n", s.Title)
		s.T.markdown(&b)
	}
	if len(e.Warnings)+len(e.Report.Warnings) > 0 {
		fmt.Fprintln(&b, "## Warnings")
		fmt.Fprintln(&b)
		for _, m := range append(append([]string{}, e.Warnings...), e.Report.Warnings...) {
			fmt.Fprintf(&b, "- %s\n", m)
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

const css = `body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}
td:first-child,th:first-child{text-align:left}th{background:#f2f2f2}.charts{display:flex;flex-wrap:wrap;gap:1em}
figure{margin:0}figcaption{font-size:.9em;color:#555}svg text{font-size:10px;fill:#444}`

// WriteHTML writes the report as one self-contained HTML file: inline CSS,
// charts as inline SVG, no scripts and no external resources.
func WriteHTML(w io.Writer, e *Evaluation, now time.Time) error {
	var b bytes.Buffer
	title := html.EscapeString("Evaluation of run " + e.Run.ID)
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title><style>%s</style></head><body>\n", title, css)
	fmt.Fprintf(&b, "<h1>%s</h1>\n<p>", title)
	for _, l := range e.header(now) {
		fmt.Fprintf(&b, "%s<br>\n", html.EscapeString(l))
	}
	fmt.Fprintln(&b, "</p>")
	if charts := e.charts(); len(charts) > 0 {
		fmt.Fprintln(&b, "<h2>Charts</h2>\n<div class=\"charts\">")
		for _, c := range charts {
			b.WriteString(c)
		}
		fmt.Fprintln(&b, "</div>")
	}
	for _, s := range e.sections() {
		fmt.Fprintf(&b, "<h2>%s</h2>\n", html.EscapeString(s.Title))
		s.T.html(&b)
	}
	if ws := append(append([]string{}, e.Warnings...), e.Report.Warnings...); len(ws) > 0 {
		fmt.Fprintln(&b, "<h2>Warnings</h2><ul>")
		for _, m := range ws {
			fmt.Fprintf(&b, "<li>%s</li>\n", html.EscapeString(m))
		}
		fmt.Fprintln(&b, "</ul>")
	}
	fmt.Fprintln(&b, "</body></html>")
	_, err := w.Write(b.Bytes())
	return err
}

// charts returns the SVG figures of the evaluation.
func (e *Evaluation) charts() []string {
	var out []string
	for _, c := range e.Charts(200) {
		out = append(out, svgChart(c))
	}
	if e.Learning != nil {
		out = append(out, svgChart(LearningChart(e.Learning)))
	}
	if ex := e.Explain; ex != nil {
		for i, im := range ex.Importance {
			if i >= 4 {
				break
			}
			if c, ok := PDChart(ex, im.Feature); ok {
				out = append(out, svgChart(c))
			}
		}
	}
	for _, f := range e.Fairness {
		out = append(out, svgBars("Selection rate by "+f.Column, f))
	}
	return out
}

// PDChart returns the partial dependence chart of feature.
func PDChart(ex *Explanation, feature string) (Chart, bool) {
	pts := ex.PD[feature]
	if len(pts) < 2 {
		return Chart{}, false
	}
	what := "mean prediction"
	if ex.PDOf != "" && ex.PDOf != "prediction" {
		what = "mean " + ex.PDOf
	}
	s := Series{Name: what}
	for _, p := range pts {
		s.X, s.Y = append(s.X, p.Value), append(s.Y, p.Mean)
	}
	c := Chart{Title: "Partial dependence on " + feature, XLabel: feature, YLabel: what, Series: []Series{s}, MarkX: math.NaN()}
	c.XMin, c.XMax = minMax(s.X)
	c.YMin, c.YMax = minMax(s.Y)
	return c, true
}

// Series is one line of a chart, or its points when Scatter.
type Series struct {
	Name    string
	X, Y    []float64
	Scatter bool
	// Err, when not nil, is a half-width per point (a standard deviation):
	// the terminal draws it as a vertical error mark, the SVG as a band.
	Err []float64
}

// Charts returns the evaluation's charts: the binary curves (Curves) or
// the regression residual plots (RegressionCharts), with at most maxPoints
// points per line.
func (e *Evaluation) Charts(maxPoints int) []Chart {
	rep := e.Report
	if r := rep.Ranking; r != nil {
		return Curves(r, e.Payoff, e.HasPayoff, rep.Probabilities, maxPoints)
	}
	if len(e.YTrue) > 0 {
		return RegressionCharts(e.YTrue, e.YPred, maxPoints)
	}
	return nil
}

// RegressionCharts returns predicted against actual (with the diagonal)
// and residuals (actual − predicted) against predicted, each on at most
// maxPoints rows taken evenly.
func RegressionCharts(y, pred []float64, maxPoints int) []Chart {
	n := len(y)
	step := 1
	if maxPoints > 0 && n > maxPoints {
		step = (n + maxPoints - 1) / maxPoints
	}
	pa := Series{Name: "rows", Scatter: true}
	rs := Series{Name: "rows", Scatter: true}
	for i := 0; i < n; i += step {
		pa.X, pa.Y = append(pa.X, y[i]), append(pa.Y, pred[i])
		rs.X, rs.Y = append(rs.X, pred[i]), append(rs.Y, y[i]-pred[i])
	}
	lo, hi := minMax(append(append([]float64{}, y...), pred...))
	c1 := Chart{Title: "Predicted against actual", XLabel: "actual", YLabel: "predicted", XMin: lo, XMax: hi, YMin: lo, YMax: hi,
		Series: []Series{pa, {Name: "y = x", X: []float64{lo, hi}, Y: []float64{lo, hi}}}, MarkX: math.NaN()}
	c2 := Chart{Title: "Residuals against predicted", XLabel: "predicted", YLabel: "actual − predicted",
		Series: []Series{rs, {Name: "zero"}}, MarkX: math.NaN()}
	c2.XMin, c2.XMax = minMax(rs.X)
	c2.YMin, c2.YMax = minMax(rs.Y)
	c2.Series[1].X, c2.Series[1].Y = []float64{c2.XMin, c2.XMax}, []float64{0, 0}
	return []Chart{c1, c2}
}

// Chart is a line chart: axes ranges, the series, and an optional marker.
type Chart struct {
	Title          string
	XLabel, YLabel string
	XMin, XMax     float64
	YMin, YMax     float64
	Series         []Series
	// MarkX, when not NaN, draws a vertical line (the chosen threshold).
	MarkX float64
	// BestX, when not zero-valued and not NaN, marks the best threshold
	// (profit chart); HasBest says it is set.
	BestX   float64
	HasBest bool
}

// Curves returns the charts of a binary ranking: ROC, precision–recall,
// calibration (with probabilities), cumulative gain, KS and, with a payoff,
// profit per 1,000 predictions against the threshold. maxPoints thins the
// curves.
func Curves(r *metrics.Ranking, p metrics.Payoff, hasPayoff, probs bool, maxPoints int) []Chart {
	var out []Chart
	nan := math.NaN()
	thin := func(n int) []int {
		if n <= maxPoints || maxPoints <= 0 {
			idx := make([]int, n)
			for i := range idx {
				idx[i] = i
			}
			return idx
		}
		idx := make([]int, maxPoints)
		for i := range idx {
			idx[i] = i * (n - 1) / (maxPoints - 1)
		}
		return idx
	}
	roc := r.ROC(true)
	var s Series
	s.Name = "model"
	for _, i := range thin(len(roc)) {
		s.X, s.Y = append(s.X, roc[i].FPR), append(s.Y, roc[i].TPR)
	}
	out = append(out, Chart{Title: fmt.Sprintf("ROC (AUC %s)", Num(r.ROCAUC())), XLabel: "false positive rate", YLabel: "true positive rate",
		XMax: 1, YMax: 1, Series: []Series{s, {Name: "chance", X: []float64{0, 1}, Y: []float64{0, 1}}}, MarkX: nan})
	pr := r.PR()
	s = Series{Name: "model"}
	for _, i := range thin(len(pr)) {
		s.X, s.Y = append(s.X, pr[i].Recall), append(s.Y, pr[i].Precision)
	}
	base := r.Positives() / float64(max(r.Len(), 1))
	out = append(out, Chart{Title: fmt.Sprintf("Precision–recall (AP %s)", Num(r.AveragePrecision())), XLabel: "recall", YLabel: "precision",
		XMax: 1, YMax: 1, Series: []Series{s, {Name: "base rate", X: []float64{0, 1}, Y: []float64{base, base}}}, MarkX: nan})
	if probs {
		if bins, err := r.Calibration(10, metrics.Uniform); err == nil {
			s = Series{Name: "model"}
			hist := Series{Name: "score histogram (share of rows)"}
			for _, b := range bins {
				if !math.IsNaN(b.MeanPredicted) {
					s.X, s.Y = append(s.X, b.MeanPredicted), append(s.Y, b.FractionPositive)
				}
				// The histogram as a step line over the bin.
				h := b.Count / float64(max(r.Len(), 1))
				hist.X, hist.Y = append(hist.X, b.Lo, b.Hi), append(hist.Y, h, h)
			}
			out = append(out, Chart{Title: fmt.Sprintf("Calibration (ECE %s)", Num(metrics.ECE(bins))), XLabel: "mean predicted", YLabel: "fraction positive",
				XMax: 1, YMax: 1, Series: []Series{s, {Name: "perfect", X: []float64{0, 1}, Y: []float64{0, 1}}, hist}, MarkX: nan})
		}
	}
	if g := r.Gains(20); g != nil {
		s = Series{Name: "model", X: []float64{0}, Y: []float64{0}}
		for _, q := range g {
			s.X, s.Y = append(s.X, q.Fraction), append(s.Y, q.Gain)
		}
		out = append(out, Chart{Title: fmt.Sprintf("Cumulative gain (lift@10%% %s)", Num(g[1].Lift)), XLabel: "share targeted", YLabel: "share of positives",
			XMax: 1, YMax: 1, Series: []Series{s, {Name: "random", X: []float64{0, 1}, Y: []float64{0, 1}}}, MarkX: nan})
		lift := Series{Name: "lift"}
		for _, q := range g {
			lift.X, lift.Y = append(lift.X, q.Fraction), append(lift.Y, q.Lift)
		}
		lc := Chart{Title: fmt.Sprintf("Lift (top 5%% %s)", Num(g[0].Lift)), XLabel: "share targeted", YLabel: "lift", XMax: 1,
			Series: []Series{lift, {Name: "random", X: []float64{0, 1}, Y: []float64{1, 1}}}, MarkX: nan}
		_, lc.YMax = minMax(lift.Y)
		lc.YMax = math.Max(lc.YMax, 1.1)
		out = append(out, lc)
	}
	if d, t := r.KS(); !math.IsNaN(d) {
		tp, fp := Series{Name: "TPR"}, Series{Name: "FPR"}
		for _, q := range thin(len(roc)) {
			x := math.Min(math.Max(roc[q].Threshold, 0), 1)
			if !probs {
				x = roc[q].Threshold
			}
			tp.X, tp.Y = append(tp.X, x), append(tp.Y, roc[q].TPR)
			fp.X, fp.Y = append(fp.X, x), append(fp.Y, roc[q].FPR)
		}
		c := Chart{Title: fmt.Sprintf("KS %s at %s", Num(d), Num(t)), XLabel: "threshold", YLabel: "rate", YMax: 1, Series: []Series{tp, fp}, MarkX: t}
		c.XMin, c.XMax = minMax(tp.X)
		out = append(out, c)
	}
	if hasPayoff {
		tc := r.ThresholdCurve(p, maxPoints)
		s = Series{Name: "profit"}
		for _, q := range tc {
			x := q.Threshold
			if probs {
				x = math.Min(x, 1)
			}
			s.X, s.Y = append(s.X, x), append(s.Y, q.Per1000)
		}
		best := r.BestThreshold(p)
		c := Chart{Title: fmt.Sprintf("Profit per 1,000 (best %s at %s)", strconv.FormatFloat(best.Per1000, 'f', 0, 64), Num(best.Threshold)),
			XLabel: "threshold", YLabel: "profit per 1,000", Series: []Series{s}, MarkX: best.Threshold, BestX: best.Threshold, HasBest: true}
		c.XMin, c.XMax = minMax(s.X)
		c.YMin, c.YMax = minMax(s.Y)
		out = append(out, c)
	}
	return out
}

func minMax(v []float64) (float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range v {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
	}
	if lo > hi {
		return 0, 1
	}
	if lo == hi {
		return lo - 0.5, hi + 0.5
	}
	return lo, hi
}

var palette = []string{"#1f77b4", "#999999", "#d62728"}

func svgChart(c Chart) string {
	const W, H, L, B, T, R = 300.0, 220.0, 40.0, 30.0, 10.0, 10.0
	px := func(x float64) float64 { return L + (x-c.XMin)/(c.XMax-c.XMin)*(W-L-R) }
	py := func(y float64) float64 { return H - B - (y-c.YMin)/(c.YMax-c.YMin)*(H-B-T) }
	var b strings.Builder
	fmt.Fprintf(&b, "<figure><svg width=\"%g\" height=\"%g\" viewBox=\"0 0 %g %g\">", W, H, W, H)
	fmt.Fprintf(&b, "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" fill=\"none\" stroke=\"#bbb\"/>", L, T, W-L-R, H-B-T)
	fmt.Fprintf(&b, "<text x=\"%g\" y=\"%g\">%s</text><text x=\"%g\" y=\"%g\" text-anchor=\"end\">%s</text>", L, H-B+12, Num(c.XMin), W-R, H-B+12, Num(c.XMax))
	fmt.Fprintf(&b, "<text x=\"%g\" y=\"%g\" text-anchor=\"end\">%s</text><text x=\"%g\" y=\"%g\" text-anchor=\"end\">%s</text>", L-2, H-B, short(c.YMin), L-2, T+8, short(c.YMax))
	fmt.Fprintf(&b, "<text x=\"%g\" y=\"%g\" text-anchor=\"middle\">%s</text>", (W+L)/2, H-4, html.EscapeString(c.XLabel))
	if !math.IsNaN(c.MarkX) && c.MarkX >= c.XMin && c.MarkX <= c.XMax {
		fmt.Fprintf(&b, "<line x1=\"%.1f\" y1=\"%g\" x2=\"%.1f\" y2=\"%g\" stroke=\"#2ca02c\" stroke-dasharray=\"3,2\"/>", px(c.MarkX), T, px(c.MarkX), H-B)
	}
	for i, s := range c.Series {
		var pts []string
		for k := range s.X {
			if math.IsNaN(s.Y[k]) || math.IsNaN(s.X[k]) {
				continue
			}
			x := math.Min(math.Max(s.X[k], c.XMin), c.XMax)
			y := math.Min(math.Max(s.Y[k], c.YMin), c.YMax)
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(x), py(y)))
		}
		if s.Scatter {
			for _, pt := range pts {
				xy := strings.SplitN(pt, ",", 2)
				fmt.Fprintf(&b, "<circle cx=\"%s\" cy=\"%s\" r=\"1.5\" fill=\"%s\" fill-opacity=\"0.5\"/>", xy[0], xy[1], palette[i%len(palette)])
			}
			continue
		}
		if s.Err != nil {
			// The band mean ± sd: along the upper edge, back along the lower.
			var band []string
			for _, sign := range []float64{1, -1} {
				for j := range s.X {
					k := j
					if sign < 0 {
						k = len(s.X) - 1 - j
					}
					if math.IsNaN(s.Y[k]) || math.IsNaN(s.X[k]) || math.IsNaN(s.Err[k]) {
						continue
					}
					y := math.Min(math.Max(s.Y[k]+sign*s.Err[k], c.YMin), c.YMax)
					band = append(band, fmt.Sprintf("%.1f,%.1f", px(s.X[k]), py(y)))
				}
			}
			fmt.Fprintf(&b, "<polygon fill=\"%s\" fill-opacity=\"0.15\" stroke=\"none\" points=\"%s\"/>", palette[i%len(palette)], strings.Join(band, " "))
		}
		dash := ""
		if i > 0 && len(c.Series) == 2 && len(s.X) == 2 {
			dash = " stroke-dasharray=\"4,3\""
		}
		fmt.Fprintf(&b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"%s points=\"%s\"/>", palette[i%len(palette)], dash, strings.Join(pts, " "))
	}
	fmt.Fprintf(&b, "</svg><figcaption>%s</figcaption></figure>\n", html.EscapeString(c.Title))
	return b.String()
}

func short(v float64) string {
	if math.Abs(v) >= 100 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

func svgBars(title string, f *metrics.FairnessReport) string {
	const W, row, L = 300.0, 16.0, 90.0
	H := row*float64(len(f.Groups)) + 10
	var b strings.Builder
	fmt.Fprintf(&b, "<figure><svg width=\"%g\" height=\"%g\" viewBox=\"0 0 %g %g\">", W, H, W, H)
	for i, g := range f.Groups {
		y := 5 + row*float64(i)
		v := g.SelectionRate
		if math.IsNaN(v) {
			v = 0
		}
		fmt.Fprintf(&b, "<text x=\"%g\" y=\"%g\" text-anchor=\"end\">%s</text>", L-4, y+11, html.EscapeString(g.Group))
		fmt.Fprintf(&b, "<rect x=\"%g\" y=\"%g\" width=\"%.1f\" height=\"%g\" fill=\"#1f77b4\"/>", L, y+2, v*(W-L-40), row-4)
		fmt.Fprintf(&b, "<text x=\"%.1f\" y=\"%g\">%s</text>", L+v*(W-L-40)+3, y+11, Num(g.SelectionRate))
	}
	fmt.Fprintf(&b, "</svg><figcaption>%s</figcaption></figure>\n", html.EscapeString(title))
	return b.String()
}
