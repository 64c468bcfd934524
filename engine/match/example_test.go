package match_test

import (
	"context"
	"fmt"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/match"
)

func ExampleJaroWinkler() {
	fmt.Printf("%.4f\n", match.JaroWinkler([]rune("MARTHA"), []rune("MARHTA")))
	// Output: 0.9611
}

func ExampleDedupe() {
	f := frame.MustNew(frame.NewString("name", []string{"Akzo Nobel N.V.", "AKZO NOBEL", "Unilever", "Unilver", "Shell"}, frame.Mask{}))
	res, err := match.Dedupe(context.Background(), f, match.Config{
		Fields:     []match.Field{{Left: "name", Sim: match.SimTokenSet}},
		Threshold:  0.95,
		ReviewBand: match.Band{Lo: 0.9, Hi: 0.95},
	})
	if err != nil {
		panic(err)
	}
	for _, p := range res.Pairs {
		fmt.Printf("%d %d %.3f %s\n", p.Left, p.Right, p.Score, p.Status)
	}
	_ = res.SetStatus(res.ReviewQueue()[0], match.Accepted)
	fmt.Println(res.Clusters())
	// Output:
	// 0 1 1.000 auto
	// 2 3 0.933 review
	// [0 0 2 2 4]
}
