package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/trawlsec/trawl/pkg/inventory"
	"github.com/trawlsec/trawl/pkg/model"
)

// ScannerForensics is the forensics scanner: what the layers of an image
// (or a root filesystem) added that a responder should look at.
const ScannerForensics = "forensics"

// Categories of forensics findings.
const (
	forensicAccounts    = "accounts"
	forensicPersistence = "persistence"
	forensicPermissions = "permissions"
	forensicExecutables = "executables"
	forensicMarkers     = "markers"
	forensicHardening   = "hardening"
	forensicDeleted     = "deleted"
	forensicConfig      = "config"
)

// ForensicIDs are the IDs of every forensics finding (docs/forensics.md
// describes each); compliance specs may name them.
var ForensicIDs = []string{
	"FOR-ACCOUNT-EMPTY-PASSWORD", "FOR-ACCOUNT-SHELL", "FOR-ACCOUNT-UID0",
	"FOR-CONFIG-ADMIN-PORT", "FOR-CONFIG-ENTRYPOINT-UNOWNED", "FOR-CONFIG-ENTRYPOINT-WRITABLE",
	"FOR-CONFIG-REMOTE-FETCH", "FOR-CONFIG-ROOT",
	"FOR-DELETED-FILE", "FOR-EXEC-UNOWNED",
	"FOR-HARDEN-BUILD-TOOL", "FOR-HARDEN-DEBUG-TOOL", "FOR-HARDEN-EOL", "FOR-HARDEN-NET-TOOL",
	"FOR-HARDEN-PKG-MANAGER", "FOR-HARDEN-SHELL",
	"FOR-MARKER-DOWNLOAD-EXEC", "FOR-MARKER-MINER", "FOR-MARKER-REVSHELL",
	"FOR-PERM-DEVICE", "FOR-PERM-SETGID", "FOR-PERM-SETUID", "FOR-PERM-WORLD-WRITABLE", "FOR-PERM-WORLD-WRITABLE-DIR",
	"FOR-PERSIST-CRON", "FOR-PERSIST-INIT", "FOR-PERSIST-LD-PRELOAD", "FOR-PERSIST-PROFILE",
	"FOR-PERSIST-SHELL-RC", "FOR-PERSIST-SSH-KEY", "FOR-PERSIST-SYSTEMD",
}

// hardeningTools are executables a minimal runtime image does not need:
// package managers (they let an intruder install tools) and shells (they
// run whatever an intruder types). Keys are base names found in a bin
// directory (bin, sbin, usr/bin, usr/sbin, usr/local/bin).
var hardeningTools = map[string]struct{ id, what string }{
	"apt": {"FOR-HARDEN-PKG-MANAGER", "package manager"}, "apt-get": {"FOR-HARDEN-PKG-MANAGER", "package manager"},
	"dpkg": {"FOR-HARDEN-PKG-MANAGER", "package manager"}, "apk": {"FOR-HARDEN-PKG-MANAGER", "package manager"},
	"yum": {"FOR-HARDEN-PKG-MANAGER", "package manager"}, "dnf": {"FOR-HARDEN-PKG-MANAGER", "package manager"},
	"dnf5": {"FOR-HARDEN-PKG-MANAGER", "package manager"}, "microdnf": {"FOR-HARDEN-PKG-MANAGER", "package manager"},
	"rpm": {"FOR-HARDEN-PKG-MANAGER", "package manager"}, "zypper": {"FOR-HARDEN-PKG-MANAGER", "package manager"},
	"tdnf": {"FOR-HARDEN-PKG-MANAGER", "package manager"}, "pacman": {"FOR-HARDEN-PKG-MANAGER", "package manager"},
	"pip": {"FOR-HARDEN-PKG-MANAGER", "package manager"}, "pip3": {"FOR-HARDEN-PKG-MANAGER", "package manager"},
	"sh": {"FOR-HARDEN-SHELL", "shell"}, "bash": {"FOR-HARDEN-SHELL", "shell"}, "dash": {"FOR-HARDEN-SHELL", "shell"},
	"ash": {"FOR-HARDEN-SHELL", "shell"}, "zsh": {"FOR-HARDEN-SHELL", "shell"}, "ksh": {"FOR-HARDEN-SHELL", "shell"},
	"mksh": {"FOR-HARDEN-SHELL", "shell"}, "busybox": {"FOR-HARDEN-SHELL", "shell (busybox)"},
}

