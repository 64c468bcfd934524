package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/internal/profilecache"
	"github.com/mlwb/mlwb/workspace"
)

// profileJSON is the part of the documented JSON the tests check.
type profileJSON struct {
	Rows    int `json:"rows"`
	Columns []struct {
		Name      string   `json:"name"`
		Type      string   `json:"type"`
		Count     int      `json:"count"`
		Missing   int      `json:"missing"`
		Distinct  int      `json:"distinct"`
		Mean      *float64 `json:"mean"`
		Std       *float64 `json:"std"`
		Histogram *struct {
			Edges  []float64 `json:"edges"`
			Counts []int     `json:"counts"`
		} `json:"histogram"`
		Top []struct {
			Value string `json:"value"`
			Count int    `json:"count"`
		} `json:"top"`
	} `json:"columns"`
	Correlations struct {
		Pearson struct {
			Columns []string     `json:"columns"`
			Matrix  [][]*float64 `json:"matrix"`
		} `json:"pearson"`
		Spearman struct {
			Columns []string `json:"columns"`
		} `json:"spearman"`
	} `json:"correlations"`
	Target *struct {
		Name string `json:"name"`
	} `json:"target"`
	Alerts []struct {
		Column string `json:"column"`
		Kind   string `json:"kind"`
		Detail string `json:"detail"`
	} `json:"alerts"`
}

func profileOf(t *testing.T, args ...string) profileJSON {
	t.Helper()
	out, errs, code := run(t, append([]string{"profile", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("profile %v: exit %d: %s", args, code, errs)
	}
	if errs != "" {
		t.Errorf("--json must keep stderr quiet, got %q", errs)
	}
	if strings.Count(out, "\n") != 1 || strings.Contains(out, "NaN") || strings.Contains(out, "Inf") {
		t.Fatalf("want one JSON line without NaN/Inf, got %.300q", out)
	}
	var p profileJSON
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("bad JSON: %v", err)
	}
	return p
}

func hasAlert(p profileJSON, col, kind string) bool {
	for _, a := range p.Alerts {
		if a.Column == col && a.Kind == kind {
			return true
		}
	}
	return false
}

func TestProfileFileBadValues(t *testing.T) {
	dir := t.TempDir()
	// x holds Inf and NaN, e is empty (all missing), c is text.
	f := writeFile(t, dir, "bad.csv", "x,e,c\n1,,a\ninf,,b\nnan,,a\n4,,a\n")
	p := profileOf(t, f)
	if p.Rows != 4 || len(p.Columns) != 3 {
		t.Fatalf("rows %d, columns %d", p.Rows, len(p.Columns))
	}
	x := p.Columns[0]
	if x.Name != "x" || x.Count != 3 || x.Missing != 1 || x.Mean != nil {
		t.Errorf("x = %+v: want 3 values, 1 missing, mean null (pandas: inf)", x)
	}
	if x.Histogram == nil || len(x.Histogram.Counts) == 0 {
		t.Errorf("x needs a histogram of its finite values")
	}
	if !hasAlert(p, "e", "EMPTY") || !hasAlert(p, "x", "INFINITE") {
		t.Errorf("want EMPTY on e and INFINITE on x, got %+v", p.Alerts)
	}
	if c := p.Columns[2]; len(c.Top) == 0 || c.Top[0].Value != "a" || c.Top[0].Count != 3 {
		t.Errorf("top of c = %+v", c.Top)
	}

	one := profileOf(t, writeFile(t, dir, "one.csv", "a,b\n1,x\n"))
	if one.Rows != 1 || one.Columns[0].Std != nil {
		t.Errorf("one row: %+v", one.Columns[0])
	}
	empty := profileOf(t, writeFile(t, dir, "header.csv", "a,b\n"))
	if empty.Rows != 0 || !hasAlert(empty, "", "EMPTY") {
		t.Errorf("no rows: %+v", empty)
	}
}

func TestProfileWideTable(t *testing.T) {
	const cols = 10000
	var b strings.Builder
	for j := range cols {
		if j > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "c%d", j)
	}
	b.WriteByte('\n')
	for i := range 3 {
		for j := range cols {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "%d", (i+1)*(j%7))
		}
		b.WriteByte('\n')
	}
	p := profileOf(t, writeFile(t, t.TempDir(), "wide.csv", b.String()))
	if len(p.Columns) != cols {
		t.Fatalf("%d columns", len(p.Columns))
	}
	if n := len(p.Correlations.Pearson.Columns); n != 200 || len(p.Correlations.Pearson.Matrix) != 200 {
		t.Errorf("pearson over %d columns, want the cap of 200", n)
	}
}

