package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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

// TestDriftOrderBy: --order-by orders batch files by their earliest time,
// not their names; a batch lacking the column is an error naming the file.
func TestDriftOrderBy(t *testing.T) {
	dir := t.TempDir()
	ref := filepath.Join(dir, "ref.csv")
	writeDriftCSV(t, ref, 2000, 0, 0.5)
	batches := filepath.Join(dir, "batches")
	os.Mkdir(batches, 0o755)
	// "a.csv" is February's, shifted (drifts); "b.csv" January's, not.
	writeDriftCSV(t, filepath.Join(batches, "a.csv"), 500, 30, 0.9)
	feb, _ := os.ReadFile(filepath.Join(batches, "a.csv"))
	os.WriteFile(filepath.Join(batches, "a.csv"), []byte(strings.ReplaceAll(string(feb), "2025-01-", "2025-02-")), 0o644)
	writeDriftCSV(t, filepath.Join(batches, "b.csv"), 500, 0, 0.5)

	// By name, b.csv (no drift) is the latest.
	out, errOut, code := run(t, "drift", "--reference", ref, "--current", batches, "--json")
	var j DriftJSON
	if code != 0 || json.Unmarshal([]byte(out), &j) != nil || j.Label != "b.csv" {
		t.Fatalf("by name: exit %d, label %q, stderr %s", code, j.Label, errOut)
	}
	// By time, a.csv (February, drifted) is.
	out, errOut, code = run(t, "drift", "--reference", ref, "--current", batches, "--order-by", "when", "--json")
	if code != DriftExitCode {
		t.Fatalf("by time: exit %d, stderr %s", code, errOut)
	}
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatal(err)
	}
	if len(j.Windows) != 2 || j.Windows[0].Label != "b.csv" || j.Windows[1].Label != "a.csv" || j.Label != "a.csv" ||
		j.Windows[0].OrderKey != "2025-01-01T00:00:00Z" || j.Windows[1].OrderKey != "2025-02-01T00:00:00Z" {
		t.Fatalf("by time: windows %v %v, keys %q %q", j.Windows[0].Label, j.Windows[1].Label, j.Windows[0].OrderKey, j.Windows[1].OrderKey)
	}
	// A numeric column orders too: x's minimum is 0 in b.csv, 30 in a.csv.
	out, _, _ = run(t, "drift", "--reference", ref, "--current", batches, "--order-by", "x", "--json")
	if err := json.Unmarshal([]byte(out), &j); err != nil || j.Label != "a.csv" || j.Windows[0].OrderKey != "0" {
		t.Fatalf("by x: %v label %q key %q", err, j.Label, j.Windows[0].OrderKey)
	}
	// A batch where the column is empty goes last, with its error.
	os.WriteFile(filepath.Join(batches, "0.csv"), []byte("x,c,when\n1,a,\n2,b,\n"), 0o644)
	out, errOut, code = run(t, "drift", "--reference", ref, "--current", batches, "--order-by", "when", "--json")
	if err := json.Unmarshal([]byte(out), &j); err != nil || code != DriftExitCode || len(j.Windows) != 3 || j.Windows[2].Label != "0.csv" ||
		!strings.Contains(j.Windows[2].Error, "holds no value") || j.Label != "a.csv" {
		t.Fatalf("empty time column: exit %d %v windows %+v, stderr %s", code, err, j.Windows, errOut)
	}
	os.Remove(filepath.Join(batches, "0.csv"))

	for _, tc := range []struct {
		file, text string
		args       []string
		want       string
	}{
		{"c.csv", "x,c\n1,a\n2,b\n", []string{"--order-by", "when"}, `c.csv: --order-by: drift: cannot order by column "when": the batch has no such column (columns: x, c)`},
		{"c.csv", "x,c,when\n1,a,3\n2,b,4\n", []string{"--order-by", "when"}, "--order-by when: the column is datetime in a.csv but numeric in c.csv"},
		{"c.csv", "x,c,when\n1,a,3\n", []string{"--order-by", "c"}, `cannot order by column "c": it is categorical, not datetime or numeric`},
	} {
		p := filepath.Join(batches, tc.file)
		os.WriteFile(p, []byte(tc.text), 0o644)
		_, errOut, code := run(t, append([]string{"drift", "--reference", ref, "--current", batches}, tc.args...)...)
		if code != 1 || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q, want %q", tc.args, code, errOut, tc.want)
		}
		os.Remove(p)
	}
	_, errOut, code = run(t, "drift", "--reference", ref, "--current", ref, "--order-by", "when")
	if code != 1 || !strings.Contains(errOut, "--order-by orders the batch files of a folder") {
		t.Errorf("--order-by on a file: exit %d, stderr %q", code, errOut)
	}
}

