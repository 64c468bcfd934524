package project

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/ui/uitest"
	"github.com/mlwb/mlwb/workspace"
)

// sampleCard sets every field of the card.
func sampleCard() workspace.Card {
	return workspace.Card{
		Name:        "churn-2025",
		Description: "Predict which subscribers cancel within 30 days, to target retention offers.",
		Task:        workspace.TaskBinary,
		Target:      "churned",
		Metric:      workspace.MetricGoal{Name: "roc_auc", Threshold: ptr(0.8)},
		Business: workspace.Business{
			Currency: "EUR", TruePositiveValue: 120, FalsePositiveCost: 15, FalseNegativeCost: 200,
		},
		Privacy: workspace.Privacy{
			SensitiveAttributes: []string{"sex", "age_group"},
			PIIColumns:          []string{"email", "phone"},
			PIIPolicy:           workspace.PIIMask,
		},
		Fairness: workspace.Fairness{
			MaxDemographicParityDifference: ptr(0.1),
			MinDisparateImpactRatio:        ptr(0.8),
		},
	}
}

func cols(names ...string) []workspace.ColumnInfo {
	out := make([]workspace.ColumnInfo, len(names))
	for i, n := range names {
		out[i] = workspace.ColumnInfo{Name: n, Type: "float"}
	}
	return out
}

// sampleRefresh is a fixed workspace content: three datasets and a history,
// at times before fixedNow.
func sampleRefresh(seq int) refreshedMsg {
	at := func(d time.Duration) time.Time { return fixedNow.Add(-d) }
	ds := []workspace.Dataset{
		{Name: "subscribers", Version: 3, Rows: 48213, Columns: cols("id", "age", "age_group", "sex", "plan", "tenure", "email", "phone", "churned"),
			Imported: at(3 * time.Hour), Source: "/home/ana/data/exports/2025-03/subscribers_full_export.csv"},
		{Name: "holdout", Version: 1, Rows: 5120, Columns: cols("id", "age", "age_group", "sex", "plan", "tenure", "email", "phone", "churned"),
			Imported: at(26 * time.Hour), Source: "/home/ana/data/holdout.parquet"},
		{Name: "iris", Version: 1, Rows: 150, Columns: cols("a", "b", "c", "d", "species"),
			Imported: at(40 * 24 * time.Hour), Source: "/usr/share/datasets/iris.arff"},
	}
	ev := func(d time.Duration, action string, details map[string]any) workspace.Event {
		return workspace.Event{Time: at(d), Action: action, Details: details}
	}
	hist := []workspace.Event{ // oldest first, as History returns them
		ev(41*24*time.Hour, "init", map[string]any{"name": "churn-2025"}),
		ev(40*24*time.Hour, "dataset.import", map[string]any{"name": "iris", "version": 1.0, "rows": 150.0, "columns": 5.0}),
		ev(26*time.Hour, "dataset.import", map[string]any{"name": "holdout", "version": 1.0, "rows": 5120.0, "columns": 9.0}),
		ev(5*time.Hour, "card.save", map[string]any{"changed": []any{"task", "target", "metric.name", "metric.threshold"}}),
		ev(3*time.Hour, "dataset.import", map[string]any{"name": "subscribers", "version": 3.0, "rows": 48213.0, "columns": 9.0}),
		ev(40*time.Minute, "dataset.delete", map[string]any{"name": "scratch", "versions": 2.0}),
		ev(12*time.Minute, "card.save", map[string]any{"changed": []any{"privacy.pii_columns", "privacy.pii_policy", "fairness.min_disparate_impact_ratio"}}),
		ev(20*time.Second, "study.start", map[string]any{"trials": 50.0, "dataset": "subscribers"}),
	}
	return refreshedMsg{seq: seq, card: sampleCard(), datasets: ds, history: hist, open: "subscribers", now: fixedNow}
}

// sampleScreen is the screen over a real (empty) workspace showing the
// fixed content, at w×h.
func sampleScreen(t *testing.T, w, h int, theme string) *recorder {
	t.Helper()
	c := uitest.Common(t, theme)
	c.Workspace = newWorkspace(t)
	r := newScreenWith(t, c, w, h, Options{})
	r.send(t, sampleRefresh(r.m.seq))
	return r
}

func TestViewGolden(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			r := sampleScreen(t, sz.w, sz.h, themes.NameDark)
			r.keys(t, "tab") // focus the datasets
			r.keys(t, "down")
			v := r.m.View()
			checkSize(t, v, sz.w, sz.h)
			golden.RequireEqual(t, []byte(v))
		})
	}
}

func TestViewHistoryFocusedGolden(t *testing.T) {
	r := sampleScreen(t, 80, 24, themes.NameNoColor)
	r.keys(t, "shift+tab") // card → history
	if r.m.focus != paneHistory {
		t.Fatalf("focus = %v, want history", r.m.focus)
	}
	v := r.m.View()
	checkSize(t, v, 80, 24)
	golden.RequireEqual(t, []byte(v))
}