// hardeningTool returns the hardening entry of an executable path, if it
// is one of hardeningTools in a bin directory.
func hardeningTool(p string) (id, what string, ok bool) {
	dir, base := p[:strings.LastIndexByte(p, '/')+1], p[strings.LastIndexByte(p, '/')+1:]
	switch dir {
	case "bin/", "sbin/", "usr/bin/", "usr/sbin/", "usr/local/bin/", "usr/local/sbin/":
	default:
		return "", "", false
	}
	t, ok := hardeningTools[base]
	return t.id, t.what, ok
}

// persistenceIDs maps a persistence kind to its finding ID, severity and
// title; anywhere marks kinds reported even in the base layer (a base
// image has no business shipping them).
var persistenceIDs = map[string]struct {
	id, severity, title string
	anywhere            bool
}{
	inventory.PersistCron:          {"FOR-PERSIST-CRON", "MEDIUM", "Cron entry", false},
	inventory.PersistAuthorizedKey: {"FOR-PERSIST-SSH-KEY", "HIGH", "SSH authorized_keys", true},
	inventory.PersistLDPreload:     {"FOR-PERSIST-LD-PRELOAD", "HIGH", "Library preloaded into every process (etc/ld.so.preload)", true},
	inventory.PersistSystemd:       {"FOR-PERSIST-SYSTEMD", "MEDIUM", "systemd unit", false},
	inventory.PersistInit:          {"FOR-PERSIST-INIT", "MEDIUM", "Init script", false},
	inventory.PersistProfile:       {"FOR-PERSIST-PROFILE", "LOW", "Login profile script", false},
	inventory.PersistShellRC:       {"FOR-PERSIST-SHELL-RC", "LOW", "Shell startup file", false},
}

// markerIDs maps a marker class to its finding ID, severity and title.
var markerIDs = map[string]struct{ id, severity, title string }{
	inventory.MarkerMiner:        {"FOR-MARKER-MINER", "CRITICAL", "Cryptocurrency miner marker"},
	inventory.MarkerReverseShell: {"FOR-MARKER-REVSHELL", "CRITICAL", "Reverse shell one-liner"},
	inventory.MarkerDownloadExec: {"FOR-MARKER-DOWNLOAD-EXEC", "HIGH", "Cron entry piping a download into a shell"},
}

// forensicsDetector turns the forensic facts of the analysis into
// findings, comparing every layer with the first (the base).
type forensicsDetector struct{}

func (forensicsDetector) Scanner() string { return ScannerForensics }

func (forensicsDetector) Detect(_ context.Context, o *Options, a *Analysis, rep *model.Report) error {
	findings := forensicFindings(a.Inventory.Forensics, rep.Metadata.DiffIDs)
	var raw []byte
	if rep.ArtifactType == model.ArtifactContainerImage && rep.Metadata.ImageConfig != nil {
		var err error
		if raw, err = json.Marshal(rep.Metadata.ImageConfig); err != nil {
			return fmt.Errorf("forensics: image config: %w", err)
		}
		found, err := configFindings(raw, rep.Metadata.Layers, a.Inventory.Forensics)
		if err != nil {
			return fmt.Errorf("forensics: image config: %w", err)
		}
		findings = append(findings, found...)
	}
	findings = append(findings, hardeningFindings(a.Inventory, rep, o != nil && detectorOn(vulnerabilities{}, o))...)
	var layers []model.ForensicLayer
	if rep.ArtifactType == model.ArtifactContainerImage && len(rep.Metadata.Layers) > 0 {
		var err error
		if layers, err = timeline(raw, rep.Metadata.Layers, a.Inventory.Layers); err != nil {
			return fmt.Errorf("forensics: image config: %w", err)
		}
	}
	if len(findings) > 0 || len(layers) > 0 {
		rep.Results = append(rep.Results, model.Result{Target: rep.ArtifactName, Class: model.ClassForensics, Findings: findings, Timeline: layers})
	}
	return nil
}

