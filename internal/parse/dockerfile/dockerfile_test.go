package dockerfile

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// brief is an instruction reduced to what the tables compare.
type brief struct {
	Cmd        string
	Flags      []string
	Value      []string
	JSON       bool
	Start, End int
}

func briefs(ins []Instruction) []brief {
	var out []brief
	for _, in := range ins {
		out = append(out, brief{in.Cmd, in.Flags, in.Value, in.JSON, in.StartLine, in.EndLine})
	}
	return out
}

func TestParse(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		meta     []brief
		stages   []string // Name|Alias
		instrs   [][]brief
		heredocs []Heredoc
	}{
		{
			name: "multi-stage with flags, exec and shell forms",
			in: `# syntax=docker/dockerfile:1
ARG GO=1.22
FROM --platform=$BUILDPLATFORM golang:${GO} AS Build
RUN --mount=type=cache,target=/root/.cache go build -o /app ./...

# final image
FROM alpine:3.20
COPY --from=build --chown=app:app /app /usr/bin/app
CMD ["/usr/bin/app", "serve"]
`,
			meta:   []brief{{"arg", nil, []string{"GO=1.22"}, false, 2, 2}},
			stages: []string{"golang:${GO} AS Build|build", "alpine:3.20|"},
			instrs: [][]brief{
				{
					{"from", []string{"--platform=$BUILDPLATFORM"}, []string{"golang:${GO}", "AS", "Build"}, false, 3, 3},
					{"run", []string{"--mount=type=cache,target=/root/.cache"}, []string{"go build -o /app ./..."}, false, 4, 4},
				},
				{
					{"from", nil, []string{"alpine:3.20"}, false, 7, 7},
					{"copy", []string{"--from=build", "--chown=app:app"}, []string{"/app", "/usr/bin/app"}, false, 8, 8},
					{"cmd", nil, []string{"/usr/bin/app", "serve"}, true, 9, 9},
				},
			},
		},
		{
			name:   "continuations with comment and blank lines inside",
			in:     "from debian:12\nRUN apt-get update && \\\n    # a comment\n    apt-get install -y curl \\\n\n    && rm -rf /var/lib/apt/lists/*\nUSER nobody\n",
			stages: []string{"debian:12|"},
			instrs: [][]brief{{
				{"from", nil, []string{"debian:12"}, false, 1, 1},
				{"run", nil, []string{"apt-get update &&     apt-get install -y curl     && rm -rf /var/lib/apt/lists/*"}, false, 2, 6},
				{"user", nil, []string{"nobody"}, false, 7, 7},
			}},
		},
		{
			name:   "escape directive: backtick continues, backslash is literal",
			in:     "# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN dir c:\\ `\n    && echo done\nWORKDIR c:\\app\n",
			stages: []string{"mcr.microsoft.com/windows/servercore|"},
			instrs: [][]brief{{
				{"from", nil, []string{"mcr.microsoft.com/windows/servercore"}, false, 2, 2},
				{"run", nil, []string{"dir c:\\     && echo done"}, false, 3, 4},
				{"workdir", nil, []string{"c:\\app"}, false, 5, 5},
			}},
		},
		{
			name:   "heredocs: two on one line, chomped, quoted",
			in:     "FROM alpine\nRUN <<EOF\napk add curl\nEOF\nCOPY <<-\"A\" /a <<'B' /b\n\tone\n\tA\ntwo\nB\nEXPOSE 22 80/tcp\n",
			stages: []string{"alpine|"},
			instrs: [][]brief{{
				{"from", nil, []string{"alpine"}, false, 1, 1},
				{"run", nil, []string{"<<EOF\napk add curl\nEOF"}, false, 2, 4},
				{"copy", nil, []string{"<<-\"A\"", "/a", "<<'B'", "/b"}, false, 5, 9},
				{"expose", nil, []string{"22", "80/tcp"}, false, 10, 10},
			}},
			heredocs: []Heredoc{{"EOF", "apk add curl\n"}, {"A", "one\n"}, {"B", "two\n"}},
		},
		{
			name:   "ENV and LABEL pairs, legacy ENV, HEALTHCHECK forms, ONBUILD",
			in:     "FROM scratch\nENV A=1 B=\"two words\"\nENV LEGACY some value\nLABEL org.opencontainers.image.title='x y'\nHEALTHCHECK --interval=5s CMD curl -f http://localhost/\nHEALTHCHECK NONE\nONBUILD RUN make\nRUN echo $((1<<2))\n",
			stages: []string{"scratch|"},
			instrs: [][]brief{{
				{"from", nil, []string{"scratch"}, false, 1, 1},
				{"env", nil, []string{"A", "1", "B", "two words"}, false, 2, 2},
				{"env", nil, []string{"LEGACY", "some value"}, false, 3, 3},
				{"label", nil, []string{"org.opencontainers.image.title", "x y"}, false, 4, 4},
				{"healthcheck", []string{"--interval=5s"}, []string{"CMD", "curl -f http://localhost/"}, false, 5, 5},
				{"healthcheck", nil, []string{"NONE"}, false, 6, 6},
				{"onbuild", nil, []string{"RUN make"}, false, 7, 7},
				{"run", nil, []string{"echo $((1<<2))"}, false, 8, 8},
			}},
		},
		{
			name:   "CRLF line endings and a BOM",
			in:     "\ufeffFROM alpine:3.20\r\nRUN echo a \\\r\n  b\r\n",
			stages: []string{"alpine:3.20|"},
			instrs: [][]brief{{
				{"from", nil, []string{"alpine:3.20"}, false, 1, 1},
				{"run", nil, []string{"echo a   b"}, false, 2, 3},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.meta, briefs(f.MetaArgs), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("meta args (-want +got):\n%s", diff)
			}
			var stages []string
			var instrs [][]brief
			var docs []Heredoc
			for i, s := range f.Stages {
				if s.Index != i {
					t.Errorf("stage %d has index %d", i, s.Index)
				}
				stages = append(stages, s.Name+"|"+s.Alias)
				instrs = append(instrs, briefs(s.Instructions))
				for _, in := range s.Instructions {
					docs = append(docs, in.Heredocs...)
				}
			}
			if diff := cmp.Diff(tt.stages, stages); diff != "" {
				t.Errorf("stages (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.instrs, instrs, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("instructions (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.heredocs, docs, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("heredocs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOriginalAndSubCmd(t *testing.T) {
	f, err := Parse([]byte("FROM alpine\nONBUILD ADD . /src\nRUN a \\\n b\n"))
	if err != nil {
		t.Fatal(err)
	}
	ins := f.Stages[0].Instructions
	if ins[1].SubCmd != "add" {
		t.Errorf("SubCmd = %q", ins[1].SubCmd)
	}
	if ins[2].Original != "RUN a  b" {
		t.Errorf("Original = %q", ins[2].Original)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		msg      string
	}{
		{"unknown instruction", "FROM a\nFROOM b\n", 2, "unknown instruction"},
		{"instruction before FROM", "# c\nRUN echo\nFROM a\n", 2, "before the first FROM"},
		{"unterminated heredoc", "FROM a\nRUN <<EOF\necho\n", 2, "unterminated heredoc"},
		{"bad escape directive", "# escape=x\nFROM a\n", 1, "invalid escape"},
		{"FROM without image", "FROM\n", 1, "requires at least one argument"},
		{"FROM with junk", "FROM a b\n", 1, "AS name"},
		{"SHELL shell form", "FROM a\nSHELL /bin/bash -c\n", 2, "JSON form"},
		{"unterminated quote", "FROM a\nENV A=\"x\n", 2, "unterminated quote"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in))
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *Error", err)
			}
			if pe.Line != tt.line || !strings.Contains(pe.Msg, tt.msg) {
				t.Errorf("err = %v, want line %d and %q", err, tt.line, tt.msg)
			}
		})
	}
}

func TestDirectivesEndAtFirstNonDirective(t *testing.T) {
	// A directive after a comment is a comment: the escape stays '\'.
	f, err := Parse([]byte("# hello\n# escape=`\nFROM a\nRUN x \\\n y\n"))
	if err != nil {
		t.Fatal(err)
	}
	if f.Escape != '\\' || f.Stages[0].Instructions[1].EndLine != 5 {
		t.Errorf("escape %q, RUN ends at %d", f.Escape, f.Stages[0].Instructions[1].EndLine)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"FROM a AS b\nRUN <<EOF\nx\nEOF\n",
		"# escape=`\nFROM a\nRUN x `\n y\n",
		"ARG X\nFROM a\nENV A=\"b c\" D=e\nCOPY --from=b [\"a\", \"b\"] \n",
		"FROM a\nRUN x \\",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data)
		if err != nil {
			return
		}
		lines := strings.Count(string(data), "\n") + 1
		for _, s := range file.Stages {
			for _, in := range s.Instructions {
				if in.StartLine < 1 || in.EndLine < in.StartLine || in.EndLine > lines {
					t.Fatalf("lines %d-%d out of 1-%d", in.StartLine, in.EndLine, lines)
				}
			}
		}
	})
}
