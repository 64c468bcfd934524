package dataio

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"regexp"
	"runtime"
	"sync"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/encoding"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"

	"github.com/mlwb/mlwb/engine/frame"
)

// parquetMaxRows bounds the row count a file may declare, so that a corrupt
// footer cannot make the reader allocate without limit.
const parquetMaxRows = 1 << 31

// pandasIndexColumn matches the names pandas gives index columns it stores.
var pandasIndexColumn = regexp.MustCompile(`^__index_level_\d+__$`)

// ReadParquet reads a Parquet file of size bytes from r; name is used in
// errors. Columns must be top-level, non-repeated leaves; they map to frame
// columns as follows:
//
//	BOOLEAN                           bool
//	INT32, INT64 (signed or unsigned) int (UINT64 values above MaxInt64 are an error)
//	FLOAT, DOUBLE                     float
//	DECIMAL (any physical type)       float
//	DATE                              datetime (midnight UTC)
//	TIMESTAMP (ms, µs, ns), INT96     datetime (a timestamp not adjusted to UTC
//	                                  is taken as UTC wall-clock time)
//	BYTE_ARRAY (string, enum, JSON)   categorical or string by the rule of
//	                                  ReadJSONL: categorical when distinct
//	                                  values are at most half the non-missing
//	                                  ones and at most 65535
//	FIXED_LEN_BYTE_ARRAY UUID         string
//
// Nulls are missing. Files written by WriteParquet carry ParquetTypesKey and
// ParquetLevelsKey metadata, which restore categorical and string columns and
// categorical levels exactly. Index columns that pandas stores
// (__index_level_0__, ...) are dropped. Nested, repeated and other columns
// (TIME, INTERVAL, FLOAT16, raw fixed-length bytes) are refused with an error
// naming the column. Columns are read in parallel by opt.Workers goroutines
// (0 means GOMAXPROCS). opt.Progress receives the compressed bytes of the
// column chunks read so far and the file size.
func ReadParquet(ctx context.Context, r io.ReaderAt, size int64, name string, opt Options) (f *frame.Frame, err error) {
	defer func() {
		if p := recover(); p != nil {
			f, err = nil, &ParseError{File: name, Msg: fmt.Sprintf("corrupt Parquet file: %v", p)}
		}
	}()
	if err := checkParquetTail(r, size); err != nil {
		return nil, &ParseError{File: name, Msg: "not a readable Parquet file: " + err.Error(), Err: err}
	}
	pf, err := parquet.OpenFile(r, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return nil, &ParseError{File: name, Msg: "not a readable Parquet file: " + err.Error(), Err: err}
	}
	var types map[string]string
	if s, ok := pf.Lookup(ParquetTypesKey); ok {
		if err := json.Unmarshal([]byte(s), &types); err != nil {
			return nil, &ParseError{File: name, Msg: "bad " + ParquetTypesKey + " metadata: " + err.Error(), Err: err}
		}
	}
	var levels map[string][]string
	if s, ok := pf.Lookup(ParquetLevelsKey); ok {
		if err := json.Unmarshal([]byte(s), &levels); err != nil {
			return nil, &ParseError{File: name, Msg: "bad " + ParquetLevelsKey + " metadata: " + err.Error(), Err: err}
		}
	}

	nrows := pf.NumRows()
	if nrows < 0 || nrows > parquetMaxRows {
		return nil, &ParseError{File: name, Msg: fmt.Sprintf("corrupt Parquet file: %d rows", nrows)}
	}
	var sum int64
	for _, rg := range pf.RowGroups() {
		if rg.NumRows() < 0 {
			return nil, &ParseError{File: name, Msg: "corrupt Parquet file: negative row group size"}
		}
		sum += rg.NumRows()
	}
	if sum != nrows {
		return nil, &ParseError{File: name, Msg: fmt.Sprintf("corrupt Parquet file: row groups hold %d rows, footer says %d", sum, nrows)}
	}

	// A corrupt footer could otherwise make the reader allocate without
	// limit; real files this dense in cells per byte do not occur.
	if cells, limit := nrows*int64(len(pf.Schema().Fields())), max(1<<26, size*1024); cells > limit {
		return nil, &ParseError{File: name, Msg: fmt.Sprintf("corrupt Parquet file: %d rows × %d columns in %d bytes", nrows, len(pf.Schema().Fields()), size)}
	}
	var cols []*pqColumn
	for leaf, field := range pf.Schema().Fields() {
		if !field.Leaf() || field.Repeated() {
			return nil, &ParseError{File: name, Msg: fmt.Sprintf("column %q: nested or repeated Parquet columns are not supported", field.Name())}
		}
		if pandasIndexColumn.MatchString(field.Name()) {
			continue
		}
		c, err := planParquetColumn(field, leaf, int(nrows), types[field.Name()], levels[field.Name()])
		if err != nil {
			return nil, &ParseError{File: name, Msg: err.Error()}
		}
		cols = append(cols, c)
	}

	if err := checkParquetPages(r, size, pf.Metadata()); err != nil {
		return nil, &ParseError{File: name, Msg: "corrupt Parquet file: " + err.Error(), Err: err}
	}

	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var (
		progressMu sync.Mutex
		done       int64
	)
	meta := pf.Metadata()
	err = parallelFor(len(cols), workers, func(_, i int) (err error) {
		c := cols[i]
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("corrupt Parquet file: %v", p)
			}
		}()
		for g, rg := range pf.RowGroups() {
			if err := ctx.Err(); err != nil {
				return err
			}
			chunks := rg.ColumnChunks()
			if c.leaf >= len(chunks) {
				return errors.New("corrupt Parquet file: missing column chunk")
			}
			if err := c.readChunk(ctx, chunks[c.leaf], int(rg.NumRows())); err != nil {
				return err
			}
			if opt.Progress != nil && g < len(meta.RowGroups) && c.leaf < len(meta.RowGroups[g].Columns) {
				progressMu.Lock()
				done += meta.RowGroups[g].Columns[c.leaf].MetaData.TotalCompressedSize
				opt.Progress(min(done, size), size)
				progressMu.Unlock()
			}
		}
		return nil
	})
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
			return nil, err
		}
		var pe *ParseError
		if errors.As(err, &pe) {
			return nil, err
		}
		return nil, &ParseError{File: name, Msg: err.Error(), Err: err}
	}
	out := make([]frame.Column, len(cols))
	for i, c := range cols {
		out[i] = c.build()
	}
	if opt.Progress != nil {
		opt.Progress(size, size)
	}
	return frame.New(out...)
}

