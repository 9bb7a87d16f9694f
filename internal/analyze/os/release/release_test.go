package release

import (
	"context"
	"testing"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/model"
)

var _ analyze.Analyzer = New()

const (
	debianOSRelease = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_ID=\"12\"\nID=debian\n"
	ubuntuOSRelease = "NAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nID=ubuntu\nID_LIKE=debian\n"
	alpineOSRelease = "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.10\n"
	oracleOSRelease = "NAME=\"Oracle Linux Server\"\nID=\"ol\"\nVERSION_ID=\"7.9\"\n"
)

func TestRequired(t *testing.T) {
	a := New()
	for path, want := range map[string]bool{
		"etc/os-release":        true,
		"usr/lib/os-release":    true,
		"etc/alpine-release":    true,
		"etc/debian_version":    true,
		"etc/redhat-release":    true,
		"etc/centos-release":    true,
		"etc/fedora-release":    true,
		"etc/lsb-release":       true,
		"/etc/os-release":       false, // paths are relative
		"foo/etc/os-release":    false,
		"etc/os-release.d/x":    false,
		"var/lib/dpkg/status":   false,
		"etc/debian_version.gz": false,
	} {
		if got := a.Required(path, nil); got != want {
			t.Errorf("Required(%q) = %v, want %v", path, got, want)
		}
	}
}

func TestAnalyze(t *testing.T) {
	tests := []struct {
		path    string
		content string
		want    *analyze.OSInfo
	}{
		{"etc/os-release", debianOSRelease, &analyze.OSInfo{OS: model.OS{Family: "debian", Name: "12"}, Priority: PriorityOSRelease}},
		{"usr/lib/os-release", debianOSRelease, &analyze.OSInfo{OS: model.OS{Family: "debian", Name: "12"}, Priority: PriorityUsrLibOSRelease}},
		{"etc/debian_version", "12.15\n", &analyze.OSInfo{OS: model.OS{Family: "debian", Name: "12.15"}, Priority: PriorityVendorRelease}},
		{"etc/debian_version", "bookworm/sid\n", &analyze.OSInfo{OS: model.OS{Family: "debian", Name: "bookworm/sid"}, Priority: PriorityDebianCodename}},
		{"etc/alpine-release", "3.10.4\n", &analyze.OSInfo{OS: model.OS{Family: "alpine", Name: "3.10.4"}, Priority: PriorityVendorRelease}},
		{"etc/centos-release", "CentOS Linux release 7.9.2009 (Core)\n", &analyze.OSInfo{OS: model.OS{Family: "centos", Name: "7.9.2009"}, Priority: PriorityVendorRelease}},
		{"etc/redhat-release", "Red Hat Enterprise Linux Server release 7.9 (Maipo)\n", &analyze.OSInfo{OS: model.OS{Family: "redhat", Name: "7.9"}, Priority: PriorityRedHatRelease}},
		{"etc/lsb-release", "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\n", &analyze.OSInfo{OS: model.OS{Family: "ubuntu", Name: "22.04"}, Priority: PriorityLSBRelease}},
		{"etc/os-release", "ID=linuxmint\nVERSION_ID=21\n", nil},
		{"etc/os-release", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.path+"/"+tt.content, func(t *testing.T) {
			res, err := New().Analyze(context.Background(), analyze.Input{Path: tt.path, Content: []byte(tt.content)})
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == nil {
				if res != nil && res.OS != nil {
					t.Fatalf("got OS %+v, want none", res.OS)
				}
				return
			}
			if res == nil || res.OS == nil {
				t.Fatalf("got no OS, want %+v", tt.want)
			}
			if *res.OS != *tt.want {
				t.Errorf("got %+v, want %+v", *res.OS, *tt.want)
			}
		})
	}
}

// TestMergePriorities checks that merging the detections of a whole image
// gives the OS Trivy reports, whatever order the files come in.
func TestMergePriorities(t *testing.T) {
	type file struct{ path, content string }
	tests := []struct {
		name  string
		files []file
		want  model.OS
	}{
		{
			name: "debian point release beats os-release",
			files: []file{
				{"etc/os-release", debianOSRelease},
				{"usr/lib/os-release", debianOSRelease},
				{"etc/debian_version", "12.15\n"},
			},
			want: model.OS{Family: "debian", Name: "12.15"},
		},
		{
			name: "ubuntu's debian_version codename loses",
			files: []file{
				{"etc/debian_version", "bookworm/sid\n"},
				{"etc/os-release", ubuntuOSRelease},
				{"etc/lsb-release", "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\n"},
			},
			want: model.OS{Family: "ubuntu", Name: "22.04"},
		},
		{
			name: "alpine-release beats a shorter VERSION_ID",
			files: []file{
				{"etc/alpine-release", "3.10.4\n"},
				{"etc/os-release", alpineOSRelease},
			},
			want: model.OS{Family: "alpine", Name: "3.10.4"},
		},
		{
			name: "oracle's redhat-release does not win",
			files: []file{
				{"etc/redhat-release", "Red Hat Enterprise Linux Server release 7.9 (Maipo)\n"},
				{"etc/os-release", oracleOSRelease},
				{"etc/oracle-release", "Oracle Linux Server release 7.9\n"},
			},
			want: model.OS{Family: "oracle", Name: "7.9"},
		},
		{
			name: "centos-release gives the full version",
			files: []file{
				{"etc/os-release", "ID=\"centos\"\nVERSION_ID=\"7\"\n"},
				{"etc/centos-release", "CentOS Linux release 7.9.2009 (Core)\n"},
				{"etc/redhat-release", "CentOS Linux release 7.9.2009 (Core)\n"},
			},
			want: model.OS{Family: "centos", Name: "7.9.2009"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Forward and reverse order must agree.
			for _, reverse := range []bool{false, true} {
				var merged analyze.Result
				for i := range tt.files {
					f := tt.files[i]
					if reverse {
						f = tt.files[len(tt.files)-1-i]
					}
					res, err := New().Analyze(context.Background(), analyze.Input{Path: f.path, Content: []byte(f.content)})
					if err != nil {
						t.Fatal(err)
					}
					merged.Merge(res)
				}
				if merged.OS == nil || merged.OS.OS != tt.want {
					t.Errorf("reverse=%v: merged OS = %+v, want %+v", reverse, merged.OS, tt.want)
				}
			}
		})
	}
}

func TestAnalyzeCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := New().Analyze(ctx, analyze.Input{Path: "etc/os-release", Content: []byte(debianOSRelease)}); err == nil {
		t.Error("Analyze with a cancelled context succeeded")
	}
}
