package train

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/engine/features"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/validate"
)

// spyPrep records the rows every fit of a Pipeline learnt from and what
// it fitted.
type spyPrep struct {
	*Pipeline
	rows   [][]int
	fitted []*pipelineFitted
}

func (s *spyPrep) Fit(ctx context.Context, f *frame.Frame, target string, feats []string, rows []int) (Prepared, error) {
	p, err := s.Pipeline.Fit(ctx, f, target, feats, rows)
	if err == nil {
		s.rows = append(s.rows, rows)
		s.fitted = append(s.fitted, p.(*pipelineFitted))
	}
	return p, err
}

// TestPipelineFittedOnTrainingFoldsOnly: with x = 0..29 and unshuffled
// 3-fold k-fold (held-out rows 0–9, 10–19, 20–29), the standard scaler of
// each fold learns the mean of that fold's 20 training rows only — 19.5,
// 14.5 and 9.5 — and the final fit the mean of all 30 rows, 14.5. Its
// scale is the population standard deviation of the training rows:
// √33.25 for folds 0 and 2 (20 consecutive integers, (20²−1)/12), √108.25
// for fold 1 (0–9 and 20–29: |x − 14.5| runs over 5.5..14.5 twice, whose
// mean square is 8.25 + 10²), and √74.9167 for all 30 ((30²−1)/12). The held-out rows are transformed with the
// training fold's statistics: row 0 in fold 0 is (0 − 19.5)/√33.25.
func TestPipelineFittedOnTrainingFoldsOnly(t *testing.T) {
	n := 30
	x, x2, y := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		x[i], x2[i] = float64(i), float64((i*7)%5)
		y[i] = 3*x[i] - x2[i] + float64(i%2)
	}
	f, err := frame.New(frame.NewFloat64("x", x, frame.Mask{}), frame.NewFloat64("x2", x2, frame.Mask{}), frame.NewFloat64("y", y, frame.Mask{}))
	if err != nil {
		t.Fatal(err)
	}
	steps := features.Pipeline{Steps: []features.Spec{{Transform: "standard_scale", Columns: []string{"x"}}}}
	spy := &spyPrep{Pipeline: &Pipeline{Steps: &steps, Label: "saved pipeline p.json"}}
	res, err := Run(context.Background(), Job{Frame: f, Target: "y", Model: "linear", Final: true, Prep: spy,
		Validation: validate.Spec{Scheme: validate.KFold, K: 3}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "saved pipeline p.json (standard_scale)"; res.Pipeline != want {
		t.Errorf("pipeline %q, want %q", res.Pipeline, want)
	}
	if len(spy.fitted) != 4 {
		t.Fatalf("%d fits, want 3 folds and the final fit", len(spy.fitted))
	}
	const tol = 1e-12 // sums of at most 30 small integers are exact; one division and sqrt
	wantMean := []float64{19.5, 14.5, 9.5, 14.5}
	wantScale := []float64{math.Sqrt(33.25), math.Sqrt(108.25), math.Sqrt(33.25), math.Sqrt(899.0 / 12)}
	wantRows := []int{20, 20, 20, 0}
	for k, fp := range spy.fitted {
		if len(spy.rows[k]) != wantRows[k] {
			t.Errorf("fit %d learnt from %d rows, want %d (0: all)", k, len(spy.rows[k]), wantRows[k])
		}
		st, err := fp.fitted.State(0)
		if err != nil {
			t.Fatal(err)
		}
		center := st["center"].([]any)[0].(float64)
		scale := st["scale"].([]any)[0].(float64)
		if math.Abs(center-wantMean[k]) > tol || math.Abs(scale-wantScale[k]) > tol {
			t.Errorf("fit %d: center %v scale %v, want %v %v", k, center, scale, wantMean[k], wantScale[k])
		}
	}
	X, err := spy.fitted[0].Matrix(context.Background(), f, []int{0})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := X.At(0, 0), (0-19.5)/math.Sqrt(33.25); math.Abs(got-want) > tol {
		t.Errorf("held-out row 0 in fold 0: %v, want %v", got, want)
	}
	// The saved pipeline is the final fit on all rows.
	var buf bytes.Buffer
	if err := res.FinalPrep.(interface{ Save(io.Writer) error }).Save(&buf); err != nil {
		t.Fatal(err)
	}
	var saved struct {
		FittedRows int `json:"fitted_rows"`
	}
	if err := json.Unmarshal(buf.Bytes(), &saved); err != nil || saved.FittedRows != 30 {
		t.Errorf("saved pipeline fitted on %d rows (%v), want 30", saved.FittedRows, err)
	}
}

// TestPipelineOutputs: a selection of constructed features keeps only the
// named outputs, in order, in the model matrix and the saved pipeline; an
// output the pipeline does not make is an error naming it.
func TestPipelineOutputs(t *testing.T) {
	f := regFrame(t)
	steps := features.Pipeline{Steps: []features.Spec{{Transform: "interactions", Columns: []string{"x1", "x2"}}}}
	p := &Pipeline{Steps: &steps, Outputs: []string{"x1*x2", "x1"}, Selection: "sel.json"}
	res, err := Run(context.Background(), Job{Frame: f, Target: "y", Model: "linear", Final: true, Prep: p})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Final.Features(); !reflect.DeepEqual(got, []string{"x1*x2", "x1"}) {
		t.Errorf("model features %v, want [x1*x2 x1]", got)
	}
	if !strings.HasSuffix(res.Pipeline, "; selection sel.json") {
		t.Errorf("pipeline %q", res.Pipeline)
	}
	var buf bytes.Buffer
	if err := res.FinalPrep.(interface{ Save(io.Writer) error }).Save(&buf); err != nil {
		t.Fatal(err)
	}
	fp, err := features.Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fp.Output, []string{"x1*x2", "x1"}) {
		t.Errorf("saved output %v", fp.Output)
	}
	// Read back, the pipeline builds the matrix the model was trained on.
	X, err := PreparedPipeline(fp).Matrix(context.Background(), f, []int{3})
	if err != nil {
		t.Fatal(err)
	}
	if X.Cols != 2 || X.At(0, 0) != 3*9 || X.At(0, 1) != 3 { // row 3: x1 = 3, x2 = 9
		t.Errorf("row 3: %v", X.Data)
	}

	for _, c := range []struct {
		out  []string
		want string
	}{
		{[]string{"x1*x2", "gone"}, `selection sel.json: column "gone" is neither a column of the data nor made by the feature pipeline fitted on all rows (it makes "x1", "x2", "x1*x2")`},
		{[]string{"x1*x3"}, `column "x1*x3" is neither`},
	} {
		p := &Pipeline{Steps: &steps, Outputs: c.out, Selection: "sel.json"}
		_, err := Run(context.Background(), Job{Frame: f, Target: "y", Model: "linear", Prep: p})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("outputs %v: %v, want %q", c.out, err, c.want)
		}
	}
	// A one-hot encoded input is replaced, not kept.
	codes := make([]int32, 30)
	for i := range codes {
		codes[i] = int32(i % 2)
	}
	g, _ := f.With(frame.NewCategorical("c", codes, []string{"a", "b"}))
	oh := features.Pipeline{Steps: []features.Spec{{Transform: "onehot", Columns: []string{"c"}}}}
	_, err = Run(context.Background(), Job{Frame: g, Target: "y", Model: "linear", Prep: &Pipeline{Steps: &oh, Outputs: []string{"c"}}})
	if err == nil || !strings.Contains(err.Error(), `column "c" is replaced by the feature pipeline`) {
		t.Errorf("replaced input: %v", err)
	}
}