// checkParquetTail checks the trailing footer length and magic before
// parquet-go allocates a buffer of the length a corrupt file claims.
func checkParquetTail(r io.ReaderAt, size int64) error {
	if size < 12 {
		return fmt.Errorf("%d bytes is too short", size)
	}
	var tail [8]byte
	if _, err := r.ReadAt(tail[:], size-8); err != nil && err != io.EOF {
		return err
	}
	if string(tail[4:]) != "PAR1" {
		return errors.New("no PAR1 magic at the end (not Parquet, truncated, or encrypted)")
	}
	if n := int64(binary.LittleEndian.Uint32(tail[:4])); n > size-12 {
		return fmt.Errorf("footer length %d exceeds the file", n)
	}
	return nil
}

// parquetMaxPageBytes bounds the uncompressed size of one page.
const parquetMaxPageBytes = 1 << 28

// checkParquetPages reads every page header of a file of flat columns and checks its sizes and counts
// against its column chunk and row group. parquet-go allocates what a page
// header claims before it can notice that the claim is false, so a few
// flipped bits could otherwise cost gigabytes and minutes.
func checkParquetPages(r io.ReaderAt, size int64, md *format.FileMetaData) error {
	var proto thrift.CompactProtocol
	buf := make([]byte, 256)
	for g := range md.RowGroups {
		rows := md.RowGroups[g].NumRows
		for j := range md.RowGroups[g].Columns {
			m := &md.RowGroups[g].Columns[j].MetaData
			start := m.DataPageOffset
			if d := m.DictionaryPageOffset; d > 0 && d < start {
				start = d
			}
			end := start + m.TotalCompressedSize
			if start < 4 || m.TotalCompressedSize < 0 || end > size || end < start {
				return fmt.Errorf("column chunk %d of row group %d lies outside the file", j, g)
			}
			for off := start; off < end; {
				var h format.PageHeader
				var hlen int64
				for window := int64(256); ; window *= 4 {
					n := min(window, end-off)
					if int64(cap(buf)) < n {
						buf = make([]byte, n)
					}
					b := buf[:n]
					if _, err := r.ReadAt(b, off); err != nil && err != io.EOF {
						return err
					}
					pr := proto.NewReaderFromBytes(b)
					h = format.PageHeader{}
					err := thrift.NewDecoder(pr).Decode(&h)
					if err == nil {
						hlen = int64(pr.(interface{ BytesRead() int }).BytesRead())
						break
					}
					if n == end-off || n >= 1<<24 {
						return fmt.Errorf("page header at byte %d: %w", off, err)
					}
				}
				next := off + hlen + int64(h.CompressedPageSize)
				if h.CompressedPageSize < 0 || next > end || h.UncompressedPageSize < 0 || h.UncompressedPageSize > parquetMaxPageBytes {
					return fmt.Errorf("page at byte %d: bad sizes %d/%d", off, h.CompressedPageSize, h.UncompressedPageSize)
				}
				bad := false
				switch {
				case h.DataPageHeader.Valid:
					v := h.DataPageHeader.V
					bad = v.NumValues < 0 || int64(v.NumValues) > rows
				case h.DataPageHeaderV2.Valid:
					v := h.DataPageHeaderV2.V
					bad = v.NumValues < 0 || int64(v.NumValues) > rows || v.NumRows < 0 || int64(v.NumRows) > rows ||
						v.NumNulls < 0 || v.NumNulls > v.NumValues || v.RepetitionLevelsByteLength < 0 || v.DefinitionLevelsByteLength < 0 ||
						int64(v.RepetitionLevelsByteLength)+int64(v.DefinitionLevelsByteLength) > int64(h.CompressedPageSize)
				case h.DictionaryPageHeader.Valid:
					v := h.DictionaryPageHeader.V
					bad = v.NumValues < 0 || int64(v.NumValues) > max(rows, 1)
				}
				if bad {
					return fmt.Errorf("page at byte %d: value counts do not fit a row group of %d rows", off, rows)
				}
				off = next
			}
		}
	}
	return nil
}

