package profile

import (
	"context"
	"math"
)

// corrBlock is the number of rows per block of the blocked dot products:
// 16 columns × 2048 rows × 8 bytes stay within a 256 KiB L2 cache.
const corrBlock = 2048

// corrInput is one column as corrMatrix reads it: fill writes its values
// minus a shift (near the mean), 0 in missing rows, for rows lo, lo+1, …
// into dst, so that no centred copy of the column is ever materialised; miss
// lists the missing rows and na marks them.
type corrInput struct {
	fill func(dst []float64, lo int)
	miss []int32  // missing rows, increasing
	na   []uint64 // bit i set when row i is missing (nil when none is)
}

func (c *corrInput) isNA(i int32) bool { return c.na != nil && c.na[i>>6]&(1<<(i&63)) != 0 }

// missingBits returns the bitmap of the rows in miss (nil when it is
// empty) over n rows.
func missingBits(miss []int32, n int) []uint64 {
	if len(miss) == 0 {
		return nil
	}
	na := make([]uint64, (n+63)/64)
	for _, i := range miss {
		na[i>>6] |= 1 << (i & 63)
	}
	return na
}

// floatFill centres x (NaN = missing) on shift.
func floatFill(x []float64, shift float64) func([]float64, int) {
	return func(dst []float64, lo int) {
		for k, v := range x[lo : lo+len(dst)] {
			if v != v {
				dst[k] = 0
			} else {
				dst[k] = v - shift
			}
		}
	}
}

// rankFill centres the average ranks rank2/2 (0 = missing) on shift, with
// the same operations as centring a float64 copy of the ranks would do.
func rankFill(rank2 []uint32, shift float64) func([]float64, int) {
	return func(dst []float64, lo int) {
		for k, r := range rank2[lo : lo+len(dst)] {
			if r == 0 {
				dst[k] = 0
			} else {
				dst[k] = float64(r)/2 - shift
			}
		}
	}
}

