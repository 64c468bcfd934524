package expr

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mlwb/mlwb/engine/frame"
)

// cnode is a compiled, type-checked expression. Exactly the evaluator of its
// type is set (none for tyNull).
type cnode struct {
	typ   typ
	pos   int    // byte offset of the source node, for messages
	col   string // column name when the node is a bare column reference
	konst bool   // a literal
	knum  float64
	kstr  string
	kbool bool

	num func(e *env, lo, hi int) []float64 // NaN is missing
	boo func(e *env, lo, hi int) bvec
	str func(e *env, lo, hi int) svec
	tim func(e *env, lo, hi int) tvec
}

type binder struct {
	src    string
	f      *frame.Frame
	nslots int
}

func (b *binder) slot() int { b.nslots++; return b.nslots - 1 }

func (b *binder) errAt(pos int, format string, args ...any) *Error {
	return errAt(b.src, pos, nil, format, args...)
}

// desc names an operand in messages: `column "age"`, `"abc"`, `42` or `expression`.
func (b *binder) desc(c *cnode) string {
	switch {
	case c.col != "":
		return fmt.Sprintf("column %q", c.col)
	case c.konst && c.typ == tyStr:
		return strconv.Quote(c.kstr)
	case c.konst && c.typ == tyNum:
		return frame.FormatFloat(c.knum)
	case c.konst && c.typ == tyBool:
		return strconv.FormatBool(c.kbool)
	case c.typ == tyNull:
		return "null"
	}
	return "expression"
}

// Bind resolves the expression's columns in f and type-checks it. Unknown
// columns give an error suggesting the closest name; type errors (a number
// compared with a string, arithmetic on text) are positioned in the source.
func (e Expr) Bind(f *frame.Frame) (*Program, error) {
	if e.root == nil {
		return nil, &Error{Msg: "empty expression", err: ErrSyntax}
	}
	b := &binder{src: e.src, f: f}
	root, err := b.compile(e.root)
	if err != nil {
		return nil, err
	}
	return &Program{src: e.src, root: root, nslots: b.nslots, rows: f.NumRows()}, nil
}

func (b *binder) compile(n *node) (*cnode, error) {
	switch n.kind {
	case nCol:
		return b.column(n)
	case nNum:
		return b.numConst(n.pos, n.num), nil
	case nStr:
		return b.strConst(n.pos, n.name), nil
	case nBool:
		v, s := n.b, b.slot()
		return &cnode{typ: tyBool, pos: n.pos, konst: true, kbool: v, boo: func(e *env, lo, hi int) bvec {
			return bvec{v: fill(buf[bool](e, s, hi-lo), v)}
		}}, nil
	case nNull:
		return &cnode{typ: tyNull, pos: n.pos, konst: true}, nil
	case nUnary:
		x, err := b.compile(n.args[0])
		if err != nil {
			return nil, err
		}
		if n.op == "-" {
			return b.arith(n.pos, "-", b.numConst(n.pos, 0), x)
		}
		if x, err = b.asBool(x, "!"); err != nil {
			return nil, err
		}
		s, sna := b.slot(), b.slot()
		return &cnode{typ: tyBool, pos: n.pos, boo: func(e *env, lo, hi int) bvec {
			v := x.boo(e, lo, hi)
			out := buf[bool](e, s, hi-lo)
			for i, t := range v.v {
				out[i] = !t
			}
			var na []bool
			if v.na != nil {
				na = buf[bool](e, sna, hi-lo)
				copy(na, v.na)
			}
			return bvec{v: out, na: na}
		}}, nil
	case nBinary:
		l, err := b.compile(n.args[0])
		if err != nil {
			return nil, err
		}
		r, err := b.compile(n.args[1])
		if err != nil {
			return nil, err
		}
		switch n.op {
		case "&&", "||":
			return b.logic(n.pos, n.op, l, r)
		case "==", "!=", "<", "<=", ">", ">=":
			return b.compare(n.pos, n.op, l, r)
		}
		return b.arith(n.pos, n.op, l, r)
	case nIn:
		return b.in(n)
	case nCall:
		return b.call(n)
	}
	return nil, b.errAt(n.pos, "internal: unknown node")
}

