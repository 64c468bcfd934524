package expr

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Error is a parse or bind error. Line and Col (1-based, Col counted in
// characters) locate the problem in the source; they are zero when the error
// has no single position.
type Error struct {
	Line, Col int
	Msg       string
	err       error
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return "expr: " + e.Msg
	}
	return fmt.Sprintf("expr: %d:%d: %s", e.Line, e.Col, e.Msg)
}

// Unwrap returns the underlying error, such as frame.ErrColumnNotFound.
func (e *Error) Unwrap() error { return e.err }

// ErrSyntax is wrapped by every parse error.
var ErrSyntax = errors.New("syntax error")

type tokKind uint8

const (
	tEOF tokKind = iota
	tIdent
	tQuotedIdent // `x` or [x]: always a column
	tNumber
	tString
	tOp    // operators and punctuation; text in tok.text
	tError // lexing failed; message in tok.text
)

type token struct {
	kind tokKind
	text string // identifier name, operator, decoded string, number text
	pos  int    // byte offset in source
	num  float64
}

type lexer struct {
	src string
	pos int
}

func isIdentStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }
func isIdentPart(r rune) bool {
	return r == '_' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// next returns the next token. On malformed input it returns a tError token.
func (l *lexer) next() token {
	for l.pos < len(l.src) {
		r, w := utf8.DecodeRuneInString(l.src[l.pos:])
		if !unicode.IsSpace(r) {
			break
		}
		l.pos += w
	}
	start := l.pos
	if l.pos >= len(l.src) {
		return token{kind: tEOF, pos: start}
	}
	r, w := utf8.DecodeRuneInString(l.src[l.pos:])
	switch {
	case isIdentStart(r):
		l.pos += w
		for l.pos < len(l.src) {
			r, w := utf8.DecodeRuneInString(l.src[l.pos:])
			if !isIdentPart(r) {
				break
			}
			l.pos += w
		}
		return token{kind: tIdent, text: l.src[start:l.pos], pos: start}
	case r >= '0' && r <= '9' || r == '.' && l.pos+1 < len(l.src) && l.src[l.pos+1] >= '0' && l.src[l.pos+1] <= '9':
		return l.number()
	case r == '"' || r == '\'':
		return l.str(byte(r))
	case r == '`' || r == '[':
		end := byte('`')
		if r == '[' {
			end = ']'
		}
		i := strings.IndexByte(l.src[l.pos+1:], end)
		if i < 0 {
			l.pos = len(l.src)
			return token{kind: tError, text: fmt.Sprintf("unterminated column name (missing %q)", string(end)), pos: start}
		}
		name := l.src[l.pos+1 : l.pos+1+i]
		l.pos += i + 2
		if name == "" {
			return token{kind: tError, text: "empty column name", pos: start}
		}
		return token{kind: tQuotedIdent, text: name, pos: start}
	}
	two := ""
	if l.pos+2 <= len(l.src) {
		two = l.src[l.pos : l.pos+2]
	}
	switch two {
	case "==", "!=", "<=", ">=", "&&", "||", "<>":
		l.pos += 2
		if two == "<>" {
			two = "!="
		}
		return token{kind: tOp, text: two, pos: start}
	}
	switch r {
	case '=':
		l.pos++
		return token{kind: tOp, text: "==", pos: start}
	case '<', '>', '!', '+', '-', '*', '/', '%', '(', ')', ',':
		l.pos++
		return token{kind: tOp, text: string(r), pos: start}
	}
	l.pos += w
	return token{kind: tError, text: fmt.Sprintf("unexpected %q", string(r)), pos: start}
}

func (l *lexer) number() token {
	start := l.pos
	digits := func() {
		for l.pos < len(l.src) && (l.src[l.pos] >= '0' && l.src[l.pos] <= '9' || l.src[l.pos] == '_') {
			l.pos++
		}
	}
	digits()
	if l.pos < len(l.src) && l.src[l.pos] == '.' {
		l.pos++
		digits()
	}
	if l.pos < len(l.src) && (l.src[l.pos] == 'e' || l.src[l.pos] == 'E') {
		save := l.pos
		l.pos++
		if l.pos < len(l.src) && (l.src[l.pos] == '+' || l.src[l.pos] == '-') {
			l.pos++
		}
		if l.pos < len(l.src) && l.src[l.pos] >= '0' && l.src[l.pos] <= '9' {
			digits()
		} else {
			l.pos = save
		}
	}
	text := l.src[start:l.pos]
	// A number running straight into a letter ("3x") is a mistake, not two tokens.
	if l.pos < len(l.src) {
		if r, _ := utf8.DecodeRuneInString(l.src[l.pos:]); isIdentStart(r) {
			return token{kind: tError, text: fmt.Sprintf("malformed number %q", text+string(r)), pos: start}
		}
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return token{kind: tError, text: fmt.Sprintf("malformed number %q", text), pos: start}
	}
	return token{kind: tNumber, text: text, num: v, pos: start}
}

func (l *lexer) str(q byte) token {
	start := l.pos
	l.pos++
	var b strings.Builder
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == q:
			l.pos++
			return token{kind: tString, text: b.String(), pos: start}
		case c == '\\':
			if l.pos+1 >= len(l.src) {
				l.pos = len(l.src)
				return token{kind: tError, text: "unterminated string", pos: start}
			}
			v, _, tail, err := strconv.UnquoteChar(l.src[l.pos:], q)
			if err != nil {
				return token{kind: tError, text: "invalid escape in string", pos: l.pos}
			}
			b.WriteRune(v)
			l.pos = len(l.src) - len(tail)
		default:
			b.WriteByte(c)
			l.pos++
		}
	}
	return token{kind: tError, text: "unterminated string", pos: start}
}

