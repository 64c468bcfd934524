package dataio

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/engine/frame"
)

// chunkSizes are the chunk sizes every fixture is read with: the default,
// and tiny ones that put chunk boundaries everywhere, including inside quoted
// fields and CRLF pairs.
var chunkSizes = []int{defaultChunkSize, 1, 3, 7, 16, 64}

// readStr reads s with the given chunk size through a seekable reader.
func readStr(s, name string, opt Options, chunk int) (*frame.Frame, error) {
	return readCSV(context.Background(), readerSource(strings.NewReader(s)), name, opt, chunk)
}

// dump renders a frame as "name:type" lines, then one line per row with
// cells separated by '|' and missing cells shown as <NA>.
func dump(f *frame.Frame) string {
	var b strings.Builder
	for j, c := range f.Columns() {
		if j > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s:%s", c.Name(), c.Type())
	}
	b.WriteByte('\n')
	for i := 0; i < f.NumRows(); i++ {
		for j, c := range f.Columns() {
			if j > 0 {
				b.WriteByte('|')
			}
			if c.IsNA(i) {
				b.WriteString("<NA>")
			} else {
				b.WriteString(c.Format(i))
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// checkRead reads in with every chunk size and every worker count and
// compares the dump with want.
func checkRead(t *testing.T, name, in string, opt Options, want string) {
	t.Helper()
	for _, cs := range chunkSizes {
		for _, w := range []int{1, 3} {
			opt.Workers = w
			f, err := readStr(in, name, opt, cs)
			if err != nil {
				t.Fatalf("chunk %d workers %d: %v", cs, w, err)
			}
			if got := dump(f); got != want {
				t.Fatalf("chunk %d workers %d:\ngot\n%s\nwant\n%s", cs, w, got, want)
			}
		}
	}
}

// checkErr reads in with every chunk size and checks the error text.
func checkErr(t *testing.T, name, in string, opt Options, want string) {
	t.Helper()
	for _, cs := range chunkSizes {
		_, err := readStr(in, name, opt, cs)
		if err == nil {
			t.Fatalf("chunk %d: no error, want %q", cs, want)
		}
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("chunk %d: error %T %v is not a *ParseError", cs, err, err)
		}
		if err.Error() != want {
			t.Fatalf("chunk %d: error %q, want %q", cs, err.Error(), want)
		}
	}
}

func TestReadCSVTypes(t *testing.T) {
	in := "i,f,b,d,t,c,s\n" +
		"1,1.5,true,2024-01-02,2024-01-02T03:04:05Z,a,x1\n" +
		"-2,-0.25,False,2024-02-29,2024-01-02 03:04:05,b,x2\n" +
		"3,1e3,TRUE,1999-12-31,2024-01-02T03:04:05.5+02:00,a,x3\n" +
		"4,,false,,,a,x4\n"
	want := "i:int f:float b:bool d:datetime t:datetime c:categorical s:string\n" +
		"1|1.5|true|2024-01-02|2024-01-02 03:04:05|a|x1\n" +
		"-2|-0.25|false|2024-02-29|2024-01-02 03:04:05|b|x2\n" +
		"3|1000|true|1999-12-31|2024-01-02 01:04:05.5|a|x3\n" +
		"4|<NA>|false|<NA>|<NA>|a|x4\n"
	checkRead(t, "t.csv", in, Options{}, want)
}

func TestReadCSVQuoting(t *testing.T) {
	in := "\xEF\xBB\xBFname,note,n\r\n" +
		"\"Smith, John\",\"said \"\"hi\"\"\",1\r\n" +
		"\"multi\r\nline\",\"\",2\r\n" +
		"plain,\"a\"b,3\r\n" +
		"x\"y,\"\"\"\",4" // no final newline
	want := "name:string note:string n:int\n" +
		"Smith, John|said \"hi\"|1\n" +
		"multi\r\nline|<NA>|2\n" +
		"plain|ab|3\n" +
		"x\"y|\"|4\n"
	checkRead(t, "q.csv", in, Options{}, want)
}

func TestReadCSVBlankLines(t *testing.T) {
	in := "\n\na,b\n1,2\n\n3,4\n   \n\r\n\n\n"
	want := "a:int b:int\n1|2\n3|4\n"
	checkRead(t, "b.csv", in, Options{}, want)
}

func TestReadCSVMissing(t *testing.T) {
	in := "a,b,c,d,e\n" +
		"1,NA,x,1.5,inf\n" +
		"N/A,null,NaN,NaN,-inf\n" +
		"?,  ,y,nan,Infinity\n" +
		"4,5,x,2,-Infinity\n"
	want := "a:int b:int c:string d:float e:float\n" +
		"1|<NA>|x|1.5|inf\n" +
		"<NA>|<NA>|<NA>|<NA>|-inf\n" +
		"<NA>|<NA>|y|<NA>|inf\n" +
		"4|5|x|2|-inf\n"
	checkRead(t, "m.csv", in, Options{}, want)

	// Custom markers replace the defaults; empty cells stay missing.
	in = "a,b\n-999,NA\n3,\n"
	want = "a:int b:string\n<NA>|NA\n3|<NA>\n"
	checkRead(t, "m.csv", in, Options{MissingMarkers: []string{"-999"}}, want)
}

func TestReadCSVWhitespace(t *testing.T) {
	// Numbers are trimmed for inference; text keeps its spaces.
	in := "a,b\n 1 , x\n2 ,y \n 3,x\n4, x\n"
	want := "a:int b:string\n1| x\n2|y \n3|x\n4| x\n"
	checkRead(t, "w.csv", in, Options{}, want)
}

func TestReadCSVNumbers(t *testing.T) {
	in := "big,mix,hex,lead,exp\n" +
		"9223372036854775807,1,0x10,007,1E5\n" +
		"-9223372036854775808,2.5,1_000,-0010,.5e-1\n" +
		"9223372036854775808,3,5,+3,5.\n"
	want := "big:float mix:float hex:string lead:int exp:float\n" +
		"9.223372036854776e+18|1|0x10|7|100000\n" +
		"-9.223372036854776e+18|2.5|1_000|-10|0.05\n" +
		"9.223372036854776e+18|3|5|3|5\n"
	checkRead(t, "n.csv", in, Options{}, want)
}

func TestReadCSVBoolAndInt(t *testing.T) {
	// 0/1 stay ints; bool mixed with numbers is text; yes/no is text.
	in := "a,b,c\n0,true,yes\n1,1,no\n1,false,yes\n0,true,no\n"
	want := "a:int b:string c:categorical\n0|true|yes\n1|1|no\n1|false|yes\n0|true|no\n"
	checkRead(t, "b.csv", in, Options{}, want)
}

func TestReadCSVSlashDates(t *testing.T) {
	// all fields ≤ 12: month first
	in := "d\n01/02/2024\n3/4/2024\n"
	checkRead(t, "d.csv", in, Options{}, "d:datetime\n2024-01-02\n2024-03-04\n")
	// a first field > 12 anywhere (even last) makes the column day first
	in = "d\n01/02/2024\n3/4/2024\n31/12/2023 10:30\n"
	checkRead(t, "d.csv", in, Options{}, "d:datetime\n2024-02-01\n2024-04-03\n2023-12-31 10:30:00\n")
	// a second field > 12 makes it month first
	in = "d\n01/02/2024\n12/31/2023\n"
	checkRead(t, "d.csv", in, Options{}, "d:datetime\n2024-01-02\n2023-12-31\n")
	// both: not dates
	in = "d\n13/01/2024\n01/13/2024\n01/13/2024\n13/01/2024\n"
	checkRead(t, "d.csv", in, Options{}, "d:categorical\n13/01/2024\n01/13/2024\n01/13/2024\n13/01/2024\n")
	// invalid dates are text
	in = "d\n2024-02-30\n2024-01-01\n"
	checkRead(t, "d.csv", in, Options{}, "d:string\n2024-02-30\n2024-01-01\n")
}

func TestReadCSVLateText(t *testing.T) {
	// A text cell after many numbers turns the column into text and every
	// earlier cell keeps its original spelling.
	var b strings.Builder
	b.WriteString("x,y\n")
	var want strings.Builder
	want.WriteString("x:string y:int\n")
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&b, "%d.50,%d\n", i, i)
		fmt.Fprintf(&want, "%d.50|%d\n", i, i)
	}
	b.WriteString("oops,300\n")
	want.WriteString("oops|300\n")
	checkRead(t, "late.csv", b.String(), Options{}, want.String())

	// Same with a non-seekable reader (the input is spooled in memory).
	f, err := readCSV(context.Background(), readerSource(io.MultiReader(strings.NewReader(b.String()))), "late.csv", Options{}, 64)
	if err != nil {
		t.Fatal(err)
	}
	if got := dump(f); got != want.String() {
		t.Fatalf("non-seekable reader:\n%s", got)
	}
}

func TestReadCSVIntThenFloat(t *testing.T) {
	var b, want strings.Builder
	b.WriteString("x\n")
	want.WriteString("x:float\n")
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, "%d\n", i)
		fmt.Fprintf(&want, "%d\n", i)
	}
	b.WriteString("\n0.5\nNA\n")
	want.WriteString("0.5\n<NA>\n")
	checkRead(t, "x.csv", b.String(), Options{}, want.String())
}