// forensicFindings compares the facts of each layer with those of the
// first layer of diffIDs (the base). Facts of a layer not in diffIDs (a
// root filesystem's single pseudo-layer) count as the base. A finding is
// reported once, in the first layer it appears in; findings come layer by
// layer, then by path.
func forensicFindings(facts []inventory.ForensicFact, diffIDs []string) []model.ForensicFinding {
	index := map[string]int{}
	for i, d := range diffIDs {
		index[d] = i
	}
	type at struct {
		inventory.ForensicFact
		layer int
	}
	ordered := make([]at, len(facts))
	for i, f := range facts {
		ordered[i] = at{f, index[f.Layer.DiffID]}
	}
	// Layer by layer, file by file; the facts of one file keep their
	// order (the walker's order of files is not deterministic).
	sort.SliceStable(ordered, func(i, j int) bool {
		if ordered[i].layer != ordered[j].layer {
			return ordered[i].layer < ordered[j].layer
		}
		return ordered[i].FilePath < ordered[j].FilePath
	})

	// What the base layer holds.
	baseFile := map[string]string{} // persistence file -> SHA-256
	baseUser := map[string]inventory.Account{}
	for _, f := range ordered {
		if f.layer != 0 {
			break
		}
		switch {
		case f.Kind == inventory.FactPersistence:
			baseFile[f.FilePath] = f.SHA256
		case f.Kind == inventory.FactPasswd && f.Account != nil:
			baseUser[f.Account.Name] = *f.Account
		}
	}

	var out []model.ForensicFinding
	seen := map[string]bool{}
	// emit reports a finding once per ID and key; pkg is the Package
	// evidence ("" when not relevant).
	emit := func(f at, key, id, category, severity, title, message, pkg string) {
		if seen[id+"\x00"+key] {
			return
		}
		seen[id+"\x00"+key] = true
		ff := model.ForensicFinding{
			ID: id, Category: category, Severity: severity, Title: title, Message: message,
			Path: f.FilePath, Layer: f.Layer, Deleted: f.Deleted,
			UID: f.UID, GID: f.GID, Size: f.Size, SHA256: f.SHA256, Package: pkg,
		}
		if f.Mode != 0 {
			ff.Mode = lsMode(f.Mode)
		}
		out = append(out, ff)
	}
	where := func(f at) string {
		if f.layer == 0 {
			return "in the base layer"
		}
		return "after the base layer"
	}
	for _, f := range ordered {
		switch f.Kind {
		case inventory.FactPasswd:
			acc := f.Account
			if acc == nil {
				continue
			}
			if acc.UID == 0 && acc.Name != "root" {
				emit(f, acc.Name, "FOR-ACCOUNT-UID0", forensicAccounts, "CRITICAL", "Account with uid 0 other than root",
					fmt.Sprintf("account %q has uid 0 (root privileges), %s", acc.Name, where(f)), "")
			}
			if base, ok := baseUser[acc.Name]; f.layer > 0 && loginShell(acc.Shell) && (!ok || !loginShell(base.Shell)) {
				what := "added"
				if ok {
					what = fmt.Sprintf("given a login shell (was %s)", base.Shell)
				}
				emit(f, acc.Name+"\x00"+acc.Shell, "FOR-ACCOUNT-SHELL", forensicAccounts, "MEDIUM", "Account with a login shell added after the base layer",
					fmt.Sprintf("account %q (uid %d) %s with login shell %s", acc.Name, acc.UID, what, acc.Shell), "")
			}
		case inventory.FactShadow:
			if f.Account != nil && f.Account.Password == inventory.PasswordEmpty {
				emit(f, f.Account.Name, "FOR-ACCOUNT-EMPTY-PASSWORD", forensicAccounts, "HIGH", "Account with an empty password",
					fmt.Sprintf("account %q has an empty password in etc/shadow (anyone may log in as it), %s", f.Account.Name, where(f)), "")
			}
		case inventory.FactPersistence:
			p, ok := persistenceIDs[f.Detail]
			if !ok {
				continue
			}
			baseSum, inBase := baseFile[f.FilePath]
			if f.layer == 0 && !p.anywhere || f.layer > 0 && inBase && baseSum == f.SHA256 {
				continue
			}
			msg := fmt.Sprintf("%s %s %s", f.Detail, f.FilePath, where(f))
			if f.layer > 0 {
				msg = fmt.Sprintf("%s %s added after the base layer", f.Detail, f.FilePath)
				if inBase {
					msg = fmt.Sprintf("%s %s changed after the base layer", f.Detail, f.FilePath)
				}
			}
			emit(f, f.FilePath+"\x00"+f.SHA256, p.id, forensicPersistence, p.severity, p.title, msg, "")
		case inventory.FactSpecialMode:
			for _, bit := range []struct {
				mode     fs.FileMode
				id, name string
			}{{fs.ModeSetuid, "FOR-PERM-SETUID", "setuid"}, {fs.ModeSetgid, "FOR-PERM-SETGID", "setgid"}} {
				if f.Mode&bit.mode == 0 {
					continue
				}
				sev, owner := "LOW", "owned by package "+f.Package
				if f.Package == "" {
					sev, owner = "HIGH", "owned by no package"
				}
				emit(f, f.FilePath+"\x00"+f.SHA256, bit.id, forensicPermissions, sev, "File with the "+bit.name+" bit",
					fmt.Sprintf("%s is %s, %s", f.FilePath, bit.name, owner), packageOrNone(f.Package))
			}
		case inventory.FactWorldWritable:
			emit(f, f.FilePath+"\x00"+f.SHA256, "FOR-PERM-WORLD-WRITABLE", forensicPermissions, "MEDIUM", "World-writable file",
				fmt.Sprintf("%s may be written by any user, %s", f.FilePath, where(f)), packageOrNone(f.Package))
		case inventory.FactDevice:
			emit(f, f.FilePath, "FOR-PERM-DEVICE", forensicPermissions, "HIGH", "Device node outside dev/",
				fmt.Sprintf("%s is a %s device node outside dev/, %s: with access to it a process reads or writes the device directly (a classic container escape aid)", f.FilePath, f.Detail, where(f)), packageOrNone(f.Package))
		case inventory.FactWorldWritableDir:
			emit(f, f.FilePath, "FOR-PERM-WORLD-WRITABLE-DIR", forensicPermissions, "MEDIUM", "World-writable directory without the sticky bit",
				fmt.Sprintf("%s may be written by any user and has no sticky bit (anyone may delete or replace the files of others in it), %s", f.FilePath, where(f)), packageOrNone(f.Package))
		case inventory.FactArtifact:
			deletedFile(f.ForensicFact, f.layer, func(sev, msg string) {
				emit(f, f.FilePath+"\x00"+f.SHA256, "FOR-DELETED-FILE", forensicDeleted, sev, deletedTitle, msg, "none")
			})
		case inventory.FactExecutable:
			deletedFile(f.ForensicFact, f.layer, func(sev, msg string) {
				emit(f, f.FilePath+"\x00"+f.SHA256, "FOR-DELETED-FILE", forensicDeleted, sev, deletedTitle, msg, "none")
			})
			if id, what, ok := hardeningTool(f.FilePath); ok && !f.Deleted {
				emit(f, f.FilePath, id, forensicHardening, "LOW", "Final image ships a "+what,
					fmt.Sprintf("%s (%s) is in the final filesystem; a runtime image needs no %s (CIS Docker 4.3)", f.FilePath, what, what), packageOrNone(f.Package))
			}
			if f.layer == 0 || f.Package != "" || packageDatabaseFile(f.FilePath) {
				continue
			}
			sev, what := "MEDIUM", "ELF executable"
			if f.Detail != "elf" {
				sev, what = "LOW", "executable file"
			}
			emit(f, f.FilePath+"\x00"+f.SHA256, "FOR-EXEC-UNOWNED", forensicExecutables, sev, "Executable owned by no package",
				fmt.Sprintf("%s %s added after the base layer is owned by no package manager (dpkg, apk, rpm)", what, f.FilePath), "none")
		case inventory.FactMarker:
			m, ok := markerIDs[f.Detail]
			if !ok {
				continue
			}
			loc := f.FilePath
			if f.Line > 0 {
				loc = fmt.Sprintf("%s:%d", f.FilePath, f.Line)
			}
			emit(f, f.FilePath+"\x00"+f.SHA256, m.id, forensicMarkers, m.severity, m.title,
				fmt.Sprintf("marker %s matches at %s", f.Match, loc), "")
		}
	}
	return out
}

