package ui_test

import (
	"testing"

	"github.com/mlwb/mlwb/ui"
)

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"plain text é 漢字":      "plain text é 漢字",
		"a\nb\tc\r":            "a b c ",
		"\x1b[2Jboom":          " [2Jboom",
		"bell\a del\x7f":       "bell  del ",
		"csi\u009b31m \u00a0x": "csi 31m \u00a0x", // U+00A0 is printable
		"":                     "",
	} {
		if got := ui.Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}
