package match

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/mlwb/mlwb/engine/frame"
)

// Status is a pair's decision.
type Status uint8

// The pair statuses. Auto and Accepted pairs are matches.
const (
	// Auto: the score is at or above the threshold and outside the review band.
	Auto Status = iota
	// Review: the score is in the review band; a person should decide.
	Review
	// Accepted by a person.
	Accepted
	// Rejected by a person.
	Rejected
)

var statusNames = [...]string{"auto", "review", "accepted", "rejected"}

// String returns the status's stable name: auto, review, accepted or rejected.
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", s)
}

// ParseStatus returns the status named s.
func ParseStatus(s string) (Status, error) {
	for i, n := range statusNames {
		if n == s {
			return Status(i), nil
		}
	}
	return 0, fmt.Errorf("match: unknown status %q", s)
}

// Matched reports whether the status counts as a match (Auto or Accepted).
func (s Status) Matched() bool { return s == Auto || s == Accepted }

// Pair is one scored record pair: row Left of the left table and row Right of
// the right table (of the same table, Left < Right, when deduplicating).
type Pair struct {
	Left, Right int
	// Score is the weighted mean of the field scores present.
	Score float64
	// FieldScores holds one score per Config field, NaN where either value
	// is missing. Pairs of identical records share the slice: do not modify.
	FieldScores []float64
	Status      Status
}

// Result is the outcome of Link or Dedupe.
type Result struct {
	// Pairs are the kept pairs — matches and pairs in the review band — by
	// descending score, then Left, then Right.
	Pairs []Pair
	// Fields are the compared fields with defaults filled in (Right, Sim, Weight).
	Fields []Field
	// Candidates counts the record pairs blocking proposed (each scored,
	// though identical records are scored once); Comparisons counts the
	// distinct similarity computations actually made.
	Candidates, Comparisons int64
	// Threshold and ReviewBand are those in force.
	Threshold  float64
	ReviewBand Band
	// Dedupe is set for a self-match; LeftRows and RightRows are the table sizes.
	Dedupe              bool
	LeftRows, RightRows int
}

// Link matches the records of a against those of b.
func Link(ctx context.Context, a, b *frame.Frame, cfg Config) (*Result, error) {
	return run(ctx, a, b, cfg, false)
}

// Dedupe matches the records of a against each other: pairs i < j only, never
// a row with itself. Result.Clusters joins the matches transitively.
func Dedupe(ctx context.Context, a *frame.Frame, cfg Config) (*Result, error) {
	return run(ctx, a, a, cfg, true)
}

// groupPair is a scored pair of distinct-record groups.
type groupPair struct {
	l, r   int32
	score  float64
	fields []float64
}

