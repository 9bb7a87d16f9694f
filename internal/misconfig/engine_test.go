package misconfig

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/trawlsec/trawl/pkg/inventory"
	"github.com/trawlsec/trawl/pkg/model"
)

func newEngine(t *testing.T, o Options) *Engine {
	t.Helper()
	e, err := New(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func scan(t *testing.T, e *Engine, content string) *Result {
	t.Helper()
	r, err := e.Scan(context.Background(), inventory.ConfigFile{Type: TypeDockerfile, FilePath: "Dockerfile", Content: []byte(content)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func failedIDs(r *Result) []string {
	var ids []string
	for _, m := range r.Misconfigurations {
		if m.Status == model.MisconfStatusFail {
			ids = append(ids, m.ID)
		}
	}
	return slices.Compact(ids)
}

// good passes every built-in check.
const good = `FROM debian:12.6
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY app /app
EXPOSE 8080
HEALTHCHECK CMD curl -f http://localhost:8080/
USER app
CMD ["/app/serve"]
`

// TestBuiltinChecks: each built-in check fails on a Dockerfile that breaks
// its rule (and only that one: the rest is good) and passes on good.
func TestBuiltinChecks(t *testing.T) {
	e := newEngine(t, Options{})
	r := scan(t, e, good)
	if ids := failedIDs(r); len(ids) != 0 {
		t.Fatalf("good Dockerfile fails %v: %+v", ids, r.Misconfigurations)
	}
	if r.Summary.Successes != countChecks(e, TypeDockerfile) || countChecks(e, TypeDockerfile) < 9 {
		t.Errorf("summary %+v for %d checks", r.Summary, countChecks(e, TypeDockerfile))
	}
	tests := []struct {
		id, dockerfile string
		line           int // StartLine of the first failure (0: none)
	}{
		{"DS-0001", strings.Replace(good, "debian:12.6", "debian", 1), 1},
		{"DS-0001", strings.Replace(good, "debian:12.6", "debian:latest", 1), 1},
		{"DS-0002", strings.Replace(good, "USER app\n", "", 1), 0},
		{"DS-0002", strings.Replace(good, "USER app", "USER root", 1), 7},
		{"DS-0004", strings.Replace(good, "EXPOSE 8080", "EXPOSE 8080 22/tcp", 1), 5},
		{"DS-0005", strings.Replace(good, "COPY app /app", "ADD app /app", 1), 4},
		{"DS-0013", strings.Replace(good, "WORKDIR /app", "RUN cd /app && make", 1), 3},
		{"DS-0016", strings.Replace(good, "USER app", "CMD [\"a\"]\nUSER app", 1), 9},
		{"DS-0017", strings.Replace(good, "WORKDIR /app", "RUN apt-get update", 1), 3},
		{"DS-0026", strings.Replace(good, "HEALTHCHECK CMD curl -f http://localhost:8080/\n", "", 1), 0},
		{"DS-0029", strings.Replace(good, " --no-install-recommends", "", 1), 2},
		{"DS-0009", strings.Replace(good, "WORKDIR /app", "WORKDIR app", 1), 3},
		{"DS-0010", strings.Replace(good, "RUN apt-get update", "RUN sudo apt-get update", 1), 2},
		{"DS-0021", strings.Replace(good, "install -y", "install", 1), 2},
		{"DS-0022", strings.Replace(good, "USER app", "MAINTAINER me\nUSER app", 1), 7},
		{"DS-0031", strings.Replace(good, "USER app", "ENV API_TOKEN=abc123\nUSER app", 1), 7},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			r := scan(t, e, tt.dockerfile)
			if diff := cmp.Diff([]string{tt.id}, failedIDs(r)); diff != "" {
				t.Fatalf("failed checks (-want +got):\n%s\n%s", diff, tt.dockerfile)
			}
			m := r.Misconfigurations[0]
			if m.CauseMetadata.StartLine != tt.line {
				t.Errorf("StartLine = %d, want %d", m.CauseMetadata.StartLine, tt.line)
			}
			if tt.line > 0 && (len(m.CauseMetadata.Code.Lines) == 0 || m.CauseMetadata.Code.Lines[0].Number != tt.line) {
				t.Errorf("code lines %+v", m.CauseMetadata.Code.Lines)
			}
			pkg := "DS" + strings.TrimPrefix(tt.id, "DS-0") // DS-0013 → package DS013
			if m.AVDID != "AVD-"+tt.id || m.Namespace != "builtin.dockerfile."+pkg ||
				m.Query != "data.builtin.dockerfile."+pkg+".deny" || m.Title == "" || m.Description == "" ||
				m.Resolution == "" || m.Message == "" || m.Type != "Dockerfile Security Check" ||
				m.PrimaryURL != "https://avd.aquasec.com/misconfig/"+strings.ToLower(tt.id) || m.CauseMetadata.Provider != "Dockerfile" {
				t.Errorf("entry %+v", m)
			}
			if r.Summary.Failures == 0 || r.Summary.Successes != countChecks(e, TypeDockerfile)-1 {
				t.Errorf("summary %+v", r.Summary)
			}
		})
	}
}

// TestPrimaryURL: only built-in checks with an AVD ID link to
// avd.aquasec.com; trawl's own checks (TRL-*, no AVD ID) and user checks
// link to their first related resource, or to nothing.
func TestPrimaryURL(t *testing.T) {
	refs := []string{"https://example.com/rule", "https://example.com/more"}
	for _, tt := range []struct {
		name     string
		check    Check
		url      string
		wantRefs []string
	}{
		{"built-in with AVD ID", Check{ID: "DS-0002", AVDID: "AVD-DS-0002", Package: "builtin.dockerfile.DS002", References: refs},
			"https://avd.aquasec.com/misconfig/ds-0002", append(slices.Clone(refs), "https://avd.aquasec.com/misconfig/ds-0002")},
		{"own check without AVD ID", Check{ID: "TRL-DS-0001", Package: "builtin.dockerfile.TRLDS001", References: refs},
			refs[0], refs},
		{"own check without references", Check{ID: "TRL-DS-0009", Package: "builtin.dockerfile.TRLDS009"}, "", nil},
		{"user check with AVD ID", Check{ID: "ID001", AVDID: "AVD-ID-001", Package: "user.docker.ID001"}, "", nil},
		{"user check with references", Check{ID: "ID002", Package: "user.docker.ID002", References: refs}, refs[0], refs},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.check.misconf(TypeDockerfile)
			if m.PrimaryURL != tt.url {
				t.Errorf("PrimaryURL = %q, want %q", m.PrimaryURL, tt.url)
			}
			if diff := cmp.Diff(tt.wantRefs, m.References, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("References (-want +got):\n%s", diff)
			}
		})
	}

	// Every built-in check: an AVD link exactly when it has an AVD ID.
	e := newEngine(t, Options{})
	var own int
	for _, c := range e.Checks() {
		m := c.misconf(TypeDockerfile)
		avd := strings.HasPrefix(m.PrimaryURL, "https://avd.aquasec.com/")
		if avd != (c.AVDID != "") {
			t.Errorf("%s (AVD ID %q): PrimaryURL %q", c.ID, c.AVDID, m.PrimaryURL)
		}
		if strings.HasPrefix(c.ID, "TRL-") {
			own++
			if c.AVDID != "" || m.PrimaryURL == "" || m.PrimaryURL != c.References[0] {
				t.Errorf("own check %s: AVD ID %q, PrimaryURL %q, references %v", c.ID, c.AVDID, m.PrimaryURL, c.References)
			}
		}
	}
	if own == 0 {
		t.Error("no TRL-* built-in check")
	}
}

// TestCheckEdges: cases each check must not flag.
func TestCheckEdges(t *testing.T) {
	e := newEngine(t, Options{})
	for _, tt := range []struct{ name, add string }{
		{"FROM an earlier stage, scratch and a digest", "FROM golang:1.22 AS build\nRUN go build\nFROM build AS test\nFROM scratch\nFROM alpine@sha256:0123\nUSER app\nHEALTHCHECK NONE\n"},
		{"ADD of a tar archive", "ADD rootfs.tar.gz /\n"},
		{"update with install in the same RUN", "RUN apk update && apk add --no-cache curl\n"},
		{"cd as part of another word", "RUN cdrecord --help\n"},
		{"two CMDs in two stages", "FROM alpine:3.20 AS x\nCMD b\nUSER app\nHEALTHCHECK NONE\n"},
		{"USER root then a user", "USER root\nRUN id\nUSER 1000:1000\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			df := good + tt.add
			r := scan(t, e, df)
			if ids := failedIDs(r); len(ids) != 0 {
				t.Errorf("fails %v on\n%s", ids, df)
			}
		})
	}
}