func TestProfileWorkspaceCache(t *testing.T) {
	dir := t.TempDir()
	ws, err := workspace.Init(filepath.Join(dir, "ws"), "t")
	if err != nil {
		t.Fatal(err)
	}
	card := ws.Card()
	card.Target = "y"
	if err := ws.SaveCard(card); err != nil {
		t.Fatal(err)
	}
	src := writeFile(t, dir, "d.csv", "a,b,y\n1,u,0\n2,v,1\n3,u,0\n4,v,1\n5,u,1\n")
	if _, _, code := run(t, "import", src, "-w", ws.Dir()); code != 0 {
		t.Fatal("import failed")
	}
	p := profileOf(t, "d", "-w", ws.Dir())
	if p.Target == nil || p.Target.Name != "y" {
		t.Fatalf("the card's target must be used, got %+v", p.Target)
	}
	d, err := ws.Dataset("d")
	if err != nil {
		t.Fatal(err)
	}
	cache := profilecache.Path(ws, d.Hash, "y")
	if _, err := os.Stat(cache); err != nil {
		t.Fatalf("no cache file: %v", err)
	}
	// The cache is read back: mark it and see the mark.
	r, err := profilecache.Load(ws, d.Hash, "y")
	if err != nil {
		t.Fatal(err)
	}
	r.Duplicates = 777
	if err := profilecache.Save(ws, d.Hash, "y", r); err != nil {
		t.Fatal(err)
	}
	out, _, code := run(t, "profile", "d@1", "-w", ws.Dir())
	if code != 0 || !strings.Contains(out, "777 duplicate rows") || !strings.Contains(out, "cached profile") {
		t.Fatalf("second run must use the cache:\n%s", out)
	}
	out, _, _ = run(t, "profile", "d", "-w", ws.Dir(), "--refresh")
	if !strings.Contains(out, "0 duplicate rows") || strings.Contains(out, "cached") {
		t.Fatalf("--refresh must recompute:\n%s", out)
	}
	// Another target is another cache entry; no target with --target "" is
	// impossible, so use a real column.
	if p := profileOf(t, "d", "-w", ws.Dir(), "--target", "b"); p.Target.Name != "b" {
		t.Fatalf("target b: %+v", p.Target)
	}
	if _, err := os.Stat(profilecache.Path(ws, d.Hash, "b")); err != nil {
		t.Fatalf("no cache for target b: %v", err)
	}

	// A corrupt cache is recomputed with a warning.
	if err := os.WriteFile(cache, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code := run(t, "profile", "d", "-w", ws.Dir())
	if code != 0 || !strings.Contains(errs, "warning") || !strings.Contains(out, "target y") {
		t.Fatalf("corrupt cache: exit %d, %q\n%s", code, errs, out)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"profile", "nope", "-w", ws.Dir()}, `dataset "nope" not found`},
		{[]string{"profile", "d@9", "-w", ws.Dir()}, "not 9"},
		{[]string{"profile", "d@0", "-w", ws.Dir()}, "not a positive number"},
		{[]string{"profile", "d", "-w", ws.Dir(), "--target", "zz"}, `no column "zz"`},
		{[]string{"profile", src, "--target", "zz"}, `"zz"`},
		{[]string{"profile", dir}, "is a folder"},
	} {
		_, errs, code := run(t, tc.args...)
		if code != 1 || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want one line with %q", tc.args[1:], code, errs, tc.want)
		}
	}
}

func TestProfileText(t *testing.T) {
	dir := t.TempDir()
	f := writeFile(t, dir, "t.csv", "n,m,c\n1,2,x\n2,4,y\n3,6,x\n4,8.5,x\n,1,\n")
	out, errs, code := run(t, "profile", f, "--target", "c")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"5 rows × 3 columns", "target c", "column", "MISSING", "Strongest correlations", "n  ", "spearman", "x (3)", "Association with the target c"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
}

func TestProfileSharedData(t *testing.T) {
	for _, name := range []string{"california_housing.csv", "adult.csv"} {
		p := filepath.Join("..", "..", "shared", "data", name)
		if _, err := os.Stat(p); err != nil {
			t.Skipf("%s absent", p)
		}
		got := profileOf(t, p)
		if got.Rows < 20000 || len(got.Columns) < 9 || len(got.Correlations.Pearson.Columns) < 6 {
			t.Errorf("%s: %d rows, %d columns, pearson over %d", name, got.Rows, len(got.Columns), len(got.Correlations.Pearson.Columns))
		}
	}
}
