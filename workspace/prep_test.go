package workspace

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mlwb/mlwb/engine/features"
	"github.com/mlwb/mlwb/engine/features/selection"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/train"
)

// prepFrame has columns id, city, fee, tenure and the target churn.
func prepFrame(t *testing.T) *frame.Frame {
	t.Helper()
	f, err := frame.New(
		frame.NewString("id", []string{"a", "b", "c", "d"}, frame.Mask{}),
		frame.NewCategorical("city", []int32{0, 1, 0, 1}, []string{"x", "y"}),
		frame.NewFloat64("fee", []float64{1, 2, 3, 4}, frame.Mask{}),
		frame.NewFloat64("tenure", []float64{4, 3, 2, 1}, frame.Mask{}),
		frame.NewCategorical("churn", []int32{0, 1, 1, 0}, []string{"no", "yes"}),
	)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func saveSelection(t *testing.T, w *Workspace, file string, s selection.Selection, mod time.Time) {
	t.Helper()
	path := filepath.Join(w.FeaturesDir(), selection.SelectionsDir, file)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Write(fh); err != nil {
		t.Fatal(err)
	}
	fh.Close()
	if err := os.Chtimes(path, mod, mod); err != nil {
		t.Fatal(err)
	}
}

func TestResolvePrep(t *testing.T) {
	w, err := Init(t.TempDir(), "prep")
	if err != nil {
		t.Fatal(err)
	}
	f := prepFrame(t)
	req := PrepRequest{Dataset: "customers@2", Frame: f, Target: "churn"}

	// Nothing saved: auto is the default pipeline with every column.
	p, err := ResolvePrep(w, req)
	if err != nil {
		t.Fatal(err)
	}
	if p.Resolved != train.PrepDefault || p.Features != nil || p.Selection != nil || p.Short() != "default" {
		t.Errorf("nothing saved: %+v", p)
	}
	if _, ok := p.Preparer(1).(*train.Pipeline); !ok {
		t.Errorf("preparer %T", p.Preparer(1))
	}
	r := req
	r.Mode = train.PrepSaved
	if _, err := ResolvePrep(w, r); err == nil || !strings.Contains(err.Error(), "expected features/pipelines/customers.json") {
		t.Errorf("saved without a file: %v", err)
	}
	// A file: no saved state, saved is an error, auto is default.
	if p, err := ResolvePrep(nil, PrepRequest{Frame: f, Target: "churn"}); err != nil || p.Resolved != train.PrepDefault {
		t.Errorf("file: %v %v", p, err)
	}
	if _, err := ResolvePrep(nil, PrepRequest{Mode: train.PrepSaved, Frame: f, Target: "churn"}); err == nil {
		t.Error("saved on a file: no error")
	}

	// A saved pipeline and selections: the newest one for the target wins.
	pipe := features.Pipeline{Version: 1, Steps: []features.Spec{
		{Transform: "drop", Columns: []string{"id"}},
		{Transform: "onehot", Columns: []string{"city"}},
		{Transform: "standard_scale"},
	}}
	b, _ := pipe.MarshalIndent()
	if err := os.MkdirAll(filepath.Join(w.FeaturesDir(), selection.PipelinesDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(w.FeaturesDir(), selection.PipelinesDir, "customers.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	saveSelection(t, w, "topk-2.json", selection.Selection{Name: "topk-2", Dataset: "customers@1", Target: "churn", Method: "topk", Features: []string{"city", "fee"}}, now.Add(-time.Hour))
	saveSelection(t, w, "customers.json", selection.Selection{Name: "customers", Dataset: "customers", Target: "tenure", Method: "manual", Features: []string{"fee"}}, now)
	saveSelection(t, w, "other.json", selection.Selection{Name: "other", Dataset: "orders@1", Target: "churn", Method: "topk", Features: []string{"zzz"}}, now)
	if err := os.WriteFile(filepath.Join(w.FeaturesDir(), selection.SelectionsDir, "broken.json"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err = ResolvePrep(w, req)
	if err != nil {
		t.Fatal(err)
	}
	if p.Resolved != train.PrepSaved || p.PipelineFile != "features/pipelines/customers.json" || p.SelectionFile != "features/selections/topk-2.json" {
		t.Fatalf("resolved %v %q %q", p.Resolved, p.PipelineFile, p.SelectionFile)
	}
	if !reflect.DeepEqual(p.Features, []string{"city", "fee"}) {
		t.Errorf("features %v", p.Features)
	}
	// The drop of id (not selected) is skipped; onehot and scaling stay.
	if len(p.Steps.Steps) != 2 || p.Steps.Steps[0].Transform != "onehot" {
		t.Errorf("steps %+v", p.Steps.Steps)
	}
	notes := strings.Join(p.Notes, "\n")
	for _, want := range []string{"using the saved pipeline features/pipelines/customers.json (onehot, standard_scale)",
		"using the saved selection features/selections/topk-2.json: 2 features (topk) for target churn",
		"broken.json", "1 of 3 steps apply only to columns left out"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	pl := p.Preparer(1).(*train.Pipeline)
	if pl.Name() != "saved pipeline features/pipelines/customers.json (onehot, standard_scale); selection features/selections/topk-2.json (topk, 2 features)" {
		t.Errorf("name %q", pl.Name())
	}

	// Another target: the selection for it, or every column with a note.
	r = req
	r.Target = "tenure"
	if p, err := ResolvePrep(w, r); err != nil || !reflect.DeepEqual(p.Features, []string{"fee"}) {
		t.Errorf("target tenure: %v %v", p, err)
	}
	r.Target = "fee"
	p, err = ResolvePrep(w, r)
	if err != nil || p.Features != nil || !strings.Contains(strings.Join(p.Notes, "\n"), "no saved selection for target fee (passed over features/selections/customers.json (target tenure), features/selections/topk-2.json (target churn))") {
		t.Errorf("target fee: %v %v", p, err)
	}

	// Named features, a named selection, none.
	r = req
	r.Features = []string{"fee"}
	if p, err := ResolvePrep(w, r); err != nil || p.Selection != nil || !reflect.DeepEqual(p.Features, []string{"fee"}) {
		t.Errorf("features: %v %v", p, err)
	}
	r.Selection = "topk-2"
	if _, err := ResolvePrep(w, r); err == nil {
		t.Error("features and selection: no error")
	}
	r = req
	r.Selection = "customers"
	if _, err := ResolvePrep(w, r); err == nil || !strings.Contains(err.Error(), `selection features/selections/customers.json was made for target "tenure", not "churn"`) {
		t.Errorf("named selection of another target: %v", err)
	}
	r.Selection = NoSelection
	if p, err := ResolvePrep(w, r); err != nil || p.Features != nil || p.Selection != nil {
		t.Errorf("none: %v %v", p, err)
	}
	r.Selection = "absent"
	if _, err := ResolvePrep(w, r); err == nil || !strings.Contains(err.Error(), "absent.json") {
		t.Errorf("absent: %v", err)
	}

	// A stale selection: raw names the missing column; a pipeline takes
	// the names as constructed outputs (checked when the run starts).
	saveSelection(t, w, "stale.json", selection.Selection{Name: "stale", Dataset: "customers@2", Target: "churn", Method: "topk", Features: []string{"fee", "gone"}}, now.Add(time.Hour))
	r = req
	r.Mode = train.PrepRaw
	if _, err := ResolvePrep(w, r); err == nil || !strings.Contains(err.Error(), `selection features/selections/stale.json names column "gone", which customers@2 does not have`) {
		t.Errorf("stale raw: %v", err)
	}
	r.Mode = train.PrepDefault
	p, err = ResolvePrep(w, r)
	if err != nil || p.Features != nil || !reflect.DeepEqual(p.Outputs, []string{"fee", "gone"}) {
		t.Errorf("stale default: %+v %v", p, err)
	}
	r.Mode = train.PrepRaw
	r.Selection = "topk-2"
	p, err = ResolvePrep(w, r)
	if err != nil || !reflect.DeepEqual(p.Features, []string{"city", "fee"}) || p.Short() != "raw" {
		t.Fatalf("raw with a selection: %v %v", p, err)
	}
	if _, ok := p.Preparer(0).(*train.Raw); !ok {
		t.Errorf("raw preparer %T", p.Preparer(0))
	}

	// A corrupt saved pipeline is an error naming it.
	if err := os.WriteFile(filepath.Join(w.FeaturesDir(), selection.PipelinesDir, "customers.json"), []byte(`{"steps": [{"transform": "nope"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ResolvePrep(w, req); err == nil || !strings.Contains(err.Error(), "customers.json") || !strings.Contains(err.Error(), "nope") {
		t.Errorf("corrupt pipeline: %v", err)
	}
}
