package project

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/workspace"
)

func ptr(x float64) *float64 { return &x }

func TestEditFormSavesCard(t *testing.T) {
	ws := newWorkspace(t)
	r := newScreen(t, ws, 120, 40, Options{})
	m := r.m

	r.keys(t, "e")
	if !m.Capturing() || m.mode != modeForm {
		t.Fatalf("after e: mode %v, capturing %v; want the form open", m.mode, m.Capturing())
	}
	r.replace(t, "Churn 2025") // name
	r.keys(t, "down")
	r.typeText(t, "Predict who leaves")
	r.keys(t, "down", "right") // task: undecided → binary
	r.keys(t, "down")
	r.typeText(t, "churned")
	r.keys(t, "down", "right") // metric: none → roc_auc, the first binary metric
	r.keys(t, "down")
	r.typeText(t, "0.8")
	r.focusOn(t, keyFP)
	r.replace(t, "10")
	r.keys(t, "down")
	r.replace(t, "50")
	r.focusOn(t, keySensitive)
	r.typeText(t, "sex, age_group,")
	r.keys(t, "down")
	r.typeText(t, "email")
	r.keys(t, "down", "d") // PII policy: first choice starting with d
	r.keys(t, "down")
	r.typeText(t, "0.1")
	r.keys(t, "ctrl+s")

	if m.Capturing() || m.form != nil {
		t.Fatalf("form still open after ctrl+s; errors: %v", formErrors(m))
	}
	if r.count(ui.WorkspaceChangedMsg{}) != 1 {
		t.Errorf("want one WorkspaceChangedMsg, got messages %v", r.msgs)
	}
	if got := r.statuses(); !slices.Contains(got, "card saved") {
		t.Errorf("statuses %q lack \"card saved\"", got)
	}

	want := workspace.Card{
		Name:        "Churn 2025",
		Description: "Predict who leaves",
		Task:        workspace.TaskBinary,
		Target:      "churned",
		Metric:      workspace.MetricGoal{Name: "roc_auc", Threshold: ptr(0.8)},
		Business:    workspace.Business{FalsePositiveCost: 10, FalseNegativeCost: 50},
		Privacy: workspace.Privacy{
			SensitiveAttributes: []string{"sex", "age_group"},
			PIIColumns:          []string{"email"},
			PIIPolicy:           workspace.PIIDrop,
		},
		Fairness: workspace.Fairness{MaxDemographicParityDifference: ptr(0.1)},
	}
	got := reopen(t, ws).Card()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("card on disk:\n got %+v\nwant %+v", got, want)
	}
	if !reflect.DeepEqual(m.card, want) {
		t.Errorf("card shown:\n got %+v\nwant %+v", m.card, want)
	}
	if a := actions(t, ws); a[len(a)-1] != "card.save" {
		t.Errorf("history %v does not end with card.save", a)
	}
	// The refresh that WorkspaceChangedMsg caused shows the event.
	if len(m.history) == 0 || m.history[0].Action != "card.save" {
		t.Errorf("history pane does not show card.save first: %+v", m.history)
	}
	if v := m.View(); !strings.Contains(v, "Churn 2025") || !strings.Contains(v, "roc_auc ≥ 0.8") {
		t.Errorf("view does not show the saved card:\n%s", v)
	}
}

// formErrors lists the errors the form shows.
func formErrors(m *Model) []string {
	if m.form == nil {
		return nil
	}
	var out []string
	for _, f := range m.form.fields {
		if f.err != "" {
			out = append(out, f.key+": "+f.err)
		}
	}
	if m.form.err != "" {
		out = append(out, m.form.err)
	}
	return out
}

