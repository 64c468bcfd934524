// Package dataio reads tabular files (CSV/TSV, ARFF, JSON Lines, Parquet) into
// frame.Frames. Load picks the reader from Options.Format or the file
// extension and looks through a trailing .gz.
//
// Errors about the content of a file are *ParseError values naming the file,
// the 1-based physical line and, where it applies, the 1-based byte column.
package dataio
