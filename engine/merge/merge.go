package merge

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/mlwb/mlwb/engine/frame"
)

// How is the kind of join.
type How uint8

// The kinds of join, as in SQL and pandas' merge(how=...).
const (
	Inner How = iota // rows whose keys match on both sides
	Left             // every left row, with the matching right rows or missing values
	Right            // every right row, with the matching left rows or missing values
	Outer            // every row of both sides
)

var howNames = [...]string{"inner", "left", "right", "outer"}

// String returns "inner", "left", "right" or "outer".
func (h How) String() string {
	if int(h) < len(howNames) {
		return howNames[h]
	}
	return fmt.Sprintf("How(%d)", h)
}

// ParseHow returns the How named s.
func ParseHow(s string) (How, error) {
	for i, n := range howNames {
		if n == s {
			return How(i), nil
		}
	}
	return 0, fmt.Errorf("merge: unknown join %q (want inner, left, right or outer)", s)
}

// Spec describes a join. The zero Suffixes mean pandas' ("_x", "_y").
type Spec struct {
	// On names key columns present on both sides. Alternatively LeftOn and
	// RightOn name them per side, pairwise.
	On              []string
	LeftOn, RightOn []string
	How             How
	// Suffixes are appended to non-key columns whose names occur on both
	// sides.
	Suffixes [2]string
}

// ErrTypeMismatch is matched by the error of a join whose key columns have
// types that cannot compare (int and string, datetime and float...).
var ErrTypeMismatch = errors.New("merge: key types do not match")

// Stats describes a join before it is run (Plan).
type Stats struct {
	LeftRows, RightRows int
	// LeftMatched counts left rows with at least one matching right row;
	// LeftUnmatched the others (including those with a missing key). The
	// same for the right side.
	LeftMatched, LeftUnmatched   int
	RightMatched, RightUnmatched int
	// LeftNullKeys and RightNullKeys count rows with a missing value in a
	// key column: they never match.
	LeftNullKeys, RightNullKeys int
	// Pairs counts matching (left, right) row pairs: the inner join's size.
	Pairs int
	// ResultRows is the number of rows the join of kind Spec.How makes.
	ResultRows int
	// TypeMismatch describes each key pair whose types cannot compare, as
	// `key "id": left int, right string`. When it is not empty nothing
	// matches and Join refuses to run.
	TypeMismatch []string
}

// DefaultMaxRows is the result size past which the CLI and the Clean
// screen refuse a join unless told otherwise: a key repeated on both sides
// multiplies rows (30,000 × 30,000 rows sharing one key made 900 million
// rows and took 21 GB before it could be stopped). 50 million rows is far
// beyond a sound join of the tables mlwb handles. Plan gives the size first.
const DefaultMaxRows = 50_000_000

// maxRows bounds a join's result (row indexes are int32).
const maxRows = math.MaxInt32

// keyKind is how a pair of key columns compares.
type keyKind uint8

const (
	kindInt   keyKind = iota // int64 bits (int, datetime, bool)
	kindFloat                // float64 bits, −0 as +0 (int and float mixed)
	kindText                 // ids of distinct texts shared by both sides
	kindBad                  // types that cannot compare
)

func pairKind(l, r frame.Column) keyKind {
	lt, rt := l.Type(), r.Type()
	text := func(t frame.Type) bool { return t == frame.Categorical || t == frame.String }
	num := func(t frame.Type) bool { return t == frame.Int || t == frame.Float }
	switch {
	case lt == rt && (lt == frame.Int || lt == frame.Datetime || lt == frame.Bool):
		return kindInt
	case num(lt) && num(rt):
		return kindFloat
	case text(lt) && text(rt):
		return kindText
	}
	return kindBad
}

// resolved is a validated spec with its key columns.
type resolved struct {
	how          How
	leftKeys     []frame.Column
	rightKeys    []frame.Column
	kinds        []keyKind
	mismatch     []string
	coalesce     []bool // key pair i has one name: one result column
	suffixes     [2]string
	leftKeyNames []string
}

// intKey reports whether the join has one key of integer kind.
func (r *resolved) intKey() bool { return len(r.kinds) == 1 && r.kinds[0] == kindInt }

