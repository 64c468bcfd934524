package dataio

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"unsafe"

	"github.com/klauspost/compress/s2"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding"
	"github.com/parquet-go/parquet-go/format"

	"github.com/mlwb/mlwb/engine/frame"
)

// Keys of the file key-value metadata that WriteParquet adds so that
// ReadParquet can restore mlwb's column types exactly.
const (
	// ParquetTypesKey holds a JSON object {column: type name}, type names as
	// frame.Type.String returns them.
	ParquetTypesKey = "mlwb.types"
	// ParquetLevelsKey holds a JSON object {column: [level, ...]} giving each
	// categorical column's levels in order (unused levels included).
	ParquetLevelsKey = "mlwb.levels"
)

// parquetRowGroupRows is the number of rows per row group written.
const parquetRowGroupRows = 128 * 1024

// parquetBatch is the number of values handed to a column writer at a time;
// it bounds page sizes and the scratch memory per column.
const parquetBatch = 16 * 1024

// parquetMaxLevelsBytes bounds the size of the levels stored for one
// categorical column in ParquetLevelsKey; larger level sets are not stored
// and read back in order of first appearance.
const parquetMaxLevelsBytes = 8 << 20

// WriteParquetFile writes f to path as Parquet (see WriteParquet). The file is
// created or truncated; callers wanting atomic replacement write to a
// temporary name and rename.
func WriteParquetFile(path string, f *frame.Frame) error {
	out, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("dataio: %w", err)
	}
	bw := bufio.NewWriterSize(out, 1<<20)
	if err := WriteParquet(bw, f); err != nil {
		out.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		out.Close()
		return fmt.Errorf("dataio: write %s: %w", path, err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("dataio: write %s: %w", path, err)
	}
	return nil
}

// WriteParquet writes f as a Parquet file with one optional top-level column
// per frame column, in frame order, Snappy-compressed, in row groups of
// 131072 rows:
//
//	float        DOUBLE
//	int          INT64
//	bool         BOOLEAN
//	datetime     INT64 TIMESTAMP(NANOS, adjusted to UTC)
//	categorical  BYTE_ARRAY STRING, dictionary-encoded
//	string       BYTE_ARRAY STRING
//
// Missing values are nulls. The key-value metadata ParquetTypesKey and
// ParquetLevelsKey record the frame types and categorical levels, so
// ReadParquet gives back an identical frame; other readers see ordinary
// typed columns.
func WriteParquet(w io.Writer, f *frame.Frame) error {
	if f.NumCols() == 0 {
		return errors.New("dataio: cannot write a frame with no columns as Parquet")
	}
	types := make(map[string]string, f.NumCols())
	levels := map[string][]string{}
	group := &pqGroup{}
	for _, c := range f.Columns() {
		var node parquet.Node
		switch c := c.(type) {
		case *frame.Float64Col:
			node = parquet.Leaf(parquet.DoubleType)
		case *frame.Int64Col:
			node = parquet.Leaf(parquet.Int64Type)
		case *frame.BoolCol:
			node = parquet.Leaf(parquet.BooleanType)
		case *frame.DatetimeCol:
			node = parquet.Timestamp(parquet.Nanosecond)
		case *frame.CategoricalCol:
			node = parquet.Encoded(parquet.String(), &parquet.RLEDictionary)
			size := 0
			for _, l := range c.Levels {
				size += len(l) + 4
			}
			if size <= parquetMaxLevelsBytes {
				levels[c.Name()] = c.Levels
			}
		case *frame.StringCol:
			node = parquet.String()
		default:
			return fmt.Errorf("dataio: column %q: cannot write %T as Parquet", c.Name(), c)
		}
		types[c.Name()] = c.Type().String()
		group.fields = append(group.fields, pqField{Node: parquet.Optional(node), name: c.Name()})
	}
	typesJSON, err := json.Marshal(types)
	if err != nil {
		return fmt.Errorf("dataio: %w", err)
	}
	levelsJSON, err := json.Marshal(levels)
	if err != nil {
		return fmt.Errorf("dataio: %w", err)
	}
	schema := parquet.NewSchema("mlwb", group)
	opts := []parquet.WriterOption{
		parquet.Compression(fastSnappy{}),
		parquet.KeyValueMetadata(ParquetTypesKey, string(typesJSON)),
		parquet.KeyValueMetadata(ParquetLevelsKey, string(levelsJSON)),
		parquet.CreatedBy("mlwb", "", ""),
		parquet.DataPageStatistics(false),
	}
	for _, c := range f.Columns() {
		if t := c.Type(); t == frame.Categorical || t == frame.String {
			// Text bounds cost string comparisons per value and are seldom
			// useful for pruning; numeric columns keep theirs.
			opts = append(opts, parquet.SkipPageBounds(c.Name()))
		}
	}
	pw := parquet.NewGenericWriter[any](w, append([]parquet.WriterOption{schema}, opts...)...)
	rg := pw.BeginRowGroup()
	writers := rg.ColumnWriters()
	if len(writers) != f.NumCols() {
		return fmt.Errorf("dataio: parquet schema has %d columns, frame %d", len(writers), f.NumCols())
	}
	workers := min(runtime.GOMAXPROCS(0), f.NumCols())
	scratch := make([][]parquet.Value, workers)
	for lo := 0; lo < f.NumRows(); lo += parquetRowGroupRows {
		hi := min(lo+parquetRowGroupRows, f.NumRows())
		err := parallelFor(f.NumCols(), workers, func(worker, j int) error {
			buf := scratch[worker]
			if cap(buf) < parquetBatch {
				buf = make([]parquet.Value, parquetBatch)
				scratch[worker] = buf
			}
			return writeParquetColumn(writers[j], f.Col(j), j, lo, hi, buf[:parquetBatch])
		})
		if err != nil {
			return err
		}
		if _, err := rg.Commit(); err != nil {
			return fmt.Errorf("dataio: write parquet: %w", err)
		}
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("dataio: write parquet: %w", err)
	}
	return nil
}

