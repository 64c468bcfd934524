package models

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"
)

// Helpers shared by the non-tree learners (linear, ridge, lasso, enet,
// logreg, nb, knn, kmeans).

// linBlock is the number of rows in one block of a parallel pass. Blocks are
// fixed by the row count alone and partial results are combined in block
// order, so a result never depends on how many goroutines ran the blocks.
const linBlock = 4096

// linNumBlocks returns the number of linBlock-row blocks covering n rows.
func linNumBlocks(n int) int { return (n + linBlock - 1) / linBlock }

// linWorkers returns the goroutines to use for n_jobs = jobs (all cores when
// jobs ≤ 0).
func linWorkers(jobs int) int {
	if jobs <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return jobs
}

// linParallel calls f(b, lo, hi) for every block b of rows [lo, hi) of n rows
// of size block, on up to linWorkers(jobs) goroutines. It returns ctx.Err()
// when ctx is cancelled (blocks not yet started are skipped).
func linParallel(ctx context.Context, n, block, jobs int, f func(b, lo, hi int)) error {
	nb := (n + block - 1) / block
	w := min(linWorkers(jobs), nb)
	if w <= 1 {
		for b := 0; b < nb; b++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			f(b, b*block, min(n, (b+1)*block))
		}
		return ctx.Err()
	}
	var (
		mu   sync.Mutex
		next int
		wg   sync.WaitGroup
	)
	take := func() int {
		mu.Lock()
		defer mu.Unlock()
		if ctx.Err() != nil || next >= nb {
			return -1
		}
		next++
		return next - 1
	}
	for g := 0; g < w; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := take(); b >= 0; b = take() {
				f(b, b*block, min(n, (b+1)*block))
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// checkFinite returns an error naming the first column of X that holds a
// missing (NaN) or infinite value: these learners do arithmetic on every
// value and have no rule for missing ones, so the caller must impute first.
func checkFinite(kind string, X *Matrix) error {
	for j := 0; j < X.Cols; j++ {
		col := X.Col(j)
		bad := false
		for _, v := range col {
			if v-v != 0 {
				bad = true
				break
			}
		}
		if !bad {
			continue
		}
		var nNaN, nInf int
		for _, v := range col {
			if math.IsNaN(v) {
				nNaN++
			} else if math.IsInf(v, 0) {
				nInf++
			}
		}
		if nNaN > 0 {
			return fmt.Errorf("models: %s: column %q has %d missing values; impute them first", kind, X.name(j), nNaN)
		}
		return fmt.Errorf("models: %s: column %q has %d infinite values; clip or drop them first", kind, X.name(j), nInf)
	}
	return nil
}

// weightedMeans returns the weighted mean of every column of X and of y (y
// may be nil) with weights w (nil = 1), and the weight sum.
func weightedMeans(X *Matrix, y, w []float64) (xm []float64, ym, sw float64) {
	xm = make([]float64, X.Cols)
	if w == nil {
		sw = float64(X.Rows)
	} else {
		for _, v := range w {
			sw += v
		}
	}
	for j := range xm {
		xm[j] = wmean(X.Col(j), w, sw)
	}
	if y != nil {
		ym = wmean(y, w, sw)
	}
	return xm, ym, sw
}

// wmean returns Σ w_i v_i / sw (w nil = 1).
func wmean(v, w []float64, sw float64) float64 {
	var s float64
	if w == nil {
		for _, x := range v {
			s += x
		}
	} else {
		for i, x := range v {
			s += w[i] * x
		}
	}
	return s / sw
}

// allFinite reports whether every value of v is finite.
func allFinite(v []float64) bool {
	for _, x := range v {
		if x-x != 0 {
			return false
		}
	}
	return true
}

// logSumExp returns log Σ exp(v_k), computed stably.
func logSumExp(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		m = math.Max(m, x)
	}
	if math.IsInf(m, -1) {
		return m
	}
	var s float64
	for _, x := range v {
		s += math.Exp(x - m)
	}
	return m + math.Log(s)
}

// softmaxRow replaces the joint log-likelihoods v by exp(v - logsumexp(v)).
func softmaxRow(v []float64) {
	l := logSumExp(v)
	for k, x := range v {
		v[k] = math.Exp(x - l)
	}
}
