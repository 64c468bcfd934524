package models

import "math"

// gbExpTable holds 2^(j/64), j = 0..63.
var gbExpTable = func() (t [64]float64) {
	for j := range t {
		t[j] = math.Exp2(float64(j) / 64)
	}
	return t
}()

// gbExp returns e^x to within a few units in the last place, several
// times faster than math.Exp, for the gradients of every boosting round;
// outside |x| < 700, and for NaN, it is math.Exp. Table-driven reduction
// (Tang 1989, "Table-driven implementation of the exponential function in
// IEEE floating-point arithmetic"):
//
//	x = (64m + j)·ln2/64 + r,  k = 64m + j = round(64x/ln2),  |r| ≤ ln2/128,
//	r = (x − k·c_hi) − k·c_lo    (c_hi + c_lo = ln2/64, c_hi with 36
//	                             significant bits, so k·c_hi is exact)
//	e^x = 2^m · 2^(j/64) · Σ_{n=0}^{5} rⁿ/n!   (remainder < 0.0055⁶/6! ≈ 4e-17)
//
// with 2^m built from its exponent bits and the polynomial evaluated by
// Estrin's scheme (short dependency chains).
func gbExp(x float64) float64 {
	if !(x > -700 && x < 700) {
		return math.Exp(x)
	}
	const (
		cHi   = 0.010830424696223417  // ln2/64 to 36 bits
		cLo   = 2.572804622327669e-14 // ln2/64 − cHi
		inv   = 92.33248261689366     // 64/ln2
		shift = 1 << 17               // 64·700/ln2 < 2¹⁷: the sum is positive
	)
	// Truncating a positive value rounds 64x/ln2 to nearest.
	k := int64(x*inv+shift+0.5) - shift
	kf := float64(k)
	r := (x - kf*cHi) - kf*cLo
	r2 := r * r
	p := (1 + r) + r2*((1.0/2+r*(1.0/6))+r2*(1.0/24+r*(1.0/120)))
	return p * gbExpTable[k&63] * math.Float64frombits(uint64((k>>6)+1023)<<52)
}
