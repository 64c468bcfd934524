package profile_test

import (
	"context"
	"fmt"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/profile"
)

func ExampleProfile() {
	f := frame.MustNew(
		frame.NewFloat64("price", []float64{10, 12, 11, 13, 250, 12}, frame.Mask{}),
		frame.CategoricalFromStrings("city", []string{"Paris", "paris ", "Lyon", "Lyon", "Nice", "Lyon"}, nil),
	)
	r, err := profile.Profile(context.Background(), f, profile.Options{})
	if err != nil {
		panic(err)
	}
	p := r.Columns[0].Numeric
	fmt.Printf("price: mean %.2f, median %.1f, IQR %.2f, MAD %.1f, skewness %.3f\n", p.Mean, p.P50, p.IQR, p.MAD, p.Skewness)
	for _, a := range r.Alerts {
		fmt.Printf("%s %s: %s\n", a.Column, a.Kind, a.Detail)
	}
	// Output:
	// price: mean 51.33, median 12.0, IQR 1.50, MAD 1.0, skewness 2.449
	// price OUTLIERS: 1 values (16.7%) beyond 1.5×IQR fences [9, 15]; 1 (16.7%) with robust z > 3.5
	// price HIGH_CORRELATION: highly correlated with city (eta 1.000)
	// city INCONSISTENT_CATEGORY: 1 group(s) of variants of one value: "Paris" (1) / "paris " (1)
	// city HIGH_CORRELATION: highly correlated with price (eta 1.000)
}
