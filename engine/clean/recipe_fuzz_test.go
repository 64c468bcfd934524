package clean

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mlwb/mlwb/engine/frame"
)

// FuzzRecipe parses arbitrary recipe files and replays the ones that parse on
// testFrame: parsing or applying may fail, but must not panic or hang, must
// leave the input frame unchanged, and a successful replay gives one effect
// per step and never more rows than it was given.
func FuzzRecipe(f *testing.F) {
	f.Add([]byte(recipeJSON))
	for _, s := range []string{
		`{"version":1,"steps":[{"op":"drop_columns","columns":["email"]}]}`,
		`{"version":1,"steps":[{"op":"rename","columns":["age"],"params":{"to":["years"]}}]}`,
		`{"version":1,"steps":[{"op":"cast","columns":["age"],"params":{"to":"int","strict":false}}]}`,
		`{"version":1,"steps":[{"op":"cast","columns":["joined"],"params":{"to":"datetime","layout":"%Y-%m-%d"}}]}`,
		`{"version":1,"steps":[{"op":"parse_dates","columns":["joined"]}]}`,
		`{"version":1,"steps":[{"op":"drop_missing","params":{"how":"all"}}]}`,
		`{"version":1,"steps":[{"op":"impute","columns":["city"],"params":{"method":"constant","value":"Rome"}}]}`,
		`{"version":1,"steps":[{"op":"drop_duplicates","params":{"keep":"last"}}]}`,
		`{"version":1,"steps":[{"op":"trim","params":{"collapse":true}},{"op":"case","params":{"to":"title"}}]}`,
		`{"version":1,"steps":[{"op":"clip","columns":["age"],"params":{"method":"iqr","k":0}}]}`,
		`{"version":1,"steps":[{"op":"clip","columns":["id"],"params":{"lower":2.5,"upper":1e308}}]}`,
		`{"version":1,"steps":[{"op":"winsorize","columns":["age","id"],"params":{"lower":0,"upper":1}}]}`,
		`{"version":1,"steps":[{"op":"filter","params":{"expr":"age >= 30 && city != \"Oslo\""}}]}`,
		`{"version":1,"steps":[{"op":"mask","columns":["email","id"],"params":{"keep":0}}]}`,
		`{"version":1,"salt":"s","steps":[{"op":"hash","columns":["email"],"params":{"length":8}}]}`,
		`{"version":1,"undone":1,"steps":[{"op":"drop_duplicates"},{"op":"filter","params":{"expr":"id > 2"}}]}`,
		`{"version":1,"steps":[{"op":"impute","columns":["nope"],"params":{"method":"median"}}]}`,
		`{"version":2,"steps":[]}`,
		`{"version":1,"steps":[{"op":"x"}],"extra":1}`,
		``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseRecipe(data)
		if err != nil {
			return
		}
		in := testFrame()
		before := snapshotCells(in)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		g, effs, err := r.Apply(ctx, in)
		if ctx.Err() != nil {
			t.Fatalf("replay of %q took over 10 s", data)
		}
		if after := snapshotCells(in); after != before {
			t.Fatalf("replay of %q changed its input frame", data)
		}
		if err != nil {
			return
		}
		if len(effs) != r.Applied() {
			t.Errorf("%d effects for %d applied steps", len(effs), r.Applied())
		}
		if g.NumRows() > in.NumRows() {
			t.Errorf("replay of %q gave %d rows from %d", data, g.NumRows(), in.NumRows())
		}
		for _, c := range g.Columns() {
			if c.Len() != g.NumRows() {
				t.Fatalf("column %q has %d rows, frame %d", c.Name(), c.Len(), g.NumRows())
			}
		}
	})
}

// snapshotCells renders every cell of f (name, type, text or NA) to compare
// a frame before and after a replay.
func snapshotCells(f *frame.Frame) string {
	var b strings.Builder
	for _, c := range f.Columns() {
		fmt.Fprintf(&b, "%s %s:", c.Name(), c.Type())
		for i := 0; i < c.Len(); i++ {
			if c.IsNA(i) {
				b.WriteString(" NA")
			} else {
				fmt.Fprintf(&b, " %q", c.Format(i))
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}
