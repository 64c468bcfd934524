package tune

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const mixedText = `# a space with every kind of parameter
n_estimators: int 50..500 log
learning_rate: float 1e-3..0.3 log
max_depth: int 2..12 step 2
subsample: float 0.5..1 step 0.1
colsample: float 0.5..1
penalty: cat l2|l1|elasticnet
l1_ratio: float 0..1 if penalty=elasticnet
alpha: float 1e-4..1 log if penalty=l1|elasticnet
fixed: int 3..3
`

func mustParse(t testing.TB, text string) *Space {
	t.Helper()
	s, err := Parse("test", text)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestParseRoundTrip(t *testing.T) {
	s := mustParse(t, mixedText)
	if got := len(s.Params); got != 9 {
		t.Fatalf("%d params, want 9", got)
	}
	want := `n_estimators: int 50..500 log
learning_rate: float 0.001..0.3 log
max_depth: int 2..12 step 2
subsample: float 0.5..1 step 0.1
colsample: float 0.5..1
penalty: cat l2|l1|elasticnet
l1_ratio: float 0..1 if penalty=elasticnet
alpha: float 0.0001..1 log if penalty=l1|elasticnet
fixed: int 3..3
`
	if s.String() != want {
		t.Fatalf("printed:\n%s\nwant:\n%s", s.String(), want)
	}
	s2 := mustParse(t, s.String())
	if !reflect.DeepEqual(s, s2) {
		t.Fatalf("round trip differs:\n%+v\n%+v", s, s2)
	}
	b, err := s.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var s3 Space
	if err := s3.UnmarshalJSON(b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s, &s3) {
		t.Fatalf("JSON round trip differs: %s", b)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"", "tune: test:1: the search space has no parameters"},
		{"# only a comment\n", "tune: test:1: the search space has no parameters"},
		{"x: float 2..1", "tune: test:1:4: parameter \"x\": lower bound 2 is above upper bound 1"},
		{"x: float 0..1 log", "tune: test:1:4: parameter \"x\": a log scale needs a lower bound > 0, got 0"},
		{"x: int -1..5 log", "a log scale needs a lower bound > 0, got -1"},
		{"x: float 0..1\ny: int 1..2\nx: cat a|b", "tune: test:3: parameter \"x\" appears twice in the search space"},
		{"x: float 0..1 if kind=a", "tune: test:1: parameter \"x\" is conditional on unknown parameter \"kind\""},
		{"x: float 0..1 if kind=a\nkind: cat a|b", "tune: test:1: parameter \"x\" is conditional on \"kind\", which must come before it"},
		{"kind: int 1..2\nx: float 0..1 if kind=1", "parameter \"x\" is conditional on \"kind\", which is not categorical"},
		{"kind: cat a|b\nx: float 0..1 if kind=c", "tune: test:2: parameter \"x\": condition value \"c\" is not a choice of \"kind\" (a|b)"},
		{"x: float 0..1 step 0.3", "range 0..1 is not a whole number of steps 0.3"},
		{"x: float 1..10 log step 1", "log scale and step 1 exclude each other"},
		{"x: int 1.5..4", "integer bounds 1.5..4 are not integers"},
		{"x: cat a|b|a", "lists choice \"a\" twice"},
		{"x: cat a||b", "tune: test:1:8: x: empty choice in \"a||b\""},
		{"x float 0..1", "tune: test:1:1: want \"name: int|float|cat ...\""},
		{"x: real 0..1", "tune: test:1:4: x: unknown type \"real\" (want int, float or cat)"},
		{"x: float 0-1", "tune: test:1:10: x: want a range LO..HI, got \"0-1\""},
		{"x: float a..1", "tune: test:1:10: x: lower bound \"a\" is not a number"},
		{"x: float 0..1 lg", "tune: test:1:15: x: unexpected \"lg\" (want log, step S, points N or if PARENT=V)"},
		{"x: float 0..1 step", "step needs a value"},
		{"x: float 0..nan", "upper bound \"nan\" is not a number"},
		{"x:", "want int LO..HI, float LO..HI or cat A|B after the colon"},
	} {
		_, err := Parse("test", tc.text)
		if err == nil {
			t.Errorf("%q: no error, want %q", tc.text, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q:\n got %q\nwant %q", tc.text, err, tc.want)
		}
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%q: %T is not a *ParseError", tc.text, err)
		}
	}
	if err := (&Space{}).Validate(); !errors.Is(err, ErrEmptySpace) {
		t.Errorf("empty space: %v", err)
	}
}

