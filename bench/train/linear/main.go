// Command linear benchmarks mlwb's non-tree learners against scikit-learn on
// the same split of the same file, run side by side with linear.py:
//
//	go run ../shared/bench/gencsv/main.go -kind cls -rows 200000 > /tmp/cls.csv
//	go run ./bench/train/linear -data /tmp/cls.csv -target label -train 160000
//	/usr/bin/python3 bench/train/linear.py /tmp/cls.csv label 160000
//
// The first -train rows are the training set and the rest the test set.
// Features are standardised with the training means and (population)
// standard deviations, as scikit-learn's StandardScaler, before every model
// ("scaled" lbfgs). For each model it prints the best fit wall time of -reps
// fits and the test score: ROC AUC (engine/metrics) for logreg and nb, and
// for knn (fitted on the first -knn-train rows, scored on the first
// -knn-test test rows, prediction time reported since k-NN's fit is a copy);
// for kmeans (8 clusters on the training features) the inertia. With a
// numeric target (gencsv -kind reg, target y) it fits linear, ridge (alpha 1),
// lasso (alpha 0.01) and enet (alpha 0.01, l1_ratio 0.5) and prints the test
// R²:
//
//	go run ../shared/bench/gencsv/main.go -kind reg -rows 200000 > /tmp/reg.csv
//	go run ./bench/train/linear -data /tmp/reg.csv -target y
//	/usr/bin/python3 bench/train/linear.py /tmp/reg.csv y 160000
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/metrics"
	"github.com/mlwb/mlwb/engine/models"
)

func main() {
	data := flag.String("data", "/tmp/cls.csv", "CSV file")
	target := flag.String("target", "label", "binary target column")
	nTrain := flag.Int("train", 160000, "first rows used for training (the rest is the test set)")
	which := flag.String("models", "", "comma-separated models to run (default logreg,logreg_l1,nb,knn,kmeans for a binary target, linear,ridge,lasso,enet for a numeric one)")
	reps := flag.Int("reps", 3, "fits per model; the fastest is reported")
	knnTrain := flag.Int("knn-train", 20000, "training rows for knn")
	knnTest := flag.Int("knn-test", 2000, "test rows for knn")
	flag.Parse()
	if err := run(*data, *target, *nTrain, *which, *reps, *knnTrain, *knnTest); err != nil {
		fmt.Fprintln(os.Stderr, "linear:", err)
		os.Exit(1)
	}
}

