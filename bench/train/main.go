// Command train benchmarks mlwb's tree models against xgboost and
// scikit-learn on the same split of the same file (see README.md):
//
//	go run ../shared/bench/gencsv/main.go -kind cls -rows 200000 > /tmp/cls.csv
//	go run ./bench/train -data /tmp/cls.csv -target label -train 160000
//	/usr/bin/python3 bench/train/side.py /tmp/cls.csv label 160000
//
// The first -train rows are the training set and the rest the test set
// (gencsv rows are i.i.d.). It prints, per model, the fit wall time, the fit
// CPU time (user+system of this process during the fit), the test ROC AUC
// (engine/metrics, trapezoid rule with ties as one step, as scikit-learn)
// and, for gbdt, prediction throughput on 1M rows.
//
// With -cv K it instead runs K-fold cross-validation (row i in fold i % K,
// the folds bench/train/cv.py uses) and prints the mean and standard
// deviation of the test metric (ROC AUC for a binary target, accuracy for
// more classes, R² for regression) per model:
//
//	go run ./bench/train -data ../shared/data/adult.csv -target income -cv 10
//	/usr/bin/python3 bench/train/cv.py ../shared/data/adult.csv income 10
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/metrics"
	"github.com/mlwb/mlwb/engine/models"
)

func main() {
	data := flag.String("data", "/tmp/cls.csv", "CSV file")
	target := flag.String("target", "label", "target column")
	drop := flag.String("drop", "", "comma-separated columns to leave out")
	nTrain := flag.Int("train", 160000, "first rows used for training (the rest is the test set)")
	which := flag.String("models", "gbdt,rf", "comma-separated models to run")
	gbdtParams := flag.String("gbdt", "n_estimators=100,max_depth=6,learning_rate=0.1,n_jobs=2", "gbdt parameters")
	rfParams := flag.String("rf", "n_estimators=100,n_jobs=2", "rf parameters")
	cv := flag.Int("cv", 0, "run K-fold cross-validation instead of the split")
	prof := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	flag.Parse()
	if *prof != "" {
		f, err := os.Create(*prof)
		if err != nil {
			fmt.Fprintln(os.Stderr, "train:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if err := run(*data, *target, *drop, *nTrain, *which, *gbdtParams, *rfParams, *cv); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
}

func parseParams(s string) map[string]string {
	out := map[string]string{}
	for _, kv := range strings.Split(s, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			out[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return out
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func run(path, target, drop string, nTrain int, which, gp, rp string, cv int) error {
	ctx := context.Background()
	f, err := dataio.Load(ctx, path, dataio.Options{})
	if err != nil {
		return err
	}
	tcol, err := f.Column(target)
	if err != nil {
		return err
	}
	dropped := map[string]bool{target: true}
	for _, d := range strings.Split(drop, ",") {
		if d != "" {
			dropped[d] = true
		}
	}
	var feats []string
	for _, c := range f.Columns() {
		if !dropped[c.Name()] && c.Type() != frame.String {
			feats = append(feats, c.Name())
		}
	}
	task, classes, err := models.DetectTask(tcol)
	if err != nil {
		return err
	}
	y, err := models.EncodeTarget(tcol, task, classes)
	if err != nil {
		return err
	}
	X, err := models.FromFrame(f, feats)
	if err != nil {
		return err
	}
	params := map[string]map[string]string{"gbdt": parseParams(gp), "rf": parseParams(rp)}
	if cv > 0 {
		return crossValidate(ctx, X, y, task, classes, strings.Split(which, ","), params, cv)
	}
	if nTrain <= 0 || nTrain >= X.Rows {
		return fmt.Errorf("-train %d: the file has %d rows", nTrain, X.Rows)
	}
	trIdx, teIdx := make([]int, nTrain), make([]int, X.Rows-nTrain)
	for i := range trIdx {
		trIdx[i] = i
	}
	for i := range teIdx {
		teIdx[i] = nTrain + i
	}
	Xtr, Xte := X.TakeRows(trIdx), X.TakeRows(teIdx)
	ytr, yte := y[:nTrain], y[nTrain:]
	fmt.Printf("data %s: %d train, %d test rows, %d features, task %s\n", path, len(trIdx), len(teIdx), len(feats), task)
	for _, name := range strings.Split(which, ",") {
		m, err := models.New(name, params[name], 1)
		if err != nil {
			return err
		}
		c0, t0 := cpuTime(), time.Now()
		if err := m.Fit(ctx, Xtr, ytr, nil, models.FitOptions{Task: task, Classes: classes}); err != nil {
			return err
		}
		wall, cpu := time.Since(t0), cpuTime()-c0
		score, metric, err := evaluate(ctx, m, Xte, yte, task)
		if err != nil {
			return err
		}
		fmt.Printf("mlwb %-5s fit %6.2fs wall %6.2fs cpu  %s %.4f\n", name, wall.Seconds(), cpu.Seconds(), metric, score)
		if name == "gbdt" {
			// Prediction throughput on 1M rows tiled from the test set.
			big := make([]int, 1_000_000)
			for i := range big {
				big[i] = i % Xte.Rows
			}
			Xb := Xte.TakeRows(big)
			out := make([]float64, Xb.Rows*max(len(classes), 1))
			c0, t0 := cpuTime(), time.Now()
			if task.Classifier() {
				err = m.PredictProba(Xb, out)
			} else {
				err = m.Predict(Xb, out)
			}
			if err != nil {
				return err
			}
			d, cpu := time.Since(t0), cpuTime()-c0
			fmt.Printf("mlwb gbdt  predict %d rows %.3fs wall %.3fs cpu = %.2fM rows/s\n", Xb.Rows, d.Seconds(), cpu.Seconds(), float64(Xb.Rows)/d.Seconds()/1e6)
		}
	}
	return nil
}

// evaluate returns ROC AUC (binary), accuracy (multiclass) or R² (regression) on X, y.
func evaluate(ctx context.Context, m models.Model, X *models.Matrix, y []float64, task models.Task) (float64, string, error) {
	switch task {
	case models.Binary:
		p := make([]float64, 2*X.Rows)
		if err := m.PredictProba(X, p); err != nil {
			return 0, "", err
		}
		score := make([]float64, X.Rows)
		pos := make([]bool, X.Rows)
		for i := range score {
			score[i], pos[i] = p[2*i+1], y[i] == 1
		}
		r, err := metrics.NewRanking(ctx, pos, score)
		if err != nil {
			return 0, "", err
		}
		return r.ROCAUC(), "AUC", nil
	case models.Multiclass:
		pred := make([]float64, X.Rows)
		if err := m.Predict(X, pred); err != nil {
			return 0, "", err
		}
		var ok float64
		for i := range pred {
			if pred[i] == y[i] {
				ok++
			}
		}
		return ok / float64(X.Rows), "accuracy", nil
	default:
		pred := make([]float64, X.Rows)
		if err := m.Predict(X, pred); err != nil {
			return 0, "", err
		}
		var mean, sse, sst float64
		for _, v := range y {
			mean += v
		}
		mean /= float64(len(y))
		for i := range y {
			sse += (y[i] - pred[i]) * (y[i] - pred[i])
			sst += (y[i] - mean) * (y[i] - mean)
		}
		return 1 - sse/sst, "R2", nil
	}
}

// crossValidate runs K-fold CV (row i in fold i % K) and prints the mean and
// standard deviation of the metric.
func crossValidate(ctx context.Context, X *models.Matrix, y []float64, task models.Task, classes []string, which []string, params map[string]map[string]string, K int) error {
	for _, name := range which {
		var scores []float64
		var metric string
		t0 := time.Now()
		for k := 0; k < K; k++ {
			var tr, te []int
			for i := 0; i < X.Rows; i++ {
				if i%K == k {
					te = append(te, i)
				} else {
					tr = append(tr, i)
				}
			}
			ytr, yte := make([]float64, len(tr)), make([]float64, len(te))
			for i, r := range tr {
				ytr[i] = y[r]
			}
			for i, r := range te {
				yte[i] = y[r]
			}
			m, err := models.New(name, params[name], uint64(k+1))
			if err != nil {
				return err
			}
			if err := m.Fit(ctx, X.TakeRows(tr), ytr, nil, models.FitOptions{Task: task, Classes: classes}); err != nil {
				return err
			}
			s, mt, err := evaluate(ctx, m, X.TakeRows(te), yte, task)
			if err != nil {
				return err
			}
			scores = append(scores, s)
			metric = mt
		}
		var mean, sd float64
		for _, s := range scores {
			mean += s
		}
		mean /= float64(K)
		for _, s := range scores {
			sd += (s - mean) * (s - mean)
		}
		sd = math.Sqrt(sd / float64(K-1))
		fmt.Printf("mlwb %-5s %d-fold %s %.4f ± %.4f (%.1fs)\n", name, K, metric, mean, sd, time.Since(t0).Seconds())
	}
	return nil
}