func TestEditFormValidationErrors(t *testing.T) {
	tests := []struct {
		name      string
		task      int // → presses on the task field
		threshold string
		field     string // field that must show the error
		msg       string // part of the error
	}{
		{"threshold out of range", 1, "1.5", keyThreshold, "outside the range of roc_auc"},
		{"threshold not a number", 1, "high", keyThreshold, `"high" is not a number`},
		{"negative cost", 1, "", keyFP, "must not be negative"},
		{"threshold without metric", 0, "0.5", keyThreshold, "metric.name is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := newWorkspace(t)
			r := newScreen(t, ws, 120, 40, Options{})
			m := r.m
			r.keys(t, "e")
			r.focusOn(t, keyTask)
			for range tt.task {
				r.keys(t, "right")
			}
			if tt.task > 0 {
				r.focusOn(t, keyMetric)
				r.keys(t, "right")
			}
			r.focusOn(t, keyThreshold)
			r.typeText(t, tt.threshold)
			if tt.field == keyFP {
				r.focusOn(t, keyFP)
				r.replace(t, "-3")
			}
			r.keys(t, "ctrl+s")

			if m.form == nil || !m.Capturing() {
				t.Fatal("the form closed on an invalid card")
			}
			f := fieldOf(t, m, tt.field)
			if !strings.Contains(f.err, tt.msg) {
				t.Errorf("error beside %s = %q, want it to contain %q (all: %v)", tt.field, f.err, tt.msg, formErrors(m))
			}
			if got := m.form.fields[m.form.focus].key; got != tt.field {
				t.Errorf("focus on %s, want the field in error %s", got, tt.field)
			}
			if v := m.View(); !strings.Contains(v, tt.msg) {
				t.Errorf("view does not show the error %q:\n%s", tt.msg, v)
			}
			if got := reopen(t, ws).Card(); !reflect.DeepEqual(got, workspace.Card{Name: "churn"}) {
				t.Errorf("card on disk changed to %+v", got)
			}
			if n := r.count(ui.WorkspaceChangedMsg{}); n != 0 {
				t.Errorf("%d WorkspaceChangedMsg for an invalid card", n)
			}
			// Typing in the field clears its error.
			r.focusOn(t, tt.field)
			r.typeText(t, "0")
			if f := fieldOf(t, m, tt.field); f.err != "" {
				t.Errorf("error %q stays after typing", f.err)
			}
		})
	}
}

func TestEditFormEscCancels(t *testing.T) {
	ws := newWorkspace(t)
	r := newScreen(t, ws, 80, 24, Options{})
	m := r.m
	r.keys(t, "enter") // the card pane has the focus: enter edits
	if m.mode != modeForm {
		t.Fatalf("enter on the card pane: mode %v, want form", m.mode)
	}
	r.replace(t, "something else")
	r.typeText(t, "q") // typed, not quit: the form captures keys
	if v := fieldOf(t, m, keyName).input.Value(); v != "something elseq" {
		t.Errorf("name field = %q", v)
	}
	r.keys(t, "esc")
	if m.mode != modeBrowse || m.Capturing() || m.form != nil {
		t.Fatalf("esc: mode %v, capturing %v", m.mode, m.Capturing())
	}
	if got := reopen(t, ws).Card(); got.Name != "churn" {
		t.Errorf("card name on disk = %q after esc", got.Name)
	}
	if m.card.Name != "churn" {
		t.Errorf("card shown = %q after esc", m.card.Name)
	}
	if n := r.count(ui.WorkspaceChangedMsg{}); n != 0 {
		t.Errorf("%d WorkspaceChangedMsg after esc", n)
	}
	if a := actions(t, ws); slices.Contains(a, "card.save") {
		t.Errorf("history %v records a save", a)
	}
}

func TestEditFormEnterMovesThenSavesOnLastField(t *testing.T) {
	ws := newWorkspace(t)
	r := newScreen(t, ws, 80, 24, Options{})
	m := r.m
	r.keys(t, "e", "enter")
	if got := m.form.fields[m.form.focus].key; got != keyDescription {
		t.Fatalf("enter on the first field moved to %s, want description", got)
	}
	r.typeText(t, "via enter")
	r.keys(t, "shift+tab", "shift+tab") // wraps round to the last field
	if got := m.form.fields[m.form.focus].key; got != keyMinDIR {
		t.Fatalf("shift+tab twice from description reached %s, want %s", got, keyMinDIR)
	}
	r.typeText(t, "0.8")
	r.keys(t, "enter")
	if m.form != nil {
		t.Fatalf("enter on the last field did not save: %v", formErrors(m))
	}
	c := reopen(t, ws).Card()
	if c.Description != "via enter" || c.Fairness.MinDisparateImpactRatio == nil || *c.Fairness.MinDisparateImpactRatio != 0.8 {
		t.Errorf("card on disk = %+v", c)
	}
}

func TestEditFormUnchangedCardIsNotWritten(t *testing.T) {
	ws := newWorkspace(t)
	r := newScreen(t, ws, 80, 24, Options{})
	before := actions(t, ws)
	r.keys(t, "e", "ctrl+s")
	if r.m.form != nil {
		t.Fatal("ctrl+s on an unchanged card left the form open")
	}
	if got := r.statuses(); !slices.Contains(got, "card unchanged") {
		t.Errorf("statuses %q", got)
	}
	if after := actions(t, ws); len(after) != len(before) {
		t.Errorf("history grew from %v to %v", before, after)
	}
}

