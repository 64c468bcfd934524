// Package textnorm folds the spelling differences that make one category
// value look like several: the single definition used by the profile's
// INCONSISTENT_CATEGORY alert and by the cleaning suggestions that fix it.
package textnorm

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold removes surrounding and repeated inner white space, lower-cases, and
// strips accents (canonical decomposition, NFD, then removal of non-spacing
// marks, Unicode category Mn): "  São  Paulo" and "sao paulo" both give
// "sao paulo".
func Fold(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.ToLower(s)
	d := norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(d))
	for _, r := range d {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
