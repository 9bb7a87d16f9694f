package report

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

func TestFormatsDispatch(t *testing.T) {
	for _, f := range Formats {
		opts := testOptions()
		opts.Template = "{{ len . }}"
		var buf bytes.Buffer
		if err := Write(&buf, f, testReport(), opts); err != nil {
			t.Errorf("Write(%s): %v", f, err)
		}
		if buf.Len() == 0 {
			t.Errorf("Write(%s) wrote nothing", f)
		}
	}
	if err := Write(&bytes.Buffer{}, "nope", testReport(), Options{}); err == nil {
		t.Errorf("unknown format accepted")
	}
}

func TestOSTargetPath(t *testing.T) {
	tests := []struct {
		target string
		image  bool
		want   string
	}{
		{"alpine:3.19 (alpine 3.19.1)", true, "library/alpine"},
		{"docker.io/library/debian:12 (debian 12.5)", true, "library/debian"},
		{"registry.example.com:5000/team/app@sha256:abcd (debian 12.5)", true, "team/app"},
		{"localhost/app:dev (alpine 3.20)", true, "library/app"},
		{"rootfs (debian 12.5)", false, "rootfs"},
	}
	for _, tc := range tests {
		if got := osTargetPath(tc.target, tc.image); got != tc.want {
			t.Errorf("osTargetPath(%q) = %q, want %q", tc.target, got, tc.want)
		}
	}
}

func TestImagePURL(t *testing.T) {
	r := &model.Report{ArtifactName: "debian:12", ArtifactType: model.ArtifactContainerImage,
		Metadata: model.Metadata{ImageID: "sha256:abc"}}
	if got, want := imagePURL(r), "pkg:oci/debian@sha256%3Aabc?repository_url=debian"; got != want {
		t.Errorf("imagePURL = %q, want %q", got, want)
	}
	r.Metadata.RepoDigests = []string{"index.docker.io/library/debian@sha256:def"}
	if got, want := imagePURL(r), "pkg:oci/debian@sha256%3Adef?repository_url=index.docker.io%2Flibrary%2Fdebian"; got != want {
		t.Errorf("imagePURL = %q, want %q", got, want)
	}
	r.ArtifactType = model.ArtifactFilesystem
	if got := imagePURL(r); got != "" {
		t.Errorf("imagePURL of a filesystem = %q", got)
	}
	r = &model.Report{ArtifactName: "debian:12", ArtifactType: model.ArtifactContainerImage}
	if got := imagePURL(r); got != "" {
		t.Errorf("imagePURL without a digest = %q", got)
	}
}

