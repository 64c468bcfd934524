package tune

import (
	"math"
	"math/rand/v2"
	"testing"
)

// history returns n complete trials on sp, sampled at random, with a
// smooth objective of their numeric values.
func history(sp *Space, n int) []TrialResult {
	out := make([]TrialResult, n)
	for i := range out {
		rng := rand.New(rand.NewPCG(1, uint64(i)))
		p, _ := Random{}.Sample(&Request{Space: sp, Rand: rng})
		var v float64
		for _, x := range p {
			v += math.Sin(x.Num)
		}
		out[i] = TrialResult{Number: i, State: Complete, Params: p, Value: v}
	}
	return out
}

// benchSample measures one Sample call with 1,000 complete trials: the
// sampler overhead per trial of a long study (the 5 ms budget). As in a
// study, each call sees one trial more than the one before (1,000 + i), so
// what a sampler keeps between calls is brought up to date as it would be.
func benchSample(b *testing.B, sp *Space, smp Sampler) {
	h := history(sp, 1000+b.N)
	b.ResetTimer()
	for i := range b.N {
		r := &Request{Space: sp, Trials: h[:1000+i], Number: 1000 + i, Rand: rand.New(rand.NewPCG(2, uint64(i)))}
		if _, err := smp.Sample(r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTPE1000 is TPE on the gbdt default space (9 parameters: ints,
// floats, log scales, a categorical and two conditionals).
func BenchmarkTPE1000(b *testing.B) {
	sp, _ := DefaultSpace("gbdt")
	benchSample(b, sp, NewTPE(TPEOptions{}))
}

// BenchmarkTPE1000Hartmann6 is TPE on six continuous parameters.
func BenchmarkTPE1000Hartmann6(b *testing.B) { benchSample(b, hartmannSpace(b), NewTPE(TPEOptions{})) }

// BenchmarkTPEMultivariate1000 is multivariate TPE on the gbdt space.
func BenchmarkTPEMultivariate1000(b *testing.B) {
	sp, _ := DefaultSpace("gbdt")
	benchSample(b, sp, NewTPE(TPEOptions{Multivariate: true}))
}

// BenchmarkCMAES1000 is CMA-ES on Hartmann-6 (the 1,000 random trials are
// not of its generations, so this times sampling and history scans).
func BenchmarkCMAES1000(b *testing.B) { benchSample(b, hartmannSpace(b), NewCMAES(CMAESOptions{})) }
