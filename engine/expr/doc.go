// Package expr is a small expression language over the rows of a frame.Frame.
// The data screen's "/" filter, cleaning filters and formula columns use it.
//
// # Syntax
//
//	age >= 30 && plan == "premium"
//	`monthly fee` > 50 or [monthly fee] is written either way
//	city in ("oslo", "paris") and not isna(age)
//	contains(lower(notes), "refund") || support_calls * 2 > 7
//	signup >= "2024-01-01"
//
// Column references are bare identifiers (letters, digits, '_' and '.', not
// starting with a digit) or any text in backquotes or square brackets.
// Literals are numbers (42, 3.5, 1e3), strings in double or single quotes
// (with Go-style backslash escapes), true, false and null. Operators, from
// loosest to tightest binding:
//
//	|| or
//	&& and
//	! not                              (prefix; applies to a whole comparison)
//	== = != < <= > >= in, not in       (comparison)
//	+ -                                (+ also concatenates strings)
//	* / %
//	- (unary)
//
// Keywords (and, or, not, in, true, false, null) are case-insensitive.
// Functions: contains(s, sub), startswith(s, prefix), endswith(s, suffix)
// (case-sensitive; combine with lower() for case-insensitive matching),
// lower(s), upper(s), len(s) (in characters), isna(x), notna(x), abs(x),
// log(x) (natural), sqrt(x), round(x) and round(x, digits).
//
// # Types
//
// Every expression has one of the types number, bool, string or datetime,
// fixed when it is bound to a frame. Int, float columns are numbers (ints are
// read as float64, exact up to 2^53); categorical and string columns are
// strings (a categorical compared with a string compares its text); datetime
// columns compare with datetime columns or with string literals holding a
// date ("2024-01-01"), a date and time ("2024-01-01 12:30:00", also with 'T')
// or an RFC 3339 time, all read as UTC when no zone is given. Mixing types in
// a comparison (a number with a string) is an error at Bind.
//
// # Missing values
//
// Comparisons, in, contains, startswith and endswith with a missing operand
// are false, never missing, as in SQL WHERE clauses and pandas. Arithmetic
// and the other functions propagate missing values; log and sqrt of numbers
// outside their domain, and division by zero, give missing (NaN is missing,
// as everywhere in frame). Boolean columns keep their missing values through
// !, && and || using Kleene logic (false && NA is false, true || NA is true);
// Filter keeps only rows that are definitely true. isna(x) and notna(x) test
// for missing values; x == null is rejected with a hint to use them.
//
// # Evaluation
//
// A bound Program evaluates column-wise over chunks of 65,536 rows, checking
// its context between chunks. Categorical columns are evaluated per level
// (once per distinct value) and mapped back through their codes.
package expr
