package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/engine/clean"
	"github.com/mlwb/mlwb/workspace"
)

const peopleCSV = `id,age,city
1,22,Paris
2,,paris 
3,35,PARIS
4,58,Oslo
4,58,Oslo
`

// cleanWorkspace makes a workspace with dataset "people" from peopleCSV.
func cleanWorkspace(t *testing.T) (dir string) {
	t.Helper()
	dir = t.TempDir()
	csv := writeFile(t, dir, "people.csv", peopleCSV)
	ws := filepath.Join(dir, "ws")
	if _, stderr, code := run(t, "init", ws); code != 0 {
		t.Fatal(stderr)
	}
	if _, stderr, code := run(t, "import", csv, "-w", ws); code != 0 {
		t.Fatal(stderr)
	}
	return dir
}

func TestCleanRecipeJSON(t *testing.T) {
	dir := cleanWorkspace(t)
	ws := filepath.Join(dir, "ws")
	rec := writeFile(t, dir, "r.json", `{"version": 1, "steps": [
  {"op": "drop_duplicates"},
  {"op": "merge_categories", "columns": ["city"], "params": {"groups": [["Paris", "paris ", "PARIS"]]}},
  {"op": "impute", "columns": ["age"], "params": {"method": "median"}}]}`)
	out, stderr, code := run(t, "clean", "people", "--recipe", rec, "-w", ws, "--json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var got CleanJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	var sums []string
	for _, s := range got.Steps {
		sums = append(sums, s.Effect.Summary)
	}
	// The median of 22, 35, 58 is 35.
	want := []string{"1 row dropped", "2 cells change (2 variants merged)", "1 cell changes (median age = 35)"}
	if !reflect.DeepEqual(sums, want) || got.Source != "people@1" || got.Result == nil || got.Result.Version != 2 || got.Rows != 4 {
		t.Fatalf("clean = %+v, effects %q", got, sums)
	}

	// The steps are in the dataset's recipe: a session can undo them.
	w, err := workspace.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	s, err := clean.OpenSession(context.Background(), w, "people")
	if err != nil {
		t.Fatal(err)
	}
	if r := s.Recipe(); r.Applied() != 3 {
		t.Fatalf("recipe has %d steps in effect", r.Applied())
	}

	// A stale step names its number in the user's recipe; nothing is written.
	stale := writeFile(t, dir, "stale.json", `{"version": 1, "steps": [{"op": "trim"}, {"op": "impute", "columns": ["salary"], "params": {"method": "mean"}}]}`)
	recipeBefore, _ := os.ReadFile(clean.RecipePath(w, "people"))
	_, stderr, code = run(t, "clean", "people", "--recipe", stale, "-w", ws)
	if code != 1 || stderr != "mlwb: clean: step 2 (impute \"salary\"): column \"salary\" not found\n" {
		t.Fatalf("stale recipe: code %d, stderr %q", code, stderr)
	}
	vs, _ := w.Versions("people")
	recipeAfter, _ := os.ReadFile(clean.RecipePath(w, "people"))
	if len(vs) != 2 || string(recipeBefore) != string(recipeAfter) {
		t.Errorf("a failed clean wrote: %d versions, recipe changed %v", len(vs), string(recipeBefore) != string(recipeAfter))
	}

	// Dry run and --name.
	out, stderr, code = run(t, "clean", "people@1", "-w", ws, "--step", "drop_duplicates", "--dry-run")
	if code != 0 || !strings.Contains(out, "step 1 drop_duplicates: 1 row dropped") || !strings.Contains(out, "nothing written") {
		t.Fatalf("dry run: %d %q %q", code, out, stderr)
	}
	out, stderr, code = run(t, "clean", "people@1", "-w", ws, "--step", "filter expr=\"age > 30\"", "--name", "older")
	if code != 0 || !strings.Contains(out, "people@1 → older@1: 3 rows") {
		t.Fatalf("--name: %d %q %q", code, out, stderr)
	}
}

func TestCleanFile(t *testing.T) {
	dir := t.TempDir()
	csv := writeFile(t, dir, "people.csv", peopleCSV)
	outCSV := filepath.Join(dir, "out.csv")
	_, stderr, code := run(t, "clean", csv, "--step", "trim city", "--step", "case city to=title", "--step", "drop_duplicates")
	if code != 1 || !strings.Contains(stderr, "give --out FILE.parquet|.csv") {
		t.Fatalf("no --out: %d %q", code, stderr)
	}
	if _, stderr, code = run(t, "clean", csv, "--step", "trim city", "--step", "case city to=title", "--step", "drop_duplicates", "--out", outCSV); code != 0 {
		t.Fatal(stderr)
	}
	b, _ := os.ReadFile(outCSV)
	want := "id,age,city\n1,22,Paris\n2,,Paris\n3,35,Paris\n4,58,Oslo\n"
	if string(b) != want {
		t.Errorf("out.csv =\n%s\nwant\n%s", b, want)
	}
	_, stderr, code = run(t, "clean", csv, "--step", "cast age to=int strict=true", "--dry-run")
	if code != 0 {
		t.Errorf("strict cast of clean ints: %s", stderr)
	}
	_, stderr, code = run(t, "clean", csv, "--step", "cast city to=float", "--strict", "--dry-run")
	if code != 1 || !strings.Contains(stderr, `cells of "city" cannot be read as float (e.g. "Paris" in row 1)`) {
		t.Errorf("--strict: %d %q", code, stderr)
	}
}

func TestParseStepFlag(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want clean.Step
	}{
		{"drop_duplicates", clean.Step{Op: "drop_duplicates"}},
		{"impute age fee method=median", clean.Step{Op: "impute", Columns: []string{"age", "fee"}, Params: map[string]any{"method": "median"}}},
		{`merge_categories city groups=[["Paris","paris "]]`, clean.Step{Op: "merge_categories", Columns: []string{"city"}, Params: map[string]any{"groups": []any{[]any{"Paris", "paris "}}}}},
		{`filter expr="age >= 18"`, clean.Step{Op: "filter", Params: map[string]any{"expr": "age >= 18"}}},
		{`impute "monthly fee" method=constant value="3"`, clean.Step{Op: "impute", Columns: []string{"monthly fee"}, Params: map[string]any{"method": "constant", "value": "3"}}},
		{`clip x lower=0 upper=1.5`, clean.Step{Op: "clip", Columns: []string{"x"}, Params: map[string]any{"lower": 0.0, "upper": 1.5}}},
	} {
		got, err := parseStepFlag(tc.in)
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %#v, want %#v", tc.in, got, tc.want)
		}
	}
	for _, bad := range []string{`filter expr="age`, `merge_categories c groups=[["a"]`, `impute method=mean age`} {
		if _, err := parseStepFlag(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// TestCleanDemo suggests and replays the demo's recipe: 40 duplicate rows
// dropped and the city variants ("Paris"/"paris "/"PARIS") merged.
func TestCleanDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo workspace")
	}
	dir := filepath.Join(t.TempDir(), "demo")
	if _, stderr, code := run(t, "demo", dir, "--no-tui"); code != 0 {
		t.Fatal(stderr)
	}
	out, stderr, code := run(t, "clean", "customers", "-w", dir, "--suggest")
	if code != 0 {
		t.Fatal(stderr)
	}
	rec := writeFile(t, t.TempDir(), "r.json", out)
	out, stderr, code = run(t, "clean", "customers", "-w", dir, "--recipe", rec, "--json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var got CleanJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Steps[0].Op != "drop_duplicates" || got.Steps[0].Effect.RowsDropped != 40 || got.Rows != 19960 {
		t.Errorf("demo clean: %+v", got)
	}
	w, _ := workspace.Open(dir)
	f, err := w.LoadDataset(context.Background(), "customers")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := f.Column("city")
	for i := range c.Len() {
		if v := c.Format(i); v == "paris " || v == "PARIS" {
			t.Fatalf("row %d still has %q", i, v)
		}
	}
}
