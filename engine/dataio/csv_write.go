package dataio

import (
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/mlwb/mlwb/engine/frame"
)

// WriteCSV writes f as delimited text with a header row: RFC 4180 quoting,
// LF line ends, missing cells empty, floats in their shortest round-trip
// form (inf, -inf as pandas writes them) and datetimes as ISO 8601, so that
// ReadCSV reads back the same types and values.
func WriteCSV(w io.Writer, f *frame.Frame, delim rune) error {
	cw := csv.NewWriter(w)
	if delim != 0 {
		cw.Comma = delim
	}
	if err := cw.Write(f.Names()); err != nil {
		return err
	}
	rec := make([]string, f.NumCols())
	for i := range f.NumRows() {
		for j, c := range f.Columns() {
			rec[j] = c.Format(i)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriterFor returns the writer for an output path by its extension: Parquet
// for .parquet, CSV for .csv, tab-separated for .tsv.
func WriterFor(path string) (func(w io.Writer, f *frame.Frame) error, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".parquet":
		return WriteParquet, nil
	case ".csv":
		return func(w io.Writer, f *frame.Frame) error { return WriteCSV(w, f, ',') }, nil
	case ".tsv":
		return func(w io.Writer, f *frame.Frame) error { return WriteCSV(w, f, '\t') }, nil
	}
	return nil, fmt.Errorf("dataio: cannot write %s: use .parquet, .csv or .tsv", path)
}
