package models

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// workers returns the number of goroutines for n_jobs = jobs: all cores when
// jobs ≤ 0, else jobs.
func workers(jobs int) int {
	if jobs <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return jobs
}

// parallelFor calls f(i) for i in [0, n) on up to workers(jobs) goroutines,
// each taking the next index. Results must not depend on which goroutine ran
// which index. It returns ctx.Err() if ctx was cancelled (indices not yet
// started are skipped).
func parallelFor(ctx context.Context, n, jobs int, f func(i int)) error {
	w := min(workers(jobs), n)
	if w <= 1 {
		for i := 0; i < n; i++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			f(i)
		}
		return ctx.Err()
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < w; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}
