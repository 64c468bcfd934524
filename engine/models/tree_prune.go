package models

import "math"

// pruneCCP prunes t by minimal cost-complexity (Breiman et al. 1984, ch. 3;
// scikit-learn's ccp_alpha): with R(t) = W_t/W_root · I(t) and T_t the
// subtree under t, the weakest link is the internal node with the smallest
//
//	g(t) = (R(t) − R(T_t)) / (|leaves(T_t)| − 1),
//
// collapsed into a leaf while that smallest g(t) ≤ alpha (the first node in
// index order on ties). The result is renumbered in depth-first preorder.
func pruneCCP(t *Tree, alpha float64) *Tree {
	n := t.Nodes()
	leaf := make([]bool, n)
	for i, f := range t.Feature {
		leaf[i] = f < 0
	}
	W := t.Weight[0]
	r := func(i int) float64 { return t.Weight[i] / W * t.Impurity[i] }
	rsub := make([]float64, n)
	nleaves := make([]int, n)
	for {
		// Children have larger indices than parents: a reverse sweep is a post-order.
		for i := n - 1; i >= 0; i-- {
			if leaf[i] {
				rsub[i], nleaves[i] = r(i), 1
				continue
			}
			l, rr := t.Left[i], t.Right[i]
			rsub[i] = rsub[l] + rsub[rr]
			nleaves[i] = nleaves[l] + nleaves[rr]
		}
		best, bestG := -1, math.Inf(1)
		var visit func(i int)
		reach := make([]bool, n)
		visit = func(i int) {
			reach[i] = true
			if leaf[i] {
				return
			}
			visit(int(t.Left[i]))
			visit(int(t.Right[i]))
		}
		visit(0)
		for i := 0; i < n; i++ {
			if !reach[i] || leaf[i] {
				continue
			}
			g := (r(i) - rsub[i]) / float64(nleaves[i]-1)
			if g < bestG {
				best, bestG = i, g
			}
		}
		if best < 0 || bestG > alpha {
			break
		}
		leaf[best] = true
	}
	// Rebuild in preorder.
	out := &Tree{Width: t.Width}
	var copyNode func(i int) int32
	copyNode = func(i int) int32 {
		id := int32(len(out.Feature))
		out.Feature = append(out.Feature, -1)
		out.Threshold = append(out.Threshold, 0)
		out.Left = append(out.Left, -1)
		out.Right = append(out.Right, -1)
		out.MissingLeft = append(out.MissingLeft, 0)
		out.Weight = append(out.Weight, t.Weight[i])
		out.Impurity = append(out.Impurity, t.Impurity[i])
		out.Value = append(out.Value, t.Value[i*t.Width:(i+1)*t.Width]...)
		if !leaf[i] {
			out.Feature[id] = t.Feature[i]
			out.Threshold[id] = t.Threshold[i]
			out.MissingLeft[id] = t.MissingLeft[i]
			l := copyNode(int(t.Left[i]))
			out.Left[id] = l
			rr := copyNode(int(t.Right[i]))
			out.Right[id] = rr
		}
		return id
	}
	copyNode(0)
	return out
}

func nan() float64 { return math.NaN() }