func TestReadCSVCategoricalRule(t *testing.T) {
	// categorical when distinct values ≤ half the non-missing cells
	checkRead(t, "c.csv", "c\na\nb\na\nb\n", Options{}, "c:categorical\na\nb\na\nb\n")
	checkRead(t, "c.csv", "c\na\nb\nc\na\n", Options{}, "c:string\na\nb\nc\na\n")
	// levels in order of first appearance, also after a second pass
	f, err := readStr("c\n1\n2\nb\na\nb\n1\n1\n1\n", "c.csv", Options{}, 4)
	if err != nil {
		t.Fatal(err)
	}
	c := f.Col(0).(*frame.CategoricalCol)
	if got := strings.Join(c.Levels, ","); got != "1,2,b,a" {
		t.Fatalf("levels %s, want 1,2,b,a", got)
	}
}

func TestReadCSVManyLevels(t *testing.T) {
	// more than 65535 distinct values: string, even when they repeat
	var b strings.Builder
	b.WriteString("s\n")
	for r := 0; r < 2; r++ {
		for i := 0; i < 70000; i++ {
			fmt.Fprintf(&b, "v%d\n", i)
		}
	}
	f, err := readStr(b.String(), "s.csv", Options{}, 100000)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := f.Col(0).(*frame.StringCol)
	if !ok || c.Len() != 140000 || c.Data[69999] != "v69999" || c.Data[70000] != "v0" {
		t.Fatalf("got %T len %d", f.Col(0), f.NumRows())
	}
}

