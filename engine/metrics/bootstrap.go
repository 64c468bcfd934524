package metrics

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"github.com/mlwb/mlwb/engine/stats"
)

// BootstrapOptions configure Bootstrap. The zero value means B = 1000
// replicates, a 95 % interval, seed 0 and one worker per CPU.
type BootstrapOptions struct {
	B       int     // replicates (default 1000)
	Level   float64 // confidence level in (0, 1) (default 0.95)
	Seed    uint64  // the same seed gives the same intervals
	Workers int     // goroutines (default runtime.GOMAXPROCS(0))
	// Progress, when set, is called with the replicates done and B, from
	// any goroutine.
	Progress func(done, total int64)
}

func (o BootstrapOptions) withDefaults() BootstrapOptions {
	if o.B <= 0 {
		o.B = 1000
	}
	if !(o.Level > 0 && o.Level < 1) {
		o.Level = 0.95
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o
}

// Interval is a two-sided confidence interval. Both ends are NaN when the
// statistic was undefined in more than half of the replicates (e.g. ROC
// AUC when most resamples hold one class).
type Interval struct {
	Lo, Hi float64
	// Undefined counts the replicates where the statistic was NaN; they
	// are left out of the percentiles.
	Undefined int
}

// Bootstrap returns percentile-bootstrap intervals (Efron & Tibshirani
// 1993, §13.3) for the m statistics computed by stat. Each replicate draws
// n rows uniformly with replacement; stat receives the counts w (w[k] =
// times position k was drawn, Σw = n) and returns the m statistics (NaN
// where undefined). stat is called from several goroutines at once, each
// with its own w, and must not keep w. The interval of a statistic is the
// (1−Level)/2 and (1+Level)/2 quantiles of its replicates (numpy.percentile,
// linear). Replicate b uses its own PCG stream seeded by (Seed, b), so the
// result does not depend on Workers.
func Bootstrap(ctx context.Context, n, m int, opt BootstrapOptions, stat func(w []float64) []float64) ([]Interval, error) {
	opt = opt.withDefaults()
	if n <= 0 {
		return nil, fmt.Errorf("metrics: bootstrap of no rows")
	}
	reps := make([][]float64, m)
	for j := range reps {
		reps[j] = make([]float64, opt.B)
	}
	var (
		mu   sync.Mutex
		done int64
		next int
		err  error
		wg   sync.WaitGroup
	)
	for range min(opt.Workers, opt.B) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := make([]float64, n)
			for {
				mu.Lock()
				b := next
				next++
				mu.Unlock()
				if b >= opt.B {
					return
				}
				if e := ctx.Err(); e != nil {
					mu.Lock()
					err = e
					mu.Unlock()
					return
				}
				clear(w)
				rng := rand.New(rand.NewPCG(opt.Seed, uint64(b)))
				for range n {
					w[rng.IntN(n)]++
				}
				v := stat(w)
				if len(v) != m {
					panic("metrics: bootstrap statistic returned the wrong number of values")
				}
				for j, x := range v {
					reps[j][b] = x
				}
				if opt.Progress != nil {
					mu.Lock()
					done++
					d := done
					mu.Unlock()
					opt.Progress(d, int64(opt.B))
				}
			}
		}()
	}
	wg.Wait()
	if err != nil {
		return nil, err
	}
	out := make([]Interval, m)
	lo, hi := (1-opt.Level)/2, (1+opt.Level)/2
	for j, r := range reps {
		ok := r[:0]
		for _, x := range r {
			if !math.IsNaN(x) {
				ok = append(ok, x)
			}
		}
		iv := Interval{Lo: math.NaN(), Hi: math.NaN(), Undefined: opt.B - len(ok)}
		if 2*len(ok) > opt.B {
			slices.Sort(ok)
			iv.Lo, iv.Hi = stats.Quantile(lo, ok), stats.Quantile(hi, ok)
		}
		out[j] = iv
	}
	return out, nil
}