// TestDriftAlertsFile: with a workspace, the crossings are appended to
// monitor/alerts.jsonl once; re-running adds nothing and reports them as
// not new.
func TestDriftAlertsFile(t *testing.T) {
	dir := t.TempDir()
	ws := filepath.Join(dir, "ws")
	if _, errs, code := run(t, "init", ws); code != 0 {
		t.Fatal(errs)
	}
	ref := filepath.Join(dir, "ref.csv")
	writeDriftCSV(t, ref, 2000, 0, 0.5)
	batches := filepath.Join(dir, "batches")
	os.Mkdir(batches, 0o755)
	writeDriftCSV(t, filepath.Join(batches, "b1.csv"), 500, 0, 0.5)
	writeDriftCSV(t, filepath.Join(batches, "b2.csv"), 500, 30, 0.9)
	writeDriftCSV(t, filepath.Join(batches, "b3.csv"), 500, 0, 0.5)
	alerts := filepath.Join(ws, "monitor", "alerts.jsonl")

	out, errOut, code := run(t, "drift", "--reference", ref, "--current", batches, "-w", ws, "--json")
	if code != 0 {
		t.Fatalf("exit %d (b3 does not drift), stderr %s", code, errOut)
	}
	var j DriftJSON
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatal(err)
	}
	// b2: x and c drift, and the dataset; b3: all recover.
	var got []string
	for _, a := range j.Alerts {
		if !a.New {
			t.Errorf("first run: alert %+v not new", a)
		}
		got = append(got, a.Window+" "+a.Column+" "+a.Kind)
	}
	want := "b2.csv x drift,b2.csv c drift,b2.csv  dataset_drift,b3.csv x recovered,b3.csv c recovered,b3.csv  dataset_recovered"
	if strings.Join(got, ",") != want || j.AlertsFile != alerts {
		t.Fatalf("alerts %q in %q, want %q", strings.Join(got, ","), j.AlertsFile, want)
	}
	first, err := os.ReadFile(alerts)
	if err != nil || strings.Count(string(first), "\n") != 6 {
		t.Fatalf("alerts file: %v\n%s", err, first)
	}
	// Again: the same alerts, none new, the file unchanged.
	out, _, _ = run(t, "drift", "--reference", ref, "--current", batches, "-w", ws, "--json")
	if err := json.Unmarshal([]byte(out), &j); err != nil || len(j.Alerts) != 6 || j.Alerts[0].New {
		t.Fatalf("second run: %v %+v", err, j.Alerts)
	}
	if again, _ := os.ReadFile(alerts); string(again) != string(first) {
		t.Fatalf("re-run changed the alerts file:\n%s", again)
	}
	// Human output says how many are new.
	out, _, _ = run(t, "drift", "--reference", ref, "--current", batches, "-w", ws)
	if !strings.Contains(out, "alerts: 6 (0 new, appended to "+alerts+")") {
		t.Errorf("output:\n%s", out)
	}
	// Without a workspace nothing is saved, and the alerts are still listed.
	out, _, _ = run(t, "drift", "--reference", ref, "--current", batches, "--json")
	j = DriftJSON{}
	if err := json.Unmarshal([]byte(out), &j); err != nil || len(j.Alerts) != 6 || j.AlertsFile != "" {
		t.Fatalf("no workspace: %v %d alerts, file %q", err, len(j.Alerts), j.AlertsFile)
	}
}

// TestDriftBadBatches: an empty current file is a one-line error; in a
// folder, an empty batch and a batch that stays half-written are reported
// in their window while the others are compared; a batch completed while
// it is being retried is compared.
func TestDriftBadBatches(t *testing.T) {
	dir := t.TempDir()
	ref := filepath.Join(dir, "ref.csv")
	writeDriftCSV(t, ref, 2000, 0, 0.5)
	empty := writeFile(t, dir, "empty.csv", "x,c,when\n")
	_, errOut, code := run(t, "drift", "--reference", ref, "--current", empty)
	if code != 1 || !strings.Contains(errOut, "empty.csv") || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("empty current file: exit %d, stderr %q", code, errOut)
	}

	batches := filepath.Join(dir, "batches")
	os.Mkdir(batches, 0o755)
	writeDriftCSV(t, filepath.Join(batches, "b1.csv"), 500, 30, 0.9)
	writeFile(t, batches, "b2.csv", "x,c,when\n")
	writeFile(t, batches, "b3.csv", "x,c,when\n1,a,2025-01-01T00:00:00Z\n2,b,2025-01-02T00:00:00Z\n\"3,a") // cut inside a quote
	out, errOut, code := run(t, "drift", "--reference", ref, "--current", batches, "--retries", "1", "--json")
	var j DriftJSON
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatalf("%v: %s", err, errOut)
	}
	// b1 (drifted) is the latest batch that could be compared.
	if code != DriftExitCode || len(j.Windows) != 3 || j.Label != "b1.csv" || j.Windows[0].Error != "" ||
		!strings.Contains(j.Windows[1].Error, "no rows") || !strings.Contains(j.Windows[2].Error, "b3.csv still unreadable after 2 tries") {
		t.Fatalf("exit %d, label %q, windows %+v", code, j.Label, j.Windows)
	}

	// b3 completed while being retried: compared.
	done := make(chan struct{})
	go func() {
		defer close(done)
		time.Sleep(200 * time.Millisecond)
		writeDriftCSV(t, filepath.Join(batches, "b3.csv"), 500, 0, 0.5)
	}()
	out, errOut, code = run(t, "drift", "--reference", ref, "--current", batches, "--retries", "10", "--json")
	<-done
	j = DriftJSON{}
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatalf("%v: %s", err, errOut)
	}
	if code != 0 || j.Label != "b3.csv" || j.Windows[2].Error != "" || j.Windows[2].CurrentN != 500 {
		t.Fatalf("retried batch: exit %d, label %q, window %+v, stderr %s", code, j.Label, j.Windows[2], errOut)
	}
}