func TestReadCSVHeader(t *testing.T) {
	// numbers over numeric columns: data, named V1..Vn
	checkRead(t, "h.csv", "1,2.5\n3,4\n", Options{}, "V1:int V2:float\n1|2.5\n3|4\n")
	// missing first-row cells still allow data
	checkRead(t, "h.csv", "1,,-2.5\n3,4,5\n", Options{}, "V1:int V2:int V3:float\n1|<NA>|-2.5\n3|4|5\n")
	// a text cell in the first row makes it a header
	checkRead(t, "h.csv", "1,,x\n3,4,5\n", Options{}, "1:int V2:int x:int\n3|4|5\n")
	// a numeric first row over a text column is a header
	checkRead(t, "h.csv", "1,2\na,3\nb,4\na,5\nb,6\n", Options{}, "1:categorical 2:int\na|3\nb|4\na|5\nb|6\n")
	checkRead(t, "h.csv", "a,b\n1,2\n", Options{Header: HeaderNo}, "V1:string V2:string\na|b\n1|2\n")
	checkRead(t, "h.csv", "1,2\n3,4\n", Options{Header: HeaderYes}, "1:int 2:int\n3|4\n")
	// empty and duplicate names
	checkRead(t, "h.csv", "a,,a,a.1,a, V2 \n1,2,3,4,5,6\n", Options{},
		"a:int V2:int a.2:int a.1:int a.3:int V2.1:int\n1|2|3|4|5|6\n")
	// header only: no rows, string columns
	checkRead(t, "h.csv", "a,b\n", Options{}, "a:string b:string\n")
	checkRead(t, "h.csv", "a,b", Options{}, "a:string b:string\n")
	// all-missing column with rows: float
	checkRead(t, "h.csv", "a,b\n1,\n2,NA\n", Options{}, "a:int b:float\n1|<NA>\n2|<NA>\n")
}

