package profilecache

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/engine/demo"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/profile"
	"github.com/mlwb/mlwb/workspace"
)

// sameJSON compares two JSON documents, numbers within a relative 1e-12
// (datetime ranges go through float seconds and back to nanoseconds, which
// may move the last digit).
func sameJSON(t *testing.T, a, b []byte) {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	if p := diff(x, y, "$"); p != "" {
		t.Fatalf("JSON differs at %s", p)
	}
}

func diff(x, y any, path string) string {
	switch x := x.(type) {
	case map[string]any:
		ym, ok := y.(map[string]any)
		if !ok || len(ym) != len(x) {
			return path
		}
		for k, v := range x {
			if p := diff(v, ym[k], path+"."+k); p != "" {
				return p
			}
		}
	case []any:
		ys, ok := y.([]any)
		if !ok || len(ys) != len(x) {
			return path
		}
		for i := range x {
			if p := diff(x[i], ys[i], path+"[]"); p != "" {
				return p
			}
		}
	case float64:
		yf, ok := y.(float64)
		if !ok || math.Abs(x-yf) > 1e-12*math.Max(1, math.Abs(x)) {
			return path
		}
	default:
		if !reflect.DeepEqual(x, y) {
			return path
		}
	}
	return ""
}

func TestDecodeRoundTrip(t *testing.T) {
	f := demo.Customers(1, 500)
	for _, target := range []string{"", "churn"} {
		r, err := profile.Profile(context.Background(), f, profile.Options{Target: target})
		if err != nil {
			t.Fatal(err)
		}
		b, err := r.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		got, err := Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		b2, _ := got.MarshalJSON()
		sameJSON(t, b, b2)
		if len(got.Columns) != f.NumCols() || got.Rows != 500 || len(got.Alerts) != len(r.Alerts) {
			t.Fatalf("decoded %d columns, %d rows, %d alerts", len(got.Columns), got.Rows, len(got.Alerts))
		}
		if (target != "") != (got.Target != nil) {
			t.Fatalf("target %q: decoded target %v", target, got.Target)
		}
	}
}

func TestDecodeBadInput(t *testing.T) {
	// NaN, Inf, an all-missing column, and a one-row table.
	f := frame.MustNew(
		frame.NewFloat64("x", []float64{math.Inf(1)}, frame.Mask{}),
		frame.NewFloat64("na", []float64{0}, frame.MaskFromMissing([]bool{true})),
		frame.NewString("s", []string{""}, frame.MaskFromMissing([]bool{true})),
		frame.NewDatetime("d", []int64{0}, frame.MaskFromMissing([]bool{true})),
		frame.NewBool("b", []bool{true}, frame.Mask{}),
	)
	r, err := profile.Profile(context.Background(), f, profile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := r.MarshalJSON()
	got, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := got.MarshalJSON()
	sameJSON(t, b, b2)
	if s := got.Columns[0].Numeric; s == nil || !math.IsNaN(s.Std) {
		t.Fatalf("std of one Inf should read back as NaN, got %+v", s)
	}

	for _, bad := range []string{``, `{}`, `[1]`, `{"rows": 1, "columns": [{"name": "x", "type": "nope"}]}`,
		`{"rows": 1, "columns": [{"name": "x", "type": "float", "min": "a"}]}`} {
		if _, err := Decode([]byte(bad)); !errors.Is(err, ErrCorrupt) {
			t.Errorf("Decode(%q) = %v, want ErrCorrupt", bad, err)
		}
	}
}

func TestSaveLoad(t *testing.T) {
	ws, err := workspace.Init(t.TempDir(), "t")
	if err != nil {
		t.Fatal(err)
	}
	const hash = "0123456789abcdef0123"
	if _, err := Load(ws, hash, ""); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Load before Save: %v, want not exist", err)
	}
	r, err := profile.Profile(context.Background(), demo.Customers(2, 50), profile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := Save(ws, hash, "", r); err != nil {
		t.Fatal(err)
	}
	if p := Path(ws, hash, ""); filepath.Base(p) != "0123456789ab.json" || filepath.Base(filepath.Dir(p)) != Dir {
		t.Fatalf("path %s", p)
	}
	got, err := Load(ws, hash, "")
	if err != nil || got.Rows != 50 {
		t.Fatalf("Load = %v, %v", got, err)
	}
	if _, err := Load(ws, hash, "churn"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("another target must miss: %v", err)
	}
	if err := os.WriteFile(Path(ws, hash, ""), []byte("{trunc"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(ws, hash, ""); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "0123456789ab.json") {
		t.Fatalf("corrupt file: %v", err)
	}
}

func TestPathTargets(t *testing.T) {
	ws, err := workspace.Init(t.TempDir(), "t")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ target, want string }{
		{"churned", "abc-churned.json"},
		{"a.b-c_d", "abc-a.b-c_d.json"},
	}
	for _, c := range cases {
		if got := filepath.Base(Path(ws, "abc", c.target)); got != c.want {
			t.Errorf("Path(%q) = %s, want %s", c.target, got, c.want)
		}
	}
	// Unsafe names are replaced and disambiguated by a hash.
	a, b := filepath.Base(Path(ws, "abc", "a/b")), filepath.Base(Path(ws, "abc", "a b"))
	if a == b || strings.ContainsAny(a, "/ ") || !strings.HasPrefix(a, "abc-a_b_") {
		t.Errorf("unsafe targets: %s, %s", a, b)
	}
	if got := filepath.Base(Path(ws, "abc", "..")); strings.HasPrefix(got, "abc-..") {
		t.Errorf("dot target: %s", got)
	}
}

func TestStrongestPairs(t *testing.T) {
	nan := math.NaN()
	r := &profile.Report{Correlations: profile.Correlations{
		Pearson: profile.Matrix{Rows: []string{"a", "b", "c"}, Columns: []string{"a", "b", "c"},
			Values: [][]float64{{1, 0.5, -0.9}, {0.5, 1, nan}, {-0.9, nan, 1}}},
		Spearman: profile.Matrix{Rows: []string{"a", "b", "c"}, Columns: []string{"a", "b", "c"},
			Values: [][]float64{{1, 0.7, -0.8}, {0.7, 1, nan}, {-0.8, nan, 1}}},
		CramersV: profile.Matrix{Rows: []string{"x", "y"}, Columns: []string{"x", "y"},
			Values: [][]float64{{1, 0.6}, {0.6, 1}}},
		Eta: profile.Matrix{Rows: []string{"a"}, Columns: []string{"x", "y"}, Values: [][]float64{{0.95, nan}}},
	}}
	got := StrongestPairs(r, 0)
	want := []Pair{
		{"a", "x", "eta", 0.95},
		{"a", "c", "pearson", -0.9},
		{"a", "b", "spearman", 0.7},
		{"x", "y", "cramers_v", 0.6},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
	if got := StrongestPairs(r, 2); len(got) != 2 || got[1].B != "c" {
		t.Fatalf("n=2: %v", got)
	}
}
