package tune

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/engine/models"
)

// TestCMAESBeatsTPEOnRotatedEllipsoid: on the 8-dimensional rotated
// ellipsoid (condition number 10³) with 400 trials, CMA-ES's best averaged
// over seeds 0..4 is far below TPE's. Measured: TPE 68.27, CMA-ES 18.49
// (with 200 trials they are even: 85.70 and 87.03); asserted: CMA-ES <
// 0.5 × TPE.
func TestCMAESBeatsTPEOnRotatedEllipsoid(t *testing.T) {
	if testing.Short() {
		t.Skip("400 trials × 5 seeds × 2 samplers")
	}
	var b strings.Builder
	for j := range 8 {
		fmt.Fprintf(&b, "x%d: float -5..5\n", j)
	}
	sp := mustParse(t, b.String())
	obj := func(_ context.Context, tr *Trial) (float64, error) { return rotEllipsoid(tr, 8), nil }
	var tpe, cma float64
	for seed := range uint64(5) {
		tpe += bestOf(t, sp, NewTPE(TPEOptions{}), obj, 400, seed) / 5
		cma += bestOf(t, sp, NewCMAES(CMAESOptions{}), obj, 400, seed) / 5
	}
	t.Logf("rotated ellipsoid: tpe %.5f, cmaes %.5f", tpe, cma)
	if !(cma < 0.5*tpe) {
		t.Errorf("CMA-ES mean best %.5f is not below 0.5 × TPE's %.5f", cma, tpe)
	}
}

// TestDefaultSpacesFitModels: every default space names only parameters of
// its model, and values sampled from it are accepted by models.New.
func TestDefaultSpacesFitModels(t *testing.T) {
	known := map[string]bool{}
	for _, n := range models.Names() {
		known[n] = true
	}
	for _, name := range DefaultModels() {
		sp, err := DefaultSpace(name)
		if err != nil {
			t.Fatal(err)
		}
		if !known[name] {
			t.Logf("%s: no such model yet; space not checked against it", name)
			continue
		}
		m, err := models.New(name, nil, 1)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range m.Params() {
			names = append(names, p.Name)
		}
		if err := sp.CheckNames(name, names); err != nil {
			t.Fatal(err)
		}
		for i := range 20 {
			p, _ := Random{}.Sample(&Request{Space: sp, Rand: rand.New(rand.NewPCG(uint64(i), 0))})
			if _, err := models.New(name, sp.Text(p), 1); err != nil {
				t.Fatalf("%s: sampled %v: %v", name, sp.Text(p), err)
			}
		}
	}
	if _, err := DefaultSpace("gbtd"); err == nil || err.Error() != `tune: no default search space for model "gbtd" (did you mean "gbdt"?)` {
		t.Fatalf("got %v", err)
	}
}