func run(ctx context.Context, a, b *frame.Frame, cfg Config, dedupe bool) (*Result, error) {
	if a == nil || b == nil {
		return nil, &configError{"nil table"}
	}
	fields, err := resolveFields(cfg, a, b, "left table", "right table")
	if err != nil {
		return nil, err
	}
	if a.NumRows() == 0 {
		return nil, fmt.Errorf("%w: the left table has no rows", ErrEmpty)
	}
	if b.NumRows() == 0 {
		return nil, fmt.Errorf("%w: the right table has no rows", ErrEmpty)
	}
	th := cfg.Threshold
	if th == 0 {
		th = DefaultThreshold
	}
	if !(th > 0 && th <= 1) {
		return nil, &configError{fmt.Sprintf("threshold %v is outside (0, 1]", cfg.Threshold)}
	}
	band := cfg.ReviewBand
	if !band.Empty() && (band.Lo < 0 || band.Hi > 1.000001) {
		return nil, &configError{fmt.Sprintf("review band [%v, %v) is outside [0, 1]", band.Lo, band.Hi)}
	}
	keep := th
	if !band.Empty() {
		keep = min(keep, band.Lo)
	}
	bl := cfg.Blocking.withDefaults()
	blockFields, err := blockingFields(bl, fields)
	if err != nil {
		return nil, err
	}

	left, err := prepare(fields, blockFields, 0, a.NumRows(), "left table")
	if err != nil {
		return nil, err
	}
	right := left
	if !dedupe {
		if right, err = prepare(fields, blockFields, 1, b.NumRows(), "right table"); err != nil {
			return nil, err
		}
	}
	vocabs := internTokens(fields, left, right)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cand := newCandidates(left, right, bl, dedupe)

	res := &Result{Threshold: th, ReviewBand: band, Dedupe: dedupe, LeftRows: a.NumRows(), RightRows: b.NumRows()}
	for _, f := range fields {
		res.Fields = append(res.Fields, f.Field)
	}
	gps, candidates, comparisons, err := scoreAll(ctx, left, right, fields, vocabs, cand, keep, dedupe, cfg.Progress)
	if err != nil {
		return nil, err
	}
	res.Candidates, res.Comparisons = candidates, comparisons
	maxPairs := int64(cfg.MaxPairs)
	if maxPairs <= 0 {
		maxPairs = DefaultMaxPairs
	}
	if n := countPairs(left, right, gps, dedupe); n > maxPairs {
		return nil, &TooManyPairsError{Pairs: n, Max: maxPairs}
	}
	res.Pairs = expand(left, right, gps, fields, dedupe)
	if cfg.OneToOne && !dedupe {
		res.Pairs = oneToOne(res.Pairs)
	}
	for i := range res.Pairs {
		p := &res.Pairs[i]
		switch {
		case band.Contains(p.Score):
			p.Status = Review
		default:
			p.Status = Auto
		}
	}
	return res, nil
}

func blockingFields(bl Blocking, fields []resolved) ([]int, error) {
	var out []int
	if len(bl.Fields) == 0 {
		for i, f := range fields {
			if f.Sim != SimNumeric {
				out = append(out, i)
			}
		}
		if len(out) == 0 && bl.Method != BlockFull {
			// Only numeric fields: block on their text.
			for i := range fields {
				out = append(out, i)
			}
		}
		return out, nil
	}
	for _, name := range bl.Fields {
		found := -1
		for i, f := range fields {
			if f.Left == name {
				found = i
				break
			}
		}
		if found < 0 {
			var names []string
			for _, f := range fields {
				names = append(names, f.Left)
			}
			return nil, &FieldError{Table: "the compared fields", Field: name, Available: names}
		}
		out = append(out, found)
	}
	return out, nil
}

// candidates generates, for a left group, the right groups to compare it with.
type candidates struct {
	dedupe bool
	full   bool
	nRight int
	// keys[l] are the block ids of left group l; blocks[k] the right groups
	// of block k, ascending.
	keys   [][]int32
	blocks [][]int32
	// near[l] are the sorted-neighbourhood partners of left group l.
	near [][]int32
}

func newCandidates(left, right *table, bl Blocking, dedupe bool) *candidates {
	c := &candidates{dedupe: dedupe, full: bl.Method == BlockFull, nRight: len(right.groups)}
	if c.full {
		return c
	}
	if bl.Method != BlockNeighbours {
		ids := map[string]int32{}
		var lefts, rights [][]int32
		add := func(t *table, side int) [][]int32 {
			per := make([][]int32, len(t.groups))
			for g, text := range t.block {
				if !t.present[g] {
					continue
				}
				keys := blockKeys(text, bl.Method, bl.PrefixLen)
				for _, k := range keys {
					id, ok := ids[k]
					if !ok {
						id = int32(len(ids))
						ids[k] = id
						lefts = append(lefts, nil)
						rights = append(rights, nil)
					}
					list := &lefts[id]
					if side == 1 {
						list = &rights[id]
					}
					if n := len(*list); n > 0 && (*list)[n-1] == int32(g) {
						continue // duplicate key of the same group
					}
					*list = append(*list, int32(g))
					per[g] = append(per[g], id)
				}
			}
			return per
		}
		c.keys = add(left, 0)
		if dedupe {
			rights = lefts
		} else {
			add(right, 1)
		}
		c.blocks = rights
		// Drop oversized blocks.
		for id := range rights {
			size := len(rights[id])
			if !dedupe {
				size += len(lefts[id])
			}
			if size > bl.MaxBlock || (!dedupe && len(lefts[id]) == 0) {
				c.blocks[id] = nil
			}
		}
	}
	if bl.Method == BlockTokensAndNeighbours || bl.Method == BlockNeighbours {
		if bl.Window > 1 {
			c.near = neighbours(left, right, bl.Window, dedupe)
		}
	}
	return c
}

