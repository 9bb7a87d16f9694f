package conda

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

func TestParseMeta(t *testing.T) {
	tests := []struct {
		file    string
		want    model.Package
		wantErr error
	}{
		{file: "zlib-1.2.13-h5eee18b_0.json", want: model.Package{ID: "zlib@1.2.13", Name: "zlib", Version: "1.2.13",
			Ecosystem: "conda", Relationship: "unknown", Licenses: []string{"Zlib"}}},
		// No "license" key: no licence.
		{file: "_openmp_mutex-5.1-1_gnu.json", want: model.Package{ID: "_openmp_mutex@5.1", Name: "_openmp_mutex",
			Version: "5.1", Ecosystem: "conda", Relationship: "unknown"}},
		{file: "noversion.json", wantErr: ErrNoPackage},
		{file: "truncated.json", wantErr: errors.New("any")},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseMeta(bytes.NewReader(data))
			if tt.wantErr != nil {
				if err == nil || (errors.Is(tt.wantErr, ErrNoPackage) && !errors.Is(err, ErrNoPackage)) {
					t.Fatalf("want error %v, got %v", tt.wantErr, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		if info, err := os.Stat(name); err != nil || info.IsDir() {
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseMeta(bytes.NewReader(data))
		if err == nil && (p.Name == "" || p.Version == "" || p.ID != p.Name+"@"+p.Version) {
			t.Fatalf("bad package %+v", p)
		}
	})
}
