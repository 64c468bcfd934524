package workspace

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func ptr(x float64) *float64 { return &x }

func fullCard() Card {
	return Card{
		Name:        `Churn "Q3" — ünïcode`,
		Description: "line one\nline two\twith tab, a \\ backslash and a \x01 control",
		Task:        TaskBinary,
		Target:      "churned",
		Metric:      MetricGoal{Name: "roc_auc", Threshold: ptr(0.82)},
		Business:    Business{Currency: "EUR", TruePositiveValue: 120, FalsePositiveCost: 15.5, FalseNegativeCost: 1e6, TrueNegativeValue: 0},
		Privacy:     Privacy{SensitiveAttributes: []string{"sex", "age group"}, PIIColumns: []string{"email"}, PIIPolicy: PIIHash},
		Fairness:    Fairness{MaxDemographicParityDifference: ptr(0.1), MinDisparateImpactRatio: ptr(0.8)},
	}
}

func TestCardRenderRoundTrip(t *testing.T) {
	for _, c := range []Card{{Name: "minimal"}, fullCard()} {
		got, warn, err := parseCard("mlwb.toml", c.Render())
		if err != nil {
			t.Fatalf("%s\n%s", err, c.Render())
		}
		if len(warn) != 0 {
			t.Errorf("warnings %q", warn)
		}
		if !reflect.DeepEqual(got, c.clone()) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, c)
		}
	}
}

func TestSaveCardPersists(t *testing.T) {
	dir := t.TempDir()
	w, err := Init(dir, "p")
	if err != nil {
		t.Fatal(err)
	}
	c := fullCard()
	if err := w.SaveCard(c); err != nil {
		t.Fatal(err)
	}
	c.Privacy.PIIColumns[0] = "mutated after save"
	w2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(w2.Card(), fullCard()) {
		t.Errorf("reopened card %+v, want %+v", w2.Card(), fullCard())
	}
	ev, _ := w2.History(1)
	if len(ev) != 1 || ev[0].Action != "card.save" {
		t.Fatalf("last event %+v, want card.save", ev)
	}
	changed := ev[0].Details["changed"].([]any)
	if !containsAny(changed, "metric.threshold") || !containsAny(changed, "privacy.pii_columns") || containsAny(changed, "fairness.max_equalized_odds_difference") {
		t.Errorf("changed = %v", changed)
	}
}

func containsAny(xs []any, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// User comments survive a save that changes nothing; a save that changes
// something rewrites the file and keeps the old one as .bak.
func TestSaveCardKeepsUserEdits(t *testing.T) {
	dir := t.TempDir()
	if _, err := Init(dir, "p"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, CardFile)
	edited := "# my own notes\nname = \"p\"   # keep me\ntask = \"regression\"\n[metric]\nname = \"rmse\"\nthreshold = 3.5\n"
	if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.SaveCard(w.Card()); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != edited {
		t.Errorf("unchanged save rewrote the card:\n%s", b)
	}
	c := w.Card()
	c.Target = "price"
	if err := w.SaveCard(c); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), `target = "price"`) || !strings.Contains(string(b), "# Column to predict") {
		t.Errorf("rewritten card lacks the value or the template comments:\n%s", b)
	}
	if bak, _ := os.ReadFile(filepath.Join(dir, ".mlwb", CardFile+".bak")); string(bak) != edited {
		t.Errorf("backup = %q, want the user's text", bak)
	}
}

func TestSaveCardConflict(t *testing.T) {
	dir := t.TempDir()
	w, err := Init(dir, "p")
	if err != nil {
		t.Fatal(err)
	}
	external := Card{Name: "edited in vim", Task: TaskRegression}
	if err := os.WriteFile(w.Path(CardFile), external.Render(), 0o644); err != nil {
		t.Fatal(err)
	}
	c := w.Card()
	c.Description = "from the UI"
	if err := w.SaveCard(c); !errors.Is(err, ErrCardChanged) {
		t.Fatalf("SaveCard over an external edit = %v, want ErrCardChanged", err)
	}
	if err := w.Reload(); err != nil {
		t.Fatal(err)
	}
	c = w.Card()
	c.Description = "from the UI"
	if err := w.SaveCard(c); err != nil {
		t.Fatal(err)
	}
	w2, _ := Open(dir)
	if got := w2.Card(); got.Name != "edited in vim" || got.Description != "from the UI" {
		t.Errorf("merged card %+v", got)
	}
}

