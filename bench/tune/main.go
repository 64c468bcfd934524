// Command tune compares mlwb's samplers with Optuna's on the same budgets
// (see README.md):
//
//	go run ./bench/tune                        # Branin, Hartmann-6: 50 trials, seeds 0..9
//	/usr/bin/python3 bench/tune/optuna_side_by_side.py
//
//	go run ../shared/bench/gencsv/main.go -kind cls -rows 20000 > /tmp/cls20k.csv
//	go run ./bench/tune -gbdt /tmp/cls20k.csv  # tune gbdt: validation log loss
//	/usr/bin/python3 bench/tune/optuna_side_by_side.py -gbdt /tmp/cls20k.csv
//
// For gbdt the first 16,000 rows train and the rest validate; the objective
// is the validation log loss of models.New("gbdt", params, 1) fitted with
// n_jobs=1. With -serve FILE the program reads one JSON object of gbdt
// parameters per line on stdin and answers with the objective value, so that
// Optuna's samplers tune the very same objective.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/models"
	"github.com/mlwb/mlwb/engine/tune"
)

// gbdtSpace is the space tuned in the gbdt comparison (the default space
// with fewer trees, to keep 1,000 fits affordable on two cores).
const gbdtSpace = `n_estimators: int 20..200 log
learning_rate: float 0.01..0.3 log
max_depth: int 2..8
min_child_weight: float 0.01..20 log
subsample: float 0.5..1
colsample_bytree: float 0.5..1
reg_lambda: float 0.001..10 log
`

func main() {
	trials := flag.Int("trials", 50, "trials per study")
	seeds := flag.Int("seeds", 10, "studies per sampler (seeds 0..N-1)")
	samplers := flag.String("samplers", "random,tpe,tpe-multivariate,cmaes", "samplers to compare")
	gbdt := flag.String("gbdt", "", "tune gbdt on this cls CSV instead of the test functions")
	serve := flag.String("serve", "", "answer gbdt objective queries on stdin for this CSV")
	flag.Parse()
	var err error
	switch {
	case *serve != "":
		err = serveGBDT(*serve)
	case *gbdt != "":
		var obj tune.Objective
		if obj, err = gbdtObjective(*gbdt); err == nil {
			sp, _ := tune.Parse("gbdt", gbdtSpace)
			err = compare("gbdt", sp, obj, *samplers, *trials, *seeds)
		}
	default:
		b, _ := tune.Parse("branin", "x1: float -5..10\nx2: float 0..15\n")
		h, _ := tune.Parse("hartmann6", "x0: float 0..1\nx1: float 0..1\nx2: float 0..1\nx3: float 0..1\nx4: float 0..1\nx5: float 0..1\n")
		fmt.Printf("mlwb: mean (sd) of the best value over %d seeds, %d trials\n", *seeds, *trials)
		if err = compare("branin", b, braninObj, *samplers, *trials, *seeds); err == nil {
			err = compare("hartmann6", h, hartmannObj, *samplers, *trials, *seeds)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "tune:", err)
		os.Exit(1)
	}
}

func compare(problem string, sp *tune.Space, obj tune.Objective, samplers string, trials, seeds int) error {
	for _, name := range strings.Split(samplers, ",") {
		var best []float64
		t0 := time.Now()
		for seed := range seeds {
			smp, err := newSampler(name)
			if err != nil {
				return err
			}
			st, err := tune.New(tune.Options{Space: sp, Sampler: smp, Seed: uint64(seed)})
			if err != nil {
				return err
			}
			if err := st.Optimize(context.Background(), obj, trials, 1, nil); err != nil {
				return err
			}
			b, ok := st.Best()
			if !ok {
				return fmt.Errorf("%s %s seed %d: no complete trial", problem, name, seed)
			}
			best = append(best, b.Value)
		}
		m, sd := meanSD(best)
		fmt.Printf("%-10s %-17s %10.5f (%.5f)  %v\n", problem, name, m, sd, time.Since(t0).Round(time.Millisecond))
	}
	return nil
}

// newSampler is tune.NewSampler, and "tpe-normalized" and
// "tpe-multivariate-normalized" for TPE with TPEOptions.NormalizedKernels.
func newSampler(name string) (tune.Sampler, error) {
	switch name {
	case "tpe-normalized":
		return tune.NewTPE(tune.TPEOptions{NormalizedKernels: true}), nil
	case "tpe-multivariate-normalized":
		return tune.NewTPE(tune.TPEOptions{Multivariate: true, NormalizedKernels: true}), nil
	}
	return tune.NewSampler(name)
}