func (b *binder) numConst(pos int, v float64) *cnode {
	s := b.slot()
	return &cnode{typ: tyNum, pos: pos, konst: true, knum: v, num: func(e *env, lo, hi int) []float64 {
		return fill(buf[float64](e, s, hi-lo), v)
	}}
}

func (b *binder) strConst(pos int, v string) *cnode {
	s := b.slot()
	return &cnode{typ: tyStr, pos: pos, konst: true, kstr: v, str: func(e *env, lo, hi int) svec {
		return svec{s: fill(buf[string](e, s, hi-lo), v)}
	}}
}

func (b *binder) column(n *node) (*cnode, error) {
	c, err := b.f.Column(n.name)
	if err != nil {
		msg := fmt.Sprintf("unknown column %q", n.name)
		if s := closest(n.name, b.f.Names()); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return nil, &Error{Msg: msg, err: err}
	}
	out := &cnode{pos: n.pos, col: n.name}
	s := b.slot()
	switch c := c.(type) {
	case *frame.Float64Col:
		out.typ = tyNum
		out.num = func(e *env, lo, hi int) []float64 { return c.Data[lo:hi] }
	case *frame.Int64Col:
		out.typ = tyNum
		m := c.Mask()
		out.num = func(e *env, lo, hi int) []float64 {
			o := buf[float64](e, s, hi-lo)
			for i, v := range c.Data[lo:hi] {
				o[i] = float64(v)
			}
			if m.HasNA() {
				for i := lo; i < hi; i++ {
					if m.IsNA(i) {
						o[i-lo] = math.NaN()
					}
				}
			}
			return o
		}
	case *frame.BoolCol:
		out.typ = tyBool
		out.boo = func(e *env, lo, hi int) bvec {
			return bvec{v: c.Data[lo:hi], na: maskNA(c.Mask(), lo, hi, buf[bool](e, s, hi-lo))}
		}
	case *frame.DatetimeCol:
		out.typ = tyTime
		out.tim = func(e *env, lo, hi int) tvec {
			return tvec{t: c.Data[lo:hi], na: maskNA(c.Mask(), lo, hi, buf[bool](e, s, hi-lo))}
		}
	case *frame.CategoricalCol:
		out.typ = tyStr
		out.str = func(e *env, lo, hi int) svec {
			return svec{cat: true, codes: c.Codes[lo:hi], levels: c.Levels}
		}
	case *frame.StringCol:
		out.typ = tyStr
		out.str = func(e *env, lo, hi int) svec {
			return svec{s: c.Data[lo:hi], na: maskNA(c.Mask(), lo, hi, buf[bool](e, s, hi-lo))}
		}
	default:
		return nil, b.errAt(n.pos, "column %q has unsupported type %s", n.name, c.Type())
	}
	return out, nil
}

// asNum checks that c is a number; null becomes an all-missing number.
func (b *binder) asNum(c *cnode, what string) (*cnode, error) {
	switch c.typ {
	case tyNum:
		return c, nil
	case tyNull:
		return b.numConst(c.pos, math.NaN()), nil
	}
	return nil, b.errAt(c.pos, "%s needs a number, but %s is %s", what, b.desc(c), c.typ)
}

// asBool checks that c is a bool; null becomes an all-missing bool.
func (b *binder) asBool(c *cnode, what string) (*cnode, error) {
	switch c.typ {
	case tyBool:
		return c, nil
	case tyNull:
		s, sna := b.slot(), b.slot()
		return &cnode{typ: tyBool, pos: c.pos, boo: func(e *env, lo, hi int) bvec {
			return bvec{v: fill(buf[bool](e, s, hi-lo), false), na: fill(buf[bool](e, sna, hi-lo), true)}
		}}, nil
	}
	return nil, b.errAt(c.pos, "%s needs a condition, but %s is %s", what, b.desc(c), c.typ)
}