func run(path, target string, nTrain int, which string, reps, knnTrain, knnTest int) error {
	ctx := context.Background()
	f, err := dataio.Load(ctx, path, dataio.Options{})
	if err != nil {
		return err
	}
	tcol, err := f.Column(target)
	if err != nil {
		return err
	}
	var feats []string
	for _, c := range f.Columns() {
		if c.Name() != target && c.Type() != frame.String {
			feats = append(feats, c.Name())
		}
	}
	task, classes, err := models.DetectTask(tcol)
	if err != nil {
		return err
	}
	if task == models.Multiclass {
		return fmt.Errorf("target %q is %s; want a binary or numeric target", target, task)
	}
	if which == "" {
		which = "logreg,logreg_l1,nb,knn,kmeans"
		if task == models.Regression {
			which = "linear,ridge,lasso,enet"
		}
	}
	y, err := models.EncodeTarget(tcol, task, classes)
	if err != nil {
		return err
	}
	X, err := models.FromFrame(f, feats)
	if err != nil {
		return err
	}
	if nTrain <= 0 || nTrain >= X.Rows {
		return fmt.Errorf("-train %d: the file has %d rows", nTrain, X.Rows)
	}
	Xtr, Xte := rows(X, 0, nTrain), rows(X, nTrain, X.Rows)
	ytr, yte := y[:nTrain], y[nTrain:]
	standardise(Xtr, Xte)
	fmt.Printf("data %s: %d train, %d test rows, %d features (standardised)\n", path, Xtr.Rows, Xte.Rows, len(feats))
	opt := models.FitOptions{Task: task, Classes: classes}
	if task == models.Regression {
		fmt.Printf("(target not standardised)\n")
	}
	for _, name := range strings.Split(which, ",") {
		switch name {
		case "logreg", "logreg_l1", "nb":
			kind, params := name, map[string]string{}
			if name == "logreg_l1" {
				kind, params = "logreg", map[string]string{"penalty": "l1"}
			}
			var m models.Model
			best := time.Duration(math.MaxInt64)
			for r := 0; r < reps; r++ {
				m, err = models.New(kind, params, 1)
				if err != nil {
					return err
				}
				t0 := time.Now()
				if err := m.Fit(ctx, Xtr, ytr, nil, opt); err != nil {
					return err
				}
				best = min(best, time.Since(t0))
			}
			auc, err := rocAUC(ctx, m, Xte, yte)
			if err != nil {
				return err
			}
			iters := ""
			if lr, ok := m.(*models.LogReg); ok {
				iters = fmt.Sprintf("  n_iter %d", lr.NIter)
			}
			fmt.Printf("mlwb %-10s fit %7.3fs  AUC %.4f%s\n", name, best.Seconds(), auc, iters)
		case "linear", "ridge", "lasso", "enet":
			if task != models.Regression {
				return fmt.Errorf("%s needs a numeric target", name)
			}
			params := map[string]map[string]string{"lasso": {"alpha": "0.01"}, "enet": {"alpha": "0.01", "l1_ratio": "0.5"}}[name]
			var m models.Model
			best := time.Duration(math.MaxInt64)
			for r := 0; r < reps; r++ {
				m, _ = models.New(name, params, 1)
				t0 := time.Now()
				if err := m.Fit(ctx, Xtr, ytr, nil, opt); err != nil {
					return err
				}
				best = min(best, time.Since(t0))
			}
			pred := make([]float64, Xte.Rows)
			if err := m.Predict(Xte, pred); err != nil {
				return err
			}
			fmt.Printf("mlwb %-10s fit %7.3fs  R2 %.6f  n_iter %d\n", name, best.Seconds(), r2(yte, pred), m.(*models.Linear).NIter)
		case "knn":
			ktr, kte := rows(Xtr, 0, min(knnTrain, Xtr.Rows)), rows(Xte, 0, min(knnTest, Xte.Rows))
			m, _ := models.New("knn", nil, 1)
			if err := m.Fit(ctx, ktr, ytr[:ktr.Rows], nil, opt); err != nil {
				return err
			}
			t0 := time.Now()
			auc, err := rocAUC(ctx, m, kte, yte[:kte.Rows])
			if err != nil {
				return err
			}
			fmt.Printf("mlwb %-10s predict %d×%d %7.3fs  AUC %.4f\n", name, kte.Rows, ktr.Rows, time.Since(t0).Seconds(), auc)
		case "kmeans":
			var m models.Model
			best := time.Duration(math.MaxInt64)
			for r := 0; r < reps; r++ {
				m, _ = models.New("kmeans", map[string]string{"n_clusters": "8"}, 1)
				t0 := time.Now()
				if err := m.Fit(ctx, Xtr, nil, nil, models.FitOptions{Task: models.Clustering}); err != nil {
					return err
				}
				best = min(best, time.Since(t0))
			}
			km := m.(*models.KMeans)
			fmt.Printf("mlwb %-10s fit %7.3fs  inertia %.6g  n_iter %d\n", name, best.Seconds(), km.Inertia, km.NIter)
		default:
			return fmt.Errorf("unknown model %q (want logreg, logreg_l1, nb, knn, kmeans, linear, ridge, lasso, enet)", name)
		}
	}
	return nil
}

// r2 returns the coefficient of determination of pred for y.
func r2(y, pred []float64) float64 {
	var mean, sse, sst float64
	for _, v := range y {
		mean += v
	}
	mean /= float64(len(y))
	for i, v := range y {
		sse += (v - pred[i]) * (v - pred[i])
		sst += (v - mean) * (v - mean)
	}
	return 1 - sse/sst
}

// rows returns rows [lo, hi) of X.
func rows(X *models.Matrix, lo, hi int) *models.Matrix {
	idx := make([]int, hi-lo)
	for i := range idx {
		idx[i] = lo + i
	}
	return X.TakeRows(idx)
}

// standardise scales every column of tr and te by tr's mean and population
// standard deviation (a constant column is only centred), as StandardScaler.
func standardise(tr, te *models.Matrix) {
	for j := 0; j < tr.Cols; j++ {
		c := tr.Col(j)
		var mean, ss float64
		for _, v := range c {
			mean += v
		}
		mean /= float64(len(c))
		for _, v := range c {
			ss += (v - mean) * (v - mean)
		}
		sd := math.Sqrt(ss / float64(len(c)))
		if sd == 0 {
			sd = 1
		}
		for _, m := range []*models.Matrix{tr, te} {
			col := m.Col(j)
			for i, v := range col {
				col[i] = (v - mean) / sd
			}
		}
	}
}

// rocAUC returns the test ROC AUC of m's class-1 probability.
func rocAUC(ctx context.Context, m models.Model, X *models.Matrix, y []float64) (float64, error) {
	p := make([]float64, 2*X.Rows)
	if err := m.PredictProba(X, p); err != nil {
		return 0, err
	}
	score := make([]float64, X.Rows)
	pos := make([]bool, X.Rows)
	for i := range score {
		score[i], pos[i] = p[2*i+1], y[i] == 1
	}
	r, err := metrics.NewRanking(ctx, pos, score)
	if err != nil {
		return 0, err
	}
	return r.ROCAUC(), nil
}