func TestCheckNamesAndParams(t *testing.T) {
	s := mustParse(t, "learning_rte: float 0.01..0.3 log\n")
	err := s.CheckNames("gbdt", []string{"learning_rate", "max_depth"})
	if err == nil || err.Error() != `tune: gbdt has no parameter "learning_rte" (did you mean "learning_rate"?)` {
		t.Fatalf("got %v", err)
	}
	s = mustParse(t, "zzz: float 0..1\n")
	if err := s.CheckNames("ridge", []string{"alpha", "fit_intercept"}); err == nil || err.Error() != `tune: ridge has no parameter "zzz" (it has alpha, fit_intercept)` {
		t.Fatalf("got %v", err)
	}
	m := mustParse(t, mixedText)
	for _, tc := range []struct {
		p    Params
		want string
	}{
		{Params{"n_estimators": {Num: 50}}, `tune: parameter "learning_rate" has no value`},
		{Params{"n_estimators": {Num: 501}}, `tune: parameter "n_estimators" value 501 is outside int 50..500 log`},
	} {
		if err := m.Check(tc.p); err == nil || err.Error() != tc.want {
			t.Errorf("Check(%v) = %v, want %q", tc.p, err, tc.want)
		}
	}
	ok := Params{"n_estimators": {Num: 60}, "learning_rate": {Num: 0.01}, "max_depth": {Num: 4}, "subsample": {Num: 0.7},
		"colsample": {Num: 0.55}, "penalty": {Str: "l2"}, "fixed": {Num: 3}}
	if err := m.Check(ok); err != nil {
		t.Fatal(err)
	}
	ok["l1_ratio"] = Value{Num: 0.5}
	if err := m.Check(ok); err == nil || !strings.Contains(err.Error(), `"l1_ratio" is set but inactive`) {
		t.Fatalf("inactive: %v", err)
	}
	delete(ok, "l1_ratio")
	ok["bogus"] = Value{Num: 1}
	if err := m.Check(ok); err == nil || err.Error() != `tune: unknown parameter "bogus"` {
		t.Fatalf("unknown: %v", err)
	}
}

// TestSamplersStayInBounds runs every sampler for 60 trials on the mixed
// space: Optimize checks each sample against the space (a bad one stops the
// study with an error), and the conditional parameters appear exactly when
// their parent allows.
func TestSamplersStayInBounds(t *testing.T) {
	sp := mustParse(t, mixedText)
	obj := func(_ context.Context, tr *Trial) (float64, error) {
		v := math.Log(tr.Float("n_estimators")) + 10*math.Abs(math.Log10(tr.Float("learning_rate"))+1.5) + tr.Float("max_depth")/3 + tr.Float("subsample")
		if tr.Cat("penalty") == "elasticnet" {
			v -= tr.Float("l1_ratio")
		}
		return v, nil
	}
	for _, name := range []string{"random", "tpe", "tpe-multivariate", "cmaes", "grid-like"} {
		t.Run(name, func(t *testing.T) {
			var smp Sampler
			space := sp
			if name == "grid-like" {
				smp = NewGrid()
				space = mustParse(t, "n: int 1..5\nk: cat a|b\nx: float 0..1 points 3 if k=b\n")
			} else {
				smp, _ = NewSampler(name)
			}
			st, err := New(Options{Space: space, Sampler: smp, Seed: 7})
			if err != nil {
				t.Fatal(err)
			}
			if err := st.Optimize(context.Background(), obj, 60, 2, nil); err != nil {
				t.Fatal(err)
			}
			trials := st.Trials()
			if name == "grid-like" {
				if len(trials) != 20 { // 5 × (1 + 3)
					t.Fatalf("grid ran %d trials, want 20", len(trials))
				}
			} else if len(trials) != 60 {
				t.Fatalf("%d trials", len(trials))
			}
			for _, r := range trials {
				if err := space.Check(r.Params); err != nil {
					t.Fatalf("trial %d: %v", r.Number, err)
				}
			}
		})
	}
}

