package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/engine/features/selection"
)

// featuresCSV writes 200 rows where y depends on a (strongly) and c (a
// little); b is noise, id an identifier.
func featuresCSV(t *testing.T, dir string) string {
	var sb strings.Builder
	sb.WriteString("id,a,b,c,y\n")
	for i := 0; i < 200; i++ {
		a := float64((i*37)%200) / 20
		b := float64((i*91)%113) / 10
		c := []string{"red", "green", "blue"}[i%3]
		y := "no"
		if a > 5 || (c == "red" && a > 4) {
			y = "yes"
		}
		fmt.Fprintf(&sb, "u%03d,%g,%g,%s,%s\n", i, a, b, c, y)
	}
	return writeFile(t, dir, "f.csv", sb.String())
}

func TestFeaturesJSON(t *testing.T) {
	p := featuresCSV(t, t.TempDir())
	out, errs, code := run(t, "features", p, "--target", "y", "--json")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if strings.Contains(out, "NaN") {
		t.Fatal("NaN in JSON")
	}
	var got FeaturesJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Target != "y" || got.Task != "binary" || got.Rows != 200 || len(got.Features) != 4 {
		t.Fatalf("header %+v", got)
	}
	first, last := got.Features[0], got.Features[3]
	if first.Name != "a" || first.Rank != 1 || first.MutualInfo == nil || first.Tree == nil || first.AnovaF == nil {
		t.Errorf("first %+v", first)
	}
	if last.Name != "id" || last.Dropped == "" || last.Tree != nil {
		t.Errorf("identifier not ranked last without model scores: %+v", last)
	}
	for _, f := range got.Features {
		if f.Name == "c" && (f.Pearson != nil || f.Chi2 == nil) {
			t.Errorf("categorical c: pearson %v chi2 %v", f.Pearson, f.Chi2)
		}
	}
	// --by reranks.
	out, _, _ = run(t, "features", p, "--target", "y", "--json", "--no-models", "--by", "variance")
	json.Unmarshal([]byte(out), &got)
	if got.RankBy != "variance" || got.Features[0].Name != "b" {
		t.Errorf("by variance: first %s", got.Features[0].Name)
	}
	// Text output: a ranked table.
	out, _, code = run(t, "features", p, "--target", "y", "--no-models")
	if code != 0 || !strings.Contains(out, "ranked by mutual_info") || !strings.Contains(out, "never selected, no model scores: id") {
		t.Errorf("text output:\n%s", out)
	}
}

func TestFeaturesSelectSaves(t *testing.T) {
	dir := t.TempDir()
	ws := filepath.Join(dir, "ws")
	if _, errs, code := run(t, "init", ws); code != 0 {
		t.Fatal(errs)
	}
	p := featuresCSV(t, dir)
	for _, c := range []struct {
		args []string
		name string
		want string
	}{
		{[]string{"--select", "topk", "--k", "2"}, "topk-2", "a,c"},
		{[]string{"--select", "sfs", "--k", "1", "--name", "best1"}, "best1", "a"},
		{[]string{"--select", "rfe", "--k", "1"}, "rfe-1", "a"},
		{[]string{"--select", "threshold", "--min", "0.05", "--by", "mutual_info"}, "threshold", ""},
	} {
		args := append([]string{"features", p, "--target", "y", "-w", ws, "--json"}, c.args...)
		out, errs, code := run(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", c.args, code, errs)
		}
		var got FeaturesJSON
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		if got.Saved != "features/selections/"+c.name+".json" || got.Selection == nil {
			t.Fatalf("%v: saved %q", c.args, got.Saved)
		}
		fh, err := os.Open(filepath.Join(ws, got.Saved))
		if err != nil {
			t.Fatal(err)
		}
		sel, err := selection.ReadSelection(fh)
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		if c.want != "" && strings.Join(sel.Features, ",") != c.want {
			t.Errorf("%v: selected %v, want %s", c.args, sel.Features, c.want)
		}
		for _, f := range sel.Features {
			if f == "id" {
				t.Errorf("%v selected the identifier", c.args)
			}
		}
		if sel.Target != "y" || sel.Method != c.args[1] || sel.Scores["a"]["mutual_info"] <= 0 {
			t.Errorf("selection %+v", sel)
		}
	}
	hist, _ := os.ReadFile(filepath.Join(ws, "history.jsonl"))
	if strings.Count(string(hist), `"features.select"`) != 4 {
		t.Errorf("history:\n%s", hist)
	}
}

func TestFeaturesErrors(t *testing.T) {
	dir := t.TempDir()
	p := featuresCSV(t, dir)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"features", p}, "--target COL is required"},
		{[]string{"features", p, "--target", "nope"}, `has no column "nope"`},
		{[]string{"features", p, "--target", "y", "--by", "magic"}, `--by: selection: unknown score "magic"`},
		{[]string{"features", p, "--target", "y", "--select", "best"}, `unknown method "best"`},
		{[]string{"features", p, "--target", "y", "--select", "topk"}, "--select topk needs --k N"},
		{[]string{"features", p, "--target", "y", "--select", "threshold"}, "needs --min"},
		{[]string{"features", p, "--target", "y", "--k", "3"}, "--k needs --select"},
		{[]string{"features", p, "--target", "y", "--select", "topk", "--k", "2", "-w", filepath.Join(dir, "none")}, "saves into a workspace"},
		{[]string{"features", filepath.Join(dir, "missing.csv"), "--target", "y"}, "no such file"},
	}
	for _, c := range cases {
		_, errs, code := run(t, c.args...)
		if code == 0 || !strings.Contains(errs, c.want) || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q, want one line with %q", c.args[1:], code, errs, c.want)
		}
	}
}