// pqTarget is the frame type a Parquet column is read into.
type pqTarget uint8

const (
	pqFloat pqTarget = iota
	pqInt
	pqBool
	pqTime
	pqText
)

// pqColumn reads one Parquet leaf column into frame storage.
type pqColumn struct {
	name   string
	leaf   int
	n      int // rows in the file
	row    int // rows read so far
	maxDef byte
	kind   parquet.Kind
	target pqTarget

	// conversions
	timeMul  int64 // nanoseconds per stored unit for dates and timestamps
	int96    bool
	unsigned bool
	decimal  int // scale, or -1
	uuid     bool

	f64   []float64
	i64   []int64
	bools []bool
	mask  frame.Mask

	// text: deduplicated into codes/levels until maxLevels, then plain strings
	codes      []int32
	levels     []string
	index      map[string]int32
	strs       []string
	plain      bool
	maxLevels  int
	wantType   string   // from ParquetTypesKey
	wantLevels []string // from ParquetLevelsKey

	// per-page scratch and dictionary cache
	tmpF      []float64
	tmpI      []int64
	tmpB      [][]byte
	vals      []parquet.Value
	dict      parquet.Dictionary
	dictF     []float64
	dictI     []int64
	dictB     [][]byte
	dictCodes []int32
	dictStrs  []string
}

