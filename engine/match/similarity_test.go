package match

import (
	"math"
	"testing"
	"unicode/utf8"
)

// Reference values for Ratio and TokenSet come from a direct Python
// transcription of rapidfuzz's fuzz.ratio and fuzz.token_set_ratio (LCS by
// dynamic programming), divided by 100:
//
//	def lcs(a,b):
//	    prev=[0]*(len(b)+1)
//	    for x in a:
//	        cur=[0]
//	        for j,y in enumerate(b):
//	            cur.append(prev[j]+1 if x==y else max(prev[j+1],cur[j]))
//	        prev=cur
//	    return prev[-1]
//	def ratio(a,b): return 2*lcs(a,b)/(len(a)+len(b)) if a or b else 1.0
//	def tsr(s1,s2):
//	    A,B=set(s1.split()),set(s2.split())
//	    if not A or not B: return 0
//	    I=A&B; dab=A-B; dba=B-A
//	    if I and (not dab or not dba): return 1.0
//	    s=" ".join(sorted(I)); x=" ".join(sorted(dab)); y=" ".join(sorted(dba))
//	    t1=(s+" "+x) if s else x; t2=(s+" "+y) if s else y
//	    r=ratio(t1,t2)
//	    if s: r=max(r,ratio(s,t1),ratio(s,t2))
//	    return r
//
// rapidfuzz's documentation gives fuzz.ratio("this is a test", "this is a
// test!") = 96.55 and token_set_ratio("fuzzy was a bear", "fuzzy fuzzy was a
// bear") = 100, which this transcription reproduces.

func TestJaroWinklerTextbook(t *testing.T) {
	// Winkler's and Wikipedia's examples, given to 4 decimals (tolerance
	// 5e-5, half a unit in the last place); the Jaro values are exact
	// fractions: MARTHA m=6 t=1: (1+1+5/6)/3; DWAYNE m=4 t=0: (4/6+4/5+1)/3;
	// DIXON m=4 t=0: (4/5+4/8+1)/3.
	cases := []struct {
		a, b     string
		jaro, jw float64
	}{
		{"MARTHA", "MARHTA", (1 + 1 + 5.0/6) / 3, 0.9611},
		{"DWAYNE", "DUANE", (4.0/6 + 4.0/5 + 1) / 3, 0.84},
		{"DIXON", "DICKSONX", (4.0/5 + 4.0/8 + 1) / 3, 0.8133},
		{"CRATE", "TRACE", (3.0/5 + 3.0/5 + 1) / 3, (3.0/5 + 3.0/5 + 1) / 3}, // no common prefix
		{"ABC", "XYZ", 0, 0},
		{"", "", 1, 1},
		{"A", "", 0, 0},
		{"SAME", "SAME", 1, 1},
	}
	for _, c := range cases {
		a, b := []rune(c.a), []rune(c.b)
		if got := Jaro(a, b); math.Abs(got-c.jaro) > 1e-12 {
			t.Errorf("Jaro(%q, %q) = %.6f, want %.6f", c.a, c.b, got, c.jaro)
		}
		if got := JaroWinkler(a, b); math.Abs(got-c.jw) > 5e-5 {
			t.Errorf("JaroWinkler(%q, %q) = %.6f, want %.4f", c.a, c.b, got, c.jw)
		}
		if got := JaroWinkler(b, a); math.Abs(got-JaroWinkler(a, b)) > 1e-12 {
			t.Errorf("JaroWinkler not symmetric on %q, %q", c.a, c.b)
		}
	}
}

