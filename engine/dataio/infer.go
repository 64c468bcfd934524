package dataio

import (
	"math"
	"strconv"
	"unsafe"
)

// kind is the type a column (or one chunk of it) has been inferred to hold.
// The zero value kNone means "only missing cells so far".
type kind uint8

const (
	kNone  kind = iota // no value seen yet
	kInt               // fits int64
	kFloat             // decimal or inf/nan
	kBool              // true/false, True/False, TRUE/FALSE
	kISO               // ISO 8601 date or date-time, stored as Unix nanoseconds
	kSlash             // d/m/Y or m/d/Y, stored packed until the order is known
	kText              // anything else: categorical or string
)

var kindNames = [...]string{"none", "int", "float", "bool", "datetime", "datetime", "text"}

func (k kind) String() string { return kindNames[k] }

// isSpace reports ASCII white space, which is ignored around cells for type
// inference and missing-marker matching.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'
}

// numberByte reports whether c can begin or continue a plain number.
func numberByte(c byte) bool { return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' }

func trimSpace(b []byte) []byte {
	if len(b) == 0 || (!isSpace(b[0]) && !isSpace(b[len(b)-1])) {
		return b
	}
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// markerSet matches trimmed cells against the missing markers.
type markerSet struct {
	numeric bool // some marker starts like a number
	first   [256]bool
	maxLen  int
	set     map[string]struct{}
}

func newMarkerSet(markers []string) *markerSet {
	m := &markerSet{set: make(map[string]struct{}, len(markers))}
	for _, s := range markers {
		t := trimSpace([]byte(s))
		if len(t) == 0 {
			continue // empty and blank cells are always missing
		}
		m.set[string(t)] = struct{}{}
		m.first[t[0]] = true
		m.numeric = m.numeric || numberByte(t[0])
		m.maxLen = max(m.maxLen, len(t))
	}
	return m
}

// missing reports whether the trimmed cell t is a missing value.
func (m *markerSet) missing(t []byte) bool {
	if len(t) == 0 {
		return true
	}
	if len(t) > m.maxLen || !m.first[t[0]] {
		return false
	}
	_, ok := m.set[string(t)]
	return ok
}

// parseInt parses an optionally signed decimal integer that fits in int64.
// Leading zeros are allowed ("007" is 7).
func parseInt(b []byte) (int64, bool) {
	i := 0
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		i = 1
	}
	if i == len(b) {
		return 0, false
	}
	for i < len(b)-1 && b[i] == '0' {
		i++
	}
	if len(b)-i > 19 {
		return 0, false
	}
	var u uint64
	for ; i < len(b); i++ {
		c := b[i] - '0'
		if c > 9 {
			return 0, false
		}
		u = u*10 + uint64(c)
	}
	if neg {
		if u > 1<<63 {
			return 0, false
		}
		return -int64(u), true
	}
	if u > 1<<63-1 {
		return 0, false
	}
	return int64(u), true
}

var pow10tab = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseFloat parses a decimal floating-point number: [+-] digits [. digits]
// [(e|E) [+-] digits], with digits on at least one side of the point, or
// inf, infinity or nan in any case, optionally signed. Hexadecimal floats and
// underscores are not numbers here. Results are correctly rounded and equal to
// strconv.ParseFloat's: the common case (at most 19 significant digits, value
// exactly representable as an integer mantissa ≤ 2^53 times 10^±22) is computed
// exactly as in Clinger's fast path (W. D. Clinger, "How to read floating point
// numbers accurately", PLDI 1990): one IEEE multiplication or division of two
// exact values is correctly rounded. Everything else goes to strconv.
// Values out of float64 range are ±Inf, as in pandas.
func parseFloat(b []byte) (float64, bool) {
	i := 0
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		i = 1
	}
	if i == len(b) {
		return 0, false
	}
	if c := b[i]; c != '.' && (c < '0' || c > '9') {
		return parseSpecial(b[i:], neg)
	}
	var mant uint64
	nd, exp := 0, 0
	digits, dropped := false, false
	for ; i < len(b); i++ {
		c := b[i] - '0'
		if c > 9 {
			break
		}
		digits = true
		if mant == 0 && c == 0 {
			continue
		}
		if nd < 19 {
			mant = mant*10 + uint64(c)
			nd++
		} else {
			dropped = true
			exp++
		}
	}
	if i < len(b) && b[i] == '.' {
		for i++; i < len(b); i++ {
			c := b[i] - '0'
			if c > 9 {
				break
			}
			digits = true
			if mant == 0 && c == 0 {
				exp--
				continue
			}
			if nd < 19 {
				mant = mant*10 + uint64(c)
				nd++
				exp--
			} else {
				dropped = true
			}
		}
	}
	if !digits {
		return 0, false
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		eneg := false
		if i < len(b) && (b[i] == '-' || b[i] == '+') {
			eneg = b[i] == '-'
			i++
		}
		if i == len(b) {
			return 0, false
		}
		e := 0
		for ; i < len(b); i++ {
			c := b[i] - '0'
			if c > 9 {
				return 0, false
			}
			if e < 100000 {
				e = e*10 + int(c)
			}
		}
		if eneg {
			e = -e
		}
		exp += e
	}
	if i != len(b) {
		return 0, false
	}
	if mant == 0 {
		if neg {
			return math.Copysign(0, -1), true
		}
		return 0, true
	}
	if !dropped && mant <= 1<<53 && exp >= -22 && exp <= 22 {
		f := float64(mant)
		if exp < 0 {
			f /= pow10tab[-exp]
		} else {
			f *= pow10tab[exp]
		}
		if neg {
			f = -f
		}
		return f, true
	}
	return strconvFloat(b)
}