// neighbours pairs each record with the window−1 records after it in the
// order of the blocking text, and again in the order of the text with its
// tokens reversed (Hernández & Stolfo's multi-pass sorted neighbourhood).
func neighbours(left, right *table, window int, dedupe bool) [][]int32 {
	type entry struct {
		key  string
		side int8
		g    int32
	}
	near := make([][]int32, len(left.groups))
	for pass := 0; pass < 2; pass++ {
		var es []entry
		addSide := func(t *table, side int8) {
			for g, text := range t.block {
				if !t.present[g] || text == "" {
					continue
				}
				if pass == 1 {
					text = reverseTokens(text)
				}
				es = append(es, entry{text, side, int32(g)})
			}
		}
		addSide(left, 0)
		if !dedupe {
			addSide(right, 1)
		}
		slices.SortFunc(es, func(x, y entry) int {
			return cmp.Or(cmp.Compare(x.key, y.key), cmp.Compare(x.side, y.side), cmp.Compare(x.g, y.g))
		})
		for p := range es {
			for q := p + 1; q < len(es) && q < p+window; q++ {
				x, y := es[p], es[q]
				switch {
				case dedupe:
					lo, hi := min(x.g, y.g), max(x.g, y.g)
					near[lo] = append(near[lo], hi)
				case x.side == 0 && y.side == 1:
					near[x.g] = append(near[x.g], y.g)
				case x.side == 1 && y.side == 0:
					near[y.g] = append(near[y.g], x.g)
				}
			}
		}
	}
	return near
}

// scoreAll scores every candidate pair of groups on all cores and returns
// those scoring at least keep.
func scoreAll(ctx context.Context, left, right *table, fields []resolved, vocabs []*vocab, c *candidates, keep float64, dedupe bool, progress func(done, total int64)) ([]groupPair, int64, int64, error) {
	nl := len(left.groups)
	workers := min(runtime.GOMAXPROCS(0), max(1, nl/64))
	const chunk = 32
	var next, done atomic.Int64
	var mu sync.Mutex
	var out []groupPair
	var candidates, comparisons int64
	var firstErr error
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var local []groupPair
			var cands, comps int64
			stamp := make([]int32, len(right.groups))
			for i := range stamp {
				stamp[i] = -1
			}
			scores := make([]float64, len(fields))
			sc := new(scratch)
			for {
				if err := ctx.Err(); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				lo := int(next.Add(chunk)) - chunk
				if lo >= nl {
					break
				}
				hi := min(lo+chunk, nl)
				for l := lo; l < hi; l++ {
					if !left.present[l] {
						continue
					}
					nlRows := int64(len(left.groups[l]))
					if dedupe {
						cands += nlRows * (nlRows - 1) / 2
					}
					visit := func(r int32) {
						if stamp[r] == int32(l) || (dedupe && int(r) <= l) || !right.present[r] {
							return
						}
						stamp[r] = int32(l)
						cands += nlRows * int64(len(right.groups[r]))
						comps++
						s, ok := score(left, right, fields, vocabs, l, int(r), scores, sc)
						if ok && s >= keep {
							local = append(local, groupPair{int32(l), r, s, slices.Clone(scores)})
						}
					}
					if c.full {
						for r := range c.nRight {
							visit(int32(r))
						}
					} else {
						for _, k := range c.keys[l] {
							for _, r := range c.blocks[k] {
								visit(r)
							}
						}
						if c.near != nil {
							for _, r := range c.near[l] {
								visit(r)
							}
						}
					}
				}
				d := done.Add(int64(hi - lo))
				if progress != nil {
					mu.Lock()
					progress(d, int64(nl))
					mu.Unlock()
				}
			}
			mu.Lock()
			out = append(out, local...)
			candidates += cands
			comparisons += comps
			mu.Unlock()
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, 0, 0, firstErr
	}
	return out, candidates, comparisons, nil
}

