package ui

import "strings"

// Printable returns s with every character a terminal acts on instead of
// printing — the C0 controls (newline and tab included), DEL and the C1
// controls U+0080–U+009F — replaced by a space, so that text from a data
// file cannot move the cursor, clear the screen, recolour it or set the
// window title. Text without such characters is returned as is.
func Printable(s string) string {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b < 0x20 || b == 0x7f || (b == 0xc2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9f) {
			return strings.Map(printableRune, s)
		}
	}
	return s
}

func printableRune(r rune) rune {
	if r < 0x20 || (r >= 0x7f && r <= 0x9f) {
		return ' '
	}
	return r
}
