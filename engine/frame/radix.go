package frame

import (
	"context"
	"math"
	"slices"
	"strings"
)

// sortKeys returns an order-preserving uint64 key per row of c: floats by
// their IEEE 754 order, integers and datetimes with the sign bit flipped,
// categorical codes and strings by the rank of their text. In descending
// order the keys are complemented, which keeps ties in their original order.
// Keys of missing rows are meaningless.
func sortKeys(c Column, desc bool) []uint64 {
	keys := make([]uint64, c.Len())
	switch c := c.(type) {
	case *Float64Col:
		for i, v := range c.Data {
			keys[i] = floatKey(v)
		}
	case *Int64Col:
		for i, v := range c.Data {
			keys[i] = uint64(v) ^ (1 << 63)
		}
	case *DatetimeCol:
		for i, v := range c.Data {
			keys[i] = uint64(v) ^ (1 << 63)
		}
	case *BoolCol:
		for i, v := range c.Data {
			if v {
				keys[i] = 1
			}
		}
	case *CategoricalCol:
		rank := LevelRanks(c.Levels)
		for i, k := range c.Codes {
			if k >= 0 {
				keys[i] = uint64(rank[k])
			}
		}
	case *StringCol:
		stringRanks(c, keys)
	default:
		for i := range keys {
			keys[i] = uint64(i) // unknown column types keep their order
		}
	}
	if desc {
		for i := range keys {
			keys[i] = ^keys[i]
		}
	}
	return keys
}

// stringRanks writes into keys the rank of each row's text among the
// column's distinct values (byte-wise order, as strings.Compare).
func stringRanks(c *StringCol, keys []uint64) {
	index := make(map[string]uint32, 1024)
	var distinct []string
	for i, s := range c.Data {
		if c.mask.IsNA(i) {
			continue
		}
		k, ok := index[s]
		if !ok {
			k = uint32(len(distinct))
			index[s] = k
			distinct = append(distinct, s)
		}
		keys[i] = uint64(k)
	}
	order := make([]uint32, len(distinct))
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(a, b uint32) int { return strings.Compare(distinct[a], distinct[b]) })
	rank := make([]uint32, len(distinct))
	for r, k := range order {
		rank[k] = uint32(r)
	}
	for i := range keys {
		if !c.mask.IsNA(i) {
			keys[i] = uint64(rank[keys[i]])
		}
	}
}

// floatKey maps a float64 to a uint64 with the same order (IEEE 754 total
// order for non-NaN values).
func floatKey(v float64) uint64 {
	if v == 0 {
		v = 0 // fold -0 into +0
	}
	b := math.Float64bits(v)
	if b>>63 == 1 {
		return ^b
	}
	return b | 1<<63
}

// radixPass reorders order stably by keys with an LSD radix sort on 16-bit
// digits, skipping digits that are equal across all keys; rows missing in m
// follow all others in their current order. Applying passes for the last
// sort key first and the first key last gives the lexicographic order. ctx
// is checked between digits.
func radixPass(ctx context.Context, order []int32, keys []uint64, m Mask) ([]int32, error) {
	idx := make([]int32, 0, len(order))
	var missing []int32
	var or, and uint64 = 0, math.MaxUint64
	for _, i := range order {
		if m.IsNA(int(i)) {
			missing = append(missing, i)
			continue
		}
		idx = append(idx, i)
		k := keys[i]
		or |= k
		and &= k
	}
	tmp := make([]int32, len(idx))
	varying := or ^ and
	var count [1 << 16]int
	for shift := uint(0); shift < 64; shift += 16 {
		if (varying>>shift)&0xffff == 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		clear(count[:])
		for _, i := range idx {
			count[(keys[i]>>shift)&0xffff]++
		}
		sum := 0
		for d := range count {
			c := count[d]
			count[d] = sum
			sum += c
		}
		for _, i := range idx {
			d := (keys[i] >> shift) & 0xffff
			tmp[count[d]] = i
			count[d]++
		}
		idx, tmp = tmp, idx
	}
	return append(idx, missing...), nil
}
