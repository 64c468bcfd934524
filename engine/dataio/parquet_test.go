package dataio

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"

	"github.com/mlwb/mlwb/engine/frame"
)

func nan() float64 { return math.NaN() }

// sampleFrame has every column type, missing values in each, and a
// categorical column whose levels are not in order of appearance and include
// an unused level.
func sampleFrame() *frame.Frame {
	ts := func(s string) int64 {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			panic(err)
		}
		return t.UnixNano()
	}
	return frame.MustNew(
		frame.NewFloat64("x", []float64{1.5, nan(), -0.25, math.Inf(1)}, frame.Mask{}),
		frame.NewInt64("n", []int64{7, math.MinInt64, 0, math.MaxInt64}, frame.MaskFromMissing([]bool{false, false, true, false})),
		frame.NewBool("b", []bool{true, false, false, true}, frame.MaskFromMissing([]bool{false, true, false, false})),
		frame.NewDatetime("when", []int64{ts("2021-03-04T05:06:07.123456789Z"), 0, ts("1700-01-01T00:00:00Z"), ts("2200-12-31T23:59:59Z")}, frame.MaskFromMissing([]bool{false, true, false, false})),
		frame.NewCategorical("grade", []int32{2, -1, 0, 2}, []string{"low", "mid", "high"}),
		frame.NewString("note", []string{"", "é ✓", "x,y", "q"}, frame.MaskFromMissing([]bool{false, false, false, true})),
		frame.NewString("with space, comma", []string{"a", "a", "a", "a"}, frame.Mask{}),
	)
}

// equalFrames reports the first difference between two frames: names, types,
// missing rows, values and categorical levels.
func equalFrames(a, b *frame.Frame) error {
	if !slices.Equal(colTypes(a), colTypes(b)) {
		return fmt.Errorf("columns %v vs %v", colTypes(a), colTypes(b))
	}
	if a.NumRows() != b.NumRows() {
		return fmt.Errorf("rows %d vs %d", a.NumRows(), b.NumRows())
	}
	for j := range a.NumCols() {
		ca, cb := a.Col(j), b.Col(j)
		if la, ok := ca.(*frame.CategoricalCol); ok {
			lb := cb.(*frame.CategoricalCol)
			if !slices.Equal(la.Levels, lb.Levels) || !slices.Equal(la.Codes, lb.Codes) {
				return fmt.Errorf("column %q: levels %q codes %v vs levels %q codes %v", ca.Name(), la.Levels, la.Codes, lb.Levels, lb.Codes)
			}
		}
		for i := range a.NumRows() {
			if ca.IsNA(i) != cb.IsNA(i) {
				return fmt.Errorf("column %q row %d: NA %v vs %v", ca.Name(), i, ca.IsNA(i), cb.IsNA(i))
			}
			if va, vb := ca.Value(i), cb.Value(i); fmt.Sprint(va) != fmt.Sprint(vb) {
				return fmt.Errorf("column %q row %d: %v vs %v", ca.Name(), i, va, vb)
			}
		}
	}
	return nil
}