// asStr checks that c is a string; null becomes an all-missing string.
func (b *binder) asStr(c *cnode, what string) (*cnode, error) {
	switch c.typ {
	case tyStr:
		return c, nil
	case tyNull:
		s := b.slot()
		return &cnode{typ: tyStr, pos: c.pos, str: func(e *env, lo, hi int) svec {
			return svec{cat: true, codes: fill(buf[int32](e, s, hi-lo), -1)}
		}}, nil
	}
	return nil, b.errAt(c.pos, "%s needs a string, but %s is %s", what, b.desc(c), c.typ)
}

func (b *binder) logic(pos int, op string, l, r *cnode) (*cnode, error) {
	l, err := b.asBool(l, op)
	if err != nil {
		return nil, err
	}
	if r, err = b.asBool(r, op); err != nil {
		return nil, err
	}
	s, sna := b.slot(), b.slot()
	and := op == "&&"
	return &cnode{typ: tyBool, pos: pos, boo: func(e *env, lo, hi int) bvec {
		x, y := l.boo(e, lo, hi), r.boo(e, lo, hi)
		out := buf[bool](e, s, hi-lo)
		if x.na == nil && y.na == nil {
			if and {
				for i := range out {
					out[i] = x.v[i] && y.v[i]
				}
			} else {
				for i := range out {
					out[i] = x.v[i] || y.v[i]
				}
			}
			return bvec{v: out}
		}
		// Kleene logic: a definite false (and) or true (or) decides; otherwise
		// any missing operand makes the result missing.
		na := buf[bool](e, sna, hi-lo)
		for i := range out {
			xn := x.na != nil && x.na[i]
			yn := y.na != nil && y.na[i]
			xv, yv := x.v[i] && !xn, y.v[i] && !yn
			if and {
				decided := (!xn && !x.v[i]) || (!yn && !y.v[i])
				out[i] = xv && yv
				na[i] = !decided && (xn || yn)
			} else {
				out[i] = xv || yv
				na[i] = !out[i] && (xn || yn)
			}
		}
		return bvec{v: out, na: na}
	}}, nil
}

func (b *binder) arith(pos int, op string, l, r *cnode) (*cnode, error) {
	if op == "+" && (l.typ == tyStr || r.typ == tyStr) {
		return b.concat(pos, l, r)
	}
	l, err := b.asNum(l, op)
	if err != nil {
		return nil, err
	}
	if r, err = b.asNum(r, op); err != nil {
		return nil, err
	}
	s := b.slot()
	return &cnode{typ: tyNum, pos: pos, num: func(e *env, lo, hi int) []float64 {
		x, y := l.num(e, lo, hi), r.num(e, lo, hi)
		out := buf[float64](e, s, hi-lo)
		switch op {
		case "+":
			for i := range out {
				out[i] = x[i] + y[i]
			}
		case "-":
			for i := range out {
				out[i] = x[i] - y[i]
			}
		case "*":
			for i := range out {
				out[i] = x[i] * y[i]
			}
		case "/":
			for i := range out {
				if y[i] == 0 {
					out[i] = math.NaN()
				} else {
					out[i] = x[i] / y[i]
				}
			}
		case "%":
			for i := range out {
				out[i] = math.Mod(x[i], y[i])
			}
		}
		return out
	}}, nil
}