func planParquetColumn(field parquet.Field, leaf, n int, wantType string, wantLevels []string) (*pqColumn, error) {
	typ := field.Type()
	c := &pqColumn{name: field.Name(), leaf: leaf, n: n, kind: typ.Kind(), decimal: -1, wantType: wantType, wantLevels: wantLevels}
	if field.Optional() {
		c.maxDef = 1
	}
	lt := typ.LogicalType()
	var ct deprecated.ConvertedType = -1
	if p := typ.ConvertedType(); p != nil {
		ct = *p
	}
	unsupported := func(what string) (*pqColumn, error) {
		return nil, fmt.Errorf("column %q: Parquet %s columns are not supported", c.name, what)
	}
	if lt != nil && lt.Value != nil {
		switch v := lt.Value.(type) {
		case *format.DecimalType:
			c.target, c.decimal = pqFloat, int(v.Scale)
		case *format.DateType:
			c.target, c.timeMul = pqTime, 86400e9
		case *format.TimestampType:
			c.target = pqTime
			switch v.Unit.Value.(type) {
			case *format.MilliSeconds:
				c.timeMul = 1e6
			case *format.MicroSeconds:
				c.timeMul = 1e3
			default:
				c.timeMul = 1
			}
		case *format.IntType:
			c.target, c.unsigned = pqInt, !v.IsSigned
		case *format.StringType, *format.EnumType, *format.JsonType, *format.BsonType:
			c.target = pqText
		case *format.UUIDType:
			c.target, c.uuid = pqText, true
		case *format.TimeType:
			return unsupported("TIME")
		case *format.Float16Type:
			return unsupported("FLOAT16")
		default:
			return unsupported(lt.String())
		}
	} else {
		switch ct {
		case deprecated.Decimal:
			return unsupported("legacy DECIMAL (no logical type)")
		case deprecated.Date:
			c.target, c.timeMul = pqTime, 86400e9
		case deprecated.TimestampMillis:
			c.target, c.timeMul = pqTime, 1e6
		case deprecated.TimestampMicros:
			c.target, c.timeMul = pqTime, 1e3
		case deprecated.Uint8, deprecated.Uint16, deprecated.Uint32, deprecated.Uint64:
			c.target, c.unsigned = pqInt, true
		case deprecated.TimeMillis, deprecated.TimeMicros:
			return unsupported("TIME")
		case deprecated.Interval:
			return unsupported("INTERVAL")
		default:
			switch c.kind {
			case parquet.Boolean:
				c.target = pqBool
			case parquet.Int32, parquet.Int64:
				c.target = pqInt
			case parquet.Int96:
				c.target, c.int96 = pqTime, true
			case parquet.Float, parquet.Double:
				c.target = pqFloat
			case parquet.ByteArray:
				c.target = pqText
			default:
				return unsupported("raw FIXED_LEN_BYTE_ARRAY")
			}
		}
	}
	// Check that the physical type fits the annotation.
	ok := false
	switch c.target {
	case pqFloat:
		ok = c.kind == parquet.Float || c.kind == parquet.Double ||
			c.decimal >= 0 && (c.kind == parquet.Int32 || c.kind == parquet.Int64 || c.kind == parquet.ByteArray || c.kind == parquet.FixedLenByteArray)
	case pqInt:
		ok = c.kind == parquet.Int32 || c.kind == parquet.Int64
	case pqBool:
		ok = c.kind == parquet.Boolean
	case pqTime:
		ok = c.int96 && c.kind == parquet.Int96 || c.timeMul == 86400e9 && c.kind == parquet.Int32 || c.timeMul != 86400e9 && c.kind == parquet.Int64
	case pqText:
		ok = c.kind == parquet.ByteArray || c.uuid && c.kind == parquet.FixedLenByteArray && typ.Length() == 16
	}
	if !ok {
		return nil, fmt.Errorf("column %q: Parquet type %s is not supported", c.name, typ)
	}
	switch c.target {
	case pqFloat:
		c.f64 = make([]float64, n)
	case pqInt, pqTime:
		c.i64 = make([]int64, n)
	case pqBool:
		c.bools = make([]bool, n)
	case pqText:
		switch wantType {
		case "string":
			c.plain = true
			c.strs = make([]string, n)
		case "categorical":
			c.maxLevels = math.MaxInt32
			c.codes = make([]int32, n)
			c.index = map[string]int32{}
		default:
			c.maxLevels = 65535
			c.codes = make([]int32, n)
			c.index = map[string]int32{}
		}
	}
	return c, nil
}

