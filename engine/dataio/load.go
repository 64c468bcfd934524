package dataio

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/mlwb/mlwb/engine/frame"
)

// formatByExt maps file extensions (after any .gz) to formats.
var formatByExt = map[string]string{
	".csv": "csv", ".txt": "csv", ".dat": "csv",
	".tsv": "tsv", ".tab": "tsv",
	".jsonl": "jsonl", ".ndjson": "jsonl",
	".json":    "json",
	".parquet": "parquet", ".pq": "parquet",
	".arff": "arff",
}

// DetectFormat returns the format of path from its extension, looking
// through a trailing .gz: "csv" (.csv, .txt, .dat), "tsv" (.tsv, .tab),
// "jsonl" (.jsonl, .ndjson), "json", "parquet" (.parquet, .pq) or "arff".
// A gzip-compressed Parquet file is an error.
func DetectFormat(path string) (string, error) {
	base := strings.ToLower(filepath.Base(path))
	gz := false
	if strings.HasSuffix(base, ".gz") {
		base, gz = strings.TrimSuffix(base, ".gz"), true
	}
	f, ok := formatByExt[filepath.Ext(base)]
	if !ok {
		return "", fmt.Errorf("dataio: cannot tell the format of %q from its extension (want .csv, .tsv, .jsonl, .json, .parquet or .arff, optionally with .gz); set the format explicitly", path)
	}
	if gz && f == "parquet" {
		return "", fmt.Errorf("dataio: %q: gzip-compressed Parquet is not supported (Parquet compresses internally)", path)
	}
	return f, nil
}

// Load reads the table at path. The format is opt.Format, or else
// DetectFormat's answer; a file whose name ends in .gz is decompressed
// (except Parquet). Errors about the content are *ParseError values naming
// path.
func Load(ctx context.Context, path string, opt Options) (*frame.Frame, error) {
	format := strings.ToLower(opt.Format)
	if format == "" {
		var err error
		if format, err = DetectFormat(path); err != nil {
			return nil, err
		}
	}
	opt.Format = format
	switch format {
	case "csv", "tsv":
		return ReadCSVFile(ctx, path, opt)
	case "parquet":
		return ReadParquetFile(ctx, path, opt)
	case "arff", "jsonl", "json":
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		var r io.Reader = f
		if isGzip(path) {
			zr, err := gzip.NewReader(f)
			if err != nil {
				return nil, &ParseError{File: path, Msg: "gzip: " + gzipMsg(err), Err: err}
			}
			r = zr
		}
		if format == "arff" {
			return ReadARFF(ctx, r, path, opt)
		}
		return ReadJSONL(ctx, r, path, opt)
	}
	return nil, fmt.Errorf("dataio: unknown format %q (want csv, tsv, jsonl, json, parquet or arff)", opt.Format)
}