func TestCardValidate(t *testing.T) {
	for _, tc := range []struct {
		field string
		edit  func(c *Card)
	}{
		{"name", func(c *Card) { c.Name = "  " }},
		{"task", func(c *Card) { c.Task = "binar" }},
		{"metric.name", func(c *Card) { c.Metric.Name = "auc" }},
		{"metric.name", func(c *Card) { c.Task = TaskRegression }}, // roc_auc does not fit
		{"metric.threshold", func(c *Card) { c.Metric.Threshold = ptr(1.2) }},
		{"metric.threshold", func(c *Card) { c.Metric.Threshold = ptr(math.NaN()) }},
		{"metric.threshold", func(c *Card) { c.Metric = MetricGoal{Threshold: ptr(0.5)} }},
		{"business.true_positive_value", func(c *Card) { c.Business.TruePositiveValue = math.Inf(1) }},
		{"business.false_positive_cost", func(c *Card) { c.Business.FalsePositiveCost = -5 }},
		{"business.false_negative_cost", func(c *Card) { c.Business.FalseNegativeCost = math.NaN() }},
		{"privacy.sensitive_attributes", func(c *Card) { c.Privacy.SensitiveAttributes = []string{"sex", "sex"} }},
		{"privacy.pii_columns", func(c *Card) { c.Privacy.PIIColumns = []string{""} }},
		{"privacy.pii_policy", func(c *Card) { c.Privacy.PIIPolicy = "encrypt" }},
		{"fairness.max_equalized_odds_difference", func(c *Card) { c.Fairness.MaxEqualizedOddsDifference = ptr(-0.1) }},
		{"fairness.min_disparate_impact_ratio", func(c *Card) { c.Fairness.MinDisparateImpactRatio = ptr(0) }},
	} {
		c := fullCard()
		tc.edit(&c)
		err := c.Validate()
		var ce *CardError
		if !errors.As(err, &ce) || ce.Field != tc.field {
			t.Errorf("want error on %s, got %v", tc.field, err)
		}
	}
	if err := fullCard().Validate(); err != nil {
		t.Errorf("valid card: %v", err)
	}
	// Ranges that are not [0, 1]: r2 may be negative, rmse unbounded.
	for _, c := range []Card{
		{Name: "r", Task: TaskRegression, Metric: MetricGoal{Name: "r2", Threshold: ptr(-0.5)}},
		{Name: "r", Task: TaskRegression, Metric: MetricGoal{Name: "rmse", Threshold: ptr(1e9)}},
		{Name: "r", Metric: MetricGoal{Name: "silhouette", Threshold: ptr(-0.2)}},
	} {
		if err := c.Validate(); err != nil {
			t.Errorf("%+v: %v", c.Metric, err)
		}
	}
}

func TestCorruptCardErrors(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		line, col  int
		contains   string
	}{
		{"syntax", "name = \"p\"\ntask = \"binary\n", 2, 15, "newlines"},
		{"bad key", "name = \"p\"\n\n[metric]\nname = = 1\n", 4, 8, ""},
		{"type mismatch", "name = \"p\"\n[metric]\nname = \"roc_auc\"\nthreshold = \"high\"\n", 4, 0, "threshold"},
		{"invalid value", "name = \"p\"\ntask = \"binary\"\n\n[privacy]\npii_policy = \"shred\"\n", 5, 0, "privacy.pii_policy"},
		{"invalid metric", "name = \"p\"\ntask = \"regression\"\n[metric]\n  name = 'roc_auc'\n", 4, 0, "does not apply"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if _, err := Init(dir, "p"); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, CardFile)
			if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Open(dir)
			var ce *CardError
			if !errors.As(err, &ce) {
				t.Fatalf("Open = %v, want a *CardError", err)
			}
			if ce.File != path || ce.Line != tc.line || (tc.col != 0 && ce.Col != tc.col) {
				t.Errorf("error at %s:%d:%d, want %s:%d:%d (%v)", ce.File, ce.Line, ce.Col, path, tc.line, tc.col, err)
			}
			prefix := path + ":" + strconv.Itoa(tc.line) + ":"
			t.Log(err)
			if !strings.HasPrefix(err.Error(), prefix) || !strings.Contains(err.Error(), tc.contains) {
				t.Errorf("message %q, want prefix %q and %q", err, prefix, tc.contains)
			}
		})
	}
}

func TestCardUnknownKeyWarns(t *testing.T) {
	dir := t.TempDir()
	if _, err := Init(dir, "p"); err != nil {
		t.Fatal(err)
	}
	text := "name = \"p\"\n[metric]\nname = \"roc_auc\"\ntreshold = 0.7\n"
	if err := os.WriteFile(filepath.Join(dir, CardFile), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ws := w.Warnings()
	if len(ws) != 1 || !strings.Contains(ws[0], `"metric.treshold"`) || !strings.Contains(ws[0], CardFile+":4:") {
		t.Errorf("warnings %q, want one for metric.treshold at line 4", ws)
	}
}

func FuzzParseCard(f *testing.F) {
	f.Add(fullCard().Render())
	f.Add(Card{Name: "x"}.Render())
	f.Add([]byte("name = \"p\"\n[metric]\nthreshold = 1e400\n"))
	f.Add([]byte("name = 'p'\n[privacy]\npii_columns = ['a', 'a']\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		c, _, err := parseCard("mlwb.toml", text)
		if err != nil {
			var ce *CardError
			if !errors.As(err, &ce) || ce.File != "mlwb.toml" {
				t.Fatalf("error %v is not a *CardError naming the file", err)
			}
			return
		}
		// A card that parses and validates must survive Render.
		back, _, err := parseCard("mlwb.toml", c.Render())
		if err != nil {
			t.Fatalf("re-parse: %v\n%s", err, c.Render())
		}
		if !reflect.DeepEqual(back, c) {
			t.Fatalf("round trip changed the card:\n got %+v\nwant %+v", back, c)
		}
	})
}
