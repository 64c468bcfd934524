package frame

import "math"

// sortKeys returns an order-preserving uint64 key per row for a column whose
// values can be mapped to integers without losing order, or nil for other
// columns (strings). In descending order the keys are complemented, which
// keeps ties in their original order. Keys of missing rows are meaningless.
func sortKeys(c Column, desc bool) []uint64 {
	n := c.Len()
	keys := make([]uint64, n)
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
	default:
		return nil
	}
	if desc {
		for i := range keys {
			keys[i] = ^keys[i]
		}
	}
	return keys
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

// radixIndex returns the stable order of keys by LSD radix sort on 16-bit
// digits, skipping digits that are equal across all keys. Rows missing in m
// follow all others, in their original order.
func radixIndex(keys []uint64, m Mask) []int {
	idx := make([]int32, 0, len(keys))
	var missing []int32
	var or, and uint64 = 0, math.MaxUint64
	for i, k := range keys {
		if m.IsNA(i) {
			missing = append(missing, int32(i))
			continue
		}
		idx = append(idx, int32(i))
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
	out := make([]int, 0, len(keys))
	for _, i := range idx {
		out = append(out, int(i))
	}
	for _, i := range missing {
		out = append(out, int(i))
	}
	return out
}