func TestLevenshtein(t *testing.T) {
	cases := []struct {
		a, b string
		d    int
		sim  float64
	}{
		{"kitten", "sitting", 3, 1 - 3.0/7},
		{"flaw", "lawn", 2, 0.5},
		{"", "", 0, 1},
		{"abc", "", 3, 0},
		{"café", "cafe", 1, 0.75}, // runes, not bytes
		{"same", "same", 0, 1},
	}
	for _, c := range cases {
		a, b := []rune(c.a), []rune(c.b)
		if got := LevenshteinDistance(a, b); got != c.d {
			t.Errorf("LevenshteinDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
		if got := Levenshtein(a, b); math.Abs(got-c.sim) > 1e-12 {
			t.Errorf("Levenshtein(%q, %q) = %v, want %v", c.a, c.b, got, c.sim)
		}
	}
}

func TestRatioAndTokenSet(t *testing.T) {
	cases := []struct {
		a, b            string
		ratio, tokenSet float64
	}{
		{"this is a test", "this is a test!", 0.9655172413793104, 0.9655172413793104},
		{"fuzzy wuzzy was a bear", "wuzzy fuzzy was a bear", 0.9090909090909091, 1},
		{"fuzzy was a bear", "fuzzy fuzzy was a bear", 32.0 / 38, 1},
		{"mariners vs angels", "los angeles angels of anaheim at seattle mariners", 0.3582089552238806, 0.9090909090909091},
		{"new york mets vs atlanta braves", "atlanta braves vs new york mets", 0.45161290322580644, 1},
		{"electronics konink philips", "electronics konink phillips", 0.9811320754716981, 0.9811320754716981},
		{"akzo nobel", "akzo novel", 0.9, 0.9},
		{"abc", "xyz", 0, 0},
	}
	for _, c := range cases {
		if got := Ratio([]rune(c.a), []rune(c.b)); math.Abs(got-c.ratio) > 1e-12 {
			t.Errorf("Ratio(%q, %q) = %v, want %v", c.a, c.b, got, c.ratio)
		}
		ta, tb := Tokens(Normalize(c.a)), Tokens(Normalize(c.b))
		if c.a == "this is a test" { // Normalize would drop the "!"
			ta, tb = []string{"a", "is", "test", "this"}, []string{"a", "is", "test!", "this"}
		}
		if got := TokenSet(ta, tb); math.Abs(got-c.tokenSet) > 1e-12 {
			t.Errorf("TokenSet(%q, %q) = %v, want %v", c.a, c.b, got, c.tokenSet)
		}
	}
	if got := TokenSet(nil, []string{"a"}); got != 0 {
		t.Errorf("TokenSet with an empty side = %v, want 0", got)
	}
}

func TestNormalize(t *testing.T) {
	cases := map[string]string{
		"  Ça-va, BIEN? ":            "ca va bien",
		"* AKZO NOBEL N.V.":          "akzo nobel n v",
		"Müller & Söhne GmbH":        "muller sohne gmbh",
		"":                           "",
		"---":                        "",
		"10/100 Switch\t\n- EZXS88W": "10 100 switch ezxs88w",
	}
	for in, want := range cases {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNumeric(t *testing.T) {
	cases := []struct {
		x, y, scale, want float64
	}{
		{40, 50, 0, 0.8},
		{0, 0, 0, 1},
		{100, 110, 20, 0.5},
		{100, 200, 20, 0},
		{-5, 5, 0, 0},
		{math.NaN(), 1, 0, 0},
	}
	for _, c := range cases {
		if got := NumericSim(c.x, c.y, c.scale); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("NumericSim(%v, %v, %v) = %v, want %v", c.x, c.y, c.scale, got, c.want)
		}
	}
	nums := map[string]float64{"$44.00": 44, "$1,299.99": 1299.99, "-3.5 kg": -3.5, ".5": 0.5, "USD 12": 12, "7.": 7}
	for in, want := range nums {
		if got, ok := ParseNumber(in); !ok || got != want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "n/a", "-", "."} {
		if _, ok := ParseNumber(in); ok {
			t.Errorf("ParseNumber(%q) reported a number", in)
		}
	}
}

// FuzzLCS checks the bit-parallel LCS against the dynamic programme, across
// word boundaries (strings longer than 64 runes) and non-ASCII runes.
func FuzzLCS(f *testing.F) {
	f.Add("kitten", "sitting")
	f.Add("électronique philips", "electronics phillips")
	f.Add(string(make([]byte, 70)), "abc")
	f.Add("the quick brown fox jumps over the lazy dog and keeps running far away", "a quick brown dog jumps over the lazy fox and keeps walking far away from here")
	f.Fuzz(func(t *testing.T, a, b string) {
		if !utf8.ValidString(a) || !utf8.ValidString(b) || len(a) > 400 || len(b) > 400 {
			return
		}
		ra, rb := []rune(a), []rune(b)
		var sc scratch
		if got, want := lcsBits(ra, rb, &sc), lcsLen(ra, rb); got != want {
			t.Fatalf("lcsBits(%q, %q) = %d, DP says %d", a, b, got, want)
		}
	})
}

// FuzzTokenSet checks the interned fast path against TokenSet.
func FuzzTokenSet(f *testing.F) {
	f.Add("mariners vs angels", "los angeles angels of anaheim at seattle mariners")
	f.Add("akzo nobel", "akzo novel")
	f.Add("a b c", "c d e")
	f.Fuzz(func(t *testing.T, a, b string) {
		if len(a) > 300 || len(b) > 300 {
			return
		}
		ta, tb := Tokens(Normalize(a)), Tokens(Normalize(b))
		all := map[string]struct{}{}
		for _, w := range append(append([]string(nil), ta...), tb...) {
			all[w] = struct{}{}
		}
		v, ids := newVocab(all)
		ia, ib := make([]int32, len(ta)), make([]int32, len(tb))
		for i, w := range ta {
			ia[i] = ids[w]
		}
		for i, w := range tb {
			ib[i] = ids[w]
		}
		var sc scratch
		got, want := tokenSetIDs(v, ia, ib, &sc), TokenSet(ta, tb)
		if math.Abs(got-want) > 1e-12 {
			t.Fatalf("tokenSetIDs(%q, %q) = %v, TokenSet = %v", a, b, got, want)
		}
	})
}