// Node kinds of the syntax tree.
type nodeKind uint8

const (
	nCol nodeKind = iota
	nNum
	nStr
	nBool
	nNull
	nUnary  // op: "-" or "!"
	nBinary // op: arithmetic, comparison, "&&", "||"
	nIn     // args[0] in args[1:]; op "in" or "not in"
	nCall   // name(args...)
)

type node struct {
	kind nodeKind
	pos  int // byte offset
	op   string
	name string // column or function name; string literal value
	num  float64
	b    bool
	args []*node
}

// Expr is a parsed expression, not yet tied to a frame. The zero Expr is
// invalid; get one from Parse.
type Expr struct {
	src  string
	root *node
}

// String returns the source text the expression was parsed from.
func (e Expr) String() string { return e.src }

// Columns returns the distinct column names the expression refers to, in
// order of first reference.
func (e Expr) Columns() []string {
	var out []string
	seen := map[string]bool{}
	var walk func(n *node)
	walk = func(n *node) {
		if n == nil {
			return
		}
		if n.kind == nCol && !seen[n.name] {
			seen[n.name] = true
			out = append(out, n.name)
		}
		for _, a := range n.args {
			walk(a)
		}
	}
	walk(e.root)
	return out
}

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 200

type parser struct {
	src   string
	lex   lexer
	tok   token
	depth int
}

// Parse parses src. Errors are *Error values wrapping ErrSyntax, positioned at
// the offending token: `expr: 1:9: unexpected ")"`.
func Parse(src string) (Expr, error) {
	p := &parser{src: src, lex: lexer{src: src}}
	p.advance()
	if p.tok.kind == tEOF {
		return Expr{}, p.errAt(p.tok.pos, "empty expression")
	}
	root, err := p.expr(0)
	if err != nil {
		return Expr{}, err
	}
	if p.tok.kind != tEOF {
		return Expr{}, p.unexpected()
	}
	return Expr{src: src, root: root}, nil
}

// position converts a byte offset into a 1-based line and character column.
func position(src string, off int) (line, col int) {
	off = min(off, len(src))
	line = 1 + strings.Count(src[:off], "\n")
	ls := strings.LastIndexByte(src[:off], '\n') + 1
	return line, utf8.RuneCountInString(src[ls:off]) + 1
}

