package arm

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// expr is one parsed template expression.
type expr struct {
	kind int // exprString, exprNumber, exprCall
	str  string
	num  float64
	fn   string  // lower-case function name
	args []*expr // call arguments
	// access are the property accesses and indexes after a call
	// (".location", "['key']", "[0]").
	access []*expr
}

const (
	exprString = iota
	exprNumber
	exprCall
)

// maxExprDepth caps the nesting of calls and accesses in one expression.
const maxExprDepth = 64

var errSyntax = errors.New("expression syntax")

// parseExpr parses the text between the brackets of "[...]".
func parseExpr(s string) (*expr, error) {
	p := &exprParser{s: s}
	e, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i != len(p.s) {
		return nil, fmt.Errorf("%w: trailing text at %d", errSyntax, p.i)
	}
	return e, nil
}

type exprParser struct {
	s string
	i int
}

func (p *exprParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *exprParser) expr(depth int) (*expr, error) {
	if depth > maxExprDepth {
		return nil, fmt.Errorf("%w: nested too deep", errSyntax)
	}
	p.space()
	if p.i >= len(p.s) {
		return nil, fmt.Errorf("%w: unexpected end", errSyntax)
	}
	c := p.s[p.i]
	switch {
	case c == '\'':
		var b strings.Builder
		p.i++
		for {
			if p.i >= len(p.s) {
				return nil, fmt.Errorf("%w: unterminated string", errSyntax)
			}
			if p.s[p.i] == '\'' {
				if p.i+1 < len(p.s) && p.s[p.i+1] == '\'' {
					b.WriteByte('\'')
					p.i += 2
					continue
				}
				p.i++
				return &expr{kind: exprString, str: b.String()}, nil
			}
			b.WriteByte(p.s[p.i])
			p.i++
		}
	case c == '-' || (c >= '0' && c <= '9'):
		start := p.i
		p.i++
		for p.i < len(p.s) && (p.s[p.i] >= '0' && p.s[p.i] <= '9' || p.s[p.i] == '.') {
			p.i++
		}
		n, err := strconv.ParseFloat(p.s[start:p.i], 64)
		if err != nil {
			return nil, fmt.Errorf("%w: number %q", errSyntax, p.s[start:p.i])
		}
		return &expr{kind: exprNumber, num: n}, nil
	case isIdent(c):
		start := p.i
		for p.i < len(p.s) && (isIdent(p.s[p.i]) || p.s[p.i] >= '0' && p.s[p.i] <= '9') {
			p.i++
		}
		name := p.s[start:p.i]
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != '(' {
			return nil, fmt.Errorf("%w: %q is not a call", errSyntax, name)
		}
		p.i++
		e := &expr{kind: exprCall, fn: strings.ToLower(name)}
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ')' {
			p.i++
		} else {
			for {
				a, err := p.expr(depth + 1)
				if err != nil {
					return nil, err
				}
				e.args = append(e.args, a)
				p.space()
				if p.i >= len(p.s) {
					return nil, fmt.Errorf("%w: unterminated call", errSyntax)
				}
				if p.s[p.i] == ',' {
					p.i++
					continue
				}
				if p.s[p.i] == ')' {
					p.i++
					break
				}
				return nil, fmt.Errorf("%w: unexpected %q at %d", errSyntax, p.s[p.i], p.i)
			}
		}
		// Property accesses and indexes.
		for {
			p.space()
			if p.i >= len(p.s) {
				return e, nil
			}
			switch p.s[p.i] {
			case '.':
				p.i++
				start := p.i
				for p.i < len(p.s) && (isIdent(p.s[p.i]) || p.s[p.i] >= '0' && p.s[p.i] <= '9') {
					p.i++
				}
				if p.i == start {
					return nil, fmt.Errorf("%w: property name expected at %d", errSyntax, p.i)
				}
				e.access = append(e.access, &expr{kind: exprString, str: p.s[start:p.i]})
			case '[':
				p.i++
				a, err := p.expr(depth + 1)
				if err != nil {
					return nil, err
				}
				p.space()
				if p.i >= len(p.s) || p.s[p.i] != ']' {
					return nil, fmt.Errorf("%w: ']' expected at %d", errSyntax, p.i)
				}
				p.i++
				e.access = append(e.access, a)
			default:
				return e, nil
			}
			if len(e.access) > maxExprDepth {
				return nil, fmt.Errorf("%w: too many accesses", errSyntax)
			}
		}
	}
	return nil, fmt.Errorf("%w: unexpected %q at %d", errSyntax, c, p.i)
}

