package cli

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/spf13/cobra"
)

// readFlags are the options every command that reads a data file takes.
type readFlags struct {
	delimiter string
	header    bool
	noHeader  bool
	na        []string
	lenient   bool
	format    string
}

func (r *readFlags) add(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&r.delimiter, "delimiter", "", "field delimiter for CSV/TSV (default: sniffed among , ; tab |; use \\t for tab)")
	f.BoolVar(&r.header, "header", false, "the first row is a header (default: detected)")
	f.BoolVar(&r.noHeader, "no-header", false, "the first row is data; columns are named V1..Vn")
	f.StringSliceVar(&r.na, "na", nil, "cell texts read as missing (default: empty, NA, N/A, null, NaN, ?)")
	f.BoolVar(&r.lenient, "lenient", false, "pad short rows with missing cells and drop extra cells instead of failing")
	f.StringVar(&r.format, "format", "", "csv, tsv, jsonl, parquet or arff (default: from the file extension)")
}

func (r *readFlags) options() (dataio.Options, error) {
	var o dataio.Options
	if r.header && r.noHeader {
		return o, fmt.Errorf("--header and --no-header contradict each other")
	}
	switch {
	case r.header:
		o.Header = dataio.HeaderYes
	case r.noHeader:
		o.Header = dataio.HeaderNo
	}
	switch r.delimiter {
	case "":
	case `\t`, "tab":
		o.Delimiter = '\t'
	default:
		d, n := utf8.DecodeRuneInString(r.delimiter)
		if n != len(r.delimiter) || d == '"' || d == '\n' || d == '\r' {
			return o, fmt.Errorf("--delimiter must be one character other than a quote or newline, got %q", r.delimiter)
		}
		o.Delimiter = d
	}
	o.MissingMarkers = r.na
	o.Lenient = r.lenient
	o.Format = r.format
	return o, nil
}

// InfoJSON is the documented output of "mlwb info --json".
type InfoJSON struct {
	File        string           `json:"file"`
	Format      string           `json:"format"`
	Rows        int              `json:"rows"`
	Columns     []InfoColumnJSON `json:"columns"`
	LoadSeconds float64          `json:"load_seconds"`
}

// InfoColumnJSON describes one column in InfoJSON.
type InfoColumnJSON struct {
	Name    string `json:"name"`
	Type    string `json:"type"`
	Missing int    `json:"missing"`
}

func describeColumns(f *frame.Frame) []InfoColumnJSON {
	out := make([]InfoColumnJSON, f.NumCols())
	for i, c := range f.Columns() {
		out[i] = InfoColumnJSON{Name: c.Name(), Type: c.Type().String(), Missing: c.NullCount()}
	}
	return out
}

func newInfoCmd(e *env) *cobra.Command {
	var rf readFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "info FILE",
		Short: "Load a data file and print its rows, columns, types and missing counts",
		Long: `Load a data file (CSV, TSV, JSON Lines, Parquet or ARFF; .gz compressed too) and
print its number of rows and, per column, the inferred type and missing count.

JSON output (--json) is stable:
  {"file": "...", "format": "csv", "rows": N, "load_seconds": S,
   "columns": [{"name": "...", "type": "int|float|bool|datetime|categorical|string", "missing": N}]}`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opt, err := rf.options()
			if err != nil {
				return err
			}
			path := args[0]
			format, err := dataio.DetectFormat(path)
			if opt.Format != "" {
				format, err = opt.Format, nil
			}
			if err != nil {
				return err
			}
			bar := newProgress(e.stderr, "loading "+path, asJSON)
			opt.Progress = bar.Update
			start := time.Now()
			f, err := dataio.Load(cmd.Context(), path, opt)
			bar.Done()
			if err != nil {
				return err
			}
			info := InfoJSON{File: path, Format: format, Rows: f.NumRows(), Columns: describeColumns(f), LoadSeconds: time.Since(start).Seconds()}
			if asJSON {
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(info)
			}
			fmt.Fprintf(e.stdout, "%s: %d rows × %d columns (%s, loaded in %.2fs)\n\n", path, info.Rows, len(info.Columns), format, info.LoadSeconds)
			tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "#\tcolumn\ttype\tmissing")
			for i, c := range info.Columns {
				miss := fmt.Sprint(c.Missing)
				if c.Missing > 0 && info.Rows > 0 {
					miss = fmt.Sprintf("%d (%.1f%%)", c.Missing, 100*float64(c.Missing)/float64(info.Rows))
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", i+1, c.Name, c.Type, miss)
			}
			return tw.Flush()
		},
	}
	rf.add(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (stable, documented above)")
	return cmd
}
