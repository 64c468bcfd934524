package drift_test

import (
	"context"
	"fmt"

	"github.com/mlwb/mlwb/engine/demo"
	"github.com/mlwb/mlwb/engine/drift"
)

// Compare the demo's last weekly batch with the training data: build the
// reference once, then compare as many batches as arrive.
func Example() {
	ctx := context.Background()
	ref, err := drift.NewReference(ctx, demo.Customers(1, 20000), drift.Options{Target: "churn"})
	if err != nil {
		panic(err)
	}
	week12 := demo.Batches(1, 12, 1500)[11].Frame
	rep, err := ref.Compare(ctx, week12)
	if err != nil {
		panic(err)
	}
	fmt.Printf("dataset drift: %v (%d of %d columns)\n", rep.DatasetDrift, rep.Drifted, rep.Compared)
	age, _ := rep.Column("age")
	fmt.Printf("age: %s %.2f ≥ %.1f, effect %.2f %s\n", age.Method, age.Score, age.Threshold, age.EffectSize, age.Effect)
	// Output:
	// dataset drift: true (7 of 14 columns)
	// age: wasserstein 0.65 ≥ 0.1, effect 0.65 wasserstein_std
}
