package expr_test

import (
	"context"
	"fmt"

	"github.com/mlwb/mlwb/engine/expr"
	"github.com/mlwb/mlwb/engine/frame"
)

func Example() {
	f := frame.MustNew(
		frame.NewInt64("age", []int64{25, 41, 0, 35}, frame.MaskFromMissing([]bool{false, false, true, false})),
		frame.CategoricalFromStrings("city", []string{"Oslo", "Paris", "paris", "Oslo"}, nil),
	)
	e, err := expr.Parse(`age > 30 or lower(city) == "paris"`)
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := e.Bind(f)
	if err != nil {
		fmt.Println(err)
		return
	}
	rows, _ := p.Filter(context.Background())
	fmt.Println(rows)

	_, err = expr.Parse("age > 30)")
	fmt.Println(err)
	e, _ = expr.Parse("agee > 30")
	_, err = e.Bind(f)
	fmt.Println(err)
	// Output:
	// [1 2 3]
	// expr: 1:9: unexpected ")"
	// expr: unknown column "agee" (did you mean "age"?)
}