func TestParquetRoundTrip(t *testing.T) {
	f := sampleFrame()
	var buf bytes.Buffer
	if err := WriteParquet(&buf, f); err != nil {
		t.Fatal(err)
	}
	g, err := ReadParquet(context.Background(), bytes.NewReader(buf.Bytes()), int64(buf.Len()), "t.parquet", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := equalFrames(f, g); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"1.5|7|true|2021-03-04 05:06:07.123456789|high||a",
		"NA|-9223372036854775808|NA|NA|NA|é ✓|a",
		"-0.25|NA|false|1700-01-01|low|x,y|a",
		"inf|9223372036854775807|true|2200-12-31 23:59:59|high|NA|a",
	}
	if got := formatRows(g); !slices.Equal(got, want) {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// What other readers see: the physical and logical types promised.
	pf, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, fl := range pf.Schema().Fields() {
		kinds = append(kinds, fmt.Sprintf("%s:%s:%v", fl.Name(), fl.Type().Kind(), fl.Optional()))
	}
	wantKinds := []string{"x:DOUBLE:true", "n:INT64:true", "b:BOOLEAN:true", "when:INT64:true", "grade:BYTE_ARRAY:true", "note:BYTE_ARRAY:true", "with space, comma:BYTE_ARRAY:true"}
	if !slices.Equal(kinds, wantKinds) {
		t.Errorf("schema %v, want %v", kinds, wantKinds)
	}
	if lt := pf.Schema().Fields()[3].Type().LogicalType(); lt == nil || lt.String() != "TIMESTAMP(isAdjustedToUTC=true,unit=NANOS)" {
		t.Errorf("when logical type = %v", lt)
	}
	if lt := pf.Schema().Fields()[4].Type().LogicalType(); lt == nil || lt.String() != "STRING" {
		t.Errorf("grade logical type = %v", lt)
	}
	if enc := fmt.Sprint(pf.Metadata().RowGroups[0].Columns[4].MetaData.Encoding); !strings.Contains(enc, "RLE_DICTIONARY") {
		t.Errorf("grade encodings = %v, want RLE_DICTIONARY among them", enc)
	}
	if s, _ := pf.Lookup(ParquetTypesKey); !strings.Contains(s, `"grade":"categorical"`) {
		t.Errorf("%s = %s", ParquetTypesKey, s)
	}
}

func TestParquetRoundTripFileAndRowGroups(t *testing.T) {
	// More rows than one row group, so that categorical dictionaries differ
	// between row groups and a late level appears in the second only.
	n := parquetRowGroupRows + 1000
	xs := make([]float64, n)
	codes := make([]int32, n)
	ids := make([]string, n)
	miss := make([]bool, n)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		xs[i] = r.NormFloat64()
		codes[i] = int32(i % 3)
		if i > parquetRowGroupRows {
			codes[i] = 3
		}
		if i%17 == 0 {
			codes[i] = -1
		}
		ids[i] = fmt.Sprintf("id%07d", i)
		miss[i] = i%5 == 0
	}
	f := frame.MustNew(
		frame.NewFloat64("x", xs, frame.MaskFromMissing(miss)),
		frame.NewCategorical("c", codes, []string{"b", "a", "c", "late", "never"}),
		frame.NewString("id", ids, frame.Mask{}),
	)
	path := filepath.Join(t.TempDir(), "big.parquet")
	if err := WriteParquetFile(path, f); err != nil {
		t.Fatal(err)
	}
	var calls int
	var last [2]int64
	g, err := ReadParquetFile(context.Background(), path, Options{Workers: 2, Progress: func(d, tot int64) { calls++; last = [2]int64{d, tot} }})
	if err != nil {
		t.Fatal(err)
	}
	if err := equalFrames(f, g); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	if calls < 2 || last != [2]int64{st.Size(), st.Size()} {
		t.Errorf("progress: %d calls, last %v, want final %d", calls, last, st.Size())
	}
	fh, _ := os.Open(path)
	defer fh.Close()
	pf, err := parquet.OpenFile(fh, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	if got := len(pf.RowGroups()); got != 2 {
		t.Errorf("%d row groups, want 2", got)
	}
}

func TestParquetEmptyFrame(t *testing.T) {
	f := frame.MustNew(frame.NewFloat64("x", []float64{}, frame.Mask{}), frame.NewCategorical("c", []int32{}, []string{"p", "q"}))
	var buf bytes.Buffer
	if err := WriteParquet(&buf, f); err != nil {
		t.Fatal(err)
	}
	g, err := ReadParquet(context.Background(), bytes.NewReader(buf.Bytes()), int64(buf.Len()), "e.parquet", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := equalFrames(f, g); err != nil {
		t.Fatal(err)
	}
	if err := WriteParquet(&buf, frame.MustNew()); err == nil {
		t.Error("writing a frame without columns: no error")
	}
}

type foreignRow struct {
	I32    *int32           `parquet:"i32,optional"`
	I64    int64            `parquet:"i64"`
	U32    uint32           `parquet:"u32"`
	F32    float32          `parquet:"f32"`
	F64    *float64         `parquet:"f64,optional,dict"`
	B      *bool            `parquet:"b,optional"`
	S      *string          `parquet:"s,optional,dict"`
	Free   string           `parquet:"free"`
	Day    int32            `parquet:"day,date"`
	TsMs   *int64           `parquet:"ts_ms,optional,timestamp(millisecond)"`
	TsUs   int64            `parquet:"ts_us,timestamp(microsecond)"`
	Old    deprecated.Int96 `parquet:"old"`
	Cost   int64            `parquet:"cost,decimal(2:10)"`
	ID     [16]byte         `parquet:"id,uuid"`
	Pandas int64            `parquet:"__index_level_0__"`
}

func ptr[T any](v T) *T { return &v }

// TestReadParquetForeign reads a file shaped like pandas/pyarrow output
// (32-bit and unsigned ints, float32, dictionary-encoded doubles, dates,
// millisecond and microsecond timestamps, INT96, decimals, UUIDs, a stored
// index) that carries no mlwb metadata.
func TestReadParquetForeign(t *testing.T) {
	day := func(y int, m time.Month, d int) int32 {
		return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
	}
	jd := int64(2440588 + 18000) // 2019-04-14
	const hour = int64(3600e9)
	int96 := deprecated.Int96{uint32(hour & 0xffffffff), uint32(hour >> 32), uint32(jd)}
	rows := []foreignRow{
		{I32: ptr[int32](-5), I64: 1 << 40, U32: math.MaxUint32, F32: 0.5, F64: ptr(1.25), B: ptr(true), S: ptr("red"), Free: "a", Day: day(2020, 2, 29), TsMs: ptr[int64](1_600_000_000_123), TsUs: 1_600_000_000_123_456, Old: int96, Cost: 12345, ID: [16]byte{0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 1, 2, 3, 4, 5, 6, 7, 8}},
		{I32: nil, I64: -1, U32: 0, F32: -2, F64: nil, B: nil, S: ptr("blue"), Free: "b", Day: day(1969, 12, 31), TsMs: nil, TsUs: 0, Old: int96, Cost: -5, Pandas: 1},
		{I32: ptr[int32](7), I64: 0, U32: 1, F32: 3, F64: ptr(1.25), B: ptr(false), S: nil, Free: "c", Day: 0, TsMs: ptr[int64](0), TsUs: -1, Old: int96, Cost: 0, Pandas: 2},
		{I32: ptr[int32](8), I64: 2, U32: 2, F32: 4, F64: ptr(-3.0), B: ptr(true), S: ptr("red"), Free: "d", Day: 1, TsMs: ptr[int64](-1), TsUs: 1, Old: int96, Cost: 1, Pandas: 3},
		{I32: ptr[int32](9), I64: 3, U32: 3, F32: 5, F64: ptr(1.25), B: ptr(true), S: ptr("red"), Free: "e", Day: 2, TsMs: ptr[int64](1), TsUs: 2, Old: int96, Cost: 2, Pandas: 4},
	}
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[foreignRow](&buf)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := ReadParquet(context.Background(), bytes.NewReader(buf.Bytes()), int64(buf.Len()), "foreign.parquet", Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"i32:int", "i64:int", "u32:int", "f32:float", "f64:float", "b:bool", "s:categorical", "free:string",
		"day:datetime", "ts_ms:datetime", "ts_us:datetime", "old:datetime", "cost:float", "id:string"}
	if got := colTypes(f); !slices.Equal(got, want) {
		t.Fatalf("types = %v\nwant  %v", got, want)
	}
	wantRows := []string{
		"-5|1099511627776|4294967295|0.5|1.25|true|red|a|2020-02-29|2020-09-13 12:26:40.123|2020-09-13 12:26:40.123456|2019-04-14 01:00:00|123.45|12345678-9abc-def0-0102-030405060708",
		"NA|-1|0|-2|NA|NA|blue|b|1969-12-31|NA|1970-01-01|2019-04-14 01:00:00|-0.05|00000000-0000-0000-0000-000000000000",
		"7|0|1|3|1.25|false|NA|c|1970-01-01|1970-01-01|1969-12-31 23:59:59.999999|2019-04-14 01:00:00|0|00000000-0000-0000-0000-000000000000",
		"8|2|2|4|-3|true|red|d|1970-01-02|1969-12-31 23:59:59.999|1970-01-01 00:00:00.000001|2019-04-14 01:00:00|0.01|00000000-0000-0000-0000-000000000000",
		"9|3|3|5|1.25|true|red|e|1970-01-03|1970-01-01 00:00:00.001|1970-01-01 00:00:00.000002|2019-04-14 01:00:00|0.02|00000000-0000-0000-0000-000000000000",
	}
	if got := formatRows(f); !slices.Equal(got, wantRows) {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantRows, "\n"))
	}
	if s := f.Col(6).(*frame.CategoricalCol); !slices.Equal(s.Levels, []string{"red", "blue"}) {
		t.Errorf("s levels = %q", s.Levels)
	}
}

