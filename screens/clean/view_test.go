package clean

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/ui/uitest"
)

var sizes = [][2]int{{80, 24}, {120, 40}}

// TestViewGolden shows a recipe of three steps, the last undone, with the
// recipe pane focused.
func TestViewGolden(t *testing.T) {
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			ws := newWorkspace(t, "customers", customers())
			h := open(t, ws, "customers", sz[0], sz[1], themes.NameDark)
			h.pick(t, "drop exact duplicate rows")
			h.keys(t, "enter")
			h.focusColumn(t, "age")
			h.pick(t, "impute")
			h.keys(t, "enter")
			h.focusColumn(t, "city")
			h.pick(t, "normalise case")
			h.keys(t, "enter", "u", "tab")
			v := h.View()
			checkSize(t, v, sz[0], sz[1])
			golden.RequireEqual(t, []byte(v))
		})
	}
}

// TestFormGolden shows the impute form with its live preview.
func TestFormGolden(t *testing.T) {
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			ws := newWorkspace(t, "customers", customers())
			h := open(t, ws, "customers", sz[0], sz[1], themes.NameDark)
			h.focusColumn(t, "satisfaction")
			h.pick(t, "impute")
			h.keys(t, "down", "right")
			v := h.View()
			checkSize(t, v, sz[0], sz[1])
			golden.RequireEqual(t, []byte(v))
		})
	}
}

// TestMergeCategoriesGolden shows the variant groups of city, one left out.
func TestMergeCategoriesGolden(t *testing.T) {
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			ws := newWorkspace(t, "customers", customers())
			h := open(t, ws, "customers", sz[0], sz[1], themes.NameNoColor)
			h.focusColumn(t, "city")
			h.pick(t, "merge variant spellings")
			h.keys(t, "down", " ", "right")
			v := h.View()
			checkSize(t, v, sz[0], sz[1])
			golden.RequireEqual(t, []byte(v))
		})
	}
}

// TestMergeGolden shows the plan of a left join.
func TestMergeGolden(t *testing.T) {
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			c := customers()
			seg, err := c.Select("customer_id", "plan")
			must(t, err)
			ws := newWorkspace(t, "customers", c, "plans", seg.Slice(0, 300))
			h := open(t, ws, "customers", sz[0], sz[1], themes.NameDark)
			h.keys(t, "m", "down", "down", "right")
			v := h.View()
			checkSize(t, v, sz[0], sz[1])
			golden.RequireEqual(t, []byte(v))
		})
	}
}

func TestNoWorkspaceGolden(t *testing.T) {
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			m := New(uitest.Common(t, themes.NameDark))
			m.SetSize(sz[0], sz[1])
			m.Update(ui.DatasetLoadedMsg{Name: "customers.csv", Frame: customers()})
			v := m.View()
			checkSize(t, v, sz[0], sz[1])
			golden.RequireEqual(t, []byte(v))
		})
	}
}