func TestCycloneDXLicenses(t *testing.T) {
	tests := []struct {
		in   []string
		want cdx.Licenses
	}{
		{nil, nil},
		{[]string{"MIT"}, cdx.Licenses{{License: &cdx.License{ID: "MIT"}}}},
		// Listed ids, normalised (Debian's spellings), one entry each.
		{[]string{"GPL-2+", "BSD-3-clause", "Expat"}, cdx.Licenses{{License: &cdx.License{ID: "GPL-2.0-or-later"}},
			{License: &cdx.License{ID: "BSD-3-Clause"}}, {License: &cdx.License{ID: "MIT"}}}},
		// Repeats of one expression are one licence.
		{[]string{"MIT", "Expat", " MIT "}, cdx.Licenses{{License: &cdx.License{ID: "MIT"}}}},
		// A licence that is not SPDX: names, ids stay ids.
		{[]string{"GPL-2+", "Foo License"}, cdx.Licenses{{License: &cdx.License{ID: "GPL-2.0-or-later"}}, {License: &cdx.License{Name: "Foo License"}}}},
		{[]string{"MIT OR Apache-2.0"}, cdx.Licenses{{Expression: "MIT OR Apache-2.0"}}},
		// DEP-5 and rpm expressions become SPDX expressions.
		{[]string{"GPL-1+ or Artistic"}, cdx.Licenses{{Expression: "GPL-1.0-or-later OR Artistic-1.0-Perl"}}},
		{[]string{"ASL 2.0 and MIT"}, cdx.Licenses{{Expression: "Apache-2.0 AND MIT"}}},
		{[]string{"(MIT OR Apache-2.0)", "BSD-3-Clause"}, cdx.Licenses{{Expression: "(MIT OR Apache-2.0) AND BSD-3-Clause"}}},
		{[]string{"GPL-2.0-or-later WITH Classpath-exception-2.0"}, cdx.Licenses{{Expression: "GPL-2.0-or-later WITH Classpath-exception-2.0"}}},
		{[]string{"GPL-3+ with Bison exception"}, cdx.Licenses{{Expression: "GPL-3.0-or-later WITH Bison-exception-2.2"}}},
		// "+" is no listed id: an expression.
		{[]string{"Apache-2.0+"}, cdx.Licenses{{Expression: "Apache-2.0+"}}},
		// A LicenseRef- is no license.id: an expression.
		{[]string{"public-domain"}, cdx.Licenses{{Expression: "LicenseRef-Public-Domain"}}},
		// An expression beside a licence that is not SPDX: names.
		{[]string{"MIT OR", "MIT"}, cdx.Licenses{{License: &cdx.License{Name: "MIT OR"}}, {License: &cdx.License{ID: "MIT"}}}},
		{[]string{"GPL-2+ or MIT", "Foo"}, cdx.Licenses{{License: &cdx.License{Name: "GPL-2.0-or-later OR MIT"}}, {License: &cdx.License{Name: "Foo"}}}},
		{[]string{"public-domain", "Foo"}, cdx.Licenses{{License: &cdx.License{Name: "public-domain"}}, {License: &cdx.License{Name: "Foo"}}}},
	}
	for _, tc := range tests {
		got := cdxLicenses(tc.in)
		var g cdx.Licenses
		if got != nil {
			g = *got
		}
		if diff := cmp.Diff(tc.want, g); diff != "" {
			t.Errorf("cdxLicenses(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestSPDXLicenseExpression(t *testing.T) {
	tests := []struct {
		in   []string
		want string
		refs []string
	}{
		{nil, "NOASSERTION", nil},
		{[]string{"MIT"}, "MIT", nil},
		{[]string{"MIT", "MIT"}, "MIT", nil},
		{[]string{"Expat", "MIT"}, "MIT", nil},
		// Debian's spellings, normalised.
		{[]string{"GPL-2", "Artistic"}, "GPL-2.0-only AND Artistic-1.0-Perl", nil},
		{[]string{"GPL-1+ or Artistic, and BSD-4-clause"}, "(GPL-1.0-or-later OR Artistic-1.0-Perl) AND BSD-4-Clause", nil},
		{[]string{"MIT OR Apache-2.0"}, "MIT OR Apache-2.0", nil},
		{[]string{"MIT OR Apache-2.0", "ISC"}, "(MIT OR Apache-2.0) AND ISC", nil},
		// Not SPDX: a LicenseRef- with the text as written.
		{[]string{"Some/Weird Licence!"}, "LicenseRef-Some-Weird-Licence", []string{"LicenseRef-Some-Weird-Licence"}},
		{[]string{"GPL-2+", "permissive-fsf"}, "GPL-2.0-or-later AND LicenseRef-permissive-fsf", []string{"LicenseRef-permissive-fsf"}},
		// A LicenseRef- the normaliser uses is declared too.
		{[]string{"public-domain"}, "LicenseRef-Public-Domain", []string{"LicenseRef-Public-Domain"}},
	}
	for _, tc := range tests {
		b := &spdxBuilder{extracted: map[string]string{}}
		if got := b.licenseExpression(tc.in); got != tc.want {
			t.Errorf("licenseExpression(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if diff := cmp.Diff(tc.refs, sortedKeys(b.extracted)); len(tc.refs)+len(b.extracted) > 0 && diff != "" {
			t.Errorf("licenseExpression(%q) extracted (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestTemplateFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "junit.tpl")
	tpl := `<testsuites>{{ range . }}<testsuite name="{{ .Target | escapeXML }}" tests="{{ len .Vulnerabilities }}"/>{{ end }}</testsuites>`
	if err := os.WriteFile(path, []byte(tpl), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &model.Report{Results: []model.Result{{Target: "a<b>&c", Vulnerabilities: []model.Vulnerability{{VulnerabilityID: "X"}}}}}
	var buf bytes.Buffer
	if err := WriteTemplate(&buf, r, Options{Template: "@" + path}); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), `<testsuites><testsuite name="a&lt;b&gt;&amp;c" tests="1"/></testsuites>`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestTemplateErrors(t *testing.T) {
	r := testReport()
	if err := WriteTemplate(&bytes.Buffer{}, r, Options{}); !errors.Is(err, ErrNoTemplate) {
		t.Errorf("no template: %v", err)
	}
	for _, spec := range []string{"@missing.tpl", "@file.txt", "{{ .Nope", "{{ .NoSuchField }}"} {
		if err := WriteTemplate(&bytes.Buffer{}, r, Options{Template: spec}); err == nil {
			t.Errorf("template %q: no error", spec)
		}
	}
}

func TestTemplateHelpers(t *testing.T) {
	r := testReport()
	tpl := `{{ "a" | endWithPeriod }}|{{ "b." | endWithPeriod }}|{{ toUpper "x" }}|{{ join "," (list "a" "b") }}|` +
		`{{ contains "ell" "hello" }}|{{ hasPrefix "he" "hello" }}|{{ replace "l" "L" "hello" }}|{{ appVersion }}|` +
		`{{ (dict "k" 1).k }}|{{ toJson (list 1 "x") }}|{{ escapeString "a\"b" }}|{{ default "d" "" }}`
	var buf bytes.Buffer
	if err := WriteTemplate(&buf, r, Options{Template: tpl, AppVersion: "1.0"}); err != nil {
		t.Fatal(err)
	}
	want := `a.|b.|X|a,b|true|true|heLLo|1.0|1|[1,"x"]|a\"b|d`
	if got := buf.String(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestGitHubSkipsUnsubmittable(t *testing.T) {
	r := &model.Report{Results: []model.Result{{
		Target: "go.mod", Class: model.ClassLangPkg, Type: model.TypeGoModule,
		Packages: []model.Package{
			{ID: "example.com/m", Name: "example.com/m", Relationship: model.RelationshipRoot, Identifier: model.Identifier{PURL: "pkg:golang/example.com/m"}},
			{ID: "nopurl@1", Name: "nopurl", Version: "1"},
			{ID: "x@1", Name: "x", Version: "1", Identifier: model.Identifier{PURL: "pkg:golang/x@1"}},
		},
	}}}
	var buf bytes.Buffer
	if err := WriteGitHub(&buf, r, Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "nopurl") || strings.Contains(out, `"pkg:golang/example.com/m"`) || !strings.Contains(out, `"pkg:golang/x@1"`) {
		t.Errorf("unexpected snapshot:\n%s", out)
	}
}

// TestTemplateSprig: templates written for Trivy call sprig functions
// (splitList, b64enc, semverCompare, trunc, uniq…) and they work; env and
// expandenv read only the Getenv the caller gives; getHostByName (a DNS
// lookup) is not available; now is the report's time.
func TestTemplateSprig(t *testing.T) {
	r := testReport()
	tpl := `{{ index (splitList " " "a b") 1 }}|{{ b64enc "hi" }}|{{ semverCompare ">=1.2" "1.3.0" }}|{{ trunc 3 "abcdef" }}|` +
		`{{ list 1 1 2 | uniq | len }}|{{ env "HOME" }}{{ env "X" }}|{{ expandenv "${X}-$HOME" }}|{{ now.Year }}`
	var buf bytes.Buffer
	getenv := func(k string) string {
		if k == "X" {
			return "x"
		}
		return ""
	}
	if err := WriteTemplate(&buf, r, Options{Template: tpl, Getenv: getenv}); err != nil {
		t.Fatal(err)
	}
	want := "b|aGk=|true|abc|2|x|x-|2026"
	if got := buf.String(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	err := WriteTemplate(&buf, r, Options{Template: `{{ getHostByName "example.com" }}`})
	if err == nil || !strings.Contains(err.Error(), `"getHostByName" not defined`) {
		t.Errorf("getHostByName: %v", err)
	}
}
