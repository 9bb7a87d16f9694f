package packaging

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/parse/python/pypi"
	"github.com/trawlsec/trawl/pkg/model"
)

func TestParse(t *testing.T) {
	pkg := func(name, version string, lic ...string) model.Package {
		return model.Package{ID: pypi.Normalize(name) + "@" + version, Name: name, Version: version, Ecosystem: "PyPI", Licenses: lic}
	}
	tests := []struct {
		file    string
		want    model.Package
		wantErr bool
	}{
		// Name normalised per PEP 503; License wins over classifiers.
		{file: "requests.METADATA", want: pkg("Requests_Toolbelt", "1.0.0", "Apache 2.0")},
		// License-Expression wins over License.
		{file: "expr.METADATA", want: pkg("iniconfig", "2.0.0", "MIT OR Apache-2.0")},
		// UNKNOWN licence: classifiers, last segment, the bare
		// "OSI Approved" skipped; the blank continuation line inside
		// Description does not end the header.
		{file: "classifiers.PKG-INFO", want: pkg("zope.interface", "5.4.0", "Zope Public License", "Public Domain")},
		// CRLF; a multi-line License is licence text, not a name.
		{file: "multiline-license.METADATA", want: pkg("crlf", "0.1")},
		// Blank line inside a header-form Description: the
		// classifier after it still counts.
		{file: "blank-in-description.PKG-INFO", want: pkg("setuptools", "51.3.3", "MIT License")},
		{file: "no-version.METADATA", wantErr: true},
		{file: "invalid.METADATA", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := Parse(bytes.NewReader(data))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseEdge(t *testing.T) {
	for _, in := range []string{"", "\n\n", "  indented: first\n", "Name x\n"} {
		if _, err := Parse(strings.NewReader(in)); err == nil {
			t.Errorf("Parse(%q): want error", in)
		}
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(bytes.NewReader(data))
		if err == nil && (p.Name == "" || p.Version == "" || p.ID != pypi.Normalize(p.Name)+"@"+p.Version) {
			t.Fatalf("bad package %+v", p)
		}
	})
}