func (b *binder) concat(pos int, l, r *cnode) (*cnode, error) {
	l, err := b.asStr(l, "+")
	if err != nil {
		return nil, err
	}
	if r, err = b.asStr(r, "+"); err != nil {
		return nil, err
	}
	s, sna := b.slot(), b.slot()
	return &cnode{typ: tyStr, pos: pos, str: func(e *env, lo, hi int) svec {
		x, y := l.str(e, lo, hi), r.str(e, lo, hi)
		out := buf[string](e, s, hi-lo)
		na := buf[bool](e, sna, hi-lo)
		for i := range out {
			a, ok1 := x.at(i)
			c, ok2 := y.at(i)
			out[i], na[i] = a+c, !ok1 || !ok2
		}
		return svec{s: out, na: na}
	}}, nil
}

// flip returns the operator with its operands swapped: a < b is b > a.
func flip(op string) string {
	switch op {
	case "<":
		return ">"
	case "<=":
		return ">="
	case ">":
		return "<"
	case ">=":
		return "<="
	}
	return op
}

// cmpResult turns a three-way comparison into the operator's verdict.
func cmpResult(op string, c int) bool {
	switch op {
	case "==":
		return c == 0
	case "!=":
		return c != 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	}
	return c >= 0
}

// timeLayouts are the string forms accepted for datetime literals, read as UTC
// when they carry no zone.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006-01",
}

func parseTime(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, time.UTC); err == nil {
			return t.UnixNano(), true
		}
	}
	return 0, false
}

