// Package par runs independent pieces of engine work on all cores.
package par

import (
	"context"
	"runtime"
	"sync"
)

// ForEach calls fn(i) for every i in [0, n) on up to workers goroutines
// (workers ≤ 0 means GOMAXPROCS), handing out indexes in increasing order.
// When ctx is done it stops handing out indexes, waits for the calls under way
// and returns ctx.Err(); otherwise it returns nil once every call returned.
func ForEach(ctx context.Context, n, workers int, fn func(i int)) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	var err error
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err == nil {
		err = ctx.Err()
	}
	return err
}