func TestGrid(t *testing.T) {
	sp := mustParse(t, "a: cat x|y\nb: float 1..100 log points 3\nc: int 0..10 step 5 if a=y\n")
	pts, err := GridPoints(sp)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 3+3*3 {
		t.Fatalf("%d points, want 12", len(pts))
	}
	var bs []float64
	for _, p := range pts[:3] {
		bs = append(bs, p["b"].Num)
	}
	if !reflect.DeepEqual(bs, []float64{1, 10.000000000000002, 100}) { // exp(log(1) + ½·log(100)) in float64
		t.Fatalf("log points %v", bs)
	}
	st, _ := New(Options{Space: sp, Sampler: NewGrid(), Seed: 1})
	if err := st.Optimize(context.Background(), func(context.Context, *Trial) (float64, error) { return 1, nil }, 50, 1, nil); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range st.Trials() {
		k := gridKey(sp, r.Params)
		if seen[k] {
			t.Fatalf("point %q tried twice", k)
		}
		seen[k] = true
	}
	if len(seen) != 12 {
		t.Fatalf("%d points tried, want 12 then stop", len(seen))
	}
	_, err = GridPoints(mustParse(t, "x: float 0..1\n"))
	if err == nil || err.Error() != `tune: grid: float parameter "x" needs a step S or points N` {
		t.Fatalf("got %v", err)
	}
	st, _ = New(Options{Space: mustParse(t, "x: float 0..1\n"), Sampler: NewGrid()})
	if err := st.Optimize(context.Background(), func(context.Context, *Trial) (float64, error) { return 1, nil }, 5, 1, nil); err == nil {
		t.Fatal("grid over a continuous float ran")
	}
}

// TestReproducible: one job and a seed give the same trials bit for bit;
// another seed gives others.
func TestReproducible(t *testing.T) {
	sp := mustParse(t, mixedText)
	run := func(sampler string, seed uint64) []TrialResult {
		smp, _ := NewSampler(sampler)
		st, _ := New(Options{Space: sp, Sampler: smp, Seed: seed, Pruner: NewMedian(MedianOptions{})})
		obj := func(_ context.Context, tr *Trial) (float64, error) {
			v := math.Abs(math.Log10(tr.Float("learning_rate"))+1.5) + tr.Float("subsample")
			for s := range 3 {
				if tr.Report(s, v+float64(3-s)) {
					return 0, ErrPruned
				}
			}
			return v + float64(tr.Seed()%7), nil
		}
		if err := st.Optimize(context.Background(), obj, 30, 1, nil); err != nil {
			t.Fatal(err)
		}
		return st.Trials()
	}
	for _, name := range []string{"tpe", "tpe-multivariate", "cmaes", "random"} {
		a, b, c := run(name, 42), run(name, 42), run(name, 43)
		for i := range a {
			if !sameParams(a[i].Params, b[i].Params) || a[i].State != b[i].State || math.Float64bits(a[i].Value) != math.Float64bits(b[i].Value) {
				t.Fatalf("%s: trial %d differs between runs: %v %v", name, i, a[i].Params, b[i].Params)
			}
		}
		if sameParams(a[20].Params, c[20].Params) {
			t.Fatalf("%s: seeds 42 and 43 gave the same trial 20", name)
		}
	}
}

func sameParams(a, b Params) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || v.Str != w.Str || math.Float64bits(v.Num) != math.Float64bits(w.Num) {
			return false
		}
	}
	return true
}