type nestedRow struct {
	A int64 `parquet:"a"`
	P struct {
		X int64 `parquet:"x"`
	} `parquet:"p"`
}

type repeatedRow struct {
	A  int64   `parquet:"a"`
	Xs []int64 `parquet:"xs"`
}

type timeRow struct {
	T int32 `parquet:"t,time(millisecond)"`
}

func writeRows[T any](t testing.TB, rows []T) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[T](&buf)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadParquetErrors(t *testing.T) {
	var good bytes.Buffer
	if err := WriteParquet(&good, sampleFrame()); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
		msg  string
	}{
		{"empty", nil, "not a readable Parquet file"},
		{"text", []byte("a,b\n1,2\n"), "not a readable Parquet file"},
		{"truncated footer", good.Bytes()[:good.Len()-10], "not a readable Parquet file"},
		{"nested", writeRows(t, []nestedRow{{A: 1}}), `column "p": nested or repeated Parquet columns are not supported`},
		{"repeated", writeRows(t, []repeatedRow{{A: 1, Xs: []int64{1, 2}}}), `column "xs": nested or repeated Parquet columns are not supported`},
		{"time", writeRows(t, []timeRow{{T: 5}}), `column "t": Parquet TIME columns are not supported`},
	} {
		f, err := ReadParquet(context.Background(), bytes.NewReader(tc.data), int64(len(tc.data)), "bad.parquet", Options{})
		if err == nil {
			t.Errorf("%s: no error, got %v", tc.name, f.Names())
			continue
		}
		var pe *ParseError
		if !errors.As(err, &pe) || pe.File != "bad.parquet" || !strings.Contains(pe.Msg, tc.msg) {
			t.Errorf("%s: error %v (%T), want a *ParseError containing %q", tc.name, err, err, tc.msg)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ReadParquet(ctx, bytes.NewReader(good.Bytes()), int64(good.Len()), "t.parquet", Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}

// TestReadParquetCorrupt flips bytes all over a valid file: every read must
// end in an error or a frame, never a panic or hang.
func TestReadParquetCorrupt(t *testing.T) {
	var good bytes.Buffer
	if err := WriteParquet(&good, sampleFrame()); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for trial := range 300 {
		b := bytes.Clone(good.Bytes())
		for range 1 + trial%4 {
			b[r.IntN(len(b))] ^= byte(1 + r.IntN(255))
		}
		if trial%10 == 0 {
			b = b[:r.IntN(len(b))]
		}
		f, err := ReadParquet(context.Background(), bytes.NewReader(b), int64(len(b)), "c.parquet", Options{})
		if err == nil {
			checkFrameInvariants(t, f)
		} else if pe := (*ParseError)(nil); !errors.As(err, &pe) {
			t.Fatalf("trial %d: error %T is not a *ParseError: %v", trial, err, err)
		}
	}
}

func TestParquetSharedData(t *testing.T) {
	// Round-trips a frame built from ../shared/data/penguins.csv through
	// Parquet (numbers with gaps and repeated text).
	path := filepath.Join("..", "..", "..", "shared", "data", "penguins.csv")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("shared data absent: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	header := strings.Split(lines[0], ",")
	n := len(lines) - 1
	text := make([][]string, len(header))
	for j := range text {
		text[j] = make([]string, n)
	}
	for i, l := range lines[1:] {
		cells := strings.Split(l, ",")
		for j := range header {
			if j < len(cells) {
				text[j][i] = strings.TrimSpace(cells[j])
			}
		}
	}
	var cols []frame.Column
	for j, h := range header {
		miss := make([]bool, n)
		fs := make([]float64, n)
		numeric := true
		for i, s := range text[j] {
			if s == "" || s == "NA" {
				miss[i] = true
				continue
			}
			var v float64
			if _, err := fmt.Sscan(s, &v); err != nil {
				numeric = false
				break
			}
			fs[i] = v
		}
		if numeric {
			cols = append(cols, frame.NewFloat64(h, fs, frame.MaskFromMissing(miss)))
		} else {
			cols = append(cols, frame.CategoricalFromStrings(h, text[j], miss))
		}
	}
	f := frame.MustNew(cols...)
	var buf bytes.Buffer
	if err := WriteParquet(&buf, f); err != nil {
		t.Fatal(err)
	}
	g, err := ReadParquet(context.Background(), bytes.NewReader(buf.Bytes()), int64(buf.Len()), "penguins.parquet", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := equalFrames(f, g); err != nil {
		t.Fatal(err)
	}
}

func FuzzReadParquet(f *testing.F) {
	var buf bytes.Buffer
	if err := WriteParquet(&buf, sampleFrame()); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(writeRows(f, []foreignRow{{I32: ptr[int32](1), S: ptr("a")}, {F64: ptr(2.5), S: ptr("a")}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := ReadParquet(context.Background(), bytes.NewReader(data), int64(len(data)), "f.parquet", Options{Workers: 1})
		if err != nil {
			if pe := (*ParseError)(nil); !errors.As(err, &pe) || pe.File != "f.parquet" {
				t.Fatalf("error %T is not a *ParseError for the file: %v", err, err)
			}
			return
		}
		checkFrameInvariants(t, fr)
	})
}
