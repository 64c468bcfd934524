package expr

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/mlwb/mlwb/engine/frame"
)

// bigFrame is n rows of a float, an int with 3% missing, a 15-level
// categorical and a short string column.
func bigFrame(n int) *frame.Frame {
	r := rand.New(rand.NewPCG(1, 2))
	fee := make([]float64, n)
	age := make([]int64, n)
	codes := make([]int32, n)
	names := make([]string, n)
	ageNA := frame.NewMask(n)
	levels := make([]string, 15)
	for i := range levels {
		levels[i] = fmt.Sprintf("city %02d", i)
	}
	for i := range n {
		fee[i] = 20 + 80*r.Float64()
		age[i] = 18 + r.Int64N(70)
		if r.IntN(100) < 3 {
			ageNA.SetNA(i)
		}
		codes[i] = r.Int32N(15)
		names[i] = fmt.Sprintf("user%07d", r.IntN(10_000_000))
	}
	return frame.MustNew(
		frame.NewFloat64("fee", fee, frame.Mask{}),
		frame.NewInt64("age", age, ageNA),
		frame.NewCategorical("city", codes, levels),
		frame.NewString("name", names, frame.Mask{}),
	)
}

// BenchmarkFilter1M filters one million rows.
func BenchmarkFilter1M(b *testing.B) {
	f := bigFrame(1_000_000)
	for _, src := range []string{
		"fee > 50",
		"age >= 30",
		"fee > 50 && age < 40",
		`city == "city 03"`,
		`city in ("city 01", "city 07") || isna(age)`,
		`contains(name, "99")`,
		"fee * 1.2 - age / 2 > 30",
	} {
		e, err := Parse(src)
		if err != nil {
			b.Fatal(err)
		}
		p, err := e.Bind(f)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(src, func(b *testing.B) {
			for b.Loop() {
				if _, err := p.Filter(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSubstringFilter1M(b *testing.B) {
	f := bigFrame(1_000_000)
	for _, needle := range []string{"city 1", "user00", "42"} {
		b.Run(needle, func(b *testing.B) {
			for b.Loop() {
				if _, err := SubstringFilter(context.Background(), f, needle); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