func (c *pqColumn) corrupt(format string, args ...any) error {
	return fmt.Errorf("column %q: corrupt Parquet data: %s", c.name, fmt.Sprintf(format, args...))
}

// readChunk reads one column chunk of rows rows.
func (c *pqColumn) readChunk(ctx context.Context, chunk parquet.ColumnChunk, rows int) error {
	end := c.row + rows
	if end > c.n {
		return c.corrupt("more rows than the footer declares")
	}
	// Dictionaries belong to their column chunk; never reuse a cached one.
	c.dict, c.dictCodes, c.dictStrs = nil, nil, nil
	pages := chunk.Pages()
	defer pages.Close()
	for c.row < end {
		if err := ctx.Err(); err != nil {
			return err
		}
		p, err := pages.ReadPage()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("column %q: %w", c.name, err)
		}
		err = c.page(p, end)
		parquet.Release(p)
		if err != nil {
			return err
		}
	}
	if c.row != end {
		return c.corrupt("column chunk holds %d rows, row group %d", c.row-(end-rows), rows)
	}
	return nil
}

func (c *pqColumn) setNA(r int) {
	if !c.mask.HasNA() {
		c.mask = frame.NewMask(c.n)
	}
	c.mask.SetNA(r)
	if c.target == pqText {
		if c.plain {
			c.strs[r] = ""
		} else {
			c.codes[r] = -1
		}
	}
}

// page stores the rows of one data page.
func (c *pqColumn) page(p parquet.Page, end int) error {
	n := int(p.NumValues())
	if n < 0 || c.row+n > end {
		return c.corrupt("page holds more rows than its row group")
	}
	if c.kind == parquet.Boolean {
		return c.boolPage(p, n)
	}
	defs := p.DefinitionLevels()
	nonNull := n
	if c.maxDef > 0 {
		if len(defs) != n {
			return c.corrupt("%d definition levels for %d values", len(defs), n)
		}
		nonNull = 0
		for _, d := range defs {
			if d == c.maxDef {
				nonNull++
			}
		}
	}
	data := p.Data()
	if dict := p.Dictionary(); dict != nil {
		if data.Kind() != encoding.Int32 {
			return c.corrupt("dictionary page without indexes")
		}
		idx := data.Int32()
		if len(idx) != nonNull {
			return c.corrupt("%d dictionary indexes for %d values", len(idx), nonNull)
		}
		if err := c.loadDict(dict); err != nil {
			return err
		}
		return c.scatterDict(defs, n, idx)
	}
	if err := c.decode(data, nonNull); err != nil {
		return err
	}
	return c.scatter(defs, n)
}

func (c *pqColumn) boolPage(p parquet.Page, n int) error {
	if cap(c.vals) < n {
		c.vals = make([]parquet.Value, n)
	}
	vals := c.vals[:n]
	got, err := p.Values().ReadValues(vals)
	if err != nil && err != io.EOF {
		return fmt.Errorf("column %q: %w", c.name, err)
	}
	if got != n {
		return c.corrupt("page of %d values yields %d", n, got)
	}
	for i, v := range vals {
		r := c.row + i
		if v.IsNull() {
			c.setNA(r)
		} else {
			c.bools[r] = v.Boolean()
		}
	}
	c.row += n
	return nil
}