func (b *binder) compare(pos int, op string, l, r *cnode) (*cnode, error) {
	if l.typ == tyNull || r.typ == tyNull {
		fn := "isna"
		if op == "!=" {
			fn = "notna"
		}
		other := l
		if l.typ == tyNull {
			other = r
		}
		arg := "x"
		if other.col != "" {
			arg = other.col
			if !isPlainIdent(arg) {
				arg = "`" + arg + "`"
			}
		}
		return nil, b.errAt(pos, "comparison with null is never true; use %s(%s) to test for missing values", fn, arg)
	}
	// A datetime compared with a string literal reads the literal as a time.
	if l.typ == tyTime && r.typ == tyStr || l.typ == tyStr && r.typ == tyTime {
		k, t := r, l
		if l.typ == tyStr {
			k, t, op = l, r, flip(op)
		}
		if !k.konst {
			return nil, b.errAt(k.pos, "cannot compare %s (datetime) with a computed string; write the date as a literal such as \"2024-01-31\"", b.desc(t))
		}
		v, ok := parseTime(k.kstr)
		if !ok {
			return nil, b.errAt(k.pos, "cannot read %q as a date (want e.g. \"2024-01-31\" or \"2024-01-31 12:00:00\")", k.kstr)
		}
		return b.cmpTimeConst(pos, op, t, v), nil
	}
	if l.typ != r.typ {
		return nil, b.errAt(pos, "cannot compare %s (%s) with %s (%s)", b.desc(l), l.typ, b.desc(r), r.typ)
	}
	s := b.slot()
	out := &cnode{typ: tyBool, pos: pos}
	switch l.typ {
	case tyNum:
		if l.konst && !r.konst {
			l, r, op = r, l, flip(op)
		}
		if r.konst {
			k := r.knum
			out.boo = func(e *env, lo, hi int) bvec {
				o := buf[bool](e, s, hi-lo)
				cmpNumConst(op, l.num(e, lo, hi), k, o)
				return bvec{v: o}
			}
			return out, nil
		}
		out.boo = func(e *env, lo, hi int) bvec {
			o := buf[bool](e, s, hi-lo)
			cmpNum(op, l.num(e, lo, hi), r.num(e, lo, hi), o)
			return bvec{v: o}
		}
	case tyBool:
		if op != "==" && op != "!=" {
			return nil, b.errAt(pos, "cannot order booleans with %s", op)
		}
		eq := op == "=="
		out.boo = func(e *env, lo, hi int) bvec {
			x, y := l.boo(e, lo, hi), r.boo(e, lo, hi)
			o := buf[bool](e, s, hi-lo)
			for i := range o {
				o[i] = (x.v[i] == y.v[i]) == eq && (x.na == nil || !x.na[i]) && (y.na == nil || !y.na[i])
			}
			return bvec{v: o}
		}
	case tyStr:
		if l.konst && !r.konst {
			l, r, op = r, l, flip(op)
		}
		if r.konst {
			k := r.kstr
			out.boo = b.strPred(l, func(v string) bool { return cmpResult(op, strings.Compare(v, k)) })
			return out, nil
		}
		out.boo = func(e *env, lo, hi int) bvec {
			x, y := l.str(e, lo, hi), r.str(e, lo, hi)
			o := buf[bool](e, s, hi-lo)
			for i := range o {
				a, ok1 := x.at(i)
				c, ok2 := y.at(i)
				o[i] = ok1 && ok2 && cmpResult(op, strings.Compare(a, c))
			}
			return bvec{v: o}
		}
	case tyTime:
		out.boo = func(e *env, lo, hi int) bvec {
			x, y := l.tim(e, lo, hi), r.tim(e, lo, hi)
			o := buf[bool](e, s, hi-lo)
			for i := range o {
				o[i] = (x.na == nil || !x.na[i]) && (y.na == nil || !y.na[i]) && cmpResult(op, cmpInt(x.t[i], y.t[i]))
			}
			return bvec{v: o}
		}
	}
	return out, nil
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (b *binder) cmpTimeConst(pos int, op string, t *cnode, k int64) *cnode {
	s := b.slot()
	return &cnode{typ: tyBool, pos: pos, boo: func(e *env, lo, hi int) bvec {
		x := t.tim(e, lo, hi)
		o := buf[bool](e, s, hi-lo)
		switch op {
		case "==":
			for i, v := range x.t {
				o[i] = v == k
			}
		case "!=":
			for i, v := range x.t {
				o[i] = v != k
			}
		case "<":
			for i, v := range x.t {
				o[i] = v < k
			}
		case "<=":
			for i, v := range x.t {
				o[i] = v <= k
			}
		case ">":
			for i, v := range x.t {
				o[i] = v > k
			}
		case ">=":
			for i, v := range x.t {
				o[i] = v >= k
			}
		}
		if x.na != nil {
			for i, na := range x.na {
				o[i] = o[i] && !na
			}
		}
		return bvec{v: o}
	}}
}

// cmpNumConst writes a[i] op k; NaN (missing) compares false under every operator.
func cmpNumConst(op string, a []float64, k float64, o []bool) {
	switch op {
	case "==":
		for i, v := range a {
			o[i] = v == k
		}
	case "!=":
		for i, v := range a {
			o[i] = v != k && v == v
		}
	case "<":
		for i, v := range a {
			o[i] = v < k
		}
	case "<=":
		for i, v := range a {
			o[i] = v <= k
		}
	case ">":
		for i, v := range a {
			o[i] = v > k
		}
	case ">=":
		for i, v := range a {
			o[i] = v >= k
		}
	}
}

// cmpNum writes a[i] op b[i]; NaN (missing) compares false under every operator.
func cmpNum(op string, a, b []float64, o []bool) {
	switch op {
	case "==":
		for i := range o {
			o[i] = a[i] == b[i]
		}
	case "!=":
		for i := range o {
			o[i] = a[i] != b[i] && a[i] == a[i] && b[i] == b[i]
		}
	case "<":
		for i := range o {
			o[i] = a[i] < b[i]
		}
	case "<=":
		for i := range o {
			o[i] = a[i] <= b[i]
		}
	case ">":
		for i := range o {
			o[i] = a[i] > b[i]
		}
	case ">=":
		for i := range o {
			o[i] = a[i] >= b[i]
		}
	}
}

// strPred evaluates a predicate of one string operand, false when missing.
// Categorical input is evaluated once per level.
func (b *binder) strPred(x *cnode, pred func(string) bool) func(e *env, lo, hi int) bvec {
	s, sl := b.slot(), b.slot()
	return func(e *env, lo, hi int) bvec {
		v := x.str(e, lo, hi)
		o := buf[bool](e, s, hi-lo)
		if v.cat {
			lv := perLevel(e, sl, v.levels, pred)
			for i, k := range v.codes {
				o[i] = k >= 0 && lv[k]
			}
			return bvec{v: o}
		}
		for i, t := range v.s {
			o[i] = (v.na == nil || !v.na[i]) && pred(t)
		}
		return bvec{v: o}
	}
}

func (b *binder) in(n *node) (*cnode, error) {
	x, err := b.compile(n.args[0])
	if err != nil {
		return nil, err
	}
	neg := n.op == "not in"
	items := n.args[1:]
	for _, it := range items {
		if it.kind == nNull {
			return nil, b.errAt(it.pos, "null in an in list never matches; use isna() to test for missing values")
		}
	}
	kindOf := map[typ]nodeKind{tyNum: nNum, tyStr: nStr, tyBool: nBool, tyTime: nStr}
	want, ok := kindOf[x.typ]
	if !ok {
		return nil, b.errAt(n.pos, "in needs a column or value on its left, not null")
	}
	for _, it := range items {
		if it.kind != want {
			got := map[nodeKind]string{nNum: "number", nStr: "string", nBool: "bool"}[it.kind]
			return nil, b.errAt(it.pos, "in list mixes types: %s is %s, list item is %s", b.desc(x), x.typ, got)
		}
	}
	s := b.slot()
	out := &cnode{typ: tyBool, pos: n.pos}
	switch x.typ {
	case tyNum:
		set := make(map[float64]bool, len(items))
		for _, it := range items {
			set[it.num] = true
		}
		out.boo = func(e *env, lo, hi int) bvec {
			o := buf[bool](e, s, hi-lo)
			for i, v := range x.num(e, lo, hi) {
				o[i] = v == v && set[v] != neg
			}
			return bvec{v: o}
		}
	case tyBool:
		var has [2]bool
		for _, it := range items {
			if it.b {
				has[1] = true
			} else {
				has[0] = true
			}
		}
		out.boo = func(e *env, lo, hi int) bvec {
			v := x.boo(e, lo, hi)
			o := buf[bool](e, s, hi-lo)
			for i, t := range v.v {
				k := 0
				if t {
					k = 1
				}
				o[i] = (v.na == nil || !v.na[i]) && has[k] != neg
			}
			return bvec{v: o}
		}
	case tyStr:
		set := make(map[string]bool, len(items))
		for _, it := range items {
			set[it.name] = true
		}
		out.boo = b.strPred(x, func(v string) bool { return set[v] != neg })
	case tyTime:
		set := make(map[int64]bool, len(items))
		for _, it := range items {
			t, ok := parseTime(it.name)
			if !ok {
				return nil, b.errAt(it.pos, "cannot read %q as a date (want e.g. \"2024-01-31\")", it.name)
			}
			set[t] = true
		}
		out.boo = func(e *env, lo, hi int) bvec {
			v := x.tim(e, lo, hi)
			o := buf[bool](e, s, hi-lo)
			for i, t := range v.t {
				o[i] = (v.na == nil || !v.na[i]) && set[t] != neg
			}
			return bvec{v: o}
		}
	}
	return out, nil
}

// funcArity gives the allowed argument counts of each function.
var funcArity = map[string][2]int{
	"contains": {2, 2}, "startswith": {2, 2}, "endswith": {2, 2},
	"lower": {1, 1}, "upper": {1, 1}, "len": {1, 1},
	"isna": {1, 1}, "notna": {1, 1},
	"abs": {1, 1}, "log": {1, 1}, "sqrt": {1, 1}, "round": {1, 2},
}

func funcNames() []string {
	return []string{"abs", "contains", "endswith", "isna", "len", "log", "lower", "notna", "round", "sqrt", "startswith", "upper"}
}

func (b *binder) call(n *node) (*cnode, error) {
	ar, ok := funcArity[n.name]
	if !ok {
		msg := fmt.Sprintf("unknown function %q", n.name)
		if s := closest(n.name, funcNames()); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return nil, b.errAt(n.pos, "%s", msg)
	}
	if len(n.args) < ar[0] || len(n.args) > ar[1] {
		want := strconv.Itoa(ar[0])
		if ar[1] != ar[0] {
			want += " or " + strconv.Itoa(ar[1])
		}
		return nil, b.errAt(n.pos, "%s takes %s argument(s), got %d", n.name, want, len(n.args))
	}
	args := make([]*cnode, len(n.args))
	for i, a := range n.args {
		c, err := b.compile(a)
		if err != nil {
			return nil, err
		}
		args[i] = c
	}
	switch n.name {
	case "isna", "notna":
		return b.isna(n.pos, args[0], n.name == "notna"), nil
	case "contains", "startswith", "endswith":
		return b.match(n.pos, n.name, args[0], args[1])
	case "lower", "upper":
		x, err := b.asStr(args[0], n.name)
		if err != nil {
			return nil, err
		}
		f := strings.ToLower
		if n.name == "upper" {
			f = strings.ToUpper
		}
		s, sna, sl := b.slot(), b.slot(), b.slot()
		return &cnode{typ: tyStr, pos: n.pos, str: func(e *env, lo, hi int) svec {
			v := x.str(e, lo, hi)
			if v.cat {
				return svec{cat: true, codes: v.codes, levels: perLevel(e, sl, v.levels, f)}
			}
			o := buf[string](e, s, hi-lo)
			for i, t := range v.s {
				o[i] = f(t)
			}
			var na []bool
			if v.na != nil {
				na = buf[bool](e, sna, hi-lo)
				copy(na, v.na)
			}
			return svec{s: o, na: na}
		}}, nil
	case "len":
		x, err := b.asStr(args[0], n.name)
		if err != nil {
			return nil, err
		}
		s, sl := b.slot(), b.slot()
		count := func(t string) float64 { return float64(utf8.RuneCountInString(t)) }
		return &cnode{typ: tyNum, pos: n.pos, num: func(e *env, lo, hi int) []float64 {
			v := x.str(e, lo, hi)
			o := buf[float64](e, s, hi-lo)
			if v.cat {
				lv := perLevel(e, sl, v.levels, count)
				for i, k := range v.codes {
					if k < 0 {
						o[i] = math.NaN()
					} else {
						o[i] = lv[k]
					}
				}
				return o
			}
			for i, t := range v.s {
				if v.na != nil && v.na[i] {
					o[i] = math.NaN()
				} else {
					o[i] = count(t)
				}
			}
			return o
		}}, nil
	case "abs", "log", "sqrt":
		x, err := b.asNum(args[0], n.name)
		if err != nil {
			return nil, err
		}
		f := map[string]func(float64) float64{"abs": math.Abs, "log": math.Log, "sqrt": math.Sqrt}[n.name]
		s := b.slot()
		return &cnode{typ: tyNum, pos: n.pos, num: func(e *env, lo, hi int) []float64 {
			o := buf[float64](e, s, hi-lo)
			for i, v := range x.num(e, lo, hi) {
				r := f(v)
				if math.IsInf(r, 0) && !math.IsInf(v, 0) {
					r = math.NaN() // log(0): out of the domain, so missing
				}
				o[i] = r
			}
			return o
		}}, nil
	case "round":
		x, err := b.asNum(args[0], n.name)
		if err != nil {
			return nil, err
		}
		d := b.numConst(n.pos, 0)
		if len(args) == 2 {
			if d, err = b.asNum(args[1], "round digits"); err != nil {
				return nil, err
			}
		}
		s := b.slot()
		return &cnode{typ: tyNum, pos: n.pos, num: func(e *env, lo, hi int) []float64 {
			o := buf[float64](e, s, hi-lo)
			xs, ds := x.num(e, lo, hi), d.num(e, lo, hi)
			for i, v := range xs {
				o[i] = roundTo(v, ds[i])
			}
			return o
		}}, nil
	}
	return nil, b.errAt(n.pos, "internal: function %s not implemented", n.name)
}

// roundTo rounds v half away from zero to d decimal digits (d is truncated to
// an integer; negative d rounds to tens, hundreds, ...).
func roundTo(v, d float64) float64 {
	if d != d {
		return math.NaN()
	}
	if d == 0 {
		return math.Round(v)
	}
	p := math.Pow10(int(d))
	r := math.Round(v*p) / p
	if math.IsInf(r, 0) || r != r {
		return v // v*p overflowed: v has no digits to drop
	}
	return r
}

func (b *binder) isna(pos int, x *cnode, not bool) *cnode {
	s := b.slot()
	return &cnode{typ: tyBool, pos: pos, boo: func(e *env, lo, hi int) bvec {
		o := buf[bool](e, s, hi-lo)
		switch x.typ {
		case tyNull:
			fill(o, true)
		case tyNum:
			for i, v := range x.num(e, lo, hi) {
				o[i] = v != v
			}
		case tyBool:
			copyNA(o, x.boo(e, lo, hi).na)
		case tyTime:
			copyNA(o, x.tim(e, lo, hi).na)
		case tyStr:
			v := x.str(e, lo, hi)
			if v.cat {
				for i, k := range v.codes {
					o[i] = k < 0
				}
			} else {
				copyNA(o, v.na)
			}
		}
		if not {
			for i := range o {
				o[i] = !o[i]
			}
		}
		return bvec{v: o}
	}}
}

func copyNA(o, na []bool) {
	if na == nil {
		fill(o, false)
		return
	}
	copy(o, na)
}

func (b *binder) match(pos int, name string, x, y *cnode) (*cnode, error) {
	x, err := b.asStr(x, name)
	if err != nil {
		return nil, err
	}
	if y, err = b.asStr(y, name); err != nil {
		return nil, err
	}
	f := map[string]func(string, string) bool{
		"contains": strings.Contains, "startswith": strings.HasPrefix, "endswith": strings.HasSuffix,
	}[name]
	if y.konst {
		k := y.kstr
		return &cnode{typ: tyBool, pos: pos, boo: b.strPred(x, func(v string) bool { return f(v, k) })}, nil
	}
	s := b.slot()
	return &cnode{typ: tyBool, pos: pos, boo: func(e *env, lo, hi int) bvec {
		xs, ys := x.str(e, lo, hi), y.str(e, lo, hi)
		o := buf[bool](e, s, hi-lo)
		for i := range o {
			a, ok1 := xs.at(i)
			c, ok2 := ys.at(i)
			o[i] = ok1 && ok2 && f(a, c)
		}
		return bvec{v: o}
	}}, nil
}

// closest returns the candidate nearest to name by case-insensitive edit
// distance, or "" when none is close (distance above a third of the name's
// length, at least 2).
func closest(name string, candidates []string) string {
	best, bestD := "", max(2, utf8.RuneCountInString(name)/3)+1
	ln := strings.ToLower(name)
	for _, c := range candidates {
		if d := levenshtein(ln, strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// levenshtein is the edit distance between a and b counted in runes.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// isPlainIdent reports whether name can be written as a bare identifier.
func isPlainIdent(name string) bool {
	for i, r := range name {
		if i == 0 && !isIdentStart(r) || !isIdentPart(r) {
			return false
		}
	}
	switch strings.ToLower(name) {
	case "and", "or", "not", "in", "true", "false", "null", "":
		return false
	}
	return true
}
