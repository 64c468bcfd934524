package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeDriftCSV writes n rows of x (numeric) and c (categorical): x cycles
// through 0..99 plus shift, c is "a" for the first share of rows, else "b".
func writeDriftCSV(t *testing.T, path string, n int, shift float64, share float64) {
	t.Helper()
	var b strings.Builder
	b.WriteString("x,c,when\n")
	for i := range n {
		c := "b"
		if float64(i) < share*float64(n) {
			c = "a"
		}
		fmt.Fprintf(&b, "%g,%s,2025-01-%02dT00:00:00Z\n", float64((i*37)%100)+shift, c, 1+i%28)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestDriftExitCodesAndJSON(t *testing.T) {
	dir := t.TempDir()
	ref := filepath.Join(dir, "ref.csv")
	same := filepath.Join(dir, "same.csv")
	shifted := filepath.Join(dir, "shifted.csv")
	writeDriftCSV(t, ref, 2000, 0, 0.5)
	writeDriftCSV(t, same, 1500, 0, 0.5)
	writeDriftCSV(t, shifted, 1500, 30, 0.9)

	out, errOut, code := run(t, "drift", "--reference", ref, "--current", same, "--json")
	if code != 0 {
		t.Fatalf("same distribution: exit %d, stderr %s", code, errOut)
	}
	var j map[string]any
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, out)
	}
	for _, k := range []string{"dataset_drift", "drift_share", "columns", "windows", "reference", "current"} {
		if _, ok := j[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	cols := j["columns"].([]any)
	if len(cols) != 2 {
		t.Fatalf("columns = %v", cols)
	}
	for _, c := range cols {
		m := c.(map[string]any)
		for _, k := range []string{"name", "type", "method", "score", "threshold", "drift", "reference_n", "current_n", "effect_size", "p_value"} {
			if _, ok := m[k]; !ok {
				t.Errorf("column JSON lacks %q: %v", k, m)
			}
		}
		if m["name"] == "x" && (m["method"] != "wasserstein" || m["p_value"] != nil || m["reference_n"] != 2000.0) {
			t.Errorf("x = %v", m)
		}
	}

	out, _, code = run(t, "drift", "--reference", ref, "--current", shifted, "--json")
	if code != 3 {
		t.Fatalf("shifted: exit %d, want 3\n%s", code, out)
	}
	if err := json.Unmarshal([]byte(out), &j); err != nil || j["dataset_drift"] != true || j["drift_share"] != 1.0 {
		t.Fatalf("shifted JSON = %v (%v)", j, err)
	}

	_, errOut, code = run(t, "drift", "--reference", ref, "--current", filepath.Join(dir, "missing.csv"))
	if code != 1 || !strings.Contains(errOut, "missing.csv") || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("missing file: exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = run(t, "drift", "--reference", ref, "--current", same, "--model", "r1")
	if code != 1 || !strings.Contains(errOut, "--model r1: runs live in a workspace") || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("--model: exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = run(t, "drift", "--reference", ref, "--current", same, "--method", "bogus")
	if code != 1 || !strings.Contains(errOut, "unknown method") {
		t.Fatalf("--method bogus: exit %d, stderr %q", code, errOut)
	}
}

func TestDriftFolderWindowsAndBadInput(t *testing.T) {
	dir := t.TempDir()
	ref := filepath.Join(dir, "ref.csv")
	writeDriftCSV(t, ref, 2000, 0, 0.5)
	batches := filepath.Join(dir, "batches")
	os.Mkdir(batches, 0o755)
	writeDriftCSV(t, filepath.Join(batches, "b1.csv"), 500, 0, 0.5)
	writeDriftCSV(t, filepath.Join(batches, "b2.csv"), 500, 30, 0.9)
	os.WriteFile(filepath.Join(batches, "b3.csv"), []byte("x,c,when\n"), 0o644) // empty batch
	os.WriteFile(filepath.Join(batches, ".b4.csv.mlwb-tmp-1"), []byte("x,c\n1,"), 0o644)

	out, errOut, code := run(t, "drift", "--reference", ref, "--current", batches, "--json", "--retries", "0")
	if code != 3 {
		t.Fatalf("folder: exit %d, stderr %s", code, errOut)
	}
	var j DriftJSON
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatal(err)
	}
	if len(j.Windows) != 3 || j.Windows[0].DatasetDrift || !j.Windows[1].DatasetDrift || j.Windows[2].Error == "" || j.Label != "b2.csv" {
		t.Fatalf("windows = %+v, label %q", j.Windows, j.Label)
	}

	// Columns differ: the reference has y, the current lacks it and has z
	// instead, and c changed type. The rest is still compared.
	cur := filepath.Join(dir, "cur.csv")
	os.WriteFile(ref, []byte("x,y,c\n1,2,a\n2,3,b\n3,4,a\n4,5,b\n5,6,a\n6,7,b\n"), 0o644)
	os.WriteFile(cur, []byte("x,z,c\n1,2,1.5\n2,3,2.5\n3,4,3.5\n4,5,4.5\n"), 0o644)
	out, errOut, code = run(t, "drift", "--reference", ref, "--current", cur, "--json")
	if code == 1 {
		t.Fatalf("exit 1: %s", errOut)
	}
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatal(err)
	}
	errs := map[string]string{}
	for _, c := range j.Columns {
		errs[c.Name] = c.Error
	}
	if errs["x"] != "" || !strings.Contains(errs["y"], "not in the current") || !strings.Contains(errs["z"], "not in the reference") || !strings.Contains(errs["c"], "type changed") {
		t.Fatalf("column errors = %v", errs)
	}

	// Windows of a time column.
	writeDriftCSV(t, ref, 2000, 0, 0.5)
	out, errOut, code = run(t, "drift", "--reference", ref, "--current", ref, "--window", "when:1w", "--json")
	if code != 0 {
		t.Fatalf("windows: exit %d %s", code, errOut)
	}
	if err := json.Unmarshal([]byte(out), &j); err != nil || len(j.Windows) != 5 || j.Windows[0].Label != "2024-12-30" {
		t.Fatalf("weekly windows = %d (%v) first %q", len(j.Windows), err, j.Windows[0].Label)
	}
}

func TestDriftNoSharedColumnsIsAnError(t *testing.T) {
	dir := t.TempDir()
	ref := writeFile(t, dir, "ref.csv", "a,b\n1,2\n3,4\n5,6\n")
	cur := writeFile(t, dir, "cur.csv", "x,y\n1,2\n3,4\n")
	_, errs, code := run(t, "drift", "--reference", ref, "--current", cur)
	if code != 1 || !strings.Contains(errs, "no column could be compared") {
		t.Errorf("exit %d, stderr %q; want 1 and a one-line error", code, errs)
	}
}
