package clean

import (
	"strings"
	"testing"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/themes"
)

// A column named "e\x1b[31mred" (from a CSV header) was written to the
// terminal as is, turning the pane red; a newline in a name broke the pane.
func TestColumnNamesWithControlCharacters(t *testing.T) {
	f := frame.MustNew(
		frame.NewInt64("e\x1b[31mred", []int64{1, 2}, frame.Mask{}),
		frame.NewString("two\nlines", []string{"a", "b"}, frame.Mask{}),
	)
	h := open(t, newWorkspace(t, "nasty", f), "nasty", 80, 24, themes.NameNoColor)
	v := h.View()
	if strings.Contains(v, "\x1b[31m") || strings.Contains(v, "two\nlines") {
		t.Errorf("control characters of column names reach the terminal:\n%q", v)
	}
	if !strings.Contains(v, "e [31mred") || !strings.Contains(v, "two lines") {
		t.Errorf("column names not shown with spaces for the controls:\n%s", v)
	}
}
