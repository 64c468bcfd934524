package profile

import (
	"strings"
	"testing"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/themes"
)

// The detail pane wrote a column name and its alerts ("highly correlated
// with e\x1b[31mred") to the terminal with their escape sequences.
func TestDetailWithControlCharacters(t *testing.T) {
	n := 40
	a, b := make([]int64, n), make([]int64, n)
	for i := range n {
		a[i], b[i] = int64(i), int64(2*i)
	}
	f := frame.MustNew(
		frame.NewInt64("e\x1b[31mred", a, frame.Mask{}),
		frame.NewInt64("b\u009b2J", b, frame.Mask{}),
	)
	m := newScreen(t, 100, 30, themes.NameNoColor, f)
	v := m.View()
	for _, bad := range []string{"\x1b[31m", "\u009b"} {
		if strings.Contains(v, bad) {
			t.Errorf("view writes %q:\n%s", bad, v)
		}
	}
	if !strings.Contains(v, "e [31mred") {
		t.Errorf("column name not shown:\n%s", v)
	}
	checkFits(t, v, 100, 30)
}