func meanSD(x []float64) (float64, float64) {
	var m, s float64
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	if len(x) < 2 {
		return m, 0
	}
	return m, math.Sqrt(s / float64(len(x)-1))
}

func braninObj(_ context.Context, t *tune.Trial) (float64, error) {
	x1, x2 := t.Float("x1"), t.Float("x2")
	b, c, tt := 5.1/(4*math.Pi*math.Pi), 5/math.Pi, 1/(8*math.Pi)
	u := x2 - b*x1*x1 + c*x1 - 6
	return u*u + 10*(1-tt)*math.Cos(x1) + 10, nil
}

func hartmannObj(_ context.Context, t *tune.Trial) (float64, error) {
	alpha := [4]float64{1.0, 1.2, 3.0, 3.2}
	A := [4][6]float64{{10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14}, {3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}}
	P := [4][6]float64{{1312, 1696, 5569, 124, 8283, 5886}, {2329, 4135, 8307, 3736, 1004, 9991},
		{2348, 1451, 3522, 2883, 3047, 6650}, {4047, 8828, 8732, 5743, 1091, 381}}
	var f float64
	for i := range 4 {
		var e float64
		for j := range 6 {
			d := t.Float(fmt.Sprintf("x%d", j)) - P[i][j]*1e-4
			e += A[i][j] * d * d
		}
		f -= alpha[i] * math.Exp(-e)
	}
	return f, nil
}

// gbdtObjective loads the CSV and splits it 16,000 / rest.
func gbdtObjective(path string) (tune.Objective, error) {
	ctx := context.Background()
	f, err := dataio.Load(ctx, path, dataio.Options{})
	if err != nil {
		return nil, err
	}
	tcol, err := f.Column("label")
	if err != nil {
		return nil, err
	}
	var feats []string
	for _, c := range f.Columns() {
		if c.Name() != "label" {
			feats = append(feats, c.Name())
		}
	}
	task, classes, err := models.DetectTask(tcol)
	if err != nil {
		return nil, err
	}
	y, err := models.EncodeTarget(tcol, task, classes)
	if err != nil {
		return nil, err
	}
	X, err := models.FromFrame(f, feats)
	if err != nil {
		return nil, err
	}
	const nTrain = 16000
	if X.Rows <= nTrain {
		return nil, fmt.Errorf("%s has %d rows; want more than %d", path, X.Rows, nTrain)
	}
	// Matrix is stored column by column: take rows by index.
	rows := func(lo, hi int) []int {
		idx := make([]int, hi-lo)
		for i := range idx {
			idx[i] = lo + i
		}
		return idx
	}
	Xtr, Xva := X.TakeRows(rows(0, nTrain)), X.TakeRows(rows(nTrain, X.Rows))
	ytr, yva := y[:nTrain], y[nTrain:]
	return func(ctx context.Context, t *tune.Trial) (float64, error) {
		p := t.Text()
		p["n_jobs"] = "1"
		m, err := models.New("gbdt", p, 1)
		if err != nil {
			return 0, err
		}
		if err := m.Fit(ctx, Xtr, ytr, nil, models.FitOptions{Task: task, Classes: classes}); err != nil {
			return 0, err
		}
		prob := make([]float64, Xva.Rows*len(classes))
		if err := m.PredictProba(Xva, prob); err != nil {
			return 0, err
		}
		var ll float64
		K := len(classes)
		for i, c := range yva {
			ll -= math.Log(math.Max(prob[i*K+int(c)], 1e-15))
		}
		return ll / float64(len(yva)), nil
	}, nil
}

// serveGBDT answers {"n_estimators": 100, ...} lines with the objective.
func serveGBDT(path string) error {
	obj, err := gbdtObjective(path)
	if err != nil {
		return err
	}
	sp, err := tune.Parse("gbdt", gbdtSpace)
	if err != nil {
		return err
	}
	in := bufio.NewScanner(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	for in.Scan() {
		var p tune.Params
		if err := json.Unmarshal(in.Bytes(), &p); err != nil {
			return err
		}
		if err := sp.Check(p); err != nil {
			return err
		}
		st, _ := tune.New(tune.Options{Space: sp, Sampler: fixed(p)})
		var v float64
		err := st.Optimize(context.Background(), func(ctx context.Context, t *tune.Trial) (float64, error) {
			r, err := obj(ctx, t)
			v = r
			return r, err
		}, 1, 1, nil)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%.17g\n", v)
		out.Flush()
	}
	return in.Err()
}

// fixed is a sampler that proposes the given parameters.
type fixed tune.Params

func (f fixed) Sample(*tune.Request) (tune.Params, error) { return tune.Params(f), nil }
