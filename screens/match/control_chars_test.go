package match

import (
	"testing"

	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui/uitest"
)

// Values shown in the review pane went to the terminal with their escape
// sequences: a name holding "\x1b[2J" cleared the screen.
func TestClipDropsControlCharacters(t *testing.T) {
	m := New(uitest.Common(t, themes.NameNoColor))
	for in, want := range map[string]string{
		"ann\x1b[2J":         "ann [2J",
		"bo\nb":              "bo b",
		"\x1b]0;pwned\aOslo": "]0;pwned Oslo",
	} {
		if got := m.clip(in, 40); got != want {
			t.Errorf("clip(%q) = %q, want %q", in, got, want)
		}
	}
}