func errAt(src string, off int, err error, format string, args ...any) *Error {
	line, col := position(src, off)
	return &Error{Line: line, Col: col, Msg: fmt.Sprintf(format, args...), err: err}
}

func (p *parser) errAt(off int, format string, args ...any) *Error {
	return errAt(p.src, off, ErrSyntax, format, args...)
}

func (p *parser) advance() { p.tok = p.lex.next() }

func (p *parser) unexpected() *Error {
	t := p.tok
	switch t.kind {
	case tEOF:
		return p.errAt(t.pos, "unexpected end of expression")
	case tError:
		return p.errAt(t.pos, "%s", t.text)
	case tString:
		return p.errAt(t.pos, "unexpected string %q", t.text)
	case tNumber:
		return p.errAt(t.pos, "unexpected number %s", t.text)
	case tQuotedIdent:
		return p.errAt(t.pos, "unexpected column %q", t.text)
	}
	return p.errAt(t.pos, "unexpected %q", t.text)
}

// keyword reports whether the current token is the (case-insensitive) keyword kw.
func (p *parser) keyword(kw string) bool {
	return p.tok.kind == tIdent && strings.EqualFold(p.tok.text, kw)
}

func (p *parser) isOp(op string) bool { return p.tok.kind == tOp && p.tok.text == op }

// Binding powers for the Pratt parser.
const (
	precOr = 1 + iota
	precAnd
	precNot
	precCmp
	precAdd
	precMul
	precUnary
)

// infix returns the operator at the current token and its binding power, or 0.
func (p *parser) infix() (string, int) {
	switch {
	case p.tok.kind == tOp:
		switch p.tok.text {
		case "||":
			return "||", precOr
		case "&&":
			return "&&", precAnd
		case "==", "!=", "<", "<=", ">", ">=":
			return p.tok.text, precCmp
		case "+", "-":
			return p.tok.text, precAdd
		case "*", "/", "%":
			return p.tok.text, precMul
		}
	case p.keyword("or"):
		return "||", precOr
	case p.keyword("and"):
		return "&&", precAnd
	case p.keyword("in"):
		return "in", precCmp
	case p.keyword("not"):
		return "not in", precCmp // checked for a following "in" below
	}
	return "", 0
}

func (p *parser) expr(minPrec int) (*node, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, p.errAt(p.tok.pos, "expression nested too deeply")
	}
	left, err := p.prefix()
	if err != nil {
		return nil, err
	}
	for {
		op, prec := p.infix()
		if prec == 0 || prec <= minPrec {
			return left, nil
		}
		pos := p.tok.pos
		p.advance()
		if op == "not in" {
			if !p.keyword("in") {
				return nil, p.unexpected()
			}
			p.advance()
		}
		if op == "in" || op == "not in" {
			list, err := p.inList()
			if err != nil {
				return nil, err
			}
			left = &node{kind: nIn, pos: pos, op: op, args: append([]*node{left}, list...)}
			continue
		}
		right, err := p.expr(prec)
		if err != nil {
			return nil, err
		}
		left = &node{kind: nBinary, pos: pos, op: op, args: []*node{left, right}}
	}
}

// inList parses `( literal, ... )` after in.
func (p *parser) inList() ([]*node, error) {
	if !p.isOp("(") {
		return nil, p.errAt(p.tok.pos, "expected ( after in")
	}
	p.advance()
	var list []*node
	for {
		if p.isOp(")") && len(list) > 0 {
			p.advance()
			return list, nil
		}
		n, err := p.literal()
		if err != nil {
			return nil, err
		}
		list = append(list, n)
		if p.isOp(",") {
			p.advance()
			continue
		}
		if !p.isOp(")") {
			return nil, p.unexpected()
		}
	}
}