func strconvFloat(b []byte) (float64, bool) {
	f, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(b), len(b)), 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true
		}
		return 0, false
	}
	return f, true
}

// parseSpecial parses inf, infinity and nan (any case) after an optional sign.
func parseSpecial(b []byte, neg bool) (float64, bool) {
	switch len(b) {
	case 3:
		if lowerEq(b, "inf") {
			return math.Inf(sign(neg)), true
		}
		if lowerEq(b, "nan") {
			return math.NaN(), true
		}
	case 8:
		if lowerEq(b, "infinity") {
			return math.Inf(sign(neg)), true
		}
	}
	return 0, false
}

func sign(neg bool) int {
	if neg {
		return -1
	}
	return 1
}

// lowerEq reports whether b equals the lower-case ASCII word w, ignoring case.
func lowerEq(b []byte, w string) bool {
	if len(b) != len(w) {
		return false
	}
	for i := range b {
		if b[i]|0x20 != w[i] {
			return false
		}
	}
	return true
}

// parseBool accepts only true/false, True/False and TRUE/FALSE; 0/1 stay ints.
func parseBool(b []byte) (v, ok bool) {
	switch string(b) {
	case "true", "True", "TRUE":
		return true, true
	case "false", "False", "FALSE":
		return false, true
	}
	return false, false
}

// Datetimes are held as int64 Unix nanoseconds, which cover 1677-09-21 to
// 2262-04-11; dates outside that range are not datetimes (the column is text).
const (
	minUnixSec = math.MinInt64/1_000_000_000 + 1
	maxUnixSec = math.MaxInt64/1_000_000_000 - 1
)

// daysFromCivil returns the days since 1970-01-01 of a proleptic Gregorian
// date. Algorithm from H. Hinnant, "chrono-Compatible Low-Level Date
// Algorithms" (days_from_civil).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func daysIn(m, y int64) int64 {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// digits parses b[i:i+n] as an unsigned decimal number.
func digitsAt(b []byte, i, n int) (int64, bool) {
	if i+n > len(b) {
		return 0, false
	}
	var v int64
	for _, c := range b[i : i+n] {
		c -= '0'
		if c > 9 {
			return 0, false
		}
		v = v*10 + int64(c)
	}
	return v, true
}

// parseISO parses YYYY-MM-DD, optionally followed by 'T' or ' ' and
// HH:MM[:SS[.fraction]] and a zone Z, ±HH, ±HHMM or ±HH:MM. Times without a
// zone are UTC. It returns Unix nanoseconds.
func parseISO(b []byte) (int64, bool) {
	if len(b) < 10 || b[4] != '-' || b[7] != '-' {
		return 0, false
	}
	y, ok1 := digitsAt(b, 0, 4)
	mo, ok2 := digitsAt(b, 5, 2)
	d, ok3 := digitsAt(b, 8, 2)
	if !ok1 || !ok2 || !ok3 || mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y) {
		return 0, false
	}
	sec := daysFromCivil(y, mo, d) * 86400
	var nanos int64
	if len(b) > 10 {
		if b[10] != 'T' && b[10] != ' ' {
			return 0, false
		}
		s, ns, i, ok := parseClock(b, 11)
		if !ok {
			return 0, false
		}
		sec += s
		nanos = ns
		if i < len(b) {
			off, ok := parseZone(b[i:])
			if !ok {
				return 0, false
			}
			sec -= off
		}
	}
	if sec < minUnixSec || sec > maxUnixSec {
		return 0, false
	}
	return sec*1e9 + nanos, true
}

