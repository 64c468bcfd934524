package cli

import (
	"bytes"
	"testing"
)

// A CSV header holding ESC[31m turned the terminal red under "mlwb info";
// on a terminal, stdout now shows such bytes as '?'.
func TestPrintableWriter(t *testing.T) {
	var out bytes.Buffer
	w := &printableWriter{w: &out}
	for _, s := range []string{"a\tb\r\n", "e\x1b[31mred ", "bell\a ", "csi\u009b2J ", "split \xc2", "\x9b ", "deg \xc2", "\xb0 NBSP\u00a0"} {
		if n, err := w.Write([]byte(s)); err != nil || n != len(s) {
			t.Fatalf("Write(%q) = %d, %v", s, n, err)
		}
	}
	want := "a\tb\r\ne?[31mred bell? csi?2J split ? deg ° NBSP\u00a0"
	if got := out.String(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	// Not a terminal: the writer is left alone (files, pipes, JSON).
	if termSafe(&out) != &out {
		t.Error("termSafe wrapped a buffer")
	}
}