func TestEditFormColumnCompletion(t *testing.T) {
	ws := newWorkspace(t)
	r := newScreen(t, ws, 120, 40, Options{})
	m := r.m
	f := frame.MustNew(
		frame.NewString("customer", []string{"a"}, frame.Mask{}),
		frame.NewInt64("age", []int64{1}, frame.Mask{}),
		frame.NewString("age_group", []string{"x"}, frame.Mask{}),
		frame.NewString("churned", []string{"no"}, frame.Mask{}),
	)
	r.send(t, ui.DatasetLoadedMsg{Name: "churn", Frame: f})
	r.keys(t, "e")
	r.focusOn(t, keyTarget)
	r.typeText(t, "CH")
	r.keys(t, "tab")
	if v := fieldOf(t, m, keyTarget).input.Value(); v != "churned" {
		t.Errorf("target after tab = %q, want churned", v)
	}
	if got := m.form.fields[m.form.focus].key; got != keyTarget {
		t.Errorf("tab that completed moved the focus to %s", got)
	}
	r.keys(t, "tab") // nothing left to complete: next field
	if got := m.form.fields[m.form.focus].key; got != keyMetric {
		t.Errorf("second tab: focus on %s, want %s", got, keyMetric)
	}

	r.focusOn(t, keySensitive)
	r.typeText(t, "a")
	r.keys(t, "tab") // age and age_group: their common prefix
	if v := fieldOf(t, m, keySensitive).input.Value(); v != "age" {
		t.Errorf("after a+tab = %q, want age", v)
	}
	r.keys(t, "ctrl+n", "tab") // the second match
	if v := fieldOf(t, m, keySensitive).input.Value(); v != "age_group" {
		t.Errorf("after ctrl+n, tab = %q, want age_group", v)
	}
	r.typeText(t, ", cu")
	r.keys(t, "tab")
	if v := fieldOf(t, m, keySensitive).input.Value(); v != "age_group, customer" {
		t.Errorf("second item = %q, want \"age_group, customer\"", v)
	}
	r.typeText(t, ", age")
	if sug := fieldOf(t, m, keySensitive).input.MatchedSuggestions(); slices.Contains(sug, "age_group, customer, age_group") {
		t.Errorf("an item already listed is offered again: %q", sug)
	}
}

func TestMetricChoicesFollowTask(t *testing.T) {
	ws := newWorkspace(t)
	r := newScreen(t, ws, 120, 40, Options{})
	m := r.m
	r.keys(t, "e")
	r.focusOn(t, keyTask)
	r.typeText(t, "r") // the first task starting with r: regression
	if v := fieldOf(t, m, keyTask).value(); v != "regression" {
		t.Fatalf("task = %q, want regression", v)
	}
	r.focusOn(t, keyMetric)
	var seen []string
	for range 6 {
		r.keys(t, "right")
		seen = append(seen, fieldOf(t, m, keyMetric).value())
	}
	want := []string{"rmse", "mae", "mape", "r2", "", "rmse"}
	if !slices.Equal(seen, want) {
		t.Errorf("metric cycle for regression = %q, want %q", seen, want)
	}
	r.keys(t, "left", "left")
	if v := fieldOf(t, m, keyMetric).value(); v != "r2" {
		t.Errorf("← twice from rmse = %q, want r2", v)
	}

	// A metric that does not fit a new task stays, and saving names it.
	r.focusOn(t, keyTask)
	r.keys(t, "right") // regression → clustering
	if v := fieldOf(t, m, keyMetric).value(); v != "r2" {
		t.Errorf("metric after the task changed = %q, want r2 kept", v)
	}
	r.keys(t, "ctrl+s")
	if f := fieldOf(t, m, keyMetric); !strings.Contains(f.err, "does not apply to a clustering task") {
		t.Errorf("metric error = %q", f.err)
	}
}

func TestSaveCardChangedOnDisk(t *testing.T) {
	ws := newWorkspace(t)
	r := newScreen(t, ws, 120, 40, Options{})
	other := reopen(t, ws)
	c := other.Card()
	c.Description = "edited elsewhere"
	must(t, other.SaveCard(c))

	r.keys(t, "e")
	r.replace(t, "mine")
	r.keys(t, "ctrl+s")
	if r.m.form == nil {
		t.Fatal("the form closed although the save failed")
	}
	if !strings.Contains(r.m.form.err, "edited outside mlwb") {
		t.Errorf("form error = %q", r.m.form.err)
	}
	if got := reopen(t, ws).Card(); got.Name != "churn" || got.Description != "edited elsewhere" {
		t.Errorf("the other edit was overwritten: %+v", got)
	}
}