// parseClock parses HH:MM[:SS[.fraction]] at b[i:] and returns the seconds of
// the day, the nanoseconds, and the index after it.
func parseClock(b []byte, i int) (sec, nanos int64, next int, ok bool) {
	h, ok1 := digitsAt(b, i, 2)
	if !ok1 || i+2 >= len(b) || b[i+2] != ':' {
		return 0, 0, 0, false
	}
	mi, ok2 := digitsAt(b, i+3, 2)
	if !ok2 || h > 23 || mi > 59 {
		return 0, 0, 0, false
	}
	sec = h*3600 + mi*60
	i += 5
	if i < len(b) && b[i] == ':' {
		s, ok := digitsAt(b, i+1, 2)
		if !ok || s > 59 {
			return 0, 0, 0, false
		}
		sec += s
		i += 3
		if i < len(b) && (b[i] == '.' || b[i] == ',') {
			i++
			n := 0
			scale := int64(1e9)
			for i < len(b) && b[i] >= '0' && b[i] <= '9' {
				if n < 9 {
					scale /= 10
					nanos += int64(b[i]-'0') * scale
				}
				n++
				i++
			}
			if n == 0 {
				return 0, 0, 0, false
			}
		}
	}
	return sec, nanos, i, true
}

// parseZone parses Z, ±HH, ±HHMM or ±HH:MM and returns the offset east of UTC
// in seconds.
func parseZone(b []byte) (int64, bool) {
	if len(b) == 1 && b[0] == 'Z' {
		return 0, true
	}
	if len(b) < 3 || (b[0] != '+' && b[0] != '-') {
		return 0, false
	}
	h, ok := digitsAt(b, 1, 2)
	if !ok || h > 23 {
		return 0, false
	}
	var m int64
	switch len(b) {
	case 3:
	case 5:
		m, ok = digitsAt(b, 3, 2)
	case 6:
		if b[3] != ':' {
			return 0, false
		}
		m, ok = digitsAt(b, 4, 2)
	default:
		return 0, false
	}
	if !ok || m > 59 {
		return 0, false
	}
	off := h*3600 + m*60
	if b[0] == '-' {
		off = -off
	}
	return off, true
}

// Slash dates a/b/YYYY [HH:MM[:SS]] are kept packed as
// year<<32 | a<<27 | b<<22 | secondsOfDay until the column's day/month order
// is known. mdOK and dmOK say whether the cell is a valid date read as
// month/day/year and as day/month/year.
func parseSlash(b []byte) (packed int64, mdOK, dmOK bool) {
	i := 0
	a, n := smallNum(b, i)
	if n == 0 || i+n >= len(b) || b[i+n] != '/' {
		return 0, false, false
	}
	i += n + 1
	c, n := smallNum(b, i)
	if n == 0 || i+n >= len(b) || b[i+n] != '/' {
		return 0, false, false
	}
	i += n + 1
	y, ok := digitsAt(b, i, 4)
	if !ok || y < 1678 || y > 2261 {
		return 0, false, false
	}
	i += 4
	var sod int64
	if i < len(b) {
		if b[i] != ' ' {
			return 0, false, false
		}
		s, ns, next, ok := parseClock(b, i+1)
		if !ok || ns != 0 || next != len(b) {
			return 0, false, false
		}
		sod = s
	}
	mdOK = a >= 1 && a <= 12 && c >= 1 && c <= daysIn(a, y)
	dmOK = c >= 1 && c <= 12 && a >= 1 && a <= daysIn(c, y)
	return y<<32 | a<<27 | c<<22 | sod, mdOK, dmOK
}

// smallNum parses one or two digits at b[i:].
func smallNum(b []byte, i int) (int64, int) {
	var v int64
	n := 0
	for n < 2 && i+n < len(b) && b[i+n] >= '0' && b[i+n] <= '9' {
		v = v*10 + int64(b[i+n]-'0')
		n++
	}
	return v, n
}

// slashToNanos turns a packed slash date into Unix nanoseconds, reading it as
// day/month/year when dayFirst and month/day/year otherwise.
func slashToNanos(p int64, dayFirst bool) int64 {
	y := p >> 32
	a := (p >> 27) & 31
	c := (p >> 22) & 31
	sod := p & (1<<22 - 1)
	m, d := a, c
	if dayFirst {
		m, d = c, a
	}
	return (daysFromCivil(y, m, d)*86400 + sod) * 1e9
}