func isIdent(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// eval evaluates a parsed expression; anything not known offline is
// Unknown.
func (r *resolver) eval(e *expr, depth int) any {
	if depth > maxExprDepth {
		return Unknown{}
	}
	switch e.kind {
	case exprString:
		return e.str
	case exprNumber:
		return e.num
	}
	v := r.call(e, depth)
	for _, a := range e.access {
		v = index(v, r.eval(a, depth+1))
	}
	return v
}

// index is v[k] (a property or an element); Unknown when not there.
func index(v, k any) any {
	switch x := v.(type) {
	case map[string]any:
		ks, ok := k.(string)
		if !ok || ks == MetadataKey {
			return Unknown{}
		}
		if y, ok := x[ks]; ok {
			return y
		}
		for mk, y := range x { // property names are case-insensitive
			if strings.EqualFold(mk, ks) && mk != MetadataKey {
				return y
			}
		}
	case []any:
		if f, ok := k.(float64); ok && f >= 0 && f < float64(len(x)) && f == math.Trunc(f) {
			return x[int(f)]
		}
	}
	return Unknown{}
}

func isUnknown(v any) bool { _, ok := v.(Unknown); return ok }

func (r *resolver) call(e *expr, depth int) any {
	args := make([]any, len(e.args))
	lazyFn := e.fn == "if" // if() evaluates only the branch it takes
	if !lazyFn {
		for i, a := range e.args {
			args[i] = r.eval(a, depth+1)
		}
	}
	switch e.fn {
	case "parameters", "variables":
		if len(args) != 1 {
			return Unknown{}
		}
		name, ok := args[0].(string)
		if !ok {
			return Unknown{}
		}
		if e.fn == "parameters" {
			return r.param(name)
		}
		return r.variable(name)
	case "concat":
		return concat(args)
	case "format":
		return format(args)
	case "tolower", "toupper":
		if len(args) != 1 {
			return Unknown{}
		}
		s, ok := args[0].(string)
		if !ok {
			return Unknown{}
		}
		if e.fn == "tolower" {
			return strings.ToLower(s)
		}
		return strings.ToUpper(s)
	case "if":
		if len(e.args) != 3 {
			return Unknown{}
		}
		switch r.eval(e.args[0], depth+1) {
		case true:
			return r.eval(e.args[1], depth+1)
		case false:
			return r.eval(e.args[2], depth+1)
		}
		return Unknown{}
	case "equals":
		if len(args) != 2 {
			return Unknown{}
		}
		return equals(args[0], args[1])
	case "not":
		if len(args) != 1 {
			return Unknown{}
		}
		if b, ok := args[0].(bool); ok {
			return !b
		}
		return Unknown{}
	case "and", "or":
		if len(args) < 2 {
			return Unknown{}
		}
		// A known deciding operand decides even when others are unknown.
		decide := e.fn == "or"
		unknown := false
		for _, a := range args {
			b, ok := a.(bool)
			if !ok {
				unknown = true
				continue
			}
			if b == decide {
				return decide
			}
		}
		if unknown {
			return Unknown{}
		}
		return !decide
	case "true":
		return true
	case "false":
		return false
	case "bool":
		if len(args) != 1 {
			return Unknown{}
		}
		switch x := args[0].(type) {
		case bool:
			return x
		case string:
			if b, err := strconv.ParseBool(strings.ToLower(x)); err == nil {
				return b
			}
		case float64:
			return x != 0
		}
		return Unknown{}
	case "int":
		if len(args) != 1 {
			return Unknown{}
		}
		switch x := args[0].(type) {
		case float64:
			return math.Trunc(x)
		case string:
			if n, err := strconv.ParseInt(x, 10, 64); err == nil {
				return float64(n)
			}
		}
		return Unknown{}
	case "string":
		if len(args) != 1 {
			return Unknown{}
		}
		if s, ok := scalarString(args[0]); ok {
			return s
		}
		return Unknown{}
	case "empty":
		if len(args) != 1 {
			return Unknown{}
		}
		switch x := args[0].(type) {
		case nil:
			return true
		case string:
			return x == ""
		case []any:
			return len(x) == 0
		case map[string]any:
			n := len(x)
			if _, ok := x[MetadataKey]; ok {
				n--
			}
			return n == 0
		}
		return Unknown{}
	case "createarray":
		for _, a := range args {
			if isUnknown(a) {
				return Unknown{}
			}
		}
		return args
	}
	// resourceGroup(), subscription(), deployment(), resourceId(),
	// reference(), uniqueString(), guid(), utcNow(), listKeys(), user
	// functions, …: not known offline.
	return Unknown{}
}

func scalarString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

// concat joins strings (numbers and booleans as text) or lists.
func concat(args []any) any {
	if len(args) == 0 {
		return Unknown{}
	}
	if _, ok := args[0].([]any); ok {
		var out []any
		for _, a := range args {
			l, ok := a.([]any)
			if !ok || len(out)+len(l) > maxList {
				return Unknown{}
			}
			out = append(out, l...)
		}
		return out
	}
	var b strings.Builder
	for _, a := range args {
		s, ok := scalarString(a)
		if !ok || b.Len()+len(s) > maxString {
			return Unknown{}
		}
		b.WriteString(s)
	}
	return b.String()
}

// format replaces {0}, {1}, … ("{{" and "}}" are literal braces; a
// format specifier after ':' is ignored).
func format(args []any) any {
	if len(args) == 0 {
		return Unknown{}
	}
	f, ok := args[0].(string)
	if !ok {
		return Unknown{}
	}
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if b.Len() > maxString {
			return Unknown{}
		}
		c := f[i]
		if (c == '{' || c == '}') && i+1 < len(f) && f[i+1] == c {
			b.WriteByte(c)
			i++
			continue
		}
		if c != '{' {
			b.WriteByte(c)
			continue
		}
		end := strings.IndexByte(f[i:], '}')
		if end < 0 {
			return Unknown{}
		}
		spec := f[i+1 : i+end]
		spec, _, _ = strings.Cut(spec, ":")
		n, err := strconv.Atoi(strings.TrimSpace(spec))
		if err != nil || n < 0 || n+1 >= len(args) {
			return Unknown{}
		}
		s, ok := scalarString(args[n+1])
		if !ok {
			return Unknown{}
		}
		b.WriteString(s)
		i += end
	}
	return b.String()
}

// equals compares two known values (strings case-sensitively, as ARM
// does); Unknown when either is not known.
func equals(a, b any) any {
	if isUnknown(a) || isUnknown(b) {
		return Unknown{}
	}
	switch x := a.(type) {
	case string, float64, bool, nil:
		return a == b
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			e := equals(x[i], y[i])
			if e != true {
				return e
			}
		}
		return true
	}
	return Unknown{}
}
