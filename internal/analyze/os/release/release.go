// Package release is the OS-detection analyzer: it reads os-release and the
// distribution-specific release files and reports the OS in Result.OS.
//
// Several of these files usually exist in one image and they disagree in
// precision, so each detection carries a priority (analyze.OSInfo.Priority;
// the highest wins when results are merged):
//
//   - Debian's os-release says VERSION_ID="12" but etc/debian_version says
//     "12.15", and Trivy reports the point release, so a numeric
//     debian_version outranks os-release. Ubuntu (and Debian testing) ship a
//     codename there ("bookworm/sid"); that only counts when nothing better
//     exists, so Ubuntu's os-release or lsb-release wins.
//   - etc/alpine-release holds the full release ("3.10.4") and outranks
//     os-release's VERSION_ID, which can be shorter.
//   - The vendor files etc/centos-release, rocky-release, almalinux-release,
//     oracle-release, fedora-release give the full version ("CentOS Linux
//     release 7.9.2009") where os-release has "7", and Amazon Linux's
//     etc/system-release gives Trivy's "2 (Karoo)"; they outrank os-release.
//   - etc/redhat-release ranks below os-release: Oracle Linux's copy claims
//     to be Red Hat Enterprise Linux.
//   - etc/os-release outranks usr/lib/os-release (the former overrides the
//     latter on systemd systems), and lsb-release outranks both (Trivy uses
//     it for Ubuntu).
package release

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/parse/osrelease"
	"github.com/trawlsec/trawl/pkg/model"
)

// Priorities of the detections (see the package comment).
const (
	PriorityDebianCodename  = 5
	PriorityRedHatRelease   = 10
	PriorityUsrLibOSRelease = 20
	PriorityOSRelease       = 21
	PriorityLSBRelease      = 22
	PriorityVendorRelease   = 30
)

const version = 1

type parser func(io.Reader) (model.OS, error)

type file struct {
	parse    parser
	priority int
}

// lookup returns the parser and priority of a release file path.
func lookup(path string) (file, bool) {
	switch path {
	case "etc/os-release":
		return file{osrelease.ParseOSRelease, PriorityOSRelease}, true
	case "usr/lib/os-release":
		return file{osrelease.ParseOSRelease, PriorityUsrLibOSRelease}, true
	case "aarch64-bottlerocket-linux-gnu/sys-root/usr/lib/os-release":
		return file{osrelease.ParseOSRelease, PriorityUsrLibOSRelease}, true
	case "x86_64-bottlerocket-linux-gnu/sys-root/usr/lib/os-release":
		return file{osrelease.ParseOSRelease, PriorityUsrLibOSRelease}, true
	case "etc/lsb-release":
		return file{osrelease.ParseLSBRelease, PriorityLSBRelease}, true
	case "etc/alpine-release":
		return file{osrelease.ParseAlpineRelease, PriorityVendorRelease}, true
	case "etc/debian_version":
		return file{osrelease.ParseDebianVersion, PriorityVendorRelease}, true
	case "etc/centos-release":
		return file{osrelease.ParseRedHatRelease, PriorityVendorRelease}, true
	case "etc/rocky-release":
		return file{osrelease.ParseRedHatRelease, PriorityVendorRelease}, true
	case "etc/almalinux-release":
		return file{osrelease.ParseRedHatRelease, PriorityVendorRelease}, true
	case "etc/oracle-release":
		return file{osrelease.ParseRedHatRelease, PriorityVendorRelease}, true
	case "etc/fedora-release":
		return file{osrelease.ParseRedHatRelease, PriorityVendorRelease}, true
	case "usr/lib/fedora-release":
		return file{osrelease.ParseRedHatRelease, PriorityVendorRelease}, true
	case "etc/system-release":
		return file{osrelease.ParseSystemRelease, PriorityVendorRelease}, true
	case "etc/redhat-release":
		return file{osrelease.ParseRedHatRelease, PriorityRedHatRelease}, true
	}
	return file{}, false
}

// Analyzer detects the OS. It keeps no state.
type Analyzer struct{}

// New returns the OS-detection analyzer.
func New() *Analyzer { return &Analyzer{} }

// Name implements analyze.Analyzer.
func (*Analyzer) Name() string { return "os-release" }

// Version implements analyze.Analyzer.
func (*Analyzer) Version() int { return version }

// Required implements analyze.Analyzer: the release files listed in the
// package comment, by exact artifact-relative path.
func (*Analyzer) Required(path string, info fs.FileInfo) bool {
	if info != nil && info.IsDir() {
		return false
	}
	_, ok := lookup(path)
	return ok
}

// Analyze implements analyze.Analyzer. The Result's OS is nil when the
// file names no OS trawl knows.
func (*Analyzer) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, ok := lookup(in.Path)
	if !ok {
		return nil, fmt.Errorf("%s: not an OS release file", in.Path)
	}
	os, err := f.parse(bytes.NewReader(in.Content))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	if !os.Detected() {
		return &analyze.Result{}, nil
	}
	priority := f.priority
	if in.Path == "etc/debian_version" && !osrelease.IsPointRelease(os.Name) {
		priority = PriorityDebianCodename
	}
	return &analyze.Result{OS: &analyze.OSInfo{OS: os, Priority: priority}}, nil
}
