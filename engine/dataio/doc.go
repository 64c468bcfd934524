// Package dataio reads tabular files (CSV/TSV, ARFF, JSON Lines, Parquet) into
// frame.Frames. Load picks the reader from Options.Format or the file
// extension (see DetectFormat) and looks through a trailing .gz.
//
// Errors about the content of a file are *ParseError values naming the file,
// the 1-based physical line and, where it applies, the 1-based byte column:
// "data.csv:12:3: unterminated quoted field".
//
// # Delimited text (ReadCSV, ReadCSVFile)
//
// Layout:
//   - The delimiter is Options.Delimiter, or tab for .tsv/.tab names and
//     format "tsv", or else sniffed on the first 64 KiB among ',', tab, ';'
//     and '|': the one that splits every row into the same number (> 1) of
//     fields outside quotes wins, the most fields first; ',' when none splits.
//   - Quoting follows RFC 4180: a field that starts with '"' may hold
//     delimiters, line breaks and doubled quotes (""). A quote elsewhere in a
//     field is an ordinary character, and text after a closing quote is kept
//     (`"ab"c` is abc), as pandas reads them.
//   - Rows end with LF or CRLF; the last row needs no line end. A UTF-8 byte
//     order mark is skipped. Blank lines, and lines of spaces and tabs only,
//     are skipped wherever they are (as pandas' skip_blank_lines).
//
// Header: with HeaderAuto the first row names the columns unless every cell
// of it is a number or missing (at least one number) and every column under
// such a number turns out numeric; then the first row is data and columns are
// named V1, V2, ... (as R does). HeaderYes and HeaderNo force the choice.
// Header names are trimmed of surrounding spaces; an empty name becomes V<k>
// for the 1-based position k; a repeated name gets ".1", ".2", ... as in
// pandas (a, a → a, a.1), skipping names already present.
//
// Missing values: a cell is missing when, after trimming ASCII white space,
// it is empty or one of Options.MissingMarkers (DefaultMissingMarkers: NA,
// N/A, null, NaN, ?), whether quoted or not. "NaN" is therefore missing in
// every column; other spellings (nan) read as a float NaN, which the frame
// also stores as missing. inf, -inf, Infinity are float values.
//
// Type inference looks at every cell of every row, never a sample. Cells are
// trimmed for inference; each column gets the first type of this list that
// holds all its non-missing cells:
//   - int: optional sign and decimal digits, fitting int64 ("007" is 7);
//   - float: decimal numbers with optional exponent, inf/infinity/nan; an
//     int column with one float cell is float (integers beyond int64 are
//     floats too); values are correctly rounded, bit-identical to
//     strconv.ParseFloat;
//   - bool: true/false, True/False, TRUE/FALSE only (0/1 stay int, yes/no
//     are text);
//   - datetime: ISO 8601 YYYY-MM-DD, optionally with 'T' or ' ' and
//     HH:MM[:SS[.fraction]] and a zone Z, ±HH, ±HHMM or ±HH:MM (no zone means
//     UTC); or a/b/YYYY [HH:MM[:SS]] with one- or two-digit a and b, read as
//     month/day/year unless some cell of the column is only valid as
//     day/month/year (a first field > 12), then day/month/year; a column
//     with cells valid only one way and cells valid only the other is text.
//     The two families do not mix in one column. Dates must fall between
//     1678 and 2261 (the range of int64 nanoseconds);
//   - text, for anything else, including columns mixing the kinds above.
//     Text keeps the cell's original characters, surrounding spaces
//     included (only quotes are removed). A text column is categorical when
//     it has at most 65535 distinct values and at most half as many distinct
//     values as non-missing cells; otherwise it is a string column. Levels
//     are in order of first appearance.
//
// A column with no value at all is a float column of missing values, as in
// pandas; a file with a header and no rows gives string columns of length 0.
// No cell is ever dropped: when a late cell changes a column's type to text,
// the earlier cells are read again from the input to recover their text.
//
// Errors: an unterminated quoted field (reported at the opening quote), a row
// whose field count differs from the header's ("expected 3 fields, found 2";
// with Options.Lenient short rows are padded with missing cells and extra
// fields are dropped), invalid UTF-8 in a text cell or the header, a NUL
// byte, an empty file (wrapping ErrEmpty) and read errors such as a truncated
// gzip stream ("read: unexpected EOF"). When a file has several problems, the
// first in file order is reported.
//
// # Speed and memory
//
// The input is read in 1 MiB chunks cut at row ends outside quotes; chunks
// are parsed in parallel (Options.Workers, default GOMAXPROCS) straight from
// the bytes into per-chunk typed buffers, with a fused scanner for numbers and
// per-chunk dictionaries for text, and merged in order into the final
// columns, whose size is estimated from the file size. Memory is about the
// size of the resulting columns plus a few chunks; the input is never held
// whole, except that ReadCSV on a reader that cannot seek keeps a copy in case
// a second pass is needed. Progress is reported after every chunk read and
// the context is checked between chunks.
package dataio
