package match

import (
	"math"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns s prepared for comparison: Unicode NFD with combining marks
// removed (é → e), lower case, every rune that is not a letter or digit turned
// into a space, runs of spaces collapsed and the ends trimmed. So
// "  Ça-va, BIEN? " becomes "ca va bien".
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // drop leading spaces
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	out := b.String()
	return strings.TrimSuffix(out, " ")
}

// Jaro returns the Jaro similarity of a and b (Jaro 1989):
//
//	sim = (m/|a| + m/|b| + (m−t)/m) / 3,
//
// where m is the number of matching runes — equal runes no further apart than
// ⌊max(|a|,|b|)/2⌋−1 positions, each rune matched at most once, scanning a
// left to right — and t is half the number of matched runes that are out of
// order. It is 0 when m = 0 and 1 when both strings are empty.
func Jaro(a, b []rune) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	window := max(len(a), len(b))/2 - 1
	window = max(window, 0)
	var bufA, bufB [64]bool
	matchA, matchB := bufA[:0], bufB[:0]
	if len(a) <= 64 && len(b) <= 64 {
		matchA, matchB = bufA[:len(a)], bufB[:len(b)]
	} else {
		matchA, matchB = make([]bool, len(a)), make([]bool, len(b))
	}
	m := 0
	for i, r := range a {
		lo, hi := max(0, i-window), min(len(b), i+window+1)
		for j := lo; j < hi; j++ {
			if !matchB[j] && b[j] == r {
				matchA[i], matchB[j] = true, true
				m++
				break
			}
		}
	}
	if m == 0 {
		return 0
	}
	half, j := 0, 0
	for i, r := range a {
		if !matchA[i] {
			continue
		}
		for !matchB[j] {
			j++
		}
		if b[j] != r {
			half++
		}
		j++
	}
	fm := float64(m)
	return (fm/float64(len(a)) + fm/float64(len(b)) + (fm-float64(half)/2)/fm) / 3
}

// JaroWinkler returns the Jaro–Winkler similarity of a and b (Winkler 1990):
//
//	sim = j + ℓ·p·(1 − j)   when j = Jaro(a, b) > 0.7, else j,
//
// with ℓ the length of the common prefix, at most 4, and p = 0.1. Textbook
// values: MARTHA/MARHTA 0.9611, DWAYNE/DUANE 0.84, DIXON/DICKSONX 0.8133.
func JaroWinkler(a, b []rune) float64 {
	j := Jaro(a, b)
	if j <= 0.7 {
		return j
	}
	l := 0
	for l < 4 && l < len(a) && l < len(b) && a[l] == b[l] {
		l++
	}
	return j + float64(l)*0.1*(1-j)
}

// LevenshteinDistance returns the edit distance between a and b: the least
// number of single-rune insertions, deletions and substitutions turning a into
// b (Wagner–Fischer dynamic programme, O(|a|·|b|) time, O(|b|) space).
func LevenshteinDistance(a, b []rune) int {
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(b) == 0 {
		return len(a)
	}
	var buf [65]int
	row := buf[:0]
	if len(b) < len(buf) {
		row = buf[:len(b)+1]
	} else {
		row = make([]int, len(b)+1)
	}
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(a); i++ {
		diag := row[0]
		row[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			next := min(row[j]+1, row[j-1]+1, diag+cost)
			diag = row[j]
			row[j] = next
		}
	}
	return row[len(b)]
}

// Levenshtein returns the normalised Levenshtein similarity
//
//	sim = 1 − d(a, b) / max(|a|, |b|),
//
// lengths in runes; 1 when both are empty. kitten/sitting: 1 − 3/7.
func Levenshtein(a, b []rune) float64 {
	n := max(len(a), len(b))
	if n == 0 {
		return 1
	}
	return 1 - float64(LevenshteinDistance(a, b))/float64(n)
}

// lcsLen returns the length of the longest common subsequence of a and b.
func lcsLen(a, b []rune) int {
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(b) == 0 {
		return 0
	}
	var buf [65]int
	row := buf[:0]
	if len(b) < len(buf) {
		row = buf[:len(b)+1]
		clear(row)
	} else {
		row = make([]int, len(b)+1)
	}
	for i := 1; i <= len(a); i++ {
		diag := 0
		for j := 1; j <= len(b); j++ {
			up := row[j]
			if a[i-1] == b[j-1] {
				row[j] = diag + 1
			} else if row[j-1] > up {
				row[j] = row[j-1]
			}
			diag = up
		}
	}
	return row[len(b)]
}

