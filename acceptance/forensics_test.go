package acceptance

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/model"
)

// TestForensicsDebianImage: --scanners forensics on the corpus Debian
// image reports what is really there (corpus README, section 2b): the
// setuid/setgid binaries of the Debian base, each with its package; the Go
// binary and the npm project's scripts that layer 2 added outside any
// package, the binary with the SHA-256 the README gives; no miner or other
// marker, nothing HIGH or CRITICAL (no account or persistence changes).
// The image config's red flags that are true of it: no USER (runs as
// root, MEDIUM) and an entrypoint, app/bin/goapp, no package owns (LOW);
// no remote fetch, no admin port, nothing deleted.
func TestForensicsDebianImage(t *testing.T) {
	tarball := corpus(t, "images", "debian12-app.tar")
	r := scanJSON(t, "image", "--input", tarball, "--scanners", "forensics")
	var res *model.Result
	for i := range r.Results {
		if r.Results[i].Class == model.ClassForensics {
			res = &r.Results[i]
		}
	}
	if res == nil || len(r.Metadata.DiffIDs) != 3 {
		t.Fatalf("no forensics result (diffIDs %v)", r.Metadata.DiffIDs)
	}
	base, app := r.Metadata.DiffIDs[0], r.Metadata.DiffIDs[1]
	var special, unowned, hardening []string
	var goapp *model.ForensicFinding
	var config []string
	for i, f := range res.Findings {
		switch {
		case f.Severity == "HIGH" || f.Severity == "CRITICAL":
			t.Errorf("%s %s: %s %s", f.Severity, f.ID, f.Path, f.Message)
		case strings.HasPrefix(f.ID, "FOR-MARKER-"), strings.HasPrefix(f.ID, "FOR-ACCOUNT-"), strings.HasPrefix(f.ID, "FOR-PERSIST-"):
			t.Errorf("unexpected %s on %s: %s", f.ID, f.Path, f.Message)
		case f.ID == "FOR-PERM-SETUID" || f.ID == "FOR-PERM-SETGID":
			if f.Layer.DiffID != base || f.Package == "" || f.Package == "none" {
				t.Errorf("%s %s: layer %s package %q", f.ID, f.Path, f.Layer.DiffID, f.Package)
			}
			special = append(special, f.Path+" "+f.Package)
		case f.ID == "FOR-HARDEN-BUILD-TOOL" || f.ID == "FOR-HARDEN-NET-TOOL" || f.ID == "FOR-HARDEN-DEBUG-TOOL" || f.ID == "FOR-HARDEN-EOL":
			// Allowed, LOW (MEDIUM for the end of life, which bookworm
			// reaches in 2028); the minbase ships none of the tools.
			if f.Severity != "LOW" && f.ID != "FOR-HARDEN-EOL" {
				t.Errorf("%s %s: severity %s", f.ID, f.Package, f.Severity)
			}
			hardening = append(hardening, f.ID+" "+f.Path+" "+f.Package)
		case f.ID == "FOR-HARDEN-SHELL" || f.ID == "FOR-HARDEN-PKG-MANAGER":
			if f.Severity != "LOW" || f.Deleted {
				t.Errorf("%s %s: severity %s deleted %v", f.ID, f.Path, f.Severity, f.Deleted)
			}
			hardening = append(hardening, f.ID+" "+f.Path+" "+f.Package)
		case f.ID == "FOR-EXEC-UNOWNED":
			if f.Layer.DiffID != app || f.Package != "none" || f.Deleted {
				t.Errorf("%s %s: layer %s package %q deleted %v", f.ID, f.Path, f.Layer.DiffID, f.Package, f.Deleted)
			}
			unowned = append(unowned, f.Path)
			if f.Path == "app/bin/goapp" {
				goapp = &res.Findings[i]
			}
		case f.ID == "FOR-CONFIG-ROOT" && f.Severity == "MEDIUM" && f.Path == "",
			f.ID == "FOR-CONFIG-ENTRYPOINT-UNOWNED" && f.Severity == "LOW" && f.Path == "app/bin/goapp" && f.Layer.DiffID == app:
			config = append(config, f.ID)
		default:
			t.Errorf("unexpected %s %s on %s", f.Severity, f.ID, f.Path)
		}
	}
	if want := []string{"FOR-CONFIG-ROOT", "FOR-CONFIG-ENTRYPOINT-UNOWNED"}; !slices.Equal(config, want) {
		t.Errorf("image config findings %v, want %v", config, want)
	}
	// The setuid/setgid files of a bookworm minbase, by owner (merged /usr:
	// dpkg lists some as /bin/…).
	for _, want := range []string{"usr/bin/passwd passwd", "usr/bin/su util-linux", "usr/bin/mount mount", "usr/bin/umount mount", "usr/bin/newgrp login", "usr/sbin/unix_chkpwd libpam-modules-bin"} {
		if !slices.Contains(special, want) {
			t.Errorf("setuid/setgid %q not reported; got %v", want, special)
		}
	}
	// A bookworm minbase keeps its shells and package managers (CIS 4.3).
	for _, want := range []string{"FOR-HARDEN-SHELL usr/bin/bash bash", "FOR-HARDEN-SHELL usr/bin/dash dash", "FOR-HARDEN-PKG-MANAGER usr/bin/apt-get apt", "FOR-HARDEN-PKG-MANAGER usr/bin/dpkg dpkg"} {
		if !slices.Contains(hardening, want) {
			t.Errorf("hardening %q not reported; got %v", want, hardening)
		}
	}
	if goapp == nil {
		t.Fatalf("app/bin/goapp not reported as unowned; unowned: %v", unowned)
	}
	if goapp.SHA256 != "fe25a59d23a7c30d6ca5b5c3d2f9c5c6b9740ed1be4fae743252dd0ea254e3fa" || goapp.Severity != "MEDIUM" || goapp.Mode == "" {
		t.Errorf("goapp finding: %+v", goapp)
	}
	for _, p := range unowned {
		if !strings.HasPrefix(p, "app/") {
			t.Errorf("unowned executable outside the app: %s", p)
		}
	}
	// Deterministic: the same scan gives the same findings.
	again := scanJSON(t, "image", "--input", tarball, "--scanners", "forensics")
	for _, rr := range again.Results {
		if rr.Class == model.ClassForensics {
			if diff := cmp.Diff(ids(res.Findings), ids(rr.Findings)); diff != "" {
				t.Errorf("second scan differs:\n%s", diff)
			}
		}
	}
}

func ids(fs []model.ForensicFinding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.ID+" "+f.Path+" "+f.SHA256)
	}
	return out
}

// TestForensicsAlpineBases: the clean Alpine bases of the corpus give no
// HIGH or CRITICAL forensics finding — only the hardening advice (a shell,
// a package manager, an end-of-life release) and that they run as root.
func TestForensicsAlpineBases(t *testing.T) {
	for _, name := range []string{"alpine-310.tar.gz", "alpine-311.tar.gz"} {
		r := scanJSON(t, "image", "--input", corpus(t, "images", name), "--scanners", "forensics")
		var got []string
		for _, res := range r.Results {
			for _, f := range res.Findings {
				if f.Severity == "HIGH" || f.Severity == "CRITICAL" {
					t.Errorf("%s: %s %s %s", name, f.Severity, f.ID, f.Path)
				}
				got = append(got, f.ID+" "+f.Path)
			}
		}
		slices.Sort(got)
		want := []string{"FOR-CONFIG-ROOT ", "FOR-HARDEN-EOL ", "FOR-HARDEN-PKG-MANAGER sbin/apk", "FOR-HARDEN-SHELL bin/busybox"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s findings (-want +got):\n%s", name, diff)
		}
	}
}
