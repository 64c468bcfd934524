package profile

import (
	"fmt"
	"github.com/mlwb/mlwb/engine/internal/textnorm"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Limits of the text checks, which look at distinct values (weighted by their
// counts) rather than at every row.
const (
	// maxTextLevels is the number of distinct values (in order of first
	// appearance) that the INCONSISTENT_CATEGORY, PII, TYPE_DATE and mixed
	// type checks examine.
	maxTextLevels = 10000
	// PIIShare is the share of examined non-missing values that must match
	// one PII pattern for the PII alert.
	PIIShare = 0.5
	// MixedNumericShare is the least share of numeric-looking values for a
	// text column mixing numbers and text to get the UNSUPPORTED alert.
	MixedNumericShare = 0.1
	// maxVariantGroups is how many inconsistent groups an alert's detail lists.
	maxVariantGroups = 5
)

// textAlerts runs the checks on the level texts of a categorical or string
// column: INCONSISTENT_CATEGORY, PII, TYPE_DATE and UNSUPPORTED (mixed types).
func textAlerts(name string, levels []string, counts []int) []Alert {
	var out []Alert
	var examined, numeric, dates, nonEmpty int
	pii := map[string]int{}
	groups := map[string][]int{}
	var keys []string
	seen := 0
	for i, lv := range levels {
		c := counts[i]
		if c == 0 {
			continue
		}
		if seen++; seen > maxTextLevels {
			break
		}
		examined += c
		s := strings.TrimSpace(lv)
		if s == "" {
			continue
		}
		nonEmpty++
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			numeric += c
		}
		if isDate(s) {
			dates++
		}
		if k := piiKind(s); k != "" {
			pii[k] += c
		}
		key := textnorm.Fold(lv)
		if _, ok := groups[key]; !ok {
			keys = append(keys, key)
		}
		groups[key] = append(groups[key], i)
	}
	if examined == 0 {
		return nil
	}

	// INCONSISTENT_CATEGORY: values equal after trim, lower case and accent
	// removal.
	var bad []string
	nGroups := 0
	for _, k := range keys {
		g := groups[k]
		if len(g) < 2 {
			continue
		}
		nGroups++
		if len(bad) < maxVariantGroups {
			v := make([]string, len(g))
			for j, i := range g {
				v[j] = fmt.Sprintf("%q (%d)", levels[i], counts[i])
			}
			bad = append(bad, strings.Join(v, " / "))
		}
	}
	if nGroups > 0 {
		d := fmt.Sprintf("%d group(s) of variants of one value: %s", nGroups, strings.Join(bad, "; "))
		out = append(out, Alert{Column: name, Kind: InconsistentCategory, Detail: d, Value: float64(nGroups)})
	}

	// PII: the most frequent kind, when it covers PIIShare of the values.
	best, bestN := "", 0
	for _, k := range piiKinds {
		if pii[k] > bestN {
			best, bestN = k, pii[k]
		}
	}
	if share := float64(bestN) / float64(examined); bestN > 0 && share >= PIIShare {
		out = append(out, Alert{Column: name, Kind: PII,
			Detail: fmt.Sprintf("%s in %.1f%% of values", best, 100*share), Value: share})
	}

	// TYPE_DATE: every examined non-empty value parses as a date.
	if nonEmpty > 0 && dates == nonEmpty {
		out = append(out, Alert{Column: name, Kind: TypeDate,
			Detail: "text values all parse as dates; load the column as datetime", Value: 1})
	}

	// UNSUPPORTED: numbers mixed with text.
	if share := float64(numeric) / float64(examined); share >= MixedNumericShare && numeric < examined {
		var sample string
		for i, lv := range levels {
			if counts[i] == 0 || strings.TrimSpace(lv) == "" {
				continue
			}
			if _, err := strconv.ParseFloat(strings.TrimSpace(lv), 64); err != nil {
				sample = lv
				break
			}
		}
		out = append(out, Alert{Column: name, Kind: Unsupported,
			Detail: fmt.Sprintf("mixed types: %.1f%% numeric, %.1f%% text (e.g. %q)", 100*share, 100*(1-share), sample),
			Value:  share})
	}
	return out
}

var dateLayouts = []string{
	"2006-01-02", "2006-01-02 15:04:05", "2006-01-02T15:04:05", time.RFC3339, time.RFC3339Nano,
	"2006/01/02", "02/01/2006", "01/02/2006", "02.01.2006", "2 Jan 2006", "Jan 2, 2006", "January 2, 2006",
}

// isDate reports whether s parses with one of dateLayouts.
func isDate(s string) bool {
	if len(s) < 8 || len(s) > 35 {
		return false
	}
	for _, l := range dateLayouts {
		if _, err := time.Parse(l, s); err == nil {
			return true
		}
	}
	return false
}

// PII kinds, in the order ties are broken.
var piiKinds = []string{"e-mail addresses", "IBANs", "card numbers", "IP addresses", "phone numbers"}

var (
	emailRE = regexp.MustCompile(`^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$`)
	phoneRE = regexp.MustCompile(`^\+?[0-9 ().\-]{7,24}$`)
	ibanRE  = regexp.MustCompile(`^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$`)
)

// piiKind returns the kind of personal data s looks like, or "":
//   - e-mail: local@domain.tld;
//   - IBAN: country letters, check digits, 11–30 alphanumerics (spaces
//     ignored), with the ISO 13616 mod-97 check equal to 1;
//   - card number: 13–19 digits (spaces and dashes ignored) passing Luhn;
//   - IP address: IPv4 dotted quad or IPv6 (net/netip);
//   - phone: 7–15 digits with optional leading + and separators (space,
//     dot, dash, parentheses), not a plain number and not a date; a bare
//     digit string counts only with a leading +.
func piiKind(s string) string {
	if len(s) > 64 {
		return ""
	}
	if strings.IndexByte(s, '@') > 0 && emailRE.MatchString(s) {
		return "e-mail addresses"
	}
	compact := strings.NewReplacer(" ", "", "-", "").Replace(s)
	if ibanRE.MatchString(compact) && ibanValid(compact) {
		return "IBANs"
	}
	if n := len(compact); n >= 13 && n <= 19 && allDigits(compact) && luhn(compact) {
		return "card numbers"
	}
	if strings.ContainsAny(s, ".:") {
		if a, err := netip.ParseAddr(s); err == nil && a.IsValid() && (strings.Count(s, ".") == 3 || strings.Contains(s, ":")) {
			return "IP addresses"
		}
	}
	if phoneRE.MatchString(s) && !isDate(s) {
		digits := 0
		for _, r := range s {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		_, numErr := strconv.ParseFloat(s, 64)
		sep := strings.ContainsAny(s, " ().-")
		if digits >= 7 && digits <= 15 && (s[0] == '+' || (sep && numErr != nil)) {
			return "phone numbers"
		}
	}
	return ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// luhn reports whether the digit string passes the Luhn (mod 10) check.
func luhn(s string) bool {
	sum := 0
	for i := 0; i < len(s); i++ {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// ibanValid applies the ISO 13616 check: move the first four characters to
// the end, replace letters by 10..35, and the number mod 97 must be 1.
func ibanValid(s string) bool {
	r := s[4:] + s[:4]
	m := 0
	for i := 0; i < len(r); i++ {
		c := r[i]
		switch {
		case c >= '0' && c <= '9':
			m = (m*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			m = (m*100 + int(c-'A') + 10) % 97
		default:
			return false
		}
	}
	return m == 1
}