// corrMatrix returns the matrix of Pearson correlations of the columns over
// pairwise complete rows (pandas' DataFrame.corr), for columns already
// given as corrInputs. With dx, dy the shifted values, zero where missing,
// and Mx, My the missing rows, the sums over the rows where both are present
// are
//
//	Σdxdy  = Σᵢ dxᵢdyᵢ                (the zeros drop the other rows)
//	Σdx    = Σᵢ dxᵢ − Σ_{i∈My} dxᵢ,    Σdx² = Σᵢ dxᵢ² − Σ_{i∈My} dxᵢ²
//	n      = N − |Mx ∪ My|
//
// so one branch-free dot product per pair (computed blockwise for all pairs
// while a block of rows, filled by corrInput.fill into per-worker buffers of
// corrBlock rows, is in cache; rows split among the workers) plus a
// correction over the few missing rows gives
// r = (Σdxdy − ΣdxΣdy/n)/√((Σdx² − (Σdx)²/n)(Σdy² − (Σdy)²/n)).
// Diagonal entries are left to the caller.
func corrMatrix(ctx context.Context, in []corrInput, rows, workers int) ([][]float64, error) {
	k := len(in)
	out := grid(k, k)
	if k == 0 {
		return out, nil
	}
	// Per-worker accumulators over contiguous row ranges, summed in order
	// so that results do not depend on scheduling. Layout: Σdᵢdⱼ (k×k),
	// Σdᵢ, Σdᵢ² (k each), and over the rows where column j is missing:
	// Σdᵢ, Σdᵢ² and the count of rows where i is missing too (k×k each).
	const (
		offXY = iota
		offS1
		offS2
		offC1
		offC2
		offBoth
	)
	kk := k * k
	off := [...]int{0, kk, kk + k, kk + 2*k, 2*kk + 2*k, 3*kk + 2*k}
	size := 4*kk + 2*k
	parts := make([][]float64, workers)
	err := runPool(ctx, workers, workers, func(w int) {
		acc := make([]float64, size)
		d := make([][]float64, k) // the block of each column
		flat := make([]float64, k*corrBlock)
		for i := range d {
			d[i] = flat[i*corrBlock : (i+1)*corrBlock : (i+1)*corrBlock]
		}
		lo, hi := rows*w/workers, rows*(w+1)/workers
		// next missing row of each column at or after the block start
		mpos := make([]int, k)
		for j := range in {
			for mpos[j] < len(in[j].miss) && int(in[j].miss[mpos[j]]) < lo {
				mpos[j]++
			}
		}
		for b := lo; b < hi; b += corrBlock {
			e := min(b+corrBlock, hi)
			for i := range in {
				in[i].fill(d[i][:e-b], b)
			}
			// Σd and Σd² of the block, in row order, two columns at a time
			// (the sums are latency-bound chains; two pairs overlap).
			for i := 0; i < k; i += 2 {
				if i+1 == k {
					a1, a2 := sums(d[i][:e-b])
					acc[off[offS1]+i] += a1
					acc[off[offS2]+i] += a2
					break
				}
				a1, a2, c1, c2 := sums2(d[i][:e-b], d[i+1][:e-b])
				acc[off[offS1]+i] += a1
				acc[off[offS2]+i] += a2
				acc[off[offS1]+i+1] += c1
				acc[off[offS2]+i+1] += c2
			}
			for i := 0; i < k; i++ {
				x := d[i][:e-b]
				j := i + 1
				for ; j+1 < k; j += 2 {
					u, v := dot2(x, d[j][:e-b], d[j+1][:e-b])
					acc[off[offXY]+i*k+j] += u
					acc[off[offXY]+i*k+j+1] += v
				}
				if j < k {
					acc[off[offXY]+i*k+j] += dot(x, d[j][:e-b])
				}
			}
			// corrections, while the block is in cache
			for j := range in {
				m := in[j].miss
				for ; mpos[j] < len(m) && int(m[mpos[j]]) < e; mpos[j]++ {
					r := m[mpos[j]]
					for i := range in {
						if i == j {
							continue
						}
						v := d[i][int(r)-b]
						acc[off[offC1]+i*k+j] += v
						acc[off[offC2]+i*k+j] += v * v
						if in[i].isNA(r) {
							acc[off[offBoth]+i*k+j]++
						}
					}
				}
			}
		}
		parts[w] = acc
	})
	if err != nil {
		return nil, err
	}
	sum := make([]float64, size)
	for _, acc := range parts {
		for i := range sum {
			sum[i] += acc[i]
		}
	}
	at := func(o, i, j int) float64 { return sum[off[o]+i*k+j] }
	for i := 0; i < k; i++ {
		for j := i + 1; j < k; j++ {
			x, y := in[i], in[j]
			sx := sum[off[offS1]+i] - at(offC1, i, j)
			sxx := sum[off[offS2]+i] - at(offC2, i, j)
			sy := sum[off[offS1]+j] - at(offC1, j, i)
			syy := sum[off[offS2]+j] - at(offC2, j, i)
			n := float64(rows - len(x.miss) - len(y.miss) + int(at(offBoth, i, j)))
			v := math.NaN()
			if n >= 2 {
				vx, vy := sxx-sx*sx/n, syy-sy*sy/n
				if vx > 0 && vy > 0 {
					v = math.Max(-1, math.Min(1, (at(offXY, i, j)-sx*sy/n)/math.Sqrt(vx*vy)))
				}
			}
			out[i][j], out[j][i] = v, v
		}
	}
	return out, nil
}

// dot returns Σ x[i]·y[i] with four accumulators.
func dot(x, y []float64) float64 {
	y = y[:len(x)]
	var a, b, c, d float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		a += x[i] * y[i]
		b += x[i+1] * y[i+1]
		c += x[i+2] * y[i+2]
		d += x[i+3] * y[i+3]
	}
	for ; i < len(x); i++ {
		a += x[i] * y[i]
	}
	return (a + b) + (c + d)
}

// dot2 returns dot(x, y) and dot(x, z), each summed exactly as dot sums it,
// reading x once for both.
func dot2(x, y, z []float64) (float64, float64) {
	y, z = y[:len(x)], z[:len(x)]
	var a, b, c, d float64
	var e, f, g, h float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		x0, x1, x2, x3 := x[i], x[i+1], x[i+2], x[i+3]
		a += x0 * y[i]
		b += x1 * y[i+1]
		c += x2 * y[i+2]
		d += x3 * y[i+3]
		e += x0 * z[i]
		f += x1 * z[i+1]
		g += x2 * z[i+2]
		h += x3 * z[i+3]
	}
	for ; i < len(x); i++ {
		a += x[i] * y[i]
		e += x[i] * z[i]
	}
	return (a + b) + (c + d), (e + f) + (g + h)
}

// sums returns Σx and Σx², each added in order.
func sums(x []float64) (s1, s2 float64) {
	for _, v := range x {
		s1 += v
		s2 += v * v
	}
	return s1, s2
}

// sums2 returns sums(x) and sums(y) in one loop.
func sums2(x, y []float64) (x1, x2, y1, y2 float64) {
	y = y[:len(x)]
	for i, v := range x {
		w := y[i]
		x1 += v
		x2 += v * v
		y1 += w
		y2 += w * w
	}
	return x1, x2, y1, y2
}