func resolve(left, right *frame.Frame, spec Spec) (*resolved, error) {
	lon, ron := spec.LeftOn, spec.RightOn
	if len(spec.On) > 0 {
		if len(lon) > 0 || len(ron) > 0 {
			return nil, errors.New("merge: give either On or LeftOn and RightOn, not both")
		}
		lon, ron = spec.On, spec.On
	}
	if len(lon) == 0 {
		return nil, errors.New("merge: no key columns (give On, or LeftOn and RightOn)")
	}
	if len(lon) != len(ron) {
		return nil, fmt.Errorf("merge: %d left keys but %d right keys", len(lon), len(ron))
	}
	if spec.How > Outer {
		return nil, fmt.Errorf("merge: unknown join %v", spec.How)
	}
	r := &resolved{how: spec.How, suffixes: spec.Suffixes, leftKeyNames: lon}
	if r.suffixes == [2]string{} {
		r.suffixes = [2]string{"_x", "_y"}
	}
	if r.suffixes[0] == r.suffixes[1] {
		return nil, fmt.Errorf("merge: the suffixes must differ, got %q twice", r.suffixes[0])
	}
	seen := map[string]bool{}
	for i := range lon {
		if seen[lon[i]] {
			return nil, fmt.Errorf("merge: key %q is given twice", lon[i])
		}
		seen[lon[i]] = true
		lc, err := left.Column(lon[i])
		if err != nil {
			return nil, fmt.Errorf("merge: left has no column %q (columns: %s)", lon[i], strings.Join(left.Names(), ", "))
		}
		rc, err := right.Column(ron[i])
		if err != nil {
			return nil, fmt.Errorf("merge: right has no column %q (columns: %s)", ron[i], strings.Join(right.Names(), ", "))
		}
		k := pairKind(lc, rc)
		if k == kindBad {
			name := fmt.Sprintf("%q", lon[i])
			if lon[i] != ron[i] {
				name = fmt.Sprintf("%q/%q", lon[i], ron[i])
			}
			r.mismatch = append(r.mismatch, fmt.Sprintf("key %s: left %s, right %s", name, lc.Type(), rc.Type()))
		}
		r.leftKeys = append(r.leftKeys, lc)
		r.rightKeys = append(r.rightKeys, rc)
		r.kinds = append(r.kinds, k)
		r.coalesce = append(r.coalesce, lon[i] == ron[i])
	}
	return r, nil
}

// Plan returns the matched and unmatched row counts of the join, the size
// of its result and any key type mismatch, without building the result.
// It costs one hash build and probe, about a third of Join.
func Plan(ctx context.Context, left, right *frame.Frame, spec Spec) (Stats, error) {
	r, err := resolve(left, right, spec)
	if err != nil {
		return Stats{}, err
	}
	st := Stats{LeftRows: left.NumRows(), RightRows: right.NumRows(), TypeMismatch: r.mismatch}
	lk, rk := encodeKeys(r, left.NumRows(), right.NumRows())
	st.LeftNullKeys, st.RightNullKeys = lk.nulls(), rk.nulls()
	if len(r.mismatch) > 0 {
		st.LeftUnmatched, st.RightUnmatched = st.LeftRows, st.RightRows
		st.ResultRows = resultRows(r.how, st)
		return st, nil
	}
	t := build(rk, r.intKey())
	rightHit := make([]bool, right.NumRows())
	for i := range left.NumRows() {
		if i&0xffff == 0 {
			if err := ctx.Err(); err != nil {
				return Stats{}, err
			}
		}
		n := 0
		t.each(lk, rk, i, func(j int32) {
			n++
			rightHit[j] = true
		})
		st.Pairs += n
		if n > 0 {
			st.LeftMatched++
		}
	}
	for _, h := range rightHit {
		if h {
			st.RightMatched++
		}
	}
	st.LeftUnmatched = st.LeftRows - st.LeftMatched
	st.RightUnmatched = st.RightRows - st.RightMatched
	st.ResultRows = resultRows(r.how, st)
	return st, nil
}

func resultRows(how How, st Stats) int {
	switch how {
	case Left:
		return st.Pairs + st.LeftUnmatched
	case Right:
		return st.Pairs + st.RightUnmatched
	case Outer:
		return st.Pairs + st.LeftUnmatched + st.RightUnmatched
	}
	return st.Pairs
}

