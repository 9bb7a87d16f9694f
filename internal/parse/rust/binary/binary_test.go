package binary

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/trawlsec/trawl/internal/testutil/elffixture"
	"github.com/trawlsec/trawl/pkg/model"
)

var update = flag.Bool("update", false, "rewrite the synthetic binaries in testdata/")

const auditJSON = `{"packages":[
{"name":"app","version":"0.1.0","source":"local","dependencies":[1,2,4],"root":true},
{"name":"serde","version":"1.0.0","source":"crates.io","dependencies":[2,3]},
{"name":"serde_derive","version":"1.0.0","source":"crates.io","kind":"build"},
{"name":"itoa","version":"1.0.0","source":"crates.io","kind":"runtime","dependencies":[99,-1]},
{"name":"log","version":"0.4.0","source":"git"}
]}`

func deflate(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestFixtures(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rewrite testdata")
	}
	files := map[string][]byte{
		"auditable.elf": elffixture.Make(SectionName, deflate(t, []byte(auditJSON)), 1024),
		"noaudit.elf":   elffixture.Make(".data", []byte("plain data"), 1024),
		"badzlib.elf":   elffixture.Make(SectionName, []byte("not zlib at all"), 1024),
		"badjson.elf":   elffixture.Make(SectionName, deflate(t, []byte(`{"packages":[{]}`)), 1024),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join("testdata", name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func rpkg(name, version, rel string, deps ...string) model.Package {
	return model.Package{ID: name + "@" + version, Name: name, Version: version, Relationship: rel, Ecosystem: "crates.io", DependsOn: deps}
}

func TestParse(t *testing.T) {
	tests := []struct {
		file    string
		want    []model.Package
		wantErr error
		anyErr  bool
	}{
		{
			file: "auditable.elf",
			want: []model.Package{
				// app is root; its build dependency serde_derive is left out.
				rpkg("app", "0.1.0", model.RelationshipRoot, "log@0.4.0", "serde@1.0.0"),
				// out-of-range dependency indices (99, -1) are ignored.
				rpkg("itoa", "1.0.0", model.RelationshipIndirect),
				rpkg("log", "0.4.0", model.RelationshipDirect),
				rpkg("serde", "1.0.0", model.RelationshipDirect, "itoa@1.0.0"),
			},
		},
		{file: "noaudit.elf", wantErr: ErrNoAuditData},
		{file: "dummy.txt", wantErr: ErrNotExecutable},
		{file: "truncated.elf", wantErr: ErrNotExecutable},
		{file: "badzlib.elf", anyErr: true},
		{file: "badjson.elf", anyErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := Parse(context.Background(), bytes.NewReader(data))
			switch {
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Parse error = %v, want %v", err, tt.wantErr)
				}
				return
			case tt.anyErr:
				if err == nil {
					t.Fatalf("Parse = %v, want an error", got)
				}
				return
			case err != nil:
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseBomb checks that a section decompressing to more than
// MaxDecompressedSize is refused without inflating it all.
func TestParseBomb(t *testing.T) {
	bomb := deflate(t, make([]byte, MaxDecompressedSize+1024))
	if len(bomb) > 64<<10 {
		t.Fatalf("bomb is %d bytes compressed", len(bomb))
	}
	_, err := Parse(context.Background(), bytes.NewReader(elffixture.Make(SectionName, bomb, 0)))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Parse error = %v, want ErrTooLarge", err)
	}
}

func TestParseCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Parse(ctx, bytes.NewReader(nil)); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pkgs, err := Parse(context.Background(), bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, p := range pkgs {
			if p.Name == "" {
				t.Fatalf("empty name in %v", pkgs)
			}
		}
	})
}
