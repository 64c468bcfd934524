// Package clean cleans tables through recipes: ordered lists of steps, each
// a plain, serialisable action (drop, rename and cast columns, impute,
// deduplicate, trim, merge category variants, clip, winsorise, filter,
// parse dates, mask or hash PII). A step's Apply returns a new frame and
// its Effect ("312 cells change, 12 rows dropped") without touching the
// input, so the same call serves as the preview. A Recipe replays its steps
// on any frame — the data it was recorded on or new data — and a step that
// no longer applies fails with an error naming it:
//
//	clean: step 3 (impute "age"): column "age" not found
//
// Session ties a recipe to a workspace dataset: every applied, undone or
// redone step makes a new dataset version (ImportFrameWith with Parent =
// the previous version's hash), the original import is never modified, and
// the recipe with its undo cursor is saved atomically to
// data/recipes/<dataset>.json. Suggest and SuggestVariants propose steps
// (duplicate rows, variant spellings, date columns) for the user to
// confirm.
//
// # Recipe file
//
//	{
//	  "version": 1,
//	  "dataset": "customers",
//	  "salt": "5f1c…",
//	  "steps": [
//	    {"op": "drop_duplicates"},
//	    {"op": "merge_categories", "columns": ["city"],
//	     "params": {"groups": [["Paris", "paris ", "PARIS"]]}},
//	    {"op": "impute", "columns": ["age"], "params": {"method": "median"}},
//	    {"op": "filter", "params": {"expr": "age >= 18 && age <= 100"}}
//	  ]
//	}
//
// "version" (1) and "steps" are required; unknown fields and unknown params
// are errors, so a typo does not pass silently. Written by Session, a file
// also holds "base" and "base_version" (the dataset version the steps start
// from), "undone" (how many trailing steps are undone, i.e. can be redone;
// default 0: all steps are in effect) and per step a "result" (the version
// it produced and its effect). Replays ignore all of these. A step may have
// a free-text "note".
//
// # Ops
//
// Columns marked "(all)" may be omitted to mean every applicable column.
//
//	drop_columns      columns  Remove the columns.
//	rename            columns  params: to (list of new names, one per column).
//	cast              columns  params: to (int, float, bool, datetime,
//	                           categorical, string), layout (for datetime, as
//	                           in parse_dates), strict (bool, default false).
//	                           Text is trimmed then parsed: numbers with
//	                           strconv ("3.0" is the int 3), bools from
//	                           true/false/t/f/yes/no/y/n/1/0 (any case).
//	                           Numbers convert among int, float and bool
//	                           (0/1); a float with a fraction is no int.
//	                           Anything becomes string or categorical by its
//	                           displayed text. Datetime ↔ number is refused.
//	                           Cells that cannot be converted become missing
//	                           and are counted in Effect.Failed, with an
//	                           example in Detail; with strict the step fails
//	                           instead, naming the first such cell and row.
//	parse_dates       columns  Text → datetime. params: layout (Go reference
//	                           form "2006-01-02" or strftime "%d/%m/%Y";
//	                           default: the layout of DateLayouts parsing the
//	                           most distinct values, ambiguous day/month read
//	                           month first as pandas does), strict.
//	drop_missing      (all)    Drop rows with missing values in the columns.
//	                           params: how (any: default; all: only rows
//	                           missing in every listed column).
//	impute            columns  Fill missing values. params: method (mean,
//	                           median, mode, constant), value (for constant).
//	                           mean and median are for int and float columns
//	                           (median also datetime) and turn int columns
//	                           into float, as pandas' fillna does; mean is
//	                           stats.Mean, median is numpy.median (the mean of
//	                           the two middle values). mode is the most
//	                           frequent value, ties going to the smallest, as
//	                           pandas' Series.mode()[0]; a bool tie gives
//	                           false. constant must fit the column's type (a
//	                           date text for datetime columns; a new level
//	                           for categoricals is added). Statistics are
//	                           computed on the data the step is applied to:
//	                           replaying on new data recomputes them (use
//	                           constant to freeze a value).
//	drop_duplicates   (all)    Drop rows equal to an earlier row in the
//	                           columns (missing equals missing), as pandas'
//	                           drop_duplicates. params: keep (first: default,
//	                           or last).
//	trim              (all)    Text columns: remove surrounding white space.
//	                           params: collapse (bool: also turn inner runs
//	                           of white space into one space).
//	case              (all)    Text columns. params: to (lower: default,
//	                           upper, title).
//	merge_categories  column   One text column. params: groups, a list of
//	                           lists whose first element is the canonical
//	                           spelling and the rest its variants:
//	                           [["Paris", "paris ", "PARIS"]]. Values in no
//	                           group, and variants absent from the data, are
//	                           left alone.
//	clip              columns  Int or float columns. params: lower and/or
//	                           upper (numbers), or method "iqr" with k
//	                           (default 1.5) for Tukey's fences
//	                           Q1 − k·IQR, Q3 + k·IQR (numpy linear
//	                           quartiles). Int columns stay int with whole
//	                           explicit bounds and become float otherwise.
//	winsorize         columns  Int or float columns: clip to the lower and
//	                           upper quantiles (params lower, default 0.01;
//	                           upper, default 0.99) by numpy's linear method,
//	                           as pandas' s.clip(s.quantile(l), s.quantile(u)).
//	                           Int columns become float.
//	filter            -        Keep the rows where params.expr (an
//	                           engine/expr condition) is true; rows where it
//	                           is false or missing are dropped.
//	mask              columns  Replace values by a masked text (see
//	                           MaskValue): "j***@example.com", phone digits
//	                           but the last params.keep (default 2) as '*',
//	                           other text its first character and "***".
//	                           Non-text columns become string columns.
//	hash              columns  Replace values by the first params.length
//	                           (default 16, 8–64) hex digits of
//	                           SHA-256(salt ‖ 0x00 ‖ text) (HashValue).
//	                           params.salt overrides the recipe's "salt";
//	                           a step with neither fails. Equal values keep
//	                           equal hashes, so joins still work. The salt is
//	                           a secret: whoever has the recipe can hash
//	                           guesses (phone numbers are few), so keep recipe
//	                           files with hash steps private.
//
// # Effects
//
// CellsChanged counts cells, in rows that are kept, whose displayed text or
// missingness changed: casting the int 5 to the float 5 changes nothing,
// casting the text "5.0" to float changes the cell. Summary spells the
// counts out, then Detail in parentheses.
package clean
