package match

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// SimKind names a per-field similarity. Every kind scores in [0, 1].
type SimKind uint8

// The similarity kinds. Text kinds compare Normalize'd text.
const (
	// SimAuto picks SimNumeric for numeric columns (on both sides) and TokenSet otherwise.
	SimAuto SimKind = iota
	// SimJaroWinkler is JaroWinkler on the normalised text.
	SimJaroWinkler
	// SimLevenshtein is the normalised Levenshtein similarity.
	SimLevenshtein
	// SimTokenSet is rapidfuzz's token_set_ratio / 100.
	SimTokenSet
	// SimNumeric is NumericSim of the numbers (text cells are parsed: "$1,299.00" → 1299).
	SimNumeric
	// SimExact is 1 when the normalised texts (or numbers) are equal, else 0.
	SimExact
)

var simNames = [...]string{"auto", "jw", "levenshtein", "tokenset", "numeric", "exact"}

// String returns the kind's stable name: auto, jw, levenshtein, tokenset, numeric or exact.
func (k SimKind) String() string {
	if int(k) < len(simNames) {
		return simNames[k]
	}
	return fmt.Sprintf("SimKind(%d)", k)
}

// ParseSimKind returns the kind named s (its String, or the aliases
// jarowinkler, lev, token_set, num).
func ParseSimKind(s string) (SimKind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "auto", "":
		return SimAuto, nil
	case "jw", "jarowinkler", "jaro-winkler", "jaro_winkler":
		return SimJaroWinkler, nil
	case "levenshtein", "lev":
		return SimLevenshtein, nil
	case "tokenset", "token_set", "token-set":
		return SimTokenSet, nil
	case "numeric", "num":
		return SimNumeric, nil
	case "exact":
		return SimExact, nil
	}
	return 0, fmt.Errorf("match: unknown similarity %q (want one of %s)", s, strings.Join(simNames[:], ", "))
}

// Field is one compared pair of columns.
type Field struct {
	// Left and Right name the columns in the left and right tables. An empty
	// Right means the same name as Left.
	Left, Right string
	// Sim is the similarity (SimAuto: by column type).
	Sim SimKind
	// Weight is the field's weight in the combined score (0 means 1).
	Weight float64
	// Scale is the Numeric similarity's scale (0: relative, see NumericSim).
	Scale float64
}

// Name returns the field's display name: Left, or "Left=Right" when they differ.
func (f Field) Name() string {
	if f.Right == "" || f.Right == f.Left {
		return f.Left
	}
	return f.Left + "=" + f.Right
}

