// Package frame is mlwb's typed columnar table.
//
// A Frame is an ordered set of equally long, uniquely named columns. Each column
// stores its values in one typed Go slice (float64, int64, bool, datetime as Unix
// nanoseconds in UTC, dictionary-encoded categorical codes, or strings) plus a
// validity Mask; there are no per-cell interfaces or boxed values, so memory is
// proportional to the data.
//
// Columns are immutable once built: selection, row selection (Take), slicing and
// sorting return new frames that share or copy column data but never modify it.
// Build columns with the New* constructors or with a Builder.
package frame