// parallelFor runs fn(worker, i) for i in [0, n) on up to workers goroutines
// and returns the first error.
func parallelFor(n, workers int, fn func(worker, i int) error) error {
	if workers <= 1 || n <= 1 {
		for i := 0; i < n; i++ {
			if err := fn(0, i); err != nil {
				return err
			}
		}
		return nil
	}
	var (
		mu    sync.Mutex
		next  int
		first error
		wg    sync.WaitGroup
	)
	for w := 0; w < min(workers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				stop := first != nil
				mu.Unlock()
				if i >= n || stop {
					return
				}
				if err := fn(w, i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	return first
}

// stringBytes returns the bytes of s without copying; parquet-go copies
// values into its own buffers and never modifies them.
func stringBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// writeParquetColumn writes rows lo..hi-1 of c to cw, batch values at a time.
func writeParquetColumn(cw *parquet.ColumnWriter, c frame.Column, j, lo, hi int, buf []parquet.Value) error {
	mask := c.Mask()
	null := parquet.NullValue().Level(0, 0, j)
	for start := lo; start < hi; start += len(buf) {
		end := min(start+len(buf), hi)
		vals := buf[:end-start]
		switch c := c.(type) {
		case *frame.Float64Col:
			for i := range vals {
				if r := start + i; mask.Valid(r) {
					vals[i] = parquet.DoubleValue(c.Data[r])
					vals[i].SetDefinitionLevel(1)
					vals[i].SetColumnIndex(j)
				} else {
					vals[i] = null
				}
			}
		case *frame.Int64Col:
			for i := range vals {
				if r := start + i; mask.Valid(r) {
					vals[i] = parquet.Int64Value(c.Data[r])
					vals[i].SetDefinitionLevel(1)
					vals[i].SetColumnIndex(j)
				} else {
					vals[i] = null
				}
			}
		case *frame.DatetimeCol:
			for i := range vals {
				if r := start + i; mask.Valid(r) {
					vals[i] = parquet.Int64Value(c.Data[r])
					vals[i].SetDefinitionLevel(1)
					vals[i].SetColumnIndex(j)
				} else {
					vals[i] = null
				}
			}
		case *frame.BoolCol:
			for i := range vals {
				if r := start + i; mask.Valid(r) {
					vals[i] = parquet.BooleanValue(c.Data[r])
					vals[i].SetDefinitionLevel(1)
					vals[i].SetColumnIndex(j)
				} else {
					vals[i] = null
				}
			}
		case *frame.CategoricalCol:
			lv := make([][]byte, len(c.Levels))
			for k, l := range c.Levels {
				lv[k] = stringBytes(l)
			}
			for i := range vals {
				if k := c.Codes[start+i]; k >= 0 {
					vals[i] = parquet.ByteArrayValue(lv[k])
					vals[i].SetDefinitionLevel(1)
					vals[i].SetColumnIndex(j)
				} else {
					vals[i] = null
				}
			}
		case *frame.StringCol:
			for i := range vals {
				if r := start + i; mask.Valid(r) {
					vals[i] = parquet.ByteArrayValue(stringBytes(c.Data[r]))
					vals[i].SetDefinitionLevel(1)
					vals[i].SetColumnIndex(j)
				} else {
					vals[i] = null
				}
			}
		}
		if _, err := cw.WriteRowValues(vals); err != nil {
			return fmt.Errorf("dataio: write parquet column %q: %w", c.Name(), err)
		}
	}
	return nil
}

// fastSnappy is Snappy compression using the faster of klauspost/compress's
// two Snappy-compatible encoders (parquet-go's codec uses the "better" one,
// which costs about twice the time for a few percent of size).
type fastSnappy struct{}

func (fastSnappy) String() string                            { return "SNAPPY" }
func (fastSnappy) CompressionCodec() format.CompressionCodec { return format.Snappy }
func (fastSnappy) Encode(dst, src []byte) ([]byte, error) {
	return s2.EncodeSnappy(dst[:cap(dst)], src), nil
}
func (fastSnappy) Decode(dst, src []byte) ([]byte, error) { return parquet.Snappy.Decode(dst, src) }

// pqGroup is a Parquet group node whose fields keep the order given
// (parquet.Group sorts them by name).
type pqGroup struct{ fields []parquet.Field }

type pqField struct {
	parquet.Node
	name string
}

func (f pqField) Name() string { return f.name }

// Value is used only by reflection-based row writing, which mlwb does not use.
func (f pqField) Value(base reflect.Value) reflect.Value {
	if base.Kind() == reflect.Map {
		return base.MapIndex(reflect.ValueOf(f.name))
	}
	return reflect.Value{}
}

func (g *pqGroup) ID() int { return 0 }
func (g *pqGroup) String() string {
	names := make([]string, len(g.fields))
	for i, f := range g.fields {
		names[i] = f.Name() + " " + f.Type().String()
	}
	return "group {" + strings.Join(names, "; ") + "}"
}
func (g *pqGroup) Type() parquet.Type          { return parquet.Group{}.Type() }
func (g *pqGroup) Optional() bool              { return false }
func (g *pqGroup) Repeated() bool              { return false }
func (g *pqGroup) Required() bool              { return true }
func (g *pqGroup) Leaf() bool                  { return false }
func (g *pqGroup) Fields() []parquet.Field     { return g.fields }
func (g *pqGroup) Encoding() encoding.Encoding { return nil }
func (g *pqGroup) Compression() compress.Codec { return nil }
func (g *pqGroup) GoType() reflect.Type        { return reflect.TypeFor[map[string]any]() }

// ReadParquetFile reads the Parquet file at path (see ReadParquet).
func ReadParquetFile(ctx context.Context, path string, opt Options) (*frame.Frame, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dataio: %w", err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, fmt.Errorf("dataio: %w", err)
	}
	return ReadParquet(ctx, fh, st.Size(), path, opt)
}