func TestReadCSVDelimiters(t *testing.T) {
	want := "a:int b:string\n1|x,y\n2|z\n"
	checkRead(t, "d.csv", "a;b\n1;x,y\n2;z\n", Options{}, want)
	checkRead(t, "d.csv", "a|b\n1|x,y\n2|z\n", Options{}, want)
	checkRead(t, "d.csv", "a\tb\n1\tx,y\n2\tz\n", Options{}, want)
	checkRead(t, "d.csv", "a,b\n1,\"x,y\"\n2,z\n", Options{}, want)
	checkRead(t, "d.tsv", "a\tb\n1\tx,y\n2\tz\n", Options{}, want)
	checkRead(t, "d.txt", "a;b\n1;x,y\n2;z\n", Options{Delimiter: ';'}, want)
	// one column: no delimiter found
	checkRead(t, "d.csv", "a\n1\n2\n", Options{}, "a:int\n1\n2\n")
	if _, err := readStr("a\n", "d.csv", Options{Delimiter: '"'}, 64); err == nil {
		t.Fatal("quote accepted as delimiter")
	}
}

func TestReadCSVLenient(t *testing.T) {
	in := "a,b,c\n1,2,3\n4,5\n6,7,8,9\n"
	checkRead(t, "l.csv", in, Options{Lenient: true}, "a:int b:int c:int\n1|2|3\n4|5|<NA>\n6|7|8\n")
}

func TestReadCSVErrors(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"short row", "a,b,c\n1,2,3\n4,5\n", "e.csv:3: expected 3 fields, found 2"},
		{"long row", "a,b\n1,2\n\n3,4,5\n", "e.csv:4: expected 2 fields, found 3"},
		{"unterminated", "a,b\n1,2\n3,\"abc\n4,5\n", "e.csv:3:3: unterminated quoted field"},
		{"unterminated header", "\"a,b\n1,2\n", "e.csv:1:1: unterminated quoted field"},
		{"invalid utf8", "a,b\n1,x\n2,ab\xffc\n", "e.csv:3:5: invalid UTF-8"},
		{"invalid utf8 quoted", "a,b\n1,x\n2,\"a\nb\xff\"\n", "e.csv:4:2: invalid UTF-8"},
		{"invalid utf8 header", "a,\xfe\n1,2\n", "e.csv:1:3: invalid UTF-8"},
		{"nul", "a,b\n1,2\n3,\x00\n", "e.csv:3:3: NUL byte in input (not a text file?)"},
		{"empty", "", "e.csv: empty file"},
		{"blank", "\xEF\xBB\xBF\n\r\n  \n", "e.csv: empty file"},
	} {
		t.Run(c.name, func(t *testing.T) { checkErr(t, "e.csv", c.in, Options{}, c.want) })
	}
	_, err := readStr("", "e.csv", Options{}, 64)
	if !errors.Is(err, ErrEmpty) {
		t.Fatalf("empty file error %v does not wrap ErrEmpty", err)
	}
}

// TestReadCSVLateError checks that an error in a late chunk is reported with
// its absolute line even though earlier chunks parsed fine.
func TestReadCSVLateError(t *testing.T) {
	var b strings.Builder
	b.WriteString("a,b\n")
	for i := 0; i < 5000; i++ {
		b.WriteString("1,\"x\ny\"\n")
	}
	b.WriteString("1,2,3\n")
	checkErr(t, "e.csv", b.String(), Options{}, "e.csv:10002: expected 2 fields, found 3")
}

func TestReadCSVBigField(t *testing.T) {
	big := strings.Repeat("ab,\"\n", 2<<20) // 10 MiB of quoted content
	in := "id,text\n1,\"" + strings.ReplaceAll(big, "\"", "\"\"") + "\"\n2,short\n"
	for _, cs := range []int{defaultChunkSize, 1 << 16} {
		f, err := readStr(in, "big.csv", Options{}, cs)
		if err != nil {
			t.Fatal(err)
		}
		c := f.Col(1).(*frame.StringCol)
		if f.NumRows() != 2 || c.Data[0] != big || c.Data[1] != "short" {
			t.Fatalf("chunk %d: rows %d, len %d", cs, f.NumRows(), len(c.Data[0]))
		}
	}
}