// decode converts count non-null values in data into the column's scratch.
func (c *pqColumn) decode(data encoding.Values, count int) error {
	if data.Kind() != encodingKind(c.kind) {
		return c.corrupt("page of kind %s in a %s column", data.Kind(), c.kind)
	}
	switch c.target {
	case pqFloat:
		c.tmpF = c.tmpF[:0]
		switch c.kind {
		case parquet.Double:
			c.tmpF = append(c.tmpF, data.Double()...)
		case parquet.Float:
			for _, v := range data.Float() {
				c.tmpF = append(c.tmpF, float64(v))
			}
		case parquet.Int32:
			scale := math.Pow10(c.decimal)
			for _, v := range data.Int32() {
				c.tmpF = append(c.tmpF, float64(v)/scale)
			}
		case parquet.Int64:
			scale := math.Pow10(c.decimal)
			for _, v := range data.Int64() {
				c.tmpF = append(c.tmpF, float64(v)/scale)
			}
		case parquet.ByteArray, parquet.FixedLenByteArray:
			bs, err := c.byteValues(data)
			if err != nil {
				return err
			}
			for _, b := range bs {
				c.tmpF = append(c.tmpF, decimalBytes(b, c.decimal))
			}
		}
		if len(c.tmpF) != count {
			return c.corrupt("%d values for %d non-null rows", len(c.tmpF), count)
		}
	case pqInt, pqTime:
		c.tmpI = c.tmpI[:0]
		switch c.kind {
		case parquet.Int32:
			for _, v := range data.Int32() {
				if c.unsigned {
					c.tmpI = append(c.tmpI, int64(uint32(v)))
				} else {
					c.tmpI = append(c.tmpI, int64(v))
				}
			}
		case parquet.Int64:
			vs := data.Int64()
			if c.unsigned {
				for _, v := range vs {
					if v < 0 {
						return fmt.Errorf("column %q: unsigned value %d does not fit int64", c.name, uint64(v))
					}
				}
			}
			c.tmpI = append(c.tmpI, vs...)
		case parquet.Int96:
			for _, v := range data.Int96() {
				ns, ok := int96Nanos(v)
				if !ok {
					return fmt.Errorf("column %q: INT96 timestamp out of range", c.name)
				}
				c.tmpI = append(c.tmpI, ns)
			}
		}
		if c.target == pqTime && c.timeMul > 1 {
			lim := math.MaxInt64 / c.timeMul
			for i, v := range c.tmpI {
				if v > lim || v < -lim {
					return fmt.Errorf("column %q: date or timestamp %d out of range", c.name, v)
				}
				c.tmpI[i] = v * c.timeMul
			}
		}
		if len(c.tmpI) != count {
			return c.corrupt("%d values for %d non-null rows", len(c.tmpI), count)
		}
	case pqText:
		bs, err := c.byteValues(data)
		if err != nil {
			return err
		}
		c.tmpB = bs
		if len(c.tmpB) != count {
			return c.corrupt("%d values for %d non-null rows", len(c.tmpB), count)
		}
	}
	return nil
}

// byteValues splits BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY data into values.
func (c *pqColumn) byteValues(data encoding.Values) ([][]byte, error) {
	out := c.tmpB[:0]
	if c.kind == parquet.FixedLenByteArray {
		b, size := data.FixedLenByteArray()
		if size <= 0 || len(b)%size != 0 {
			return nil, c.corrupt("fixed-length values of size %d in %d bytes", size, len(b))
		}
		for i := 0; i < len(b); i += size {
			out = append(out, b[i:i+size:i+size])
		}
		return out, nil
	}
	b, offsets := data.ByteArray()
	for i := 0; i+1 < len(offsets); i++ {
		lo, hi := offsets[i], offsets[i+1]
		if lo > hi || int(hi) > len(b) {
			return nil, c.corrupt("bad byte array offsets")
		}
		out = append(out, b[lo:hi:hi])
	}
	return out, nil
}

// scatter places the decoded non-null values at the rows whose definition
// level says they are present.
func (c *pqColumn) scatter(defs []byte, n int) error {
	switch c.target {
	case pqFloat:
		scatterValues(c, c.f64, c.tmpF, defs, n)
	case pqInt, pqTime:
		scatterValues(c, c.i64, c.tmpI, defs, n)
	case pqText:
		v := 0
		for i := 0; i < n; i++ {
			r := c.row + i
			if c.maxDef > 0 && defs[i] != c.maxDef {
				c.setNA(r)
				continue
			}
			c.setText(r, c.tmpB[v])
			v++
		}
	}
	c.row += n
	return nil
}

