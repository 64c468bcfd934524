package features

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/stats"
)

func binKinds() []*kind {
	ps := []ParamInfo{{"n_bins", "5", "number of bins"}, {"keep", "false", "keep the input column beside the bin index"}}
	return []*kind{
		{
			info: TransformInfo{Name: "quantile_bin", Group: "construction",
				Doc: "Bin index 0..k−1 by training quantiles (scikit-learn KBinsDiscretizer strategy quantile, ordinal); edges closer than 1e-8 merge", Params: ps},
			fit: fitBins(true), zero: func() step { return &binStep{} },
		},
		{
			info: TransformInfo{Name: "uniform_bin", Group: "construction",
				Doc: "Bin index 0..k−1 over equal-width bins of the training range (KBinsDiscretizer strategy uniform, ordinal)", Params: ps},
			fit: fitBins(false), zero: func() step { return &binStep{} },
		},
	}
}

// binStep holds the bin edges of each column (k+1 edges for k bins). A
// value goes to bin searchsorted(edges[1:k], x, side=right), so values
// outside the training range fall in the first or last bin.
type binStep struct {
	Columns []string   `json:"columns"`
	Edges   [][]nfloat `json:"edges"`
	Keep    bool       `json:"keep"`
}

func fitBins(quantile bool) func(*fitEnv, []string, *params, *frame.Frame) (step, error) {
	return func(e *fitEnv, cols []string, p *params, train *frame.Frame) (step, error) {
		k := p.int("n_bins", 5, 2, 100000)
		s := &binStep{Columns: cols, Keep: p.bool("keep", false)}
		for _, n := range cols {
			x, err := floats(train, n)
			if err != nil {
				return nil, err
			}
			v := nonNaN(x)
			if len(v) == 0 {
				return nil, fmt.Errorf("column %q has no values in the training rows", n)
			}
			sort.Float64s(v)
			edges := make([]float64, k+1)
			lo, hi := v[0], v[len(v)-1]
			for b := range edges {
				if quantile {
					// numpy.percentile(x, linspace(0, 100, k+1))
					edges[b] = stats.Quantile(min(1, float64(b)*(100/float64(k))/100), v)
				} else {
					// numpy.linspace(lo, hi, k+1)
					edges[b] = lo + float64(b)*((hi-lo)/float64(k))
				}
			}
			edges[k] = hi
			if quantile {
				kept := edges[:1]
				for b := 1; b < len(edges); b++ {
					if edges[b]-kept[len(kept)-1] > 1e-8 {
						kept = append(kept, edges[b])
					}
				}
				edges = kept
			}
			s.Edges = append(s.Edges, toN(edges))
		}
		return s, nil
	}
}

func (s *binStep) validate() error {
	if len(s.Edges) != len(s.Columns) {
		return fmt.Errorf("%d edge lists for %d columns", len(s.Edges), len(s.Columns))
	}
	return nil
}

func (s *binStep) apply(ctx context.Context, f *frame.Frame) (*frame.Frame, error) {
	return mapColumns(f, s.Columns, s.Keep, "bin", func(j int, x []float64) {
		e := fromN(s.Edges[j])
		inner := e[1:max(1, len(e)-1)]
		for i, v := range x {
			if math.IsNaN(v) {
				continue
			}
			x[i] = float64(sort.Search(len(inner), func(b int) bool { return inner[b] > v }))
		}
	})
}