// TestFailingTrials: errors, panics and NaN fail their trial with the text
// and the study goes on.
func TestFailingTrials(t *testing.T) {
	st, _ := New(Options{Space: mustParse(t, "x: float 0..1\n"), Seed: 3})
	var calls atomic.Int32
	obj := func(_ context.Context, tr *Trial) (float64, error) {
		calls.Add(1)
		switch tr.Number % 4 {
		case 1:
			return 0, fmt.Errorf("models: gbdt: matrix has 0 rows")
		case 2:
			var m map[string]int
			m["boom"]++ // panics
		case 3:
			return math.NaN(), nil
		}
		return tr.Float("x"), nil
	}
	var seen int
	if err := st.Optimize(context.Background(), obj, 12, 3, func(TrialResult) { seen++ }); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 12 || seen != 12 {
		t.Fatalf("calls %d, callbacks %d, want 12", calls.Load(), seen)
	}
	for _, r := range st.Trials() {
		want := map[int]string{0: "", 1: "models: gbdt: matrix has 0 rows", 2: "panic: assignment to entry in nil map", 3: "objective returned NaN"}[r.Number%4]
		if want == "" {
			if r.State != Complete {
				t.Fatalf("trial %d: %v %q", r.Number, r.State, r.Err)
			}
			continue
		}
		if r.State != Failed || !strings.HasPrefix(r.Err, want) {
			t.Fatalf("trial %d: %v %q, want failed %q", r.Number, r.State, r.Err, want)
		}
	}
	if b, ok := st.Best(); !ok || b.Number%4 != 0 {
		t.Fatalf("best %+v", b)
	}
}

// TestCancel: cancelling the study fails the running trials as cancelled
// and starts no more; CancelTrial fails one trial and the study goes on.
func TestCancel(t *testing.T) {
	st, _ := New(Options{Space: mustParse(t, "x: float 0..1\n")})
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan int, 100)
	obj := func(ctx context.Context, tr *Trial) (float64, error) {
		started <- tr.Number
		if tr.Number == 1 {
			<-ctx.Done()
			return 0, ctx.Err()
		}
		if tr.Number == 3 {
			cancel()
			<-ctx.Done()
			return 0, ctx.Err()
		}
		return 1, nil
	}
	go func() {
		<-started
		n := <-started
		for !st.CancelTrial(n) {
			time.Sleep(time.Millisecond)
		}
	}()
	err := st.Optimize(ctx, obj, 100, 1, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Optimize = %v", err)
	}
	tr := st.Trials()
	if len(tr) != 4 || tr[1].State != Failed || tr[1].Err != "cancelled" || tr[2].State != Complete || tr[3].Err != "cancelled" {
		t.Fatalf("trials %+v", tr)
	}
}

func TestMedianPruner(t *testing.T) {
	complete := func(n int, vals ...float64) TrialResult {
		r := TrialResult{Number: n, State: Complete, Value: vals[len(vals)-1]}
		for i, v := range vals {
			r.Intermediate = append(r.Intermediate, Step{i, v})
		}
		return r
	}
	var hist []TrialResult
	for i, v := range []float64{1, 2, 3, 4, 5} { // medians: step 0 → 3, step 1 → 2
		hist = append(hist, complete(i, v, v-1))
	}
	m := NewMedian(MedianOptions{})
	for _, tc := range []struct {
		dir   Direction
		n     int // complete trials
		steps []float64
		want  bool
	}{
		{Minimize, 5, []float64{3.5}, true},      // 3.5 > median 3
		{Minimize, 5, []float64{3}, false},       // ties are kept
		{Minimize, 5, []float64{2.9}, false},     //
		{Minimize, 4, []float64{9}, false},       // 4 < 5 start-up trials
		{Minimize, 5, []float64{2.5, 2.2}, true}, // best 2.2 > median 2 at step 1
		{Minimize, 5, []float64{1.5, 2.2}, false},
		{Maximize, 5, []float64{2.5}, true}, // 2.5 < 3
		{Maximize, 5, []float64{3.1}, false},
		{Minimize, 5, []float64{math.NaN()}, true},
		{Minimize, 5, []float64{1, 1, 99}, false}, // no complete trial reported step 2
	} {
		r := TrialResult{Number: 99, State: Running}
		for i, v := range tc.steps {
			r.Intermediate = append(r.Intermediate, Step{i, v})
		}
		all := append(append([]TrialResult(nil), hist[:tc.n]...), r)
		if got := m.Prune(tc.dir, &all[len(all)-1], all); got != tc.want {
			t.Errorf("%v %d complete, steps %v: prune %v, want %v", tc.dir, tc.n, tc.steps, got, tc.want)
		}
	}
}