const deletedTitle = "File deleted by a later layer, still in the image"

// deletedFile reports, through emit, a file a layer after the base added
// and a later layer deleted or overwrote: an executable, a script, an
// archive or a key no package of the final filesystem owns. Its content
// is still in the layer that added it (docker save, then that layer's
// tar), which a responder wants to recover: an intruder's tool removed to
// hide it. MEDIUM for ELF executables and keys, LOW for the others.
func deletedFile(f inventory.ForensicFact, layer int, emit func(severity, message string)) {
	if layer == 0 || !f.Deleted || f.Package != "" {
		return
	}
	sev, what := "LOW", f.Detail
	switch {
	case f.Kind == inventory.FactExecutable && f.Detail == "elf":
		sev, what = "MEDIUM", "ELF executable"
	case f.Kind == inventory.FactExecutable:
		what = "executable script"
	case f.Detail == "key":
		sev = "MEDIUM"
	}
	emit(sev, fmt.Sprintf("%s %s (%d bytes, sha256 %s) was deleted or overwritten by a later layer; its content is still in this layer", what, f.FilePath, f.Size, f.SHA256))
}

// packageDatabaseFile reports files of a package manager's own database
// (dpkg's maintainer scripts): no package lists them, the package manager
// wrote them.
func packageDatabaseFile(p string) bool {
	return strings.HasPrefix(p, "var/lib/dpkg/info/")
}

