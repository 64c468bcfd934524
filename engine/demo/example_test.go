package demo_test

import (
	"fmt"

	"github.com/mlwb/mlwb/engine/demo"
)

func ExampleCustomers() {
	f := demo.Customers(1, 0)
	fmt.Println(f.NumRows(), "rows;", f.NumCols(), "columns")
	fmt.Println(f.Names()[:5])
	// Output:
	// 20000 rows; 19 columns
	// [customer_id signup_date age gender age_band]
}

func ExampleBatches() {
	for _, b := range demo.Batches(1, 0, 0)[5:8] {
		fmt.Println(b.Week, b.Start.Format("2006-01-02"), b.Frame.NumRows(), demo.Drift(b.Week))
	}
	// Output:
	// 6 2025-02-10 1500 0
	// 7 2025-02-17 1500 0.16666666666666666
	// 8 2025-02-24 1500 0.3333333333333333
}
