package clean

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/engine/demo"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/workspace"
)

const recipeJSON = `{
  "version": 1,
  "dataset": "people",
  "steps": [
    {"op": "drop_duplicates", "columns": ["email", "joined"]},
    {"op": "merge_categories", "columns": ["city"], "params": {"groups": [["Paris", "paris ", "PARIS"]]}},
    {"op": "impute", "columns": ["age"], "params": {"method": "median"}, "note": "ages from the CRM"}
  ]
}`

func TestRecipeReplay(t *testing.T) {
	r, err := ParseRecipe([]byte(recipeJSON))
	if err != nil {
		t.Fatal(err)
	}
	g, effs, err := r.Apply(ctx, testFrame())
	if err != nil {
		t.Fatal(err)
	}
	var sums []string
	for _, e := range effs {
		sums = append(sums, e.Summary)
	}
	want := []string{"1 row dropped", "2 cells change (2 variants merged)", "2 cells change (median age = 35)"}
	if !slices.Equal(sums, want) {
		t.Errorf("effects = %q, want %q", sums, want)
	}
	if got := col(t, g, "city"); !slices.Equal(got, []string{"Paris", "Paris", "Paris", "Oslo", "NA"}) {
		t.Errorf("city = %q", got)
	}

	// Replay on new data: the median is recomputed there.
	fresh := frame.MustNew(
		frame.NewFloat64("age", []float64{10, nan(), 30}, frame.Mask{}),
		frame.CategoricalFromStrings("city", []string{"PARIS", "Rome", "Rome"}, nil),
		frame.NewString("email", []string{"a", "b", "c"}, frame.Mask{}),
		frame.NewString("joined", []string{"x", "y", "z"}, frame.Mask{}),
	)
	g, _, err = r.Apply(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	if got := col(t, g, "age"); !slices.Equal(got, []string{"10", "20", "30"}) {
		t.Errorf("age on new data = %q", got)
	}

	// A step whose column is gone names the step.
	old, _ := fresh.Drop("age")
	_, _, err = r.Apply(ctx, old)
	if err == nil || err.Error() != `clean: step 3 (impute "age"): column "age" not found` {
		t.Fatalf("err = %v", err)
	}
	var se *StepError
	if !errors.As(err, &se) || se.Index != 3 || !errors.Is(err, frame.ErrColumnNotFound) {
		t.Errorf("err %#v is not a StepError for step 3 wrapping ErrColumnNotFound", err)
	}

	// Round trip through JSON.
	b, err := r.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	r2, err := ParseRecipe(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(r2.Steps) != 3 || r2.Steps[2].Note != "ages from the CRM" {
		t.Errorf("round trip lost steps: %s", b)
	}
}

func TestParseRecipeErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"version": 1, "steps": [{"op": "trim", "colums": ["a"]}]}`, `json: unknown field "colums"`},
		{"{\"version\": 1,\n \"steps\": [,]}", "clean: recipe 2:12: invalid character ','"},
		{`{"version": 2, "steps": []}`, "clean: recipe version 2 is not supported"},
		{`{"steps": []}`, `clean: recipe: missing "version": 1`},
		{`{"version": 1, "steps": [{"op": "trim"}, {"op": "impute", "params": {"method": "mean"}}]}`, `clean: step 2 (impute): needs at least one column`},
		{`{"version": 1, "steps": [{"op": "trim", "columns": "a"}]}`, `clean: recipe 1:55: steps.columns must be []string, not string`},
		{`{"version": 1, "steps": [], "undone": 1}`, `clean: recipe has 0 steps but 1 undone`},
	} {
		_, err := ParseRecipe([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseRecipe(%s): err = %v, want %s", tc.in, err, tc.want)
		}
	}
}

func newWorkspace(t *testing.T, f *frame.Frame) *workspace.Workspace {
	t.Helper()
	ws, err := workspace.Init(t.TempDir(), "t")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.ImportFrame(ctx, "people", "test", f); err != nil {
		t.Fatal(err)
	}
	return ws
}

func versionHashes(t *testing.T, ws *workspace.Workspace, name string) []string {
	t.Helper()
	vs, err := ws.Versions(name)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, v := range vs {
		out = append(out, v.Hash)
	}
	return out
}

func TestSessionUndoRedo(t *testing.T) {
	ws := newWorkspace(t, testFrame())
	s, err := OpenSession(ctx, ws, "people")
	if err != nil {
		t.Fatal(err)
	}
	f, err := s.Frame(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Preview writes nothing.
	step1 := Step{Op: "drop_duplicates", Columns: []string{"email", "joined"}}
	_, eff, err := s.Preview(ctx, f, step1)
	if err != nil || eff.RowsDropped != 1 {
		t.Fatalf("preview: %+v, %v", eff, err)
	}
	if h := versionHashes(t, ws, "people"); len(h) != 1 {
		t.Fatalf("preview wrote versions: %d", len(h))
	}
	if _, err := os.Stat(RecipePath(ws, "people")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("preview wrote the recipe: %v", err)
	}

	d2, eff, err := s.Apply(ctx, step1)
	if err != nil || d2.Version != 2 || d2.Rows != 5 || eff.RowsDropped != 1 {
		t.Fatalf("apply 1: %+v %+v %v", d2, eff, err)
	}
	d3, _, err := s.Apply(ctx, Step{Op: "impute", Columns: []string{"age"}, Params: map[string]any{"method": "median"}})
	if err != nil || d3.Version != 3 || d3.Parent != d2.Hash {
		t.Fatalf("apply 2: %+v %v", d3, err)
	}
	// A failing step writes nothing.
	if _, _, err := s.Apply(ctx, Step{Op: "impute", Columns: []string{"salary"}, Params: map[string]any{"method": "mean"}}); err == nil ||
		err.Error() != `clean: step 3 (impute "salary"): column "salary" not found` {
		t.Fatalf("bad step: %v", err)
	}
	if h := versionHashes(t, ws, "people"); len(h) != 3 {
		t.Fatalf("failed step wrote a version: %d versions", len(h))
	}

	d4, err := s.Undo(ctx)
	if err != nil || d4.Version != 4 || d4.Hash != d2.Hash || d4.Parent != d3.Hash {
		t.Fatalf("undo: %+v %v (want hash of v2 %s)", d4, err, d2.Hash)
	}
	d5, err := s.Undo(ctx)
	h := versionHashes(t, ws, "people")
	if err != nil || d5.Hash != h[0] {
		t.Fatalf("undo to original: %+v %v", d5, err)
	}
	if _, err := s.Undo(ctx); err == nil {
		t.Error("undo past the start succeeded")
	}
	d6, err := s.Redo(ctx)
	if err != nil || d6.Hash != d2.Hash {
		t.Fatalf("redo: %+v %v", d6, err)
	}
	if r := s.Recipe(); r.Applied() != 1 || r.Undone != 1 || !r.CanRedo() {
		t.Fatalf("cursor: applied %d undone %d", r.Applied(), r.Undone)
	}

	// The recipe file holds the cursor; a new session continues from it.
	s2, err := OpenSession(ctx, ws, "people")
	if err != nil {
		t.Fatal(err)
	}
	d7, err := s2.Redo(ctx)
	if err != nil || d7.Hash != d3.Hash {
		t.Fatalf("redo in new session: %+v %v", d7, err)
	}
	// Applying after an undo discards the redo stack.
	if _, err := s2.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s2.Apply(ctx, Step{Op: "trim", Columns: []string{"city"}}); err != nil {
		t.Fatal(err)
	}
	r := s2.Recipe()
	if len(r.Steps) != 2 || r.Steps[1].Op != "trim" || r.Undone != 0 {
		t.Fatalf("recipe after apply: %+v", r.Steps)
	}

	// Edit the list: remove the first step; the replay starts from the base.
	d, effs, err := s2.SetSteps(ctx, r.Steps[1:])
	if err != nil || d.Rows != 6 || len(effs) != 1 {
		t.Fatalf("set steps: %+v %v", d, err)
	}

	// The original import is untouched.
	v1, err := ws.Versions("people")
	if err != nil {
		t.Fatal(err)
	}
	orig, err := ws.Load(ctx, v1[0])
	if err != nil {
		t.Fatal(err)
	}
	if got := col(t, orig, "city"); !slices.Equal(got, []string{"Paris", "paris ", "PARIS", "Oslo", "NA", "Paris"}) {
		t.Errorf("original changed: %q", got)
	}
}

func TestSessionDetachedAndDerive(t *testing.T) {
	ws := newWorkspace(t, testFrame())
	s, err := OpenSession(ctx, ws, "people")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Apply(ctx, Step{Op: "trim", Columns: []string{"city"}}); err != nil {
		t.Fatal(err)
	}
	// Someone re-imports new data.
	fresh, _ := testFrame().Drop("joined")
	if _, err := ws.ImportFrame(ctx, "people", "again", fresh.Head(4)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Apply(ctx, Step{Op: "case", Columns: []string{"city"}}); !errors.Is(err, ErrDetached) {
		t.Fatalf("apply on detached session: %v", err)
	}
	d, effs, err := s.Rebase(ctx)
	if err != nil || d.Rows != 4 || len(effs) != 1 || effs[0].CellsChanged != 1 {
		t.Fatalf("rebase: %+v %+v %v", d, effs, err)
	}
	if _, _, err := s.Apply(ctx, Step{Op: "case", Columns: []string{"city"}}); err != nil {
		t.Fatalf("apply after rebase: %v", err)
	}

	// Derive a new dataset from the first version; a session on it can undo
	// back to that version, which belongs to another dataset.
	vs, _ := ws.Versions("people")
	r, _ := ParseRecipe([]byte(recipeJSON))
	dd, _, err := Derive(ctx, ws, vs[0], "people_clean", r)
	if err != nil || dd.Version != 1 || dd.Rows != 5 || dd.Parent != vs[0].Hash {
		t.Fatalf("derive: %+v %v", dd, err)
	}
	s3, err := OpenSession(ctx, ws, "people_clean")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _, _ := s3.Attached(); !ok {
		t.Fatal("derived dataset's session is detached")
	}
	if _, err := s3.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s3.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	d3, err := s3.Undo(ctx)
	if err != nil || d3.Hash != vs[0].Hash {
		t.Fatalf("undo to the source: %+v %v", d3, err)
	}
	// Derive with a stale step writes nothing.
	r.Steps = append(r.Steps, Step{Op: "drop_columns", Columns: []string{"salary"}})
	if _, _, err := Derive(ctx, ws, vs[0], "people_other", r); err == nil || err.Error() != `clean: step 4 (drop_columns "salary"): column "salary" not found` {
		t.Fatalf("stale derive: %v", err)
	}
	if _, err := ws.Dataset("people_other"); err == nil {
		t.Error("stale derive created a dataset")
	}
	if _, err := os.Stat(RecipePath(ws, "people_other")); err == nil {
		t.Error("stale derive wrote a recipe")
	}
}

// TestDemoData cleans the demo customers: 40 duplicate rows (n/500) and the
// city variants "Paris"/"paris "/"PARIS" suggested and merged into one level.
func TestDemoData(t *testing.T) {
	f := demo.Customers(1, demo.DefaultRows)
	sug, err := Suggest(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	var steps []Step
	for _, s := range sug {
		t.Logf("%s: %s", s.Step.Describe(), s.Reason)
		if s.Step.Op == "drop_duplicates" || (s.Step.Op == "merge_categories" && s.Step.Columns[0] == "city") {
			steps = append(steps, s.Step)
		}
	}
	if len(steps) != 2 {
		t.Fatalf("suggested %d of the 2 expected steps", len(steps))
	}
	var paris []string
	for _, g := range steps[1].Params["groups"].([]any) {
		if g.([]any)[0] == "Paris" { // the most frequent spelling is canonical
			for _, s := range g.([]any) {
				paris = append(paris, s.(string))
			}
		}
	}
	slices.Sort(paris)
	if !slices.Equal(paris, []string{" Paris", "PARIS", "Paris", "paris "}) {
		t.Errorf("Paris group = %q", paris)
	}
	r := &Recipe{Version: 1, Steps: steps}
	g, effs, err := r.Apply(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if effs[0].RowsDropped != 40 || g.NumRows() != demo.DefaultRows-40 {
		t.Errorf("dropped %d duplicate rows, want 40", effs[0].RowsDropped)
	}
	c, _ := g.Column("city")
	counts := map[string]int{}
	for i := range c.Len() {
		if !c.IsNA(i) {
			counts[c.Format(i)]++
		}
	}
	if counts["paris "] != 0 || counts["PARIS"] != 0 || counts[" Paris"] != 0 || counts["Paris"] == 0 {
		t.Errorf("city counts after merge: %v", counts)
	}
	if effs[1].CellsChanged == 0 {
		t.Error("merge changed no cells")
	}
	if again := SuggestVariants(c.(*frame.CategoricalCol)); len(again) != 0 {
		t.Errorf("variants left after the merge: %q", again)
	}
}
