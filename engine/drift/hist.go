package drift

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/mlwb/mlwb/engine/frame"
)

// Hist is a column's reference and current distributions over the same
// bins, as shares of each sample, for display.
type Hist struct {
	Labels   []string
	Ref, Cur []float64
}

// Histogram bins the named column of cur and of the reference alike: at
// most bins equal-width bins over both samples' range for numeric columns
// (labelled by their lower edge), or the bins−1 most frequent reference
// categories plus "other" for categorical ones.
func (r *Reference) Histogram(name string, cur *frame.Frame, bins int) (Hist, error) {
	var rc *refColumn
	for _, c := range r.cols {
		if c.name == name {
			rc = c
		}
	}
	if rc == nil || rc.err != "" {
		return Hist{}, fmt.Errorf("drift: column %q is not compared", name)
	}
	c, err := cur.Column(name)
	if err != nil {
		return Hist{}, err
	}
	if k, ok := kindOf(c.Type()); !ok || k != rc.kind {
		return Hist{}, fmt.Errorf("drift: column %q changed type", name)
	}
	bins = max(bins, 2)
	cs := curSide{}
	var h Hist
	if rc.kind == numeric {
		cs.sorted = finiteSorted(c)
		if len(cs.sorted) == 0 {
			return Hist{}, fmt.Errorf("drift: column %q has no current values", name)
		}
		lo := min(rc.sorted[0], cs.sorted[0])
		hi := max(rc.sorted[len(rc.sorted)-1], cs.sorted[len(cs.sorted)-1])
		e := equalWidthEdges(lo, hi, bins)
		h.Ref, h.Cur = sortedHistogram(rc.sorted, e), sortedHistogram(cs.sorted, e)
		for i := range bins {
			h.Labels = append(h.Labels, strconv.FormatFloat(e[i], 'g', 4, 64))
		}
		return h.shares(), nil
	}
	cs.levels, cs.counts = levelCounts(c)
	ref, cur2 := r.keyCounts(rc, &cs)
	labels := append([]string(nil), rc.levels...)
	for _, l := range cs.levels {
		if _, ok := rc.index[l]; !ok {
			labels = append(labels, l)
		}
	}
	order := make([]int, len(ref))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case ref[a]+cur2[a] > ref[b]+cur2[b]:
			return -1
		case ref[a]+cur2[a] < ref[b]+cur2[b]:
			return 1
		}
		return 0
	})
	for k, i := range order {
		if k == bins-1 && len(order) > bins {
			h.Labels = append(h.Labels, "other")
			h.Ref, h.Cur = append(h.Ref, 0), append(h.Cur, 0)
		}
		if k >= bins-1 && len(order) > bins {
			h.Ref[bins-1] += ref[i]
			h.Cur[bins-1] += cur2[i]
			continue
		}
		h.Labels = append(h.Labels, labels[i])
		h.Ref, h.Cur = append(h.Ref, ref[i]), append(h.Cur, cur2[i])
	}
	return h.shares(), nil
}

func (h Hist) shares() Hist {
	for _, x := range [][]float64{h.Ref, h.Cur} {
		var s float64
		for _, v := range x {
			s += v
		}
		if s > 0 {
			for i := range x {
				x[i] /= s
			}
		}
	}
	return h
}