// Join joins left and right on the spec's keys with a hash join: the keys of
// one side go into an open-addressing hash table, the other side's rows
// look theirs up. Keys compare by value: int with float numerically, a
// categorical with a string by text, datetimes by instant. A missing key
// never matches anything, as in SQL (pandas, unlike SQL, matches NaN with
// NaN); such rows appear unmatched in left, right and outer joins.
//
// Rows come in the order of the preserved side: inner and left joins in
// left order (each left row's matches in right order), right joins in
// right order, outer joins as the left join followed by the unmatched right
// rows in right order (pandas sorts an outer join's keys instead).
//
// The result has the left columns in order, then the right non-key
// columns. A key named alike on both sides is one column (for right and
// outer joins it takes the right value where the left row is missing; int
// with float keys give a float column, categorical with string a string
// column); differently named keys are both kept. Other names present on
// both sides get Spec.Suffixes. Key types that cannot compare are an error
// matching ErrTypeMismatch.
func Join(ctx context.Context, left, right *frame.Frame, spec Spec) (*frame.Frame, error) {
	r, err := resolve(left, right, spec)
	if err != nil {
		return nil, err
	}
	if len(r.mismatch) > 0 {
		return nil, fmt.Errorf("%w: %s (cast one side first)", ErrTypeMismatch, strings.Join(r.mismatch, "; "))
	}
	names, err := outputNames(left, right, r, spec)
	if err != nil {
		return nil, err
	}
	lk, rk := encodeKeys(r, left.NumRows(), right.NumRows())
	li, ri, err := pairs(ctx, r.how, lk, rk, left.NumRows(), right.NumRows(), r.intKey())
	if err != nil {
		return nil, err
	}
	return assemble(ctx, left, right, r, names, li, ri)
}

// pairs returns the row pairs of the join: li[k], ri[k] are the left and
// right rows of result row k, -1 for a missing side.
func pairs(ctx context.Context, how How, lk, rk *keys, nl, nr int, intKey bool) (li, ri []int32, err error) {
	if how == Right {
		ri, li, err = probeAll(ctx, rk, lk, nr, build(lk, intKey), true)
		return li, ri, err
	}
	t := build(rk, intKey)
	li, ri, err = probeAll(ctx, lk, rk, nl, t, how != Inner)
	if err != nil || how != Outer {
		return li, ri, err
	}
	hit := make([]bool, nr)
	for _, j := range ri {
		if j >= 0 {
			hit[j] = true
		}
	}
	for j, h := range hit {
		if !h {
			li = append(li, -1)
			ri = append(ri, int32(j))
		}
	}
	if len(li) > maxRows {
		return nil, nil, fmt.Errorf("merge: the join makes %d rows, more than %d", len(li), maxRows)
	}
	return li, ri, nil
}

// probeAll looks up every probe row in t (built on the other side) and
// returns the pairs (probe row, build row) in probe order; keepUnmatched
// adds probe rows without a match paired with -1. The probe side is cut
// into two halves probed concurrently.
func probeAll(ctx context.Context, pk, bk *keys, n int, t *table, keepUnmatched bool) (p, b []int32, err error) {
	const parts = 2
	type out struct {
		p, b []int32
		err  error
	}
	res := make([]out, parts)
	done := make(chan struct{}, parts)
	for w := range parts {
		lo, hi := n*w/parts, n*(w+1)/parts
		go func() {
			defer func() { done <- struct{}{} }()
			o := &res[w]
			o.p = make([]int32, 0, hi-lo)
			o.b = make([]int32, 0, hi-lo)
			for i := lo; i < hi; i++ {
				if (i-lo)&0xffff == 0 && ctx.Err() != nil {
					o.err = ctx.Err()
					return
				}
				m := len(o.p)
				t.each(pk, bk, i, func(j int32) {
					o.p = append(o.p, int32(i))
					o.b = append(o.b, j)
				})
				if keepUnmatched && len(o.p) == m {
					o.p = append(o.p, int32(i))
					o.b = append(o.b, -1)
				}
				if len(o.p) > maxRows {
					o.err = fmt.Errorf("merge: the join makes more than %d rows (many rows share a key on both sides)", maxRows)
					return
				}
			}
		}()
	}
	for range parts {
		<-done
	}
	total := 0
	for _, o := range res {
		if o.err != nil {
			return nil, nil, o.err
		}
		total += len(o.p)
	}
	if total > maxRows {
		return nil, nil, fmt.Errorf("merge: the join makes %d rows, more than %d (many rows share a key on both sides)", total, maxRows)
	}
	if parts == 1 {
		return res[0].p, res[0].b, nil
	}
	p, b = make([]int32, 0, total), make([]int32, 0, total)
	for _, o := range res {
		p = append(p, o.p...)
		b = append(b, o.b...)
	}
	return p, b, nil
}
