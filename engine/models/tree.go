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

// pnode is a node of a compiled tree: the children of an internal node are
// next to each other (right = left+1) and a leaf (feat < 0) keeps in left
// the offset of its values.
type pnode struct {
	thr  float64
	feat int32
	left int32
	nan  int32 // 1 when a missing value goes right
}

// compiled is a tree laid out for prediction.
type compiled struct {
	nodes  []pnode
	values []float64
	width  int
}

// compile lays the tree out breadth first with siblings adjacent.
func (t *Tree) compile() compiled {
	c := compiled{nodes: make([]pnode, 0, t.Nodes()), width: t.Width}
	queue := []int{0}
	c.nodes = append(c.nodes, pnode{})
	for k := 0; k < len(queue); k++ {
		n := queue[k]
		if t.Feature[n] < 0 {
			c.nodes[k] = pnode{feat: -1, left: int32(len(c.values))}
			c.values = append(c.values, t.Value[n*t.Width:(n+1)*t.Width]...)
			continue
		}
		nan := int32(1)
		if t.MissingLeft[n] == 1 {
			nan = 0
		}
		c.nodes[k] = pnode{thr: t.Threshold[n], feat: t.Feature[n], left: int32(len(c.nodes)), nan: nan}
		c.nodes = append(c.nodes, pnode{}, pnode{})
		queue = append(queue, int(t.Left[n]), int(t.Right[n]))
	}
	return c
}

// leaf returns the offset in c.values of the leaf that row i of X (data,
// column-major with rows rows) falls in.
func (c *compiled) leaf(data []float64, rows, i int) int {
	nodes := c.nodes
	n := 0
	for {
		nd := &nodes[n]
		if nd.feat < 0 {
			return int(nd.left)
		}
		x := data[int(nd.feat)*rows+i]
		var gt, nan int32
		if x > nd.thr {
			gt = 1
		}
		if x != x {
			nan = nd.nan
		}
		n = int(nd.left + (gt | nan))
	}
}
