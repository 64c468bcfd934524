package dataio

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseInt(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"-0", 0, true}, {"+12", 12, true}, {"007", 7, true},
		{"9223372036854775807", math.MaxInt64, true}, {"-9223372036854775808", math.MinInt64, true},
		{"9223372036854775808", 0, false}, {"-9223372036854775809", 0, false},
		{"000000000000000000000000042", 42, true}, {"99999999999999999999", 0, false},
		{"", 0, false}, {"-", 0, false}, {"1.0", 0, false}, {"1e3", 0, false}, {"12a", 0, false}, {" 1", 0, false},
	} {
		got, ok := parseInt([]byte(c.in))
		if got != c.want || ok != c.ok {
			t.Errorf("parseInt(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestParseFloat(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"1.5", 1.5, true}, {"-0.25", -0.25, true}, {".5", 0.5, true}, {"5.", 5, true}, {"+1e3", 1000, true},
		{"1E-2", 0.01, true}, {"inf", math.Inf(1), true}, {"-Infinity", math.Inf(-1), true}, {"INF", math.Inf(1), true},
		{"1e999", math.Inf(1), true}, {"0x1p4", 0, false}, {"1_0", 0, false}, {".", 0, false}, {"e5", 0, false},
		{"1e", 0, false}, {"1e+", 0, false}, {"--1", 0, false}, {"infinit", 0, false}, {"", 0, false}, {"1.5 ", 0, false},
	} {
		got, ok := parseFloat([]byte(c.in))
		if got != c.want || ok != c.ok {
			t.Errorf("parseFloat(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	if v, ok := parseFloat([]byte("NaN")); !ok || !math.IsNaN(v) {
		t.Errorf("parseFloat(NaN) = %v, %v", v, ok)
	}
	if v, _ := parseFloat([]byte("-0.0")); !math.Signbit(v) {
		t.Errorf("parseFloat(-0.0) lost the sign")
	}
}

// FuzzParseFloat checks parseFloat against strconv.ParseFloat: whenever it
// accepts, the value is bit-identical; it accepts every decimal strconv
// accepts.
func FuzzParseFloat(f *testing.F) {
	for _, s := range []string{"1.5", "123456789012345678901234", "9007199254740993", "1e-400", "0.1e23",
		"4.9406564584124654e-324", "1.7976931348623157e308", "-00012.50e+3", "inf", "nan"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseFloat([]byte(s))
		want, err := strconv.ParseFloat(s, 64)
		if err != nil {
			if ne, isNum := err.(*strconv.NumError); !isNum || ne.Err != strconv.ErrRange {
				if ok {
					t.Fatalf("parseFloat(%q) = %v, strconv rejects: %v", s, got, err)
				}
				return
			}
		}
		decimal := !strings.ContainsAny(s, "xX_pP")
		if !ok {
			if decimal {
				t.Fatalf("parseFloat(%q) rejects, strconv gives %v", s, want)
			}
			return
		}
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("parseFloat(%q) = %v (%x), strconv %v (%x)", s, got, math.Float64bits(got), want, math.Float64bits(want))
		}
	})
}

func TestParseISO(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string // RFC 3339 in UTC, "" for not a datetime
	}{
		{"2024-01-02", "2024-01-02T00:00:00Z"},
		{"2024-01-02T03:04:05Z", "2024-01-02T03:04:05Z"},
		{"2024-01-02 03:04", "2024-01-02T03:04:00Z"},
		{"2024-01-02T03:04:05.123456789-05:00", "2024-01-02T08:04:05.123456789Z"},
		{"2024-01-02T03:04:05+0130", "2024-01-02T01:34:05Z"},
		{"2024-01-02T03:04:05+01", "2024-01-02T02:04:05Z"},
		{"1900-02-28", "1900-02-28T00:00:00Z"},
		{"2000-02-29", "2000-02-29T00:00:00Z"},
		{"1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"},
		{"1900-02-29", ""}, {"2024-13-01", ""}, {"2024-1-02", ""}, {"2024-01-02T24:00", ""},
		{"2024-01-02X03:04", ""}, {"2024-01-02T03:04:05.", ""}, {"1500-01-01", ""}, {"2300-01-01", ""},
		{"2024-01-02T03:04Z0", ""},
	} {
		ns, ok := parseISO([]byte(c.in))
		got := ""
		if ok {
			got = time.Unix(0, ns).UTC().Format(time.RFC3339Nano)
		}
		if got != c.want {
			t.Errorf("parseISO(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestParseSlash(t *testing.T) {
	for _, c := range []struct {
		in       string
		md, dm   bool
		mdString string
	}{
		{"1/2/2024", true, true, "2024-01-02T00:00:00Z"},
		{"13/2/2024", false, true, ""},
		{"2/13/2024", true, false, "2024-02-13T00:00:00Z"},
		{"02/29/2023", false, false, ""},
		{"12/31/2023 23:59:58", true, false, "2023-12-31T23:59:58Z"},
		{"1/2/24", false, false, ""}, {"1-2-2024", false, false, ""}, {"1/2/2024T10:00", false, false, ""},
	} {
		p, md, dm := parseSlash([]byte(c.in))
		if md != c.md || dm != c.dm {
			t.Errorf("parseSlash(%q) valid m/d %v d/m %v, want %v %v", c.in, md, dm, c.md, c.dm)
			continue
		}
		if md {
			if got := time.Unix(0, slashToNanos(p, false)).UTC().Format(time.RFC3339); got != c.mdString {
				t.Errorf("parseSlash(%q) = %s, want %s", c.in, got, c.mdString)
			}
		}
	}
}

func TestDaysFromCivil(t *testing.T) {
	for _, d := range []time.Time{time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1600, 3, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2262, 4, 11, 0, 0, 0, 0, time.UTC), time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-400, 2, 29, 0, 0, 0, 0, time.UTC)} {
		if got := daysFromCivil(int64(d.Year()), int64(d.Month()), int64(d.Day())); got*86400 != d.Unix() {
			t.Errorf("daysFromCivil(%v) = %d, want %d", d, got, d.Unix()/86400)
		}
	}
}

func TestSniffDelimiter(t *testing.T) {
	for in, want := range map[string]byte{
		"a,b,c\n1,2,3\n":             ',',
		"a;b;c\n1,5;2;3\n":           ';',
		"a\tb\n\"x,y\"\t2\n":         '\t',
		"a|b\n1|2\n":                 '|',
		"a;b\n\"1;2\";3\n4;5\n":      ';',
		"name,text\nx,\"a;b;c;d\"\n": ',',
		"single\n1\n":                ',',
		"a,b;c\n1,2;3\n1,2;3\n":      ',',
	} {
		if got := sniffDelimiter([]byte(in), true); got != want {
			t.Errorf("sniffDelimiter(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRowEnd(t *testing.T) {
	for _, c := range []struct {
		in        string
		eof       bool
		end, open int
	}{
		{"a,b\n1,2\n3", false, 8, -1},
		{"a,\"x\ny\"\n1,\"", false, 8, 10},
		{"a,\"x\ny\"\n1,\"", true, 8, 10},
		{"1,\"x\"", true, -1, -1},
		{"1,\"x\"", false, -1, 2},
		{"x\"y\nz\n", false, 6, -1},
		{"\"a\"\"\n\"\n", false, 7, -1},
		{"a\n\"b\"c\"\n", false, 8, -1},
	} {
		end, open := rowEnd([]byte(c.in), ',', c.eof)
		if end != c.end || open != c.open {
			t.Errorf("rowEnd(%q, eof %v) = %d, %d; want %d, %d", c.in, c.eof, end, open, c.end, c.open)
		}
	}
}

func TestParseErrorFormat(t *testing.T) {
	for _, c := range []struct {
		e    ParseError
		want string
	}{
		{ParseError{File: "data.csv", Line: 12, Column: 3, Msg: "unterminated quoted field"}, "data.csv:12:3: unterminated quoted field"},
		{ParseError{File: "data.csv", Line: 12, Msg: "expected 3 fields, found 2"}, "data.csv:12: expected 3 fields, found 2"},
		{ParseError{File: "data.csv", Msg: "empty file"}, "data.csv: empty file"},
	} {
		if got := c.e.Error(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

func TestUniqueNames(t *testing.T) {
	got := strings.Join(uniqueNames([]string{"a", "a", "", "a.1", "V3", "a"}), ",")
	if want := "a,a.2,V3,a.1,V3.1,a.3"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
