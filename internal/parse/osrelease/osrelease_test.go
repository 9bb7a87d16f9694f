package osrelease

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/pkg/model"
)

func TestParsers(t *testing.T) {
	type parser func(io.Reader) (model.OS, error)
	tests := []struct {
		file  string
		parse parser
		want  model.OS
	}{
		{"os-release-debian12", ParseOSRelease, model.OS{Family: model.FamilyDebian, Name: "12"}},
		{"os-release-ubuntu2204", ParseOSRelease, model.OS{Family: model.FamilyUbuntu, Name: "22.04"}},
		{"os-release-ol", ParseOSRelease, model.OS{Family: model.FamilyOracle, Name: "8.10"}},
		{"os-release-unknown", ParseOSRelease, model.OS{}},
		{"os-release-no-version", ParseOSRelease, model.OS{}},
		{"alpine-release", ParseAlpineRelease, model.OS{Family: model.FamilyAlpine, Name: "3.10.4"}},
		{"debian_version", ParseDebianVersion, model.OS{Family: model.FamilyDebian, Name: "12.15"}},
		{"debian_version-ubuntu", ParseDebianVersion, model.OS{Family: model.FamilyDebian, Name: "bookworm/sid"}},
		{"centos-release", ParseRedHatRelease, model.OS{Family: model.FamilyCentOS, Name: "7.9.2009"}},
		{"centos-stream-release", ParseRedHatRelease, model.OS{Family: model.FamilyCentOS, Name: "8"}},
		{"redhat-release", ParseRedHatRelease, model.OS{Family: model.FamilyRedHat, Name: "8.6"}},
		{"rocky-release", ParseRedHatRelease, model.OS{Family: model.FamilyRocky, Name: "9.3"}},
		{"fedora-release", ParseRedHatRelease, model.OS{Family: model.FamilyFedora, Name: "35"}},
		{"oracle-release", ParseRedHatRelease, model.OS{Family: model.FamilyOracle, Name: "8.10"}},
		{"redhat-release-garbage", ParseRedHatRelease, model.OS{}},
		{"system-release-al2", ParseSystemRelease, model.OS{Family: model.FamilyAmazon, Name: "2 (Karoo)"}},
		{"system-release-al1", ParseSystemRelease, model.OS{Family: model.FamilyAmazon, Name: "AMI release 2018.03"}},
		{"system-release-fedora", ParseSystemRelease, model.OS{}},
		{"lsb-release", ParseLSBRelease, model.OS{Family: model.FamilyUbuntu, Name: "18.04"}},
		{"lsb-release-mint", ParseLSBRelease, model.OS{}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := tt.parse(f)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestIsPointRelease(t *testing.T) {
	for v, want := range map[string]bool{"12.15": true, "9": true, "bookworm/sid": false, "": false, "12.x": false} {
		if got := IsPointRelease(v); got != want {
			t.Errorf("IsPointRelease(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestEmptyAndBinaryInput(t *testing.T) {
	parsers := map[string]func(io.Reader) (model.OS, error){
		"os-release": ParseOSRelease, "lsb": ParseLSBRelease, "alpine": ParseAlpineRelease,
		"debian": ParseDebianVersion, "redhat": ParseRedHatRelease, "system": ParseSystemRelease,
	}
	for name, p := range parsers {
		for _, in := range []string{"", "\x00\x01\x02", "\n\n"} {
			got, err := p(strings.NewReader(in))
			if err != nil {
				t.Errorf("%s(%q): %v", name, in, err)
			}
			if got.Family != "" {
				t.Errorf("%s(%q) = %+v, want no OS", name, in, got)
			}
		}
	}
	// A line longer than maxLine is an error, not a silent truncation.
	if _, err := ParseOSRelease(strings.NewReader(strings.Repeat("x", maxLine+1))); err == nil {
		t.Error("ParseOSRelease of an over-long line succeeded, want error")
	}
}

func FuzzParseOSRelease(f *testing.F) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("testdata", e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, p := range []func(io.Reader) (model.OS, error){
			ParseOSRelease, ParseLSBRelease, ParseAlpineRelease,
			ParseDebianVersion, ParseRedHatRelease, ParseSystemRelease,
		} {
			got, err := p(bytes.NewReader(data))
			if err != nil {
				continue
			}
			if (got.Family == "") != (got.Name == "") {
				t.Fatalf("half-detected OS %+v", got)
			}
		}
	})
}