func TestReadCSVBinary(t *testing.T) {
	// pseudo-random bytes without NUL must give an error, never a panic or hang
	x := uint64(88172645463325252)
	for n := 0; n < 50; n++ {
		b := make([]byte, 1+n*997)
		for i := range b {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			b[i] = byte(x) | 1
		}
		f, err := readStr(string(b), "bin.csv", Options{}, 256)
		if err == nil {
			t.Fatalf("len %d: read %d x %d without error", len(b), f.NumRows(), f.NumCols())
		}
	}
}

func TestReadCSVCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ReadCSV(ctx, strings.NewReader("a\n1\n"), "c.csv", Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	// cancelled while reading: from the progress callback
	var b strings.Builder
	b.WriteString("a,b\n")
	for i := 0; i < 20000; i++ {
		b.WriteString("1,2\n")
	}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	opt := Options{Progress: func(done, total int64) {
		if calls++; calls == 3 {
			cancel()
		}
	}}
	if _, err := readCSV(ctx, readerSource(strings.NewReader(b.String())), "c.csv", opt, 1000); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

func TestReadCSVProgress(t *testing.T) {
	in := strings.Repeat("1,2\n", 100000)
	var last, total int64
	calls := 0
	opt := Options{Progress: func(d, t int64) { last, total = d, t; calls++ }}
	if _, err := readCSV(context.Background(), readerSource(strings.NewReader(in)), "p.csv", opt, 4096); err != nil {
		t.Fatal(err)
	}
	if calls < 5 || last != int64(len(in)) || total != int64(len(in)) {
		t.Fatalf("calls %d, last %d/%d, want ≥ 5 and %d/%d", calls, last, total, len(in), len(in))
	}
}

func TestReadCSVFloatExact(t *testing.T) {
	// values across the fast path's limits must equal strconv's
	vals := []string{"0.1", "123456789012345678", "9007199254740993", "1.7976931348623157e308",
		"4.9e-324", "1e23", "2.2250738585072011e-308", "0.30000000000000004", "1e400", "-1e-400",
		"123456.789e-3", "00000000000000000000000001.5"}
	f, err := readStr("x\n"+strings.Join(vals, "\n")+"\n", "f.csv", Options{}, 64)
	if err != nil {
		t.Fatal(err)
	}
	c := f.Col(0).(*frame.Float64Col)
	for i, s := range vals {
		want, _ := strconvFloat([]byte(s))
		if c.Data[i] != want && !(math.IsNaN(want) && math.IsNaN(c.Data[i])) {
			t.Errorf("%s: got %v, want %v", s, c.Data[i], want)
		}
	}
}

func TestReadCSVFileGzip(t *testing.T) {
	dir := t.TempDir()
	in := "a,b\n1,x\n2,y\n3,x\n4,y\n"
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	zw.Write([]byte(in))
	zw.Close()
	gz := filepath.Join(dir, "t.csv.gz")
	if err := os.WriteFile(gz, zb.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Load(context.Background(), gz, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := dump(f), "a:int b:categorical\n1|x\n2|y\n3|x\n4|y\n"; got != want {
		t.Fatalf("got\n%s", got)
	}
	// truncated gzip
	bad := filepath.Join(dir, "bad.csv.gz")
	os.WriteFile(bad, zb.Bytes()[:zb.Len()-10], 0o644)
	_, err = Load(context.Background(), bad, Options{})
	if err == nil || err.Error() != bad+": read: unexpected EOF" || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("truncated gzip: %v", err)
	}
	// a gzip file whose text needs a second pass (decompressed again)
	var b strings.Builder
	b.WriteString("v\n")
	for i := 0; i < 100000; i++ {
		b.WriteString("1.0\n")
	}
	b.WriteString("x\n")
	zb.Reset()
	zw = gzip.NewWriter(&zb)
	zw.Write([]byte(b.String()))
	zw.Close()
	os.WriteFile(gz, zb.Bytes(), 0o644)
	src, closeFn, err := fileSource(gz)
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	f, err = readCSV(context.Background(), src, gz, Options{}, 4096)
	if err != nil {
		t.Fatal(err)
	}
	c := f.Col(0).(*frame.CategoricalCol)
	if f.NumRows() != 100001 || c.Str(0) != "1.0" || c.Str(100000) != "x" || len(c.Levels) != 2 {
		t.Fatalf("rows %d, levels %v", f.NumRows(), c.Levels)
	}
	// .tsv.gz means tab
	var tb bytes.Buffer
	zw = gzip.NewWriter(&tb)
	zw.Write([]byte("a\tb\n1\tx,y\n"))
	zw.Close()
	tsv := filepath.Join(dir, "t.tsv.gz")
	os.WriteFile(tsv, tb.Bytes(), 0o644)
	if f, err = Load(context.Background(), tsv, Options{}); err != nil || dump(f) != "a:int b:string\n1|x,y\n" {
		t.Fatalf("tsv.gz: %v", err)
	}
}

func TestDetectFormat(t *testing.T) {
	for in, want := range map[string]string{
		"a.csv": "csv", "A.CSV.GZ": "csv", "x/b.tsv": "tsv", "c.jsonl": "jsonl", "c.ndjson.gz": "jsonl",
		"d.json": "json", "e.parquet": "parquet", "f.arff": "arff", "g.txt": "csv",
	} {
		got, err := DetectFormat(in)
		if err != nil || got != want {
			t.Errorf("%s: %q, %v, want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"a.xlsx", "noext", "e.parquet.gz"} {
		if _, err := DetectFormat(in); err == nil {
			t.Errorf("%s: no error", in)
		}
	}
}

// sharedData is ../shared/data relative to this package; tests that read it
// skip when it is absent.
const sharedData = "../../../shared/data"

func loadShared(t *testing.T, name string) *frame.Frame {
	t.Helper()
	p := filepath.Join(sharedData, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s not available", p)
	}
	f, err := Load(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestSharedData(t *testing.T) {
	for _, c := range []struct {
		file       string
		rows, cols int
		check      func(t *testing.T, f *frame.Frame)
	}{
		{"california_housing.csv", 20640, 10, func(t *testing.T, f *frame.Frame) {
			c, _ := f.Column("total_bedrooms")
			if c.Type() != frame.Float || c.NullCount() != 207 {
				t.Errorf("total_bedrooms %s with %d missing, want float with 207", c.Type(), c.NullCount())
			}
			if c, _ := f.Column("ocean_proximity"); c.Type() != frame.Categorical {
				t.Errorf("ocean_proximity is %s", c.Type())
			}
		}},
		{"adult.csv", 32561, 15, nil},
		{"bike_sharing_hour.csv", 17379, 17, func(t *testing.T, f *frame.Frame) {
			if c, _ := f.Column("dteday"); c.Type() != frame.Datetime {
				t.Errorf("dteday is %s", c.Type())
			}
			if c, _ := f.Column("cnt"); c.Type() != frame.Int {
				t.Errorf("cnt is %s (CRLF left in the last column?)", c.Type())
			}
		}},
		{"electricity_elec2.csv", 45312, 9, nil},
		{"wine_noheader.csv", 178, 14, func(t *testing.T, f *frame.Frame) {
			if f.Col(0).Name() != "V1" {
				t.Errorf("first column %q, want V1 (no header)", f.Col(0).Name())
			}
		}},
		{"titanic_train.csv", 891, 12, func(t *testing.T, f *frame.Frame) {
			c, _ := f.Column("Name")
			if got := c.Format(0); got != "Braund, Mr. Owen Harris" {
				t.Errorf("Name[0] = %q", got)
			}
			if c, _ := f.Column("Age"); c.NullCount() != 177 {
				t.Errorf("Age missing %d, want 177", c.NullCount())
			}
		}},
	} {
		t.Run(c.file, func(t *testing.T) {
			f := loadShared(t, c.file)
			if f.NumRows() != c.rows || f.NumCols() != c.cols {
				t.Fatalf("%d x %d, want %d x %d", f.NumRows(), f.NumCols(), c.rows, c.cols)
			}
			if c.check != nil {
				c.check(t, f)
			}
		})
	}
}

func TestLoadDispatch(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string, gz bool) string {
		p := filepath.Join(dir, name)
		b := []byte(s)
		if gz {
			var zb bytes.Buffer
			zw := gzip.NewWriter(&zb)
			zw.Write(b)
			zw.Close()
			b = zb.Bytes()
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, p := range []string{
		write("a.jsonl", "{\"a\":1}\n{\"a\":2}\n", false),
		write("a.ndjson.gz", "{\"a\":1}\n{\"a\":2}\n", true),
		write("a.data", "a\n1\n2\n", false), // unknown extension, format given below
	} {
		opt := Options{}
		if strings.HasSuffix(p, ".data") {
			opt.Format = "csv"
		}
		f, err := Load(context.Background(), p, opt)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if got := dump(f); got != "a:int\n1\n2\n" {
			t.Fatalf("%s:\n%s", p, got)
		}
	}
	// CSV → Parquet → Load gives the same table
	src, err := readStr("i,f,c,d\n1,1.5,a,2024-01-02\n2,,a,\n3,2.5,b,2024-03-04\n4,3,b,2024-05-06\n", "x.csv", Options{}, 64)
	if err != nil {
		t.Fatal(err)
	}
	pq := filepath.Join(dir, "x.parquet")
	if err := WriteParquetFile(pq, src); err != nil {
		t.Fatal(err)
	}
	f, err := Load(context.Background(), pq, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := dump(f), dump(src); got != want {
		t.Fatalf("parquet round trip:\n%s\nwant\n%s", got, want)
	}
	if _, err := Load(context.Background(), filepath.Join(dir, "none.csv"), Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
	if _, err := Load(context.Background(), "x.csv", Options{Format: "xls"}); err == nil {
		t.Fatal("unknown format accepted")
	}
}

// TestReadCSVRedoStringMode turns a numeric column into a string column with
// more than 65535 distinct values: the numeric chunks are read again.
func TestReadCSVRedoStringMode(t *testing.T) {
	var b strings.Builder
	b.WriteString("v,n\n")
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&b, "%d.0,%d\n", i, i)
	}
	for i := 0; i < 70000; i++ {
		fmt.Fprintf(&b, "v%d,%d\n", i, i)
	}
	for _, nonSeek := range []bool{false, true} {
		var r io.Reader = strings.NewReader(b.String())
		if nonSeek {
			r = io.MultiReader(r)
		}
		f, err := readCSV(context.Background(), readerSource(r), "r.csv", Options{}, 1<<16)
		if err != nil {
			t.Fatal(err)
		}
		c, ok := f.Col(0).(*frame.StringCol)
		if !ok || f.NumRows() != 72000 || c.Data[0] != "0.0" || c.Data[1999] != "1999.0" || c.Data[2000] != "v0" || c.NullCount() != 0 {
			t.Fatalf("non-seekable %v: %T rows %d", nonSeek, f.Col(0), f.NumRows())
		}
	}
}

// TestReadCSVHeaderRerunNonSeekable: the first row looked like data, but a
// column under a number is text, so the input is read again with a header.
func TestReadCSVHeaderRerunNonSeekable(t *testing.T) {
	in := "1,2\n" + strings.Repeat("a,3\nb,4\n", 3000)
	f, err := readCSV(context.Background(), readerSource(io.MultiReader(strings.NewReader(in))), "h.csv", Options{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if f.NumRows() != 6000 || f.Col(0).Name() != "1" || f.Col(0).Type() != frame.Categorical || f.Col(1).Type() != frame.Int {
		t.Fatalf("rows %d, names %v", f.NumRows(), f.Names())
	}
}

// TestReadCSVRawText covers chunk columns that switch to raw strings (more
// than half distinct values in their first 1024 rows): the table must be the
// same as with small chunks, which never switch.
func TestReadCSVRawText(t *testing.T) {
	var b, want strings.Builder
	b.WriteString("v,w\n")
	want.WriteString("v:categorical w:string\n")
	for i := 0; i < 3000; i++ {
		w := fmt.Sprintf("%d.0", i)
		if i >= 100 {
			w = fmt.Sprintf("w%d", i)
		}
		v := fmt.Sprintf("v%d", i%1000)
		if i%7 == 0 {
			v = "NA"
		}
		fmt.Fprintf(&b, "%s,%s\n", v, w)
		if v == "NA" {
			v = "<NA>"
		}
		fmt.Fprintf(&want, "%s|%s\n", v, w)
	}
	checkRead(t, "raw.csv", b.String(), Options{}, want.String())
	checkErr(t, "raw.csv", b.String()+"v1,w\xff\n", Options{}, "raw.csv:3002:5: invalid UTF-8")
}