// score computes the field scores of groups l and r into scores and returns
// their weighted mean over the fields present on both sides; ok is false
// when no field is.
//
//	score = Σ wₖ·sₖ / Σ wₖ   over fields k with both values present.
func score(left, right *table, fields []resolved, vocabs []*vocab, l, r int, scores []float64, sc *scratch) (float64, bool) {
	var num, den float64
	for k, f := range fields {
		x, y := &left.vals[k][l], &right.vals[k][r]
		if !x.ok || !y.ok {
			scores[k] = math.NaN()
			continue
		}
		var s float64
		switch f.Sim {
		case SimJaroWinkler:
			s = JaroWinkler(x.runes, y.runes)
		case SimLevenshtein:
			s = Levenshtein(x.runes, y.runes)
		case SimTokenSet:
			s = tokenSetIDs(vocabs[k], x.ids, y.ids, sc)
		case SimNumeric:
			s = NumericSim(x.num, y.num, f.Scale)
		case SimExact:
			if x.text == y.text {
				s = 1
			}
		}
		scores[k] = s
		num += f.Weight * s
		den += f.Weight
	}
	if den == 0 {
		return 0, false
	}
	return num / den, true
}

// countPairs returns the number of record pairs expand will make.
func countPairs(left, right *table, gps []groupPair, dedupe bool) int64 {
	var n int64
	for _, gp := range gps {
		n += int64(len(left.groups[gp.l])) * int64(len(right.groups[gp.r]))
	}
	if dedupe {
		for g, rows := range left.groups {
			if left.present[g] {
				n += int64(len(rows)) * int64(len(rows)-1) / 2
			}
		}
	}
	return n
}

// expand turns group pairs into row pairs, adds the pairs of identical
// records (score 1) when deduplicating, and sorts them.
func expand(left, right *table, gps []groupPair, fields []resolved, dedupe bool) []Pair {
	pairs := make([]Pair, 0, countPairs(left, right, gps, dedupe))
	for _, gp := range gps {
		for _, i := range left.groups[gp.l] {
			for _, j := range right.groups[gp.r] {
				if dedupe && i > j {
					pairs = append(pairs, Pair{Left: j, Right: i, Score: gp.score, FieldScores: gp.fields})
				} else {
					pairs = append(pairs, Pair{Left: i, Right: j, Score: gp.score, FieldScores: gp.fields})
				}
			}
		}
	}
	if dedupe {
		for g, rows := range left.groups {
			if !left.present[g] || len(rows) < 2 {
				continue
			}
			fs := make([]float64, len(fields))
			for k := range fields {
				fs[k] = 1
				if !left.vals[k][g].ok {
					fs[k] = math.NaN()
				}
			}
			for x := 0; x < len(rows); x++ {
				for y := x + 1; y < len(rows); y++ {
					pairs = append(pairs, Pair{Left: rows[x], Right: rows[y], Score: 1, FieldScores: fs})
				}
			}
		}
	}
	slices.SortFunc(pairs, func(x, y Pair) int {
		return cmp.Or(cmp.Compare(y.Score, x.Score), cmp.Compare(x.Left, y.Left), cmp.Compare(x.Right, y.Right))
	})
	return pairs
}

// oneToOne keeps, from pairs sorted by descending score, each pair whose two
// records are both still free.
func oneToOne(pairs []Pair) []Pair {
	usedL, usedR := map[int]bool{}, map[int]bool{}
	out := pairs[:0]
	for _, p := range pairs {
		if usedL[p.Left] || usedR[p.Right] {
			continue
		}
		usedL[p.Left], usedR[p.Right] = true, true
		out = append(out, p)
	}
	return out
}
