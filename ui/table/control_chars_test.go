package table_test

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui/table"
	"github.com/mlwb/mlwb/ui/uitest"
)

// Cells and names from a data file went to the terminal as they were: a cell
// holding "\x1b[2J" cleared the screen, a newline in a quoted CSV field or
// header broke the table's lines.
func TestControlCharactersAreNotWritten(t *testing.T) {
	cols := []frame.Column{
		frame.NewString("long\nname\twith tab", []string{"x\ny", "\x1b[2Jboom", "bell\a", "csi\u009b31m"}, frame.Mask{}),
		frame.NewString("e\x1b[31mred", []string{"a", "b", "c", "d"}, frame.Mask{}),
	}
	m := table.New(themes.New(uitest.Renderer(), themes.NameNoColor))
	m.SetSize(60, 8)
	m.SetData(cols)
	v := m.View()
	for _, bad := range []string{"\x1b[2J", "\x1b[31m", "\a", "\u009b", "\t"} {
		if strings.Contains(v, bad) {
			t.Errorf("view writes %q:\n%s", bad, v)
		}
	}
	ls := strings.Split(v, "\n")
	if len(ls) != 6 { // header, types, 4 rows
		t.Errorf("%d lines, want 6:\n%s", len(ls), v)
	}
	for i, l := range ls {
		if w, w0 := ansi.StringWidth(l), ansi.StringWidth(ls[0]); w != w0 || w > 60 {
			t.Errorf("line %d is %d cells wide, the header %d (at most 60): %q", i, w, w0, l)
		}
	}
	if !strings.Contains(v, "[2Jboom") || !strings.Contains(v, "x y") {
		t.Errorf("the printable rest of the cells is gone:\n%s", v)
	}
}