// Ratio returns the normalised indel similarity, rapidfuzz's fuzz.ratio / 100
// (and fuzzywuzzy's with python-Levenshtein):
//
//	sim = 2·LCS(a, b) / (|a| + |b|),
//
// 1 when both are empty.
func Ratio(a, b []rune) float64 {
	n := len(a) + len(b)
	if n == 0 {
		return 1
	}
	return 2 * float64(lcsLen(a, b)) / float64(n)
}

// TokenSet returns the token-set ratio of two token lists, rapidfuzz's
// fuzz.token_set_ratio / 100 (fuzzywuzzy's with python-Levenshtein). With A
// and B the sets of tokens, I = A∩B, and s, s₁, s₂ the sorted tokens of I,
// A∖B and B∖A joined by single spaces:
//
//	t₁ = s + " " + s₁,  t₂ = s + " " + s₂  (just s₁, s₂ when I = ∅)
//	sim = 1                                   if I ≠ ∅ and (A⊆B or B⊆A)
//	sim = max(Ratio(t₁, t₂), Ratio(s, t₁), Ratio(s, t₂))   otherwise,
//
// where the last two count only when I ≠ ∅; sim = 0 when either list is
// empty. "fuzzy wuzzy was a bear" / "wuzzy fuzzy was a bear" scores 1.
func TokenSet(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	sa, sb := sortedSet(a), sortedSet(b)
	var inter, onlyA, onlyB []string
	i, j := 0, 0
	for i < len(sa) || j < len(sb) {
		switch {
		case j == len(sb) || (i < len(sa) && sa[i] < sb[j]):
			onlyA = append(onlyA, sa[i])
			i++
		case i == len(sa) || sb[j] < sa[i]:
			onlyB = append(onlyB, sb[j])
			j++
		default:
			inter = append(inter, sa[i])
			i++
			j++
		}
	}
	if len(inter) > 0 && (len(onlyA) == 0 || len(onlyB) == 0) {
		return 1
	}
	s := []rune(strings.Join(inter, " "))
	t1 := []rune(join2(s, onlyA))
	t2 := []rune(join2(s, onlyB))
	best := Ratio(t1, t2)
	if len(inter) > 0 {
		best = max(best, Ratio(s, t1), Ratio(s, t2))
	}
	return best
}

func join2(sect []rune, rest []string) string {
	r := strings.Join(rest, " ")
	if len(sect) == 0 {
		return r
	}
	return string(sect) + " " + r
}

// sortedSet returns the distinct tokens of t in ascending order. It returns t
// itself when t is already strictly ascending (the common case: Tokens sorts).
func sortedSet(t []string) []string {
	ok := true
	for i := 1; i < len(t); i++ {
		if t[i-1] >= t[i] {
			ok = false
			break
		}
	}
	if ok {
		return t
	}
	out := slices.Clone(t)
	slices.Sort(out)
	return slices.Compact(out)
}

// Tokens splits a normalised string on spaces and returns its distinct
// tokens in ascending order.
func Tokens(s string) []string {
	if s == "" {
		return nil
	}
	t := strings.Fields(s)
	slices.Sort(t)
	return slices.Compact(t)
}

// NumericSim returns the closeness of two numbers:
//
//	sim = max(0, 1 − |x − y| / scale),
//
// with scale the given one when it is > 0, otherwise the relative scale
// max(|x|, |y|) (so 40 and 50 score 0.8); two zeros score 1. NaN on either
// side scores 0.
func NumericSim(x, y, scale float64) float64 {
	if math.IsNaN(x) || math.IsNaN(y) {
		return 0
	}
	if x == y {
		return 1
	}
	if scale <= 0 {
		scale = max(math.Abs(x), math.Abs(y))
	}
	if math.IsInf(scale, 0) {
		return 0
	}
	return max(0, 1-math.Abs(x-y)/scale)
}
