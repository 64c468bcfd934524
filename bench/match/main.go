// Command match benchmarks and scores mlwb's fuzzy record matching on the
// two entity-resolution sets in ../shared/data (see its SOURCES.md):
//
//   - PATSTAT: deduplicate the 2,379 names of patstat_input.csv; gold: rows
//     sharing a leuven_id in patstat_reference.csv (joined on person_id).
//     Scored pairwise on the transitive clusters (union–find of the
//     matches) and on the raw pairs.
//   - Abt-Buy: link abtbuy_abt.csv (1,081) to abtbuy_buy.csv (1,092); gold:
//     records with the same unique_id (1,081 pairs). Scored on the pairs.
//
// Times cover matching only (tables already loaded), best and median of
// -runs. Usage, from the repository root:
//
//	go run ./bench/match [-data ../shared/data] [-runs 5] [-sweep]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/match"
)

func main() {
	data := flag.String("data", "../shared/data", "folder holding the shared data sets")
	runs := flag.Int("runs", 5, "timed runs per set")
	sweep := flag.Bool("sweep", false, "also print the scores at several thresholds")
	flag.Parse()
	if err := run(*data, *runs, *sweep); err != nil {
		fmt.Fprintln(os.Stderr, "bench/match:", err)
		os.Exit(1)
	}
}

func load(dir, name string) (*frame.Frame, error) {
	return dataio.Load(context.Background(), filepath.Join(dir, name), dataio.Options{})
}

func keys(f *frame.Frame, col string) ([]string, error) {
	c, err := f.Column(col)
	if err != nil {
		return nil, err
	}
	out := make([]string, f.NumRows())
	for i := range out {
		out[i] = c.Format(i)
	}
	return out, nil
}

// timeIt runs fn runs times and returns the best and median durations and
// the last result.
func timeIt(runs int, fn func() (*match.Result, error)) (time.Duration, time.Duration, *match.Result, error) {
	var ds []time.Duration
	var res *match.Result
	for i := 0; i < max(1, runs); i++ {
		start := time.Now()
		r, err := fn()
		if err != nil {
			return 0, 0, nil, err
		}
		ds = append(ds, time.Since(start))
		res = r
	}
	slices.Sort(ds)
	return ds[0], ds[len(ds)/2], res, nil
}

func run(dir string, runs int, sweep bool) error {
	ctx := context.Background()
	in, err := load(dir, "patstat_input.csv")
	if err != nil {
		return err
	}
	ref, err := load(dir, "patstat_reference.csv")
	if err != nil {
		return err
	}
	pid, err := keys(in, "person_id")
	if err != nil {
		return err
	}
	rpid, _ := keys(ref, "person_id")
	lid, err := keys(ref, "leuven_id")
	if err != nil {
		return err
	}
	byPid := map[string]string{}
	for i := range rpid {
		byPid[rpid[i]] = lid[i]
	}
	gold := make([]string, len(pid))
	for i, p := range pid {
		if gold[i] = byPid[p]; gold[i] == "" {
			return fmt.Errorf("person_id %s has no reference row", p)
		}
	}
	pcfg := match.Config{Fields: []match.Field{{Left: "Name"}}}
	best, med, res, err := timeIt(runs, func() (*match.Result, error) { return match.Dedupe(ctx, in, pcfg) })
	if err != nil {
		return err
	}
	cs, _ := match.EvaluateClusters(res.Clusters(), gold)
	ps, _ := match.EvaluatePairs(res.Matches(), gold, nil, true)
	n := int64(in.NumRows())
	fmt.Printf("PATSTAT dedupe, Name (tokenset), threshold %.2f: %d rows, %d candidate pairs of %d, %d comparisons, %d matches\n",
		res.Threshold, n, res.Candidates, n*(n-1)/2, res.Comparisons, len(res.Matches()))
	fmt.Printf("  time: best %v, median %v (%d runs)\n", best.Round(time.Millisecond), med.Round(time.Millisecond), max(1, runs))
	fmt.Printf("  clusters: %v\n  pairs:    %v\n", cs, ps)
	if sweep {
		for _, th := range []float64{0.7, 0.75, 0.8, 0.85, 0.9, 0.95} {
			c := pcfg
			c.Threshold = th
			r, err := match.Dedupe(ctx, in, c)
			if err != nil {
				return err
			}
			cs, _ := match.EvaluateClusters(r.Clusters(), gold)
			ps, _ := match.EvaluatePairs(r.Matches(), gold, nil, true)
			fmt.Printf("  threshold %.2f: clusters %v | pairs F1 %.4f\n", th, cs, ps.F1)
		}
	}

	a, err := load(dir, "abtbuy_abt.csv")
	if err != nil {
		return err
	}
	b, err := load(dir, "abtbuy_buy.csv")
	if err != nil {
		return err
	}
	ka, err := keys(a, "unique_id")
	if err != nil {
		return err
	}
	kb, err := keys(b, "unique_id")
	if err != nil {
		return err
	}
	acfg := match.Config{
		Fields:    []match.Field{{Left: "title", Sim: match.SimTokenSet, Weight: 3}, {Left: "price", Sim: match.SimNumeric}},
		Threshold: 0.5,
		OneToOne:  true,
	}
	best, med, res, err = timeIt(runs, func() (*match.Result, error) { return match.Link(ctx, a, b, acfg) })
	if err != nil {
		return err
	}
	s, _ := match.EvaluatePairs(res.Matches(), ka, kb, false)
	fmt.Printf("Abt-Buy link, title (tokenset ×3) + price (numeric), one-to-one, threshold %.2f: %d × %d rows, %d candidate pairs of %d, %d matches\n",
		res.Threshold, a.NumRows(), b.NumRows(), res.Candidates, a.NumRows()*b.NumRows(), len(res.Matches()))
	fmt.Printf("  time: best %v, median %v (%d runs)\n", best.Round(time.Millisecond), med.Round(time.Millisecond), max(1, runs))
	fmt.Printf("  pairs: %v\n", s)
	if sweep {
		for _, th := range []float64{0.4, 0.5, 0.6, 0.7, 0.8} {
			for _, o2o := range []bool{true, false} {
				c := acfg
				c.Threshold, c.OneToOne = th, o2o
				r, err := match.Link(ctx, a, b, c)
				if err != nil {
					return err
				}
				s, _ := match.EvaluatePairs(r.Matches(), ka, kb, false)
				fmt.Printf("  threshold %.2f one-to-one %-5v: %v\n", th, o2o, s)
			}
		}
	}
	return nil
}