func packageOrNone(p string) string {
	if p == "" {
		return "none"
	}
	return p
}

// loginShell reports whether shell lets an account log in.
func loginShell(shell string) bool {
	if shell == "" {
		return false
	}
	switch shell[strings.LastIndexByte(shell, '/')+1:] {
	case "nologin", "false", "sync", "halt", "shutdown", "true":
		return false
	}
	return true
}

// lsMode is the mode as ls -l shows it ("-rwsr-xr-x").
func lsMode(m fs.FileMode) string {
	b := []byte("-rwxrwxrwx")
	switch {
	case m.IsDir():
		b[0] = 'd'
	case m&fs.ModeCharDevice != 0:
		b[0] = 'c'
	case m&fs.ModeDevice != 0:
		b[0] = 'b'
	case m&fs.ModeNamedPipe != 0:
		b[0] = 'p'
	}
	for i := range 9 {
		if m&(1<<uint(8-i)) == 0 {
			b[i+1] = '-'
		}
	}
	special := func(i int, set bool, lower, upper byte) {
		if !set {
			return
		}
		if b[i] == 'x' {
			b[i] = lower
		} else {
			b[i] = upper
		}
	}
	special(3, m&fs.ModeSetuid != 0, 's', 'S')
	special(6, m&fs.ModeSetgid != 0, 's', 'S')
	special(9, m&fs.ModeSticky != 0, 't', 'T')
	return string(b)
}
