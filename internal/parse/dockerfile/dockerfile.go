// Package dockerfile parses Dockerfiles (and Containerfiles) into their
// instructions, keeping the line range of each one, as the misconfiguration
// checks need them.
//
// It follows the Dockerfile reference: parser directives at the top (only
// `escape` changes parsing), line continuations with the escape character,
// comment lines (also inside continuations), heredocs (`RUN <<EOF … EOF`,
// `<<-EOF`, quoted delimiters, several per instruction), JSON (exec) and
// shell forms, leading `--flag[=value]` words, multi-stage builds and `ARG`
// before the first `FROM`. It is pure: bytes in, values out, no I/O.
package dockerfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// Instruction is one Dockerfile instruction.
type Instruction struct {
	// Cmd is the instruction keyword in lower case ("from", "run").
	Cmd string
	// SubCmd is the instruction an ONBUILD wraps, in lower case.
	SubCmd string
	// Flags are the leading --name[=value] words, as written.
	Flags []string
	// Value holds the arguments: the JSON array of the exec form; the whole
	// command line of the shell form of RUN, CMD, ENTRYPOINT and SHELL
	// (with heredoc bodies, as written); key and value pairs for ENV and
	// LABEL; the whole rest for USER, WORKDIR, MAINTAINER, STOPSIGNAL and
	// ONBUILD; whitespace-separated words otherwise.
	Value []string
	// JSON is set for the exec (JSON array) form.
	JSON bool
	// Original is the instruction as written, continuations joined (the
	// escape character and newline removed, comment lines dropped).
	Original string
	// Heredocs are the here-documents of the instruction, in order.
	Heredocs []Heredoc
	// StartLine and EndLine are 1-based; EndLine covers continuation lines
	// and heredoc bodies.
	StartLine, EndLine int
}

// Heredoc is one here-document.
type Heredoc struct {
	Name    string
	Content string
}

// Stage is one build stage: a FROM and what follows it.
type Stage struct {
	// Name is the FROM arguments as written ("golang:1.22 AS build").
	Name string
	// Alias is the stage name given with AS, in lower case ("" if none).
	Alias string
	// Index is the stage's position, from 0.
	Index int
	// Instructions start with the FROM.
	Instructions []Instruction
}

// File is a parsed Dockerfile.
type File struct {
	// Escape is the escape character ('\\' unless the escape directive
	// says '`').
	Escape rune
	// MetaArgs are the ARG instructions before the first FROM.
	MetaArgs []Instruction
	Stages   []Stage
}

// Error is a parse error at a line.
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// known instructions.
var known = map[string]bool{
	"add": true, "arg": true, "cmd": true, "copy": true, "entrypoint": true, "env": true,
	"expose": true, "from": true, "healthcheck": true, "label": true, "maintainer": true,
	"onbuild": true, "run": true, "shell": true, "stopsignal": true, "user": true,
	"volume": true, "workdir": true,
}

// heredocCmds may carry here-documents.
var heredocCmds = map[string]bool{"run": true, "copy": true, "add": true}