// scatterValues copies src, the non-null values of the page's n rows, into
// dst from row c.row on, marking the null rows missing.
func scatterValues[T any](c *pqColumn, dst, src []T, defs []byte, n int) {
	if len(src) == n { // no nulls: the decoder checked len(src) against the levels
		copy(dst[c.row:c.row+n], src)
		return
	}
	v := 0
	for i, d := range defs[:n] {
		if d != c.maxDef {
			c.setNA(c.row + i)
			continue
		}
		dst[c.row+i] = src[v]
		v++
	}
}

// loadDict decodes a dictionary once per column chunk.
func (c *pqColumn) loadDict(d parquet.Dictionary) error {
	if d == c.dict {
		return nil
	}
	c.dict, c.dictCodes, c.dictStrs = d, nil, nil
	dp := d.Page()
	data := dp.Data()
	count := d.Len()
	if err := c.decode(data, count); err != nil {
		return err
	}
	switch c.target {
	case pqFloat:
		c.dictF = append(c.dictF[:0], c.tmpF...)
	case pqInt, pqTime:
		c.dictI = append(c.dictI[:0], c.tmpI...)
	case pqText:
		// The dictionary page stays alive while its column chunk is read.
		c.dictB = append(c.dictB[:0], c.tmpB...)
	}
	return nil
}

func (c *pqColumn) scatterDict(defs []byte, n int, idx []int32) error {
	size := int32(c.dict.Len())
	for _, k := range idx {
		if k < 0 || k >= size {
			return c.corrupt("dictionary index %d out of %d", k, size)
		}
	}
	if c.target == pqText && !c.plain && c.dictCodes == nil {
		codes := make([]int32, 0, len(c.dictB))
		for _, b := range c.dictB {
			k, ok := c.level(b)
			if !ok {
				break
			}
			codes = append(codes, k)
		}
		if !c.plain {
			c.dictCodes = codes
		}
	}
	if c.target == pqText && c.plain && c.dictStrs == nil {
		c.dictStrs = make([]string, len(c.dictB))
		for i, b := range c.dictB {
			c.dictStrs[i] = c.text(b)
		}
	}
	v := 0
	for i := 0; i < n; i++ {
		r := c.row + i
		if c.maxDef > 0 && defs[i] != c.maxDef {
			c.setNA(r)
			continue
		}
		k := idx[v]
		v++
		switch c.target {
		case pqFloat:
			c.f64[r] = c.dictF[k]
		case pqInt, pqTime:
			c.i64[r] = c.dictI[k]
		case pqText:
			if c.plain {
				c.strs[r] = c.dictStrs[k]
			} else {
				c.codes[r] = c.dictCodes[k]
			}
		}
	}
	c.row += n
	return nil
}

// text returns a value's string form (UUIDs formatted 8-4-4-4-12).
func (c *pqColumn) text(b []byte) string {
	if c.uuid && len(b) == 16 {
		h := hex.EncodeToString(b)
		return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
	}
	return string(b)
}

// level returns b's level code, adding a level if needed. It reports false
// after switching the column to plain strings because there are too many.
func (c *pqColumn) level(b []byte) (int32, bool) {
	if k, ok := c.index[string(b)]; ok {
		return k, true
	}
	if len(c.levels) >= c.maxLevels {
		c.toPlain()
		return 0, false
	}
	s := c.text(b)
	k := int32(len(c.levels))
	c.index[s] = k
	c.levels = append(c.levels, s)
	return k, true
}

func (c *pqColumn) setText(r int, b []byte) {
	if !c.plain {
		if k, ok := c.level(b); ok {
			c.codes[r] = k
			return
		}
	}
	c.strs[r] = c.text(b)
}

// toPlain turns the rows read so far from codes into strings.
func (c *pqColumn) toPlain() {
	c.plain = true
	c.strs = make([]string, c.n)
	for r := 0; r < c.row; r++ {
		if k := c.codes[r]; k >= 0 {
			c.strs[r] = c.levels[k]
		}
	}
	// Rows of the current page already stored as codes; rows not read yet
	// hold code 0 and are overwritten when read.
	for r := c.row; r < c.n; r++ {
		if k := c.codes[r]; k >= 0 && int(k) < len(c.levels) {
			c.strs[r] = c.levels[k]
		}
	}
	c.codes, c.levels, c.index, c.dictCodes = nil, nil, nil, nil
}