// literal parses one literal of an in list: a number (optionally negative),
// string, true, false or null.
func (p *parser) literal() (*node, error) {
	t := p.tok
	switch {
	case t.kind == tNumber:
		p.advance()
		return &node{kind: nNum, pos: t.pos, num: t.num}, nil
	case t.kind == tOp && t.text == "-":
		p.advance()
		if p.tok.kind != tNumber {
			return nil, p.errAt(t.pos, "in list items must be literals")
		}
		n := p.tok
		p.advance()
		return &node{kind: nNum, pos: t.pos, num: -n.num}, nil
	case t.kind == tString:
		p.advance()
		return &node{kind: nStr, pos: t.pos, name: t.text}, nil
	case p.keyword("true"), p.keyword("false"):
		p.advance()
		return &node{kind: nBool, pos: t.pos, b: strings.EqualFold(t.text, "true")}, nil
	case p.keyword("null"):
		p.advance()
		return &node{kind: nNull, pos: t.pos}, nil
	case t.kind == tOp && t.text == ")", t.kind == tEOF, t.kind == tError:
		return nil, p.unexpected()
	}
	return nil, p.errAt(t.pos, "in list items must be literals")
}

func (p *parser) prefix() (*node, error) {
	t := p.tok
	switch t.kind {
	case tNumber:
		p.advance()
		return &node{kind: nNum, pos: t.pos, num: t.num}, nil
	case tString:
		p.advance()
		return &node{kind: nStr, pos: t.pos, name: t.text}, nil
	case tQuotedIdent:
		p.advance()
		return &node{kind: nCol, pos: t.pos, name: t.text}, nil
	case tIdent:
		switch strings.ToLower(t.text) {
		case "true", "false":
			p.advance()
			return &node{kind: nBool, pos: t.pos, b: strings.EqualFold(t.text, "true")}, nil
		case "null":
			p.advance()
			return &node{kind: nNull, pos: t.pos}, nil
		case "not":
			p.advance()
			x, err := p.expr(precNot)
			if err != nil {
				return nil, err
			}
			return &node{kind: nUnary, pos: t.pos, op: "!", args: []*node{x}}, nil
		case "and", "or", "in":
			return nil, p.unexpected()
		}
		p.advance()
		if p.isOp("(") {
			return p.call(t)
		}
		return &node{kind: nCol, pos: t.pos, name: t.text}, nil
	case tOp:
		switch t.text {
		case "(":
			p.advance()
			x, err := p.expr(0)
			if err != nil {
				return nil, err
			}
			if !p.isOp(")") {
				if p.tok.kind == tEOF {
					return nil, p.errAt(p.tok.pos, "missing )")
				}
				return nil, p.unexpected()
			}
			p.advance()
			return x, nil
		case "!":
			p.advance()
			x, err := p.expr(precNot)
			if err != nil {
				return nil, err
			}
			return &node{kind: nUnary, pos: t.pos, op: "!", args: []*node{x}}, nil
		case "-":
			p.advance()
			x, err := p.expr(precUnary - 1)
			if err != nil {
				return nil, err
			}
			if x.kind == nNum {
				x.num, x.pos = -x.num, t.pos
				return x, nil
			}
			return &node{kind: nUnary, pos: t.pos, op: "-", args: []*node{x}}, nil
		case "+":
			p.advance()
			return p.expr(precUnary - 1)
		}
	}
	return nil, p.unexpected()
}

func (p *parser) call(name token) (*node, error) {
	p.advance() // (
	n := &node{kind: nCall, pos: name.pos, name: strings.ToLower(name.text)}
	if p.isOp(")") {
		p.advance()
		return n, nil
	}
	for {
		a, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		n.args = append(n.args, a)
		if p.isOp(",") {
			p.advance()
			continue
		}
		if p.isOp(")") {
			p.advance()
			return n, nil
		}
		if p.tok.kind == tEOF {
			return nil, p.errAt(p.tok.pos, "missing ) after arguments of %s", name.text)
		}
		return nil, p.unexpected()
	}
}
