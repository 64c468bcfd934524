package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/workspace"
)

// run runs the command line in-process and returns stdout, stderr and the
// exit status.
func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), code
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestInfoJSON(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "people.csv", "name,age,score,joined,member\n"+
		"ann,31,1.5,2024-01-02,true\nbob,,2.25,2024-02-03,false\nann,45,NaN,,true\nann,50,-inf,2024-02-05,false\n")
	out, errs, code := run(t, "info", p, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got InfoJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("bad JSON %q: %v", out, err)
	}
	want := []InfoColumnJSON{
		{"name", "categorical", 0}, {"age", "int", 1}, {"score", "float", 1},
		{"joined", "datetime", 1}, {"member", "bool", 0},
	}
	if got.Rows != 4 || got.Format != "csv" || !reflect.DeepEqual(got.Columns, want) {
		t.Errorf("info = %+v, want 4 csv rows with %+v", got, want)
	}
	if errs != "" {
		t.Errorf("--json must keep stderr quiet, got %q", errs)
	}
}

func TestInfoErrorsAreOneLine(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, text, want string
	}{
		{"quote.csv", "a,b\n1,\"x\n2,3\n", "quote.csv:2:"},
		{"ragged.csv", "a,b\n1,2\n3,4,5\n", "ragged.csv:3"},
		{"empty.csv", "", "empty"},
	}
	for _, tc := range cases {
		p := writeFile(t, dir, tc.name, tc.text)
		_, errs, code := run(t, "info", p)
		if code != 1 {
			t.Errorf("%s: exit %d, want 1", tc.name, code)
		}
		if !strings.HasPrefix(errs, "mlwb: ") || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, tc.want) {
			t.Errorf("%s: stderr %q, want one line containing %q", tc.name, errs, tc.want)
		}
	}
	if _, errs, code := run(t, "info", filepath.Join(dir, "nope.csv")); code != 1 || !strings.Contains(errs, "nope.csv") {
		t.Errorf("missing file: exit %d, %q", code, errs)
	}
	if _, errs, code := run(t, "info", "a", "b"); code != 1 || !strings.Contains(errs, "accepts 1 arg") {
		t.Errorf("two args: exit %d, %q", code, errs)
	}
	if _, errs, code := run(t, "info", "x.csv", "--header", "--no-header"); code != 1 || !strings.Contains(errs, "contradict") {
		t.Errorf("contradicting flags: exit %d, %q", code, errs)
	}
}

func TestInitImport(t *testing.T) {
	dir := t.TempDir()
	ws := filepath.Join(dir, "proj")
	if _, errs, code := run(t, "init", ws, "--name", "My project"); code != 0 {
		t.Fatalf("init: %s", errs)
	}
	if _, errs, code := run(t, "init", ws); code != 1 || !strings.Contains(errs, "already") {
		t.Errorf("second init: exit %d %q", code, errs)
	}
	p := writeFile(t, dir, "sales 2024.csv", "region;amount\nnorth;1.5\nsouth;2\n")
	out, errs, code := run(t, "import", p, "-w", ws, "--json")
	if code != 0 {
		t.Fatalf("import: %s", errs)
	}
	var got ImportJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Dataset != "sales 2024" || got.Version != 1 || got.Rows != 2 || len(got.Columns) != 2 {
		t.Errorf("import = %+v", got)
	}
	// The same file again is the same version; another file under the name a new one.
	out, _, _ = run(t, "import", p, "-w", ws, "--json")
	json.Unmarshal([]byte(out), &got)
	if got.Version != 1 {
		t.Errorf("re-import made version %d, want 1", got.Version)
	}
	q := writeFile(t, dir, "other.csv", "region;amount\neast;3\n")
	out, _, _ = run(t, "import", q, "-w", ws, "--name", "sales 2024", "--json")
	json.Unmarshal([]byte(out), &got)
	if got.Version != 2 || got.Rows != 1 {
		t.Errorf("new content: %+v, want version 2 with 1 row", got)
	}
	w, err := workspace.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	if w.Card().Name != "My project" {
		t.Errorf("card name %q", w.Card().Name)
	}
	vs, _ := w.Versions("sales 2024")
	if len(vs) != 2 {
		t.Errorf("versions = %d, want 2", len(vs))
	}
	if _, errs, code := run(t, "import", p, "-w", dir); code != 1 || !strings.Contains(errs, "no mlwb workspace") {
		t.Errorf("import into non-workspace: exit %d %q", code, errs)
	}
}

func TestDemoNoTUI(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	out, errs, code := run(t, "demo", dir, "--no-tui")
	if code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	if !strings.Contains(out, `dataset "customers" (20000 rows × 19 columns), 12 weekly batches`) {
		t.Errorf("demo output %q", out)
	}
	w, err := workspace.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := w.Card()
	if c.Target != "churn" || c.Metric.Name != "roc_auc" || *c.Metric.Threshold != 0.8 || c.Business.FalseNegativeCost != 200 {
		t.Errorf("card = %+v", c)
	}
	if st := w.State(); st.Dataset != "customers" {
		t.Errorf("selected dataset %q", st.Dataset)
	}
	batches, _ := filepath.Glob(filepath.Join(dir, "monitor", "batches", "week_*.parquet"))
	if len(batches) != 12 {
		t.Errorf("%d batches, want 12", len(batches))
	}
	first, _ := w.Dataset("customers")
	out, _, _ = run(t, "demo", dir, "--no-tui")
	if !strings.Contains(out, "already") {
		t.Errorf("second demo run: %q", out)
	}
	again, _ := w.Dataset("customers")
	if again.Hash != first.Hash {
		t.Error("second demo run changed the data")
	}
	// The demo is deterministic: another folder gets the same snapshot.
	dir2 := filepath.Join(t.TempDir(), "demo2")
	run(t, "demo", dir2, "--no-tui")
	w2, _ := workspace.Open(dir2)
	d2, _ := w2.Dataset("customers")
	if d2.Hash != first.Hash {
		t.Errorf("demo not deterministic: %s vs %s", d2.Hash, first.Hash)
	}
}

func TestInfoSharedData(t *testing.T) {
	p := "../../shared/data/adult.csv"
	if _, err := os.Stat(p); err != nil {
		t.Skip("shared data absent")
	}
	out, errs, code := run(t, "info", p, "--json")
	if code != 0 {
		t.Fatal(errs)
	}
	var got InfoJSON
	json.Unmarshal([]byte(out), &got)
	if got.Rows != 32561 || len(got.Columns) != 15 {
		t.Errorf("adult: %d rows × %d cols, want 32561 × 15", got.Rows, len(got.Columns))
	}
}