// ParseFields reads field specs, each a comma-separated list of
//
//	LEFT[=RIGHT][:SIM[:WEIGHT]]
//
// as in "name=company:jw:2,price:numeric". SIM is a ParseSimKind name
// (default auto), WEIGHT a positive number (default 1). Names are trimmed;
// they cannot contain ',', ':' or '='.
func ParseFields(specs ...string) ([]Field, error) {
	var out []Field
	for _, list := range specs {
		for _, spec := range strings.Split(list, ",") {
			spec = strings.TrimSpace(spec)
			if spec == "" {
				continue
			}
			parts := strings.Split(spec, ":")
			if len(parts) > 3 {
				return nil, fmt.Errorf("match: field %q: want LEFT[=RIGHT][:SIM[:WEIGHT]]", spec)
			}
			var f Field
			f.Left, f.Right, _ = strings.Cut(parts[0], "=")
			f.Left, f.Right = strings.TrimSpace(f.Left), strings.TrimSpace(f.Right)
			if f.Left == "" || strings.Contains(f.Right, "=") {
				return nil, fmt.Errorf("match: field %q: want LEFT[=RIGHT][:SIM[:WEIGHT]]", spec)
			}
			if len(parts) > 1 {
				k, err := ParseSimKind(parts[1])
				if err != nil {
					return nil, fmt.Errorf("%w, in field %q", err, spec)
				}
				f.Sim = k
			}
			if len(parts) > 2 {
				w, err := strconv.ParseFloat(strings.TrimSpace(parts[2]), 64)
				if err != nil || !(w > 0) || math.IsInf(w, 0) {
					return nil, fmt.Errorf("match: field %q: weight %q is not a positive number", spec, parts[2])
				}
				f.Weight = w
			}
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil, &configError{"no fields to compare"}
	}
	return out, nil
}

// ParseBand reads a review band "LO,HI" with 0 ≤ LO < HI ≤ 1; "" is the
// empty band.
func ParseBand(s string) (Band, error) {
	if strings.TrimSpace(s) == "" {
		return Band{}, nil
	}
	lo, hi, ok := strings.Cut(s, ",")
	l, err1 := strconv.ParseFloat(strings.TrimSpace(lo), 64)
	h, err2 := strconv.ParseFloat(strings.TrimSpace(hi), 64)
	if !ok || err1 != nil || err2 != nil || !(l >= 0 && l < h && h <= 1) {
		return Band{}, fmt.Errorf("match: review band %q: want LO,HI with 0 ≤ LO < HI ≤ 1", s)
	}
	return Band{Lo: l, Hi: h}, nil
}

// BlockMethod chooses how candidate pairs are generated.
type BlockMethod uint8

// The blocking methods.
const (
	// BlockTokensAndNeighbours (the default) unions token blocking, token-prefix
	// blocking and a sorted neighbourhood.
	BlockTokensAndNeighbours BlockMethod = iota
	// BlockTokens pairs records sharing a rare normalised token.
	BlockTokens
	// BlockPrefix pairs records whose normalised blocking text starts with the
	// same Blocking.PrefixLen runes.
	BlockPrefix
	// BlockNeighbours is the sorted-neighbourhood method alone.
	BlockNeighbours
	// BlockFull compares every pair: n·m comparisons, for small tables only.
	BlockFull
)

var blockNames = [...]string{"auto", "tokens", "prefix", "neighbours", "full"}

// String returns the method's stable name.
func (m BlockMethod) String() string {
	if int(m) < len(blockNames) {
		return blockNames[m]
	}
	return fmt.Sprintf("BlockMethod(%d)", m)
}

// ParseBlockMethod returns the method named s.
func ParseBlockMethod(s string) (BlockMethod, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "auto", "", "default":
		return BlockTokensAndNeighbours, nil
	case "tokens", "token":
		return BlockTokens, nil
	case "prefix":
		return BlockPrefix, nil
	case "neighbours", "neighbors", "sorted":
		return BlockNeighbours, nil
	case "full", "none":
		return BlockFull, nil
	}
	return 0, fmt.Errorf("match: unknown blocking %q (want one of %s)", s, strings.Join(blockNames[:], ", "))
}

// Blocking configures candidate generation. Its zero value is the default.
//
// Keys are built from the blocking text of a record: the normalised values of
// the text fields compared (or of Fields, when set) joined by spaces.
//   - Token keys: every distinct token of two or more runes (single letters
//     and digits are too common to block on).
//   - Prefix keys: the first PrefixLen runes of every token longer than
//     that (so "unilever" and "unilver" share "unil"); with method Prefix,
//     the first PrefixLen runes of the whole text instead.
//   - Sorted neighbourhood (Hernández & Stolfo 1995): records sorted by their
//     blocking text, and also by that text with its tokens reversed, are
//     paired with the Window−1 records after them.
//
// A key whose block holds more than MaxBlock distinct records (left plus
// right records when linking) is skipped: such tokens ("v", "inc", "the")
// carry little evidence and would bring back the n × m comparisons that
// blocking exists to avoid. Records sharing only frequent tokens can still
// meet through their prefixes or the sorted neighbourhood.
type Blocking struct {
	Method BlockMethod
	// Fields are the left column names to build keys from (the right
	// columns are those paired with them in Config.Fields). Default: every
	// compared field that is not Numeric.
	Fields []string
	// PrefixLen is the prefix length in runes (default 4).
	PrefixLen int
	// MaxBlock is the largest block kept (default 300 distinct records).
	MaxBlock int
	// Window is the sorted-neighbourhood window (default 5; negative: off).
	Window int
}

