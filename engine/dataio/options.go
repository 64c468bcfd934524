package dataio

import "strconv"

// HeaderMode says whether the first row of a delimited file names the columns.
type HeaderMode uint8

const (
	// HeaderAuto (the zero value) treats the first row as a header unless every
	// cell of it parses as a number (or is empty) in a column whose remaining
	// data is numeric: then the first row is data and columns are named V1..Vn.
	HeaderAuto HeaderMode = iota
	// HeaderYes always takes the first row as column names.
	HeaderYes
	// HeaderNo takes the first row as data and names columns V1..Vn.
	HeaderNo
)

var headerModeNames = [...]string{"auto", "yes", "no"}

// String returns "auto", "yes" or "no".
func (h HeaderMode) String() string {
	if int(h) < len(headerModeNames) {
		return headerModeNames[h]
	}
	return "HeaderMode(" + strconv.Itoa(int(h)) + ")"
}

// DefaultMissingMarkers are the cell texts read as missing when
// Options.MissingMarkers is nil. Matching ignores surrounding whitespace and is
// case-sensitive; a whitespace-only or empty cell is always missing. "NaN" is a
// float NaN (stored as missing) in float columns and missing elsewhere.
var DefaultMissingMarkers = []string{"", "NA", "N/A", "null", "NaN", "?"}

// Options control how files are read. The zero value means: sniff the
// delimiter, detect the header, default missing markers, strict row lengths,
// format from the file extension, no progress reports, one worker per CPU.
type Options struct {
	// Delimiter separates fields; 0 sniffs among ',', ';', '\t' and '|'
	// (a .tsv file means '\t').
	Delimiter rune
	// Header says whether the first row holds column names.
	Header HeaderMode
	// MissingMarkers are the cell texts read as missing; nil means
	// DefaultMissingMarkers. Empty and whitespace-only cells are always missing.
	MissingMarkers []string
	// Lenient pads short rows with missing cells and drops the extra cells of
	// long rows instead of failing.
	Lenient bool
	// Format is one of "csv", "tsv", "jsonl", "json", "parquet" or "arff";
	// "" picks it from the file extension (a trailing .gz is looked through).
	Format string
	// Progress, if not nil, is called from the reading goroutine with the
	// bytes read so far and the total (total is -1 when unknown, e.g. for
	// gzip input or a pipe).
	Progress func(done, total int64)
	// Workers is the number of parsing goroutines; 0 means GOMAXPROCS.
	Workers int
}

func (o *Options) missingMarkers() []string {
	if o.MissingMarkers == nil {
		return DefaultMissingMarkers
	}
	return o.MissingMarkers
}
