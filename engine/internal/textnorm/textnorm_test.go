package textnorm

import "testing"

func TestFold(t *testing.T) {
	cases := map[string]string{
		"  São   PAULO ": "sao paulo",
		"Paris":          "paris",
		"paris ":         "paris",
		"Zürich\tHB":     "zurich hb",
		"":               "",
		"Ångström":       "angstrom",
	}
	for in, want := range cases {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}
