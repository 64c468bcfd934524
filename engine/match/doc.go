// Package match finds records that refer to the same entity: in two tables
// (Link) or within one (Dedupe).
//
// The steps:
//
//  1. Normalise. Text is compared after Normalize (accents stripped, lower
//     case, punctuation to spaces, spaces collapsed); numbers are read from
//     numeric columns or parsed out of text with ParseNumber. Records whose
//     compared values are identical after this are grouped and scored once.
//  2. Block. Candidate pairs come from records sharing a rare token, a token
//     prefix, or a place in a sorted neighbourhood (see Blocking), so the
//     n × m pairs are never all compared. Result.Candidates counts the
//     record pairs proposed.
//  3. Score. Each Field gets a similarity in [0, 1] — JaroWinkler,
//     Levenshtein (normalised), TokenSet (rapidfuzz's token_set_ratio),
//     NumericSim or Exact — and a pair's score is the weighted mean of the
//     fields present on both sides. Scoring runs on all cores.
//  4. Decide. Pairs scoring at least Config.Threshold are matches (Auto);
//     pairs in Config.ReviewBand await a person (Review) who accepts or
//     rejects them with Result.SetStatus; decisions can be saved and
//     re-applied (Result.Decisions, Result.Apply). Link may be one-to-one.
//  5. Output. Result.Frame is the match table, Result.Merge the merged
//     dataset, Result.Clusters the transitive clusters (union–find).
//
// EvaluateClusters and EvaluatePairs measure pairwise precision, recall and
// F1 against gold keys.
package match