func TestFormGolden(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			r := sampleScreen(t, sz.w, sz.h, themes.NameDark)
			r.keys(t, "e")
			r.focusOn(t, keyThreshold)
			r.replace(t, "1.2")
			r.keys(t, "ctrl+s") // invalid: the error shows beside the field
			v := r.m.View()
			checkSize(t, v, sz.w, sz.h)
			if !strings.Contains(v, "1.2 is outside the range of roc_auc") {
				t.Errorf("the error is not shown:\n%s", v)
			}
			golden.RequireEqual(t, []byte(v))
		})
	}
}

func TestNoWorkspaceGolden(t *testing.T) {
	r := newScreen(t, nil, 80, 24, Options{})
	f := frame.MustNew(
		frame.NewFloat64("sepal_length", []float64{5.1, 4.9, 4.7}, frame.Mask{}),
		frame.NewFloat64("sepal_width", []float64{3.5, 3, 3.2}, frame.MaskFromMissing([]bool{false, true, false})),
		frame.CategoricalFromStrings("species", []string{"setosa", "setosa", "virginica"}, nil),
	)
	r.send(t, ui.DatasetLoadedMsg{Name: "/data/iris.csv", Frame: f})
	v := r.m.View()
	checkSize(t, v, 80, 24)
	for _, want := range []string{"nothing done here is saved", "/data/iris.csv", "3 rows × 3 columns", "sepal_width"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q", want)
		}
	}
	golden.RequireEqual(t, []byte(v))
}

// TestViewFitsAppBox checks the box the root gives at 80×24 (header, status
// and help lines taken): every pane is visible and no line overflows.
func TestViewFitsAppBox(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{80, 21}, {100, 21}, {60, 16}, {120, 37}} {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			r := sampleScreen(t, sz.w, sz.h, themes.NameDark)
			for _, p := range []pane{paneCard, paneDatasets, paneHistory} {
				r.m.focus = p
				v := r.m.View()
				checkSize(t, v, sz.w, sz.h)
				for _, want := range []string{"Project card", "Datasets (3)", "History", "churn-2025", "subscribers"} {
					if !strings.Contains(v, want) {
						t.Errorf("focus %v: view lacks %q:\n%s", p, want, v)
					}
				}
			}
			r.keys(t, "e")
			checkSize(t, r.m.View(), sz.w, sz.h)
			r.keys(t, "esc", "i")
			checkSize(t, r.m.View(), sz.w, sz.h)
		})
	}
}

func TestAge(t *testing.T) {
	now := fixedNow
	tests := []struct {
		ago  time.Duration
		want string
	}{
		{-time.Minute, "just now"}, // clocks of two processes may differ
		{0, "just now"},
		{59 * time.Second, "just now"},
		{time.Minute, "1m ago"},
		{59 * time.Minute, "59m ago"},
		{time.Hour, "1h ago"},
		{23 * time.Hour, "23h ago"},
		{24 * time.Hour, "1d ago"},
		{6 * 24 * time.Hour, "6d ago"},
		{7 * 24 * time.Hour, "2025-03-07"},
	}
	for _, tt := range tests {
		if got := age(now.Add(-tt.ago), now); got != tt.want {
			t.Errorf("age(now-%v) = %q, want %q", tt.ago, got, tt.want)
		}
	}
	if got := age(time.Time{}, now); got != "—" {
		t.Errorf("age(zero) = %q", got)
	}
}

func TestSummary(t *testing.T) {
	tests := []struct {
		e    workspace.Event
		want string
	}{
		{workspace.Event{Action: "init", Details: map[string]any{"name": "p"}}, "p"},
		{workspace.Event{Action: "card.save", Details: map[string]any{"changed": []any{"task", "target"}}}, "changed task, target"},
		{workspace.Event{Action: "dataset.import", Details: map[string]any{"name": "iris", "version": 2.0, "rows": 150.0, "columns": 5.0, "unchanged": true}},
			"iris v2: 150 rows × 5 cols (unchanged)"},
		{workspace.Event{Action: "dataset.delete", Details: map[string]any{"name": "x", "versions": 3.0}}, "x (3 versions)"},
		{workspace.Event{Action: "other", Details: map[string]any{"b": 1.5, "a": "s"}}, "a=s b=1.5"},
	}
	for _, tt := range tests {
		if got := summary(tt.e); got != tt.want {
			t.Errorf("summary(%s) = %q, want %q", tt.e.Action, got, tt.want)
		}
	}
}

func TestShortenPath(t *testing.T) {
	tests := []struct {
		p    string
		w    int
		want string
	}{
		{"/a/b/c.csv", 20, "/a/b/c.csv"},
		{"/home/ana/data/c.csv", 12, "…/data/c.csv"},
		{"/home/ana/data/a_very_long_name.csv", 10, "a_very_lo…"},
	}
	for _, tt := range tests {
		if got := shortenPath(tt.p, tt.w); got != tt.want {
			t.Errorf("shortenPath(%q, %d) = %q, want %q", tt.p, tt.w, got, tt.want)
		}
	}
}