func (c *pqColumn) build() frame.Column {
	switch c.target {
	case pqFloat:
		return frame.NewFloat64(c.name, c.f64, c.mask)
	case pqInt:
		return frame.NewInt64(c.name, c.i64, c.mask)
	case pqTime:
		return frame.NewDatetime(c.name, c.i64, c.mask)
	case pqBool:
		return frame.NewBool(c.name, c.bools, c.mask)
	}
	if c.plain {
		return frame.NewString(c.name, c.strs, c.mask)
	}
	if c.wantType == "categorical" {
		return c.categorical()
	}
	nonNull := c.n - c.mask.CountNA(c.n)
	if len(c.levels) <= nonNull/2 {
		return frame.NewCategorical(c.name, c.codes, c.levels)
	}
	strs := make([]string, c.n)
	for r, k := range c.codes {
		if k >= 0 {
			strs[r] = c.levels[k]
		}
	}
	return frame.NewString(c.name, strs, c.mask)
}

// categorical applies the levels recorded by WriteParquet: their order, and
// the levels no row uses.
func (c *pqColumn) categorical() frame.Column {
	if c.wantLevels == nil {
		return frame.NewCategorical(c.name, c.codes, c.levels)
	}
	levels := append([]string(nil), c.wantLevels...)
	pos := make(map[string]int32, len(levels))
	for i, l := range levels {
		if _, dup := pos[l]; !dup {
			pos[l] = int32(i)
		}
	}
	remap := make([]int32, len(c.levels))
	for k, l := range c.levels {
		p, ok := pos[l]
		if !ok { // not recorded: keep it, after the recorded ones
			p = int32(len(levels))
			pos[l] = p
			levels = append(levels, l)
		}
		remap[k] = p
	}
	for r, k := range c.codes {
		if k >= 0 {
			c.codes[r] = remap[k]
		}
	}
	return frame.NewCategorical(c.name, c.codes, levels)
}

// int96Nanos converts a legacy INT96 timestamp (nanoseconds of day, then
// Julian day number) to Unix nanoseconds.
func int96Nanos(v deprecated.Int96) (int64, bool) {
	nod := int64(uint64(v[1])<<32 | uint64(v[0]))
	day := int64(v[2]) - 2440588 // Julian day of 1970-01-01
	if nod < 0 || nod >= 86400e9 || day > 106751 || day < -106751 {
		return 0, false
	}
	return day*86400e9 + nod, true
}

// decimalBytes reads a big-endian two's-complement unscaled decimal.
func decimalBytes(b []byte, scale int) float64 {
	if len(b) <= 8 {
		var v int64
		for _, x := range b {
			v = v<<8 | int64(x)
		}
		if len(b) > 0 && len(b) < 8 && b[0]&0x80 != 0 {
			v -= 1 << (8 * uint(len(b)))
		}
		return float64(v) / math.Pow10(scale)
	}
	n := new(big.Int).SetBytes(b)
	if b[0]&0x80 != 0 {
		n.Sub(n, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	f, _ := new(big.Float).Quo(new(big.Float).SetInt(n), new(big.Float).SetFloat64(math.Pow10(scale))).Float64()
	return f
}

// encodingKind maps a Parquet physical kind to parquet-go's encoding kind
// (the two enumerations are numbered differently).
func encodingKind(k parquet.Kind) encoding.Kind {
	switch k {
	case parquet.Boolean:
		return encoding.Boolean
	case parquet.Int32:
		return encoding.Int32
	case parquet.Int64:
		return encoding.Int64
	case parquet.Int96:
		return encoding.Int96
	case parquet.Float:
		return encoding.Float
	case parquet.Double:
		return encoding.Double
	case parquet.ByteArray:
		return encoding.ByteArray
	case parquet.FixedLenByteArray:
		return encoding.FixedLenByteArray
	}
	return encoding.Undefined
}