func TestRestrictPipeline(t *testing.T) {
	p := features.Pipeline{Version: 1, Steps: []features.Spec{
		{Transform: "impute", Params: map[string]any{"strategy": "median"}},
		{Transform: "onehot", Columns: []string{"city", "plan"}},
		{Transform: "drop", Columns: []string{"id"}},
		{Transform: "ratio", Columns: []string{"fee", "tenure"}},
		{Transform: "standard_scale", Columns: []string{"fee", "fee/tenure"}},
	}}
	got := RestrictPipeline(p, []string{"plan", "id", "tenure"})
	want := features.Pipeline{Version: 1, Steps: []features.Spec{
		{Transform: "impute", Params: map[string]any{"strategy": "median"}},
		{Transform: "onehot", Columns: []string{"city"}},
		// drop of id: nothing left; ratio of one column: invalid, removed
		{Transform: "standard_scale", Columns: []string{"fee", "fee/tenure"}},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if p.Steps[1].Columns[1] != "plan" {
		t.Error("the input pipeline was modified")
	}
}

func TestParsePrepMode(t *testing.T) {
	for _, c := range []struct {
		in   string
		want PrepMode
	}{{"", PrepAuto}, {"auto", PrepAuto}, {"saved", PrepSaved}, {"default", PrepDefault}, {"raw", PrepRaw}} {
		got, err := ParsePrepMode(c.in)
		if err != nil || got != c.want {
			t.Errorf("%q: %v %v", c.in, got, err)
		}
		if c.in != "" && got.String() != c.in {
			t.Errorf("String %q, want %q", got, c.in)
		}
	}
	if _, err := ParsePrepMode("fancy"); err == nil || !strings.Contains(err.Error(), "want auto, saved, default or raw") {
		t.Errorf("fancy: %v", err)
	}
}

// TestSavedPipelineErrorNamesIt: a saved pipeline that leaves a column
// unencoded fails with its label, so the user knows which file to fix.
func TestSavedPipelineErrorNamesIt(t *testing.T) {
	f := regFrame(t)
	codes := make([]int32, 30)
	g, _ := f.With(frame.NewCategorical("c", codes, []string{"a"}))
	steps := features.Pipeline{Steps: []features.Spec{{Transform: "standard_scale"}}}
	_, err := Run(context.Background(), Job{Frame: g, Target: "y", Model: "linear", Prep: &Pipeline{Steps: &steps, Label: "saved pipeline features/pipelines/g.json"}})
	if err == nil || !strings.Contains(err.Error(), `train: saved pipeline features/pipelines/g.json: features: column "c" (categorical) not encoded as numbers`) {
		t.Errorf("got %v", err)
	}
}
