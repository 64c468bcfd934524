package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/workspace"
)

func TestMerge(t *testing.T) {
	dir := cleanWorkspace(t)
	ws := filepath.Join(dir, "ws")
	orders := writeFile(t, dir, "orders.csv", "id,amount\n4,10\n4,20\n2,5\n9,7\n,1\n")
	if _, stderr, code := run(t, "import", orders, "-w", ws); code != 0 {
		t.Fatal(stderr)
	}

	// --plan prints the counts and writes nothing.
	out, stderr, code := run(t, "merge", "people", "orders", "--on", "id", "--how", "left", "--plan", "-w", ws)
	want := `left join on id
left  people@1: 5 rows, 3 matched, 2 unmatched
right orders@1: 5 rows, 3 matched, 2 unmatched (1 with a missing key)
result: 7 rows (5 matched pairs)
`
	if code != 0 || out != want {
		t.Fatalf("plan: %d %q\n%s", code, stderr, out)
	}
	w, _ := workspace.Open(ws)
	if _, err := w.Dataset("people_orders"); err == nil {
		t.Fatal("--plan stored a dataset")
	}

	out, stderr, code = run(t, "merge", "people", "orders", "--on", "id", "--json", "-w", ws, "--out", filepath.Join(dir, "m.csv"))
	if code != 0 {
		t.Fatal(stderr)
	}
	var got MergeJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	wantPlan := MergePlanJSON{LeftRows: 5, RightRows: 5, LeftMatched: 3, LeftUnmatched: 2, RightMatched: 3, RightUnmatched: 2,
		RightNullKeys: 1, Pairs: 5, ResultRows: 5, TypeMismatch: []string{}}
	if !reflect.DeepEqual(got.Plan, wantPlan) || got.Result != nil && got.Result.Rows != 5 {
		t.Errorf("merge json: %+v", got)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "m.csv"))
	if string(b) != "id,age,city,amount\n2,,paris ,5\n4,58,Oslo,10\n4,58,Oslo,20\n4,58,Oslo,10\n4,58,Oslo,20\n" {
		t.Errorf("m.csv =\n%s", b)
	}

	// Stored as a new dataset when no --out is given.
	out, stderr, code = run(t, "merge", "people", "orders", "--on", "id", "--how", "outer", "--name", "po", "-w", ws)
	if code != 0 || !strings.Contains(out, "stored po@1: 9 rows × 4 columns") {
		t.Fatalf("outer: %d %q %q", code, out, stderr)
	}

	// Key type mismatch: reported in the plan, and the join refuses.
	out, stderr, code = run(t, "merge", "people", "orders", "--left-on", "city", "--right-on", "amount", "-w", ws)
	if code != 1 || !strings.Contains(out, `type mismatch: key "city"/"amount": left string, right int`) ||
		!strings.HasPrefix(stderr, "mlwb: merge: key types do not match") {
		t.Errorf("mismatch: %d %q %q", code, out, stderr)
	}
	_, stderr, code = run(t, "merge", "people", "orders", "--on", "idd", "-w", ws)
	if code != 1 || !strings.HasPrefix(stderr, `mlwb: merge: left has no column "idd"`) {
		t.Errorf("bad key: %d %q", code, stderr)
	}
}
