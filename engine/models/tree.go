package models

import (
	"errors"
	"fmt"
	"math"
)

// Tree is one fitted decision tree as flat arrays indexed by node (node 0 is
// the root), the layout of scikit-learn's tree_ attribute. An internal node
// sends row x to Left when x[Feature] <= Threshold, to Right when it is
// greater, and a missing x[Feature] (NaN) to Left when MissingLeft is 1. A
// leaf has Feature -1 (and Left, Right -1). Value holds Width numbers per node
// (class probabilities for a classification tree, the mean for regression,
// the leaf weight for a boosted tree). Weight and Impurity (the weighted
// sample count and the impurity per node) are kept by CART and forest trees.
type Tree struct {
	Feature     []int32   `json:"feature"`
	Threshold   []float64 `json:"threshold"`
	Left        []int32   `json:"left"`
	Right       []int32   `json:"right"`
	MissingLeft []int8    `json:"missing_left"`
	Width       int       `json:"width"`
	Value       []float64 `json:"value"`
	Weight      []float64 `json:"weight,omitempty"`
	Impurity    []float64 `json:"impurity,omitempty"`
}

// Nodes returns the number of nodes.
func (t *Tree) Nodes() int { return len(t.Feature) }

// Leaves returns the number of leaves.
func (t *Tree) Leaves() int {
	n := 0
	for _, f := range t.Feature {
		if f < 0 {
			n++
		}
	}
	return n
}

// Depth returns the length of the longest root-to-leaf path (0 for a stump
// that is only a leaf).
func (t *Tree) Depth() int {
	var rec func(n, d int) int
	rec = func(n, d int) int {
		if t.Feature[n] < 0 {
			return d
		}
		return max(rec(int(t.Left[n]), d+1), rec(int(t.Right[n]), d+1))
	}
	if t.Nodes() == 0 {
		return 0
	}
	return rec(0, 0)
}

// validate checks that the arrays fit together and form a tree over
// nFeatures columns, so that a decoded file cannot make prediction index out
// of range or loop.
func (t *Tree) validate(nFeatures, width int) error {
	n := len(t.Feature)
	if n == 0 {
		return errors.New("tree with no nodes")
	}
	if len(t.Threshold) != n || len(t.Left) != n || len(t.Right) != n || len(t.MissingLeft) != n {
		return errors.New("tree arrays of different lengths")
	}
	if t.Width != width || len(t.Value) != n*width {
		return fmt.Errorf("tree values: width %d and %d values for %d nodes, want width %d", t.Width, len(t.Value), n, width)
	}
	if (t.Weight != nil && len(t.Weight) != n) || (t.Impurity != nil && len(t.Impurity) != n) {
		return errors.New("tree weight or impurity of the wrong length")
	}
	parents := make([]int, n)
	for i := 0; i < n; i++ {
		if f := t.Feature[i]; f < 0 {
			continue
		} else if int(f) >= nFeatures {
			return fmt.Errorf("tree node %d splits on feature %d of %d", i, f, nFeatures)
		}
		if math.IsNaN(t.Threshold[i]) {
			return fmt.Errorf("tree node %d has a NaN threshold", i)
		}
		for _, c := range [2]int32{t.Left[i], t.Right[i]} {
			// Children come after their parent, so following them always ends.
			if int(c) <= i || int(c) >= n {
				return fmt.Errorf("tree node %d has child %d", i, c)
			}
			parents[c]++
		}
	}
	for i := 1; i < n; i++ {
		if parents[i] != 1 {
			return fmt.Errorf("tree node %d has %d parents", i, parents[i])
		}
	}
	return nil
}

// pnode is a node of a compiled tree. An internal node sends a row to
// child[1] when x > thr, or when x is missing and nan is 1, else to
// child[0]. A leaf points to itself on both sides (feat 0), so a walk of
// exactly depth steps ends on the leaf from every start: prediction needs no
// leaf test and several rows can walk in lockstep.
type pnode struct {
	thr   float64
	feat  int32
	nan   int32
	child [2]int32
}

// compiled is a tree laid out for prediction: values[node*width:] are a
// node's values.
type compiled struct {
	nodes  []pnode
	values []float64
	width  int
	depth  int
}

// compile lays the tree out for prediction.
func (t *Tree) compile() compiled {
	n := t.Nodes()
	c := compiled{nodes: make([]pnode, n), values: t.Value, width: t.Width, depth: t.Depth()}
	for i := 0; i < n; i++ {
		if t.Feature[i] < 0 {
			c.nodes[i] = pnode{child: [2]int32{int32(i), int32(i)}}
			continue
		}
		nan := int32(1)
		if t.MissingLeft[i] == 1 {
			nan = 0
		}
		c.nodes[i] = pnode{thr: t.Threshold[i], feat: t.Feature[i], nan: nan, child: [2]int32{t.Left[i], t.Right[i]}}
	}
	return c
}

// step returns the child of nd that value x goes to.
func (nd *pnode) step(x float64) int32 {
	var gt, nan int32
	if x > nd.thr {
		gt = 1
	}
	if x != x {
		nan = nd.nan
	}
	return nd.child[gt|nan]
}

// leaf returns the offset in c.values of the leaf that row i of X (data,
// column-major with rows rows) falls in.
func (c *compiled) leaf(data []float64, rows, i int) int {
	nodes := c.nodes
	n := int32(0)
	for {
		nd := &nodes[n]
		next := nd.step(data[int(nd.feat)*rows+i])
		if next == n {
			return int(n) * c.width
		}
		n = next
	}
}