func (b Blocking) withDefaults() Blocking {
	if b.PrefixLen <= 0 {
		b.PrefixLen = 4
	}
	if b.MaxBlock <= 0 {
		b.MaxBlock = 300
	}
	if b.Window == 0 {
		b.Window = 5
	}
	return b
}

// Band is a half-open score interval [Lo, Hi).
type Band struct{ Lo, Hi float64 }

// Contains reports whether Lo ≤ s < Hi.
func (b Band) Contains(s float64) bool { return s >= b.Lo && s < b.Hi }

// Empty reports whether the band holds no score.
func (b Band) Empty() bool { return !(b.Lo < b.Hi) }

// Config says what to compare and what counts as a match. Its zero value is
// not usable: Fields must name at least one column.
type Config struct {
	Fields   []Field
	Blocking Blocking
	// Threshold is the score at or above which a pair is a match (default
	// DefaultThreshold when 0; pass a tiny positive number for "everything").
	Threshold float64
	// ReviewBand marks pairs with Lo ≤ score < Hi as Review, to be accepted
	// or rejected by a person, whatever the threshold; pairs in it below the
	// threshold are kept too. The zero Band means no review.
	ReviewBand Band
	// OneToOne keeps, when linking, at most one partner per record: pairs are
	// taken greedily by descending score and a pair is dropped when either
	// record is already taken. Ignored by Dedupe.
	OneToOne bool
	// MaxPairs bounds the number of record pairs a result may hold (default
	// DefaultMaxPairs); beyond it Link and Dedupe fail with a
	// *TooManyPairsError rather than exhaust memory, as when deduplicating
	// on a column with few distinct values.
	MaxPairs int
	// Progress, when set, is called with the number of distinct left records
	// whose candidates have been scored and their total, from the scoring
	// goroutines (never two calls at once).
	Progress func(done, total int64)
}

// DefaultThreshold is the match threshold when Config.Threshold is 0.
const DefaultThreshold = 0.85

// DefaultMaxPairs is the pair limit when Config.MaxPairs is 0 (about 300 MB
// of pairs).
const DefaultMaxPairs = 5_000_000

// TooManyPairsError reports a result larger than Config.MaxPairs.
type TooManyPairsError struct {
	Pairs, Max int64
}

func (e *TooManyPairsError) Error() string {
	return fmt.Sprintf("match: %d record pairs score at or above the threshold or review band, more than the limit of %d: raise the threshold, compare more fields, or raise the limit", e.Pairs, e.Max)
}

// ErrConfig is wrapped by errors about the configuration or the tables.
var ErrConfig = errors.New("match: bad configuration")

// ErrEmpty is wrapped when a table has no rows.
var ErrEmpty = errors.New("match: empty table")

// FieldError reports a field that cannot be compared.
type FieldError struct {
	Table     string // "left" or "right", or the table's name
	Field     string
	Available []string // the table's columns, for unknown fields
	Reason    string   // for known fields that cannot be used
}

func (e *FieldError) Error() string {
	if e.Reason != "" {
		return fmt.Sprintf("match: field %q in %s: %s", e.Field, e.Table, e.Reason)
	}
	avail := strings.Join(e.Available, ", ")
	if len(avail) > 300 {
		avail = avail[:300] + "…"
	}
	return fmt.Sprintf("match: no column %q in %s (columns: %s)", e.Field, e.Table, avail)
}

// Unwrap lets errors.Is(err, ErrConfig) match.
func (e *FieldError) Unwrap() error { return ErrConfig }