func TestASHAPruner(t *testing.T) {
	a := NewASHA(ASHAOptions{MinResource: 1}) // rungs at steps 1, 4, 16
	mk := func(n int, state State, steps map[int]float64) TrialResult {
		r := TrialResult{Number: n, State: state}
		for s := range 20 {
			if v, ok := steps[s]; ok {
				r.Intermediate = append(r.Intermediate, Step{s, v})
			}
		}
		return r
	}
	for _, tc := range []struct {
		name   string
		others []TrialResult
		me     map[int]float64
		dir    Direction
		want   bool
	}{
		{"alone at rung 0", nil, map[int]float64{0: 9, 1: 9}, Minimize, false},
		{"step 0 is below rung 0", nil, map[int]float64{0: 9}, Minimize, false},
		// 4 values at rung 0 (step 1): promotable index 4/4−1 = 0, so only the best goes on.
		{"not the best of 4", []TrialResult{mk(0, Complete, map[int]float64{1: .5}), mk(1, Running, map[int]float64{1: .6}), mk(2, Pruned, map[int]float64{1: .7})},
			map[int]float64{1: .55}, Minimize, true},
		{"the best of 4", []TrialResult{mk(0, Complete, map[int]float64{1: .5}), mk(1, Running, map[int]float64{1: .6}), mk(2, Pruned, map[int]float64{1: .7})},
			map[int]float64{1: .4}, Minimize, false},
		{"the best of 4, maximize", []TrialResult{mk(0, Complete, map[int]float64{1: .5}), mk(1, Running, map[int]float64{1: .6}), mk(2, Pruned, map[int]float64{1: .7})},
			map[int]float64{1: .55}, Maximize, true},
		// 8 values: index 1, the second best is kept.
		{"second of 8", []TrialResult{mk(0, Complete, map[int]float64{1: 1}), mk(1, Complete, map[int]float64{1: 2}), mk(2, Complete, map[int]float64{1: 3}),
			mk(3, Complete, map[int]float64{1: 4}), mk(4, Complete, map[int]float64{1: 5}), mk(5, Complete, map[int]float64{1: 6}), mk(6, Complete, map[int]float64{1: 7})},
			map[int]float64{1: 1.5}, Minimize, false},
		{"third of 8", []TrialResult{mk(0, Complete, map[int]float64{1: 1}), mk(1, Complete, map[int]float64{1: 2}), mk(2, Complete, map[int]float64{1: 3}),
			mk(3, Complete, map[int]float64{1: 4}), mk(4, Complete, map[int]float64{1: 5}), mk(5, Complete, map[int]float64{1: 6}), mk(6, Complete, map[int]float64{1: 7})},
			map[int]float64{1: 2.5}, Minimize, true},
		// Between rungs nothing is decided: at step 3 the rung-0 check was at step 1.
		{"between rungs", []TrialResult{mk(0, Complete, map[int]float64{1: 0, 3: 0})}, map[int]float64{1: 0, 3: 99}, Minimize, false},
		// At step 4 (rung 1) it competes with trial 0's step-4 value.
		{"rung 1", []TrialResult{mk(0, Complete, map[int]float64{1: 0, 4: 0.1})}, map[int]float64{1: 0, 4: 0.2}, Minimize, true},
		{"NaN at a rung", nil, map[int]float64{1: math.NaN()}, Minimize, true},
	} {
		me := mk(99, Running, tc.me)
		all := append(append([]TrialResult(nil), tc.others...), me)
		if got := a.Prune(tc.dir, &all[len(all)-1], all); got != tc.want {
			t.Errorf("%s: prune %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestASHAAutoMinResource: by default (Optuna's min_resource "auto") ASHA
// prunes nothing before a trial completes, then puts rung 0 at 1% of the
// longest complete trial's last step: 250 steps (last step 249) give
// rungs at 2, 8, 32.
func TestASHAAutoMinResource(t *testing.T) {
	a := NewASHA(ASHAOptions{})
	curve := func(n int, state State, steps int, v float64) TrialResult {
		r := TrialResult{Number: n, State: state}
		for s := range steps {
			r.Intermediate = append(r.Intermediate, Step{s, v})
		}
		return r
	}
	// Trial 1 is far worse than trial 0 at every step, but no trial is
	// complete: not pruned.
	trials := []TrialResult{curve(0, Running, 50, 0.1), curve(1, Running, 2, 0.9)}
	if a.Prune(Minimize, &trials[1], trials) {
		t.Fatal("pruned before any trial completed")
	}
	trials[0] = curve(0, Complete, 250, 0.1)
	// The rungs: a trial worse than trial 0 is pruned when it reaches step
	// 2 (rung 0), not at step 1.
	for _, tc := range []struct {
		last int
		want bool
	}{{1, false}, {2, true}} {
		trials[1] = curve(1, Running, tc.last+1, 0.9)
		if got := a.Prune(Minimize, &trials[1], trials); got != tc.want {
			t.Errorf("worse trial at step %d: prune %v, want %v", tc.last, got, tc.want)
		}
	}
	// A better trial goes on at rungs 0 and 1 (steps 2 and 8) and is
	// judged at step 32 against trial 0's value there.
	better := TrialResult{Number: 2, State: Running}
	for s := range 40 {
		better.Intermediate = append(better.Intermediate, Step{s, 0.05})
		all := []TrialResult{trials[0], better}
		if a.Prune(Minimize, &all[1], all) {
			t.Fatalf("better trial pruned at step %d", s)
		}
	}
	worseLate := TrialResult{Number: 3, State: Running}
	for s := range 33 {
		v := 0.05
		if s >= 32 {
			v = 0.5
		}
		worseLate.Intermediate = append(worseLate.Intermediate, Step{s, v})
		all := []TrialResult{trials[0], worseLate}
		if got := a.Prune(Minimize, &all[1], all); got != (s == 32) {
			t.Fatalf("trial worse from step 32: prune %v at step %d", got, s)
		}
	}
}

// TestPruningInStudy: with ASHA, a study of a learning curve prunes the
// trials whose curves are poor and records them as Pruned with their last
// value.
func TestPruningInStudy(t *testing.T) {
	st, _ := New(Options{Space: mustParse(t, "x: float 0..1\n"), Pruner: NewASHA(ASHAOptions{}), Seed: 5})
	obj := func(_ context.Context, tr *Trial) (float64, error) {
		var v float64
		for s := range 20 {
			v = tr.Float("x") + 1/float64(s+1)
			if tr.Report(s, v) {
				return 0, ErrPruned
			}
		}
		return v, nil
	}
	if err := st.Optimize(context.Background(), obj, 30, 1, nil); err != nil {
		t.Fatal(err)
	}
	var pruned, complete int
	for _, r := range st.Trials() {
		switch r.State {
		case Pruned:
			pruned++
			last, _ := r.Last()
			if r.Value != last.Value || last.Step >= 19 {
				t.Fatalf("pruned trial %d: value %v last %+v", r.Number, r.Value, last)
			}
		case Complete:
			complete++
		}
	}
	if pruned < 10 || complete < 2 {
		t.Fatalf("%d pruned, %d complete", pruned, complete)
	}
}

// TestResumeAfterCrash: a study killed with a trial running and a torn last
// line reopens with that trial failed, the torn line gone, and numbering
// going on; the log then reads back to the same trials.
func TestResumeAfterCrash(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s1")
	sp := mustParse(t, "x: float 0..1\nk: cat a|b\n")
	st, err := Open(dir, Options{Space: sp, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	obj := func(_ context.Context, tr *Trial) (float64, error) {
		tr.Report(0, tr.Float("x")*2)
		return tr.Float("x"), nil
	}
	if err := st.Optimize(context.Background(), obj, 5, 1, nil); err != nil {
		t.Fatal(err)
	}
	before := st.Trials()
	st.Close()
	// The crash: trial 5 started and reported, then the process died in the
	// middle of writing a line.
	f, _ := os.OpenFile(filepath.Join(dir, LogFile), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"ev":"start","n":5,"at":"2025-01-01T00:00:00Z","params":{"x":0.5,"k":"a"}}` + "\n")
	f.WriteString(`{"ev":"step","n":5,"step":0,"v":1}` + "\n")
	f.WriteString(`{"ev":"step","n":5,"st`)
	f.Close()

	st, err = Open(dir, Options{Space: sp, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	tr := st.Trials()
	if len(tr) != 6 || tr[5].State != Failed || tr[5].Err != "interrupted" || len(tr[5].Intermediate) != 1 {
		t.Fatalf("after reopen: %+v", tr[len(tr)-1])
	}
	for i := range before {
		if !sameParams(before[i].Params, tr[i].Params) || before[i].Value != tr[i].Value || tr[i].State != Complete {
			t.Fatalf("trial %d changed over the log: %+v vs %+v", i, before[i], tr[i])
		}
	}
	if err := st.Optimize(context.Background(), obj, 2, 1, nil); err != nil {
		t.Fatal(err)
	}
	tr = st.Trials()
	if len(tr) != 8 || tr[6].Number != 6 || tr[7].State != Complete {
		t.Fatalf("after resume: %d trials", len(tr))
	}
	st.Close()
	b, _ := os.ReadFile(filepath.Join(dir, LogFile))
	if !strings.HasSuffix(string(b), "\n") || strings.Contains(string(b), `"st{`) || strings.Count(string(b), `"ev":"end","n":5,"state":"failed","err":"interrupted"`) != 1 {
		t.Fatalf("log:\n%s", b)
	}
	st, err = Open(dir, Options{Space: sp})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if got := st.Trials(); len(got) != 8 || got[5].Err != "interrupted" {
		t.Fatalf("third open: %d trials", len(got))
	}
}

func TestLogErrors(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, LogFile), []byte(`{"ev":"start","n":0,"params":{}}`+"\n"+`{"ev":"end","n":3,"state":"complete"}`+"\n"), 0o644)
	_, err := Open(dir, Options{Space: mustParse(t, "x: float 0..1\n")})
	if err == nil || !strings.Contains(err.Error(), "trials.jsonl line 2: trial 3: end event before its start") {
		t.Fatalf("got %v", err)
	}
	// The failed Open released the lock.
	st, err := Open(t.TempDir(), Options{Space: mustParse(t, "x: float 0..1\n")})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	os.WriteFile(filepath.Join(dir, LogFile), []byte("garbage\n"), 0o644)
	if _, err := Open(dir, Options{Space: mustParse(t, "x: float 0..1\n")}); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Fatalf("got %v", err)
	}
}

// TestLockHelperProcess is the other process of TestStudyLock: it opens
// the study named by TUNE_LOCK_HELPER, says so, and waits for stdin to close.
func TestLockHelperProcess(t *testing.T) {
	dir := os.Getenv("TUNE_LOCK_HELPER")
	if dir == "" {
		t.Skip("helper process only")
	}
	st, err := Open(dir, Options{Space: mustParse(t, "x: float 0..1\n")})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("locked")
	b := make([]byte, 1)
	os.Stdin.Read(b)
	st.Close()
	os.Exit(0)
}

func TestStudyLock(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "churn-gbdt")
	sp := mustParse(t, "x: float 0..1\n")
	// In one process, a second Open is refused too.
	st, err := Open(dir, Options{Space: sp})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(dir, Options{Space: sp})
	var iu *InUseError
	if !errors.As(err, &iu) || iu.PID != os.Getpid() || !errors.Is(err, ErrInUse) {
		t.Fatalf("second Open in the process: %v", err)
	}
	st.Close()

	h := startHelper(t, dir)
	_, err = Open(dir, Options{Space: sp})
	if !errors.As(err, &iu) || iu.PID != h.pid {
		t.Fatalf("Open while pid %d holds the study: %v", h.pid, err)
	}
	want := fmt.Sprintf(`tune: study "churn-gbdt" is in use by pid %d since `, h.pid)
	if !strings.HasPrefix(err.Error(), want) || time.Since(iu.Since) > time.Minute {
		t.Fatalf("message %q", err)
	}
	h.stop()
	st, err = Open(dir, Options{Space: sp})
	if err != nil {
		t.Fatalf("after the holder exited: %v", err)
	}
	st.Close()
}

func TestConfig(t *testing.T) {
	dir := t.TempDir()
	c := Config{Direction: Maximize, Space: mustParse(t, mixedText), Sampler: "tpe", Pruner: "asha", Seed: 1<<63 + 5, Extra: map[string]string{"model": "gbdt"}}
	if err := SaveConfig(dir, c); err != nil {
		t.Fatal(err)
	}
	got, err := LoadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, c) {
		t.Fatalf("got %+v", got)
	}
	b, _ := os.ReadFile(filepath.Join(dir, ConfigFile))
	if !strings.Contains(string(b), `"learning_rate: float 0.001..0.3 log"`) {
		t.Fatalf("study file:\n%s", b)
	}
	os.WriteFile(filepath.Join(dir, ConfigFile), []byte(strings.Replace(string(b), "0.001..0.3", "0.3..0.001", 1)), 0o644)
	if _, err := LoadConfig(dir); err == nil || !strings.Contains(err.Error(), "study.json space:2:") || !strings.Contains(err.Error(), "lower bound 0.3 is above upper bound 0.001") {
		t.Fatalf("got %v", err)
	}
	c.Sampler = "tpee"
	if err := SaveConfig(dir, c); err == nil || !strings.Contains(err.Error(), `unknown sampler "tpee"`) {
		t.Fatalf("got %v", err)
	}
}

// TestTPEBeatsRandom: on Branin and Hartmann-6, TPE's best after 50 trials,
// averaged over seeds 0..9, beats random search's; on Hartmann-6,
// multivariate TPE's matches Optuna 3.1's. Measured (one job; Optuna 3.1.0
// from bench/tune/optuna_side_by_side.py, seeds 0..9):
//
//	branin     random 1.55539   tpe 0.74048   (Optuna 3.1: 1.45682 / 0.61888)
//	hartmann6  random −1.74927  tpe −2.53169  tpe-multivariate −3.03708
//	           (Optuna 3.1: random −1.52851, tpe −2.59546, tpe-multivariate −2.95042)
//
// Ten seeds are too few to rank the univariate TPEs (over 200 seeds mlwb's
// finds −2.613 on Hartmann-6 and 0.675 on Branin, Optuna's over 100 seeds
// −2.621 and 0.648: bench/tune/README.md). The margins asserted over
// random are about half the measured gaps.
func TestTPEBeatsRandom(t *testing.T) {
	if testing.Short() {
		t.Skip("50 trials × 10 seeds × 5 runs")
	}
	for _, tc := range []struct {
		name   string
		sp     *Space
		obj    Objective
		margin float64
	}{
		{"branin", braninSpace(t), braninObj, 0.4},
		{"hartmann6", hartmannSpace(t), hartmannObj, 0.4},
	} {
		var rnd, tpe, mv float64
		for seed := range uint64(10) {
			rnd += bestOf(t, tc.sp, Random{}, tc.obj, 50, seed) / 10
			tpe += bestOf(t, tc.sp, NewTPE(TPEOptions{}), tc.obj, 50, seed) / 10
			if tc.name == "hartmann6" {
				mv += bestOf(t, tc.sp, NewTPE(TPEOptions{Multivariate: true}), tc.obj, 50, seed) / 10
			}
		}
		t.Logf("%s: random %.5f, tpe %.5f, tpe-multivariate %.5f", tc.name, rnd, tpe, mv)
		if !(tpe < rnd-tc.margin) {
			t.Errorf("%s: TPE mean best %.5f is not below random's %.5f by %v", tc.name, tpe, rnd, tc.margin)
		}
		if tc.name == "hartmann6" && !(mv <= -2.95042) {
			t.Errorf("hartmann6: multivariate TPE mean best %.5f is above Optuna 3.1's −2.95042", mv)
		}
	}
}