// Parse parses a Dockerfile.
func Parse(content []byte) (*File, error) {
	text := strings.ReplaceAll(string(content), "\r\n", "\n")
	text = strings.TrimPrefix(text, "\ufeff")
	lines := strings.Split(text, "\n")
	f := &File{Escape: '\\'}

	i := 0
	// Parser directives: "# key=value" lines at the very top.
	for ; i < len(lines); i++ {
		key, val, ok := directive(lines[i])
		if !ok {
			break
		}
		if key == "escape" {
			switch val {
			case "\\":
				f.Escape = '\\'
			case "`":
				f.Escape = '`'
			default:
				return nil, &Error{Line: i + 1, Msg: fmt.Sprintf("invalid escape directive %q: must be ` or \\", val)}
			}
		}
	}
	esc := string(f.Escape)

	var instrs []Instruction
	for i < len(lines) {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			i++
			continue
		}
		start := i
		// Join continuation lines.
		var b strings.Builder
		end := i
		cur := strings.TrimLeftFunc(line, unicode.IsSpace)
		for {
			body := strings.TrimRightFunc(cur, unicode.IsSpace)
			if strings.HasSuffix(body, esc) {
				b.WriteString(strings.TrimSuffix(body, esc))
				// Next non-comment, non-empty line continues it.
				j := end + 1
				for j < len(lines) {
					t := strings.TrimSpace(lines[j])
					if t == "" || strings.HasPrefix(t, "#") {
						j++
						continue
					}
					break
				}
				if j >= len(lines) {
					end = len(lines) - 1
					break
				}
				end = j
				cur = lines[j]
				continue
			}
			b.WriteString(cur)
			break
		}
		logical := b.String()
		in, err := instruction(logical, start+1)
		if err != nil {
			return nil, err
		}
		in.EndLine = end + 1
		i = end + 1
		// Here-documents follow the instruction line.
		if !in.JSON && (heredocCmds[in.Cmd] || (in.Cmd == "onbuild" && heredocCmds[in.SubCmd])) {
			docs := heredocNames(logical)
			var bodies []string
			for _, d := range docs {
				var content strings.Builder
				var raw strings.Builder
				found := false
				for i < len(lines) {
					l := lines[i]
					i++
					cmp := l
					if d.chomp {
						cmp = strings.TrimLeft(l, "\t")
					}
					if cmp == d.name {
						found = true
						raw.WriteString(l)
						break
					}
					content.WriteString(cmp)
					content.WriteByte('\n')
					raw.WriteString(l)
					raw.WriteByte('\n')
				}
				if !found {
					return nil, &Error{Line: in.StartLine, Msg: fmt.Sprintf("unterminated heredoc %q", d.name)}
				}
				in.Heredocs = append(in.Heredocs, Heredoc{Name: d.name, Content: content.String()})
				bodies = append(bodies, raw.String())
				in.EndLine = i
			}
			if len(bodies) > 0 && !in.JSON && len(in.Value) > 0 {
				if in.Cmd == "run" {
					in.Value = []string{in.Value[0] + "\n" + strings.Join(bodies, "\n")}
				}
			}
		}
		instrs = append(instrs, in)
	}

	for _, in := range instrs {
		switch {
		case in.Cmd == "from":
			st := Stage{Index: len(f.Stages), Name: strings.Join(in.Value, " ")}
			if len(in.Value) == 3 && strings.EqualFold(in.Value[1], "as") {
				st.Alias = strings.ToLower(in.Value[2])
			} else if len(in.Value) != 1 {
				return nil, &Error{Line: in.StartLine, Msg: "FROM takes an image and an optional AS name"}
			}
			f.Stages = append(f.Stages, st)
		case len(f.Stages) == 0:
			if in.Cmd != "arg" {
				return nil, &Error{Line: in.StartLine, Msg: fmt.Sprintf("%s before the first FROM (only ARG may come first)", strings.ToUpper(in.Cmd))}
			}
			f.MetaArgs = append(f.MetaArgs, in)
			continue
		}
		last := &f.Stages[len(f.Stages)-1]
		last.Instructions = append(last.Instructions, in)
	}
	return f, nil
}

// directive reports whether line is a parser directive ("# key=value").
func directive(line string) (key, val string, ok bool) {
	t := strings.TrimSpace(line)
	if !strings.HasPrefix(t, "#") {
		return "", "", false
	}
	t = strings.TrimSpace(t[1:])
	k, v, found := strings.Cut(t, "=")
	k = strings.ToLower(strings.TrimSpace(k))
	if !found || k == "" || strings.ContainsFunc(k, unicode.IsSpace) {
		return "", "", false
	}
	return k, strings.TrimSpace(v), true
}

