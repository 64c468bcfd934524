// Package gotaconv converts between mlwb's frame.Frame and go-gota's
// dataframe.DataFrame (github.com/go-gota/gota v0.12.0).
//
// gota is an interchange layer only: it stores every cell as a boxed element,
// so it is never used on a hot path. Convert at the boundary, work on frames.
//
// Type mapping, frame → gota → frame:
//
//	float        Float   → float         (missing ↔ NaN element)
//	int          Int     → int           (missing ↔ NA element)
//	bool         Bool    → bool
//	datetime     String of RFC 3339 text (2006-01-02T15:04:05.999999999Z)
//	categorical  String of the level text
//	string       String
//
// gota has no datetime or categorical type, so FromGota infers them from
// String series: datetime when every non-missing value is an ISO date or
// date-time, else categorical when values repeat (distinct values at most
// half the non-missing ones and at most 65535, the rule dataio's readers use),
// else string. Categorical levels come back in order of first appearance.
//
// Known gota behaviours that a round trip cannot undo: a string cell holding
// exactly "NaN" is missing in gota; gota renames empty and duplicate column
// names (X0, name_1, ...); gota's Int is Go's int, which is 32 bits wide on
// 32-bit platforms.
package gotaconv
