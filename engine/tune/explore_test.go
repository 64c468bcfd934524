package tune

import (
	"os"
	"testing"
)

func TestExplore(t *testing.T) {
	if os.Getenv("TUNE_EXPLORE") == "" {
		t.Skip()
	}
	for _, pb := range []struct {
		name string
		sp   *Space
		obj  Objective
	}{{"branin", braninSpace(t), braninObj}, {"hartmann6", hartmannSpace(t), hartmannObj}} {
		for _, sn := range []string{"random", "tpe", "tpe-multivariate", "cmaes"} {
			var sum float64
			for seed := range uint64(10) {
				smp, _ := NewSampler(sn)
				sum += bestOf(t, pb.sp, smp, pb.obj, 50, seed)
			}
			t.Logf("%s %s mean best %.5f", pb.name, sn, sum/10)
		}
	}
}