func instruction(logical string, line int) (Instruction, error) {
	word, rest, _ := strings.Cut(logical, " ")
	if tab := strings.IndexByte(word, '\t'); tab >= 0 {
		word, rest = word[:tab], word[tab+1:]+" "+rest
	}
	in := Instruction{Cmd: strings.ToLower(word), Original: logical, StartLine: line}
	if !known[in.Cmd] {
		return in, &Error{Line: line, Msg: fmt.Sprintf("unknown instruction %q", word)}
	}
	rest = strings.TrimSpace(rest)
	if in.Cmd == "onbuild" {
		sub, _, _ := strings.Cut(rest, " ")
		in.SubCmd = strings.ToLower(sub)
		if in.SubCmd == "onbuild" || in.SubCmd == "from" || in.SubCmd == "maintainer" {
			return in, &Error{Line: line, Msg: fmt.Sprintf("%s is not allowed in ONBUILD", strings.ToUpper(in.SubCmd))}
		}
		if !known[in.SubCmd] {
			return in, &Error{Line: line, Msg: fmt.Sprintf("unknown instruction %q in ONBUILD", sub)}
		}
		in.Value = []string{rest}
		return in, nil
	}
	// Leading flags: --name or --name=value words.
	for strings.HasPrefix(rest, "--") {
		w, r, _ := cutSpace(rest)
		if w == "--" {
			break
		}
		in.Flags = append(in.Flags, w)
		rest = strings.TrimSpace(r)
	}
	switch in.Cmd {
	case "run", "cmd", "entrypoint", "shell":
		if arr, ok := jsonArray(rest); ok {
			in.Value, in.JSON = arr, true
		} else if rest != "" {
			in.Value = []string{rest}
		}
		if in.Cmd == "shell" && !in.JSON {
			return in, &Error{Line: line, Msg: "SHELL requires the JSON form"}
		}
	case "copy", "add", "volume":
		if arr, ok := jsonArray(rest); ok {
			in.Value, in.JSON = arr, true
		} else {
			in.Value = strings.Fields(rest)
		}
	case "env", "label":
		v, err := nameVals(rest)
		if err != nil {
			return in, &Error{Line: line, Msg: fmt.Sprintf("%s: %v", strings.ToUpper(in.Cmd), err)}
		}
		in.Value = v
	case "user", "workdir", "maintainer", "stopsignal":
		if rest != "" {
			in.Value = []string{rest}
		}
	case "healthcheck":
		typ, r, _ := cutSpace(rest)
		in.Value = []string{strings.ToUpper(typ)}
		r = strings.TrimSpace(r)
		if strings.EqualFold(typ, "cmd") {
			if arr, ok := jsonArray(r); ok {
				in.Value, in.JSON = append(in.Value, arr...), true
			} else if r != "" {
				in.Value = append(in.Value, r)
			}
		}
	default: // from, arg, expose
		in.Value = strings.Fields(rest)
	}
	if len(in.Value) == 0 && in.Cmd != "healthcheck" {
		return in, &Error{Line: line, Msg: fmt.Sprintf("%s requires at least one argument", strings.ToUpper(in.Cmd))}
	}
	return in, nil
}

func cutSpace(s string) (string, string, bool) {
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+1:], true
}

func jsonArray(s string) ([]string, bool) {
	if !strings.HasPrefix(s, "[") {
		return nil, false
	}
	var arr []string
	if err := json.Unmarshal([]byte(s), &arr); err != nil {
		return nil, false
	}
	return arr, true
}

// nameVals splits ENV and LABEL arguments into key, value pairs: the
// key=value form (values may be quoted) or the legacy "key value" form.
func nameVals(s string) ([]string, error) {
	words, err := shellWords(s)
	if err != nil {
		return nil, err
	}
	if len(words) == 0 {
		return nil, errors.New("requires arguments")
	}
	if !strings.Contains(words[0], "=") {
		// Legacy form: the first word is the key, the rest the value.
		k, v, _ := cutSpace(strings.TrimSpace(s))
		return []string{k, strings.TrimSpace(v)}, nil
	}
	var out []string
	for _, w := range words {
		k, v, ok := strings.Cut(w, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("%q is not key=value", w)
		}
		out = append(out, k, v)
	}
	return out, nil
}

// shellWords splits s on unquoted whitespace, removing quotes.
func shellWords(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '"' || r == '\'':
			quote = r
			inWord = true
		case unicode.IsSpace(r):
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, errors.New("unterminated quote")
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out, nil
}

type heredocName struct {
	name  string
	chomp bool
}

// heredocNames finds the <<WORD, <<-WORD, <<"WORD" and <<'WORD' markers of
// an instruction line, in order.
func heredocNames(line string) []heredocName {
	var out []heredocName
	for {
		i := strings.Index(line, "<<")
		if i < 0 {
			return out
		}
		atWord := i == 0 || unicode.IsSpace(rune(line[i-1]))
		line = line[i+2:]
		if !atWord {
			continue
		}
		d := heredocName{}
		if strings.HasPrefix(line, "-") {
			d.chomp = true
			line = line[1:]
		}
		var q byte
		if len(line) > 0 && (line[0] == '"' || line[0] == '\'') {
			q = line[0]
			line = line[1:]
		}
		j := 0
		for j < len(line) && (line[j] == '_' || line[j] == '.' || line[j] == '-' || unicode.IsLetter(rune(line[j])) || unicode.IsDigit(rune(line[j]))) {
			j++
		}
		if j == 0 {
			continue
		}
		d.name = line[:j]
		line = line[j:]
		if q != 0 {
			if len(line) == 0 || line[0] != q {
				continue
			}
			line = line[1:]
		}
		out = append(out, d)
	}
}