func TestIncludeNonFailures(t *testing.T) {
	e := newEngine(t, Options{IncludeNonFailures: true})
	r := scan(t, e, strings.Replace(good, "USER app\n", "", 1))
	var pass, fail int
	for _, m := range r.Misconfigurations {
		switch m.Status {
		case model.MisconfStatusPass:
			pass++
		case model.MisconfStatusFail:
			fail++
		}
	}
	if fail != 1 || pass != countChecks(e, TypeDockerfile)-1 || r.Summary.Successes != pass {
		t.Errorf("pass %d fail %d summary %+v", pass, fail, r.Summary)
	}
}

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const userMeta = `# METADATA
# title: Deny the alpine base image
# description: Alpine is not allowed here.
# schemas:
#   - input: schema["dockerfile"]
# custom:
#   id: ID001
#   avd_id: AVD-ID-001
#   severity: CRITICAL
#   recommended_actions: Use debian.
#   input:
#     selector:
#     - type: dockerfile
`

// TestUserChecks: custom checks in Trivy's format, in Rego v0 and v1
// syntax, with result.new causes, data files and namespaces.
func TestUserChecks(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "checks/v0.rego", userMeta+`package user.docker.ID001

deny[res] {
	from := input.Stages[_].Commands[_]
	from.Cmd == "from"
	startswith(from.Value[0], "alpine")
	res := result.new(sprintf("base image %s is not allowed", [from.Value[0]]), from)
}
`)
	write(t, dir, "checks/sub/v1.rego", strings.ReplaceAll(userMeta, "ID001", "ID002")+`package user.docker.ID002

import data.lib.docker

deny contains msg if {
	some run in docker.run
	some bad in data.denied_commands
	contains(run.Value[0], bad)
	msg := {"msg": sprintf("%s is denied", [bad]), "startline": run.StartLine, "endline": run.EndLine}
}
`)
	write(t, dir, "checks/other.rego", `package custom.ns.ID003

warn contains "always" if { true }
`)
	write(t, dir, "checks/lib_test.rego", "this is not rego")
	data := write(t, dir, "data/commands.yaml", "denied_commands: [wget]\n")

	df := "FROM debian:12\nFROM alpine:3.20 AS x\nRUN apk add curl && \\\n  wget http://x\nUSER a\nHEALTHCHECK NONE\n"
	for _, tt := range []struct {
		name       string
		namespaces []string
		want       map[string][2]int
	}{
		{"user namespace by default", nil, map[string][2]int{"ID001": {2, 2}, "ID002": {3, 4}}},
		{"extra namespace", []string{"custom"}, map[string][2]int{"ID001": {2, 2}, "ID002": {3, 4}, "ID003": {0, 0}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEngine(t, Options{CheckPaths: []string{filepath.Join(dir, "checks")}, DataPaths: []string{data}, Namespaces: tt.namespaces})
			r := scan(t, e, df)
			got := map[string][2]int{}
			for _, m := range r.Misconfigurations {
				if strings.HasPrefix(m.ID, "DS") {
					continue
				}
				got[m.ID] = [2]int{m.CauseMetadata.StartLine, m.CauseMetadata.EndLine}
				if m.ID == "ID001" && (m.Severity != "CRITICAL" || m.Title != "Deny the alpine base image" ||
					m.Resolution != "Use debian." || m.AVDID != "AVD-ID-001" || m.Message != "base image alpine:3.20 is not allowed" || m.PrimaryURL != "") {
					t.Errorf("ID001 entry %+v", m)
				}
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("user findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBadChecks(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		name, file, content, want string
	}{
		{"syntax error", "bad.rego", "package user.x\n\ndeny contains msg if {\n  msg := \n}\n", "bad.rego:5"},
		{"compile error", "undef.rego", "package user.y\n\ndeny contains msg if {\n  msg := undefined_fn(1)\n}\n", "undef.rego:4"},
		{"builtin namespace", "steal.rego", "package builtin.dockerfile.DS999\n\ndeny contains \"x\" if { true }\n", "reserved builtin namespace"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := write(t, dir, tt.name+"/"+tt.file, tt.content)
			_, err := New(context.Background(), Options{CheckPaths: []string{p}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to name %q", err, tt.want)
			}
		})
	}
	if _, err := New(context.Background(), Options{DataPaths: []string{write(t, dir, "d.json", "{")}}); err == nil || !strings.Contains(err.Error(), "d.json") {
		t.Errorf("bad data: err = %v", err)
	}
}

func TestUnparsableDockerfile(t *testing.T) {
	e := newEngine(t, Options{})
	_, err := e.Scan(context.Background(), inventory.ConfigFile{Type: TypeDockerfile, FilePath: "sub/Dockerfile", Content: []byte("FROM a\nBOGUS x\n")})
	if err == nil || !strings.Contains(err.Error(), "sub/Dockerfile: line 2") {
		t.Errorf("err = %v", err)
	}
}

// TestCancelledEvaluation: a check that would run for hours is cut when
// the context ends (as --timeout does).
func TestCancelledEvaluation(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "slow.rego", `package user.slow

deny contains "never" if {
	some i in numbers.range(1, 200000)
	some j in numbers.range(1, 200000)
	i == j + 1000000
}
`)
	e := newEngine(t, Options{CheckPaths: []string{p}})
	ctx, cancel := context.WithCancel(context.Background())
	go cancel()
	if _, err := e.Scan(ctx, inventory.ConfigFile{Type: TypeDockerfile, FilePath: "Dockerfile", Content: []byte(good)}); err == nil {
		t.Error("no error on a cancelled context")
	}
}

// countChecks is the number of checks that select typ.
func countChecks(e *Engine, typ string) int {
	n := 0
	for _, c := range e.Checks() {
		if c.selects(typ) {
			n++
		}
	}
	return n
}
