// Package forensics is the analyzer of the forensics scanner. For every
// layer it records facts, never verdicts: the entries of the account files
// (etc/passwd, etc/shadow, etc/group), persistence files (cron, SSH
// authorized_keys, ld.so.preload, systemd units, init scripts, profile and
// shell rc files), setuid/setgid and world-writable files, executables
// with their SHA-256, archives, keys and scripts by name (recoverable when
// a later layer deletes them), and content marker hits (markers.txt). Detection
// (internal/app) compares the layers and decides what to report.
//
// The analyzer is pure: Required looks at the path and the mode only (the
// tar header's mode reaches it), Analyze reads the file it is handed.
// Content checks read at most the first MaxContent bytes; executables too
// large for memory come through Input.ReaderAt and are hashed from it.
package forensics

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/pkg/inventory"
)

const version = 3

// MaxContent is how much of a file the content checks (account parsing,
// markers) read.
const MaxContent = 1 << 20

// maxRandomAccess is the largest executable hashed through a ReaderAt.
const maxRandomAccess = 2 << 30

const (
	passwdFile = "etc/passwd"
	shadowFile = "etc/shadow"
	groupFile  = "etc/group"
)

// Analyzer records forensic facts. It keeps no state.
type Analyzer struct{}

// New returns the forensics analyzer.
func New() *Analyzer { return &Analyzer{} }

// Name implements analyze.Analyzer.
func (*Analyzer) Name() string { return "forensics" }

// Version implements analyze.Analyzer.
func (*Analyzer) Version() int { return version }

// MaxRandomAccessSize implements analyze.RandomAccess: executables over
// the walker's in-memory cap are still hashed.
func (*Analyzer) MaxRandomAccessSize() int64 { return maxRandomAccess }

// Required implements analyze.Analyzer: account and persistence files,
// and regular files with an execute, setuid, setgid or (outside the
// temporary directories) world-write bit.
func (*Analyzer) Required(p string, info fs.FileInfo) bool {
	if info != nil && !info.Mode().IsRegular() {
		return false
	}
	if accountKind(p) != "" || persistence(p) != "" || artifact(p) != "" || packageDB(p) != "" {
		return true
	}
	if info == nil {
		return false
	}
	m := info.Mode()
	return m&0o111 != 0 || m&(fs.ModeSetuid|fs.ModeSetgid) != 0 || worldWritable(p, m)
}

func accountKind(p string) string {
	switch p {
	case passwdFile:
		return inventory.FactPasswd
	case shadowFile:
		return inventory.FactShadow
	case groupFile:
		return inventory.FactGroup
	}
	return ""
}

// persistence returns the kind of persistence file p is, or "".
func persistence(p string) string {
	dir, base := path.Split(p)
	switch {
	case strings.HasPrefix(p, "etc/cron"), strings.HasPrefix(p, "var/spool/cron/"):
		return inventory.PersistCron
	case base == "authorized_keys" || base == "authorized_keys2":
		return inventory.PersistAuthorizedKey
	case p == "etc/ld.so.preload":
		return inventory.PersistLDPreload
	case strings.HasPrefix(p, "etc/systemd/system/"):
		return inventory.PersistSystemd
	case dir == "etc/init.d/", p == "etc/rc.local":
		return inventory.PersistInit
	case dir == "etc/profile.d/", p == "etc/profile":
		return inventory.PersistProfile
	case p == "etc/bash.bashrc", p == "etc/zsh/zshrc":
		return inventory.PersistShellRC
	}
	switch base {
	case ".bashrc", ".profile", ".bash_profile", ".bash_login", ".zshrc":
		if dir == "root/" || (strings.HasPrefix(dir, "home/") && strings.Count(dir, "/") == 2) {
			return inventory.PersistShellRC
		}
	}
	return ""
}

// artifact names the kind of file p is by its name among those worth
// recovering when a later layer deletes them (an attacker's tool, a
// dropped key): archives, private keys and shell scripts; "" for others.
// Compressed single files (.gz: man pages, changelogs) and Java archives
// (.jar, analysed as packages) are left out to keep the list short.
func artifact(p string) string {
	base := strings.ToLower(path.Base(p))
	for _, ext := range []string{".tar", ".tgz", ".tar.gz", ".tar.xz", ".tar.bz2", ".tar.zst", ".zip", ".7z", ".rar"} {
		if strings.HasSuffix(base, ext) {
			return "archive"
		}
	}
	for _, ext := range []string{".pem", ".key", ".p12", ".pfx", ".jks", ".keystore"} {
		if strings.HasSuffix(base, ext) {
			return "key"
		}
	}
	switch base {
	case "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519":
		return "key"
	}
	if strings.HasSuffix(base, ".sh") {
		return "script"
	}
	return ""
}

// worldWritable reports a world-writable mode outside the directories
// meant for it.
func worldWritable(p string, m fs.FileMode) bool {
	if m&0o002 == 0 {
		return false
	}
	for _, d := range []string{"tmp/", "var/tmp/", "dev/shm/"} {
		if strings.HasPrefix(p, d) {
			return false
		}
	}
	return true
}

// Analyze implements analyze.Analyzer.
func (a *Analyzer) Analyze(ctx context.Context, in analyze.Input) (*analyze.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("forensics of %s: %w", in.Path, err)
	}
	ra, size := in.View()
	head := in.Content
	if int64(len(head)) > MaxContent || head == nil {
		n := min(size, MaxContent)
		head = make([]byte, n)
		if _, err := ra.ReadAt(head, 0); err != nil && err != io.EOF {
			return nil, fmt.Errorf("forensics of %s: %w", in.Path, err)
		}
	}
	var mode fs.FileMode
	if in.Info != nil {
		mode = in.Info.Mode()
	}
	file := inventory.ForensicFact{FilePath: in.Path, Mode: mode, Size: size}
	if in.Info != nil {
		if h, ok := in.Info.Sys().(*tar.Header); ok {
			uid, gid := h.Uid, h.Gid
			file.UID, file.GID = &uid, &gid
		}
	}

	res := &analyze.Result{}
	add := func(kind, detail string) {
		f := file
		f.Kind, f.Detail = kind, detail
		res.Forensics = append(res.Forensics, f)
	}
	if kind := accountKind(in.Path); kind != "" {
		accounts, bad := parseAccounts(kind, head)
		for _, acc := range accounts {
			f := file
			f.Kind, f.Account = kind, &acc
			res.Forensics = append(res.Forensics, f)
		}
		if bad > 0 {
			res.Warnings = append(res.Warnings, analyze.FileNote{Path: in.Path, Analyzer: a.Name(), Reason: fmt.Sprintf("%d malformed lines skipped", bad)})
		}
	}
	if db := packageDB(in.Path); db != "" {
		content := in.Content
		if content == nil {
			content = head // over the in-memory cap: what the head holds
		}
		for _, ps := range packageSizes(db, content) {
			f := file
			f.Kind, f.Detail, f.Size = inventory.FactPackageSize, ps.name, ps.size
			res.Forensics = append(res.Forensics, f)
		}
	}
	elf := bytes.HasPrefix(head, []byte("\x7fELF"))
	persist := persistence(in.Path)
	if persist != "" {
		add(inventory.FactPersistence, persist)
	}
	if kind := artifact(in.Path); kind != "" {
		add(inventory.FactArtifact, kind)
	}
	if mode&(fs.ModeSetuid|fs.ModeSetgid) != 0 {
		add(inventory.FactSpecialMode, "")
	}
	if worldWritable(in.Path, mode) {
		add(inventory.FactWorldWritable, "")
	}
	if elf || mode&0o111 != 0 {
		detail := "script"
		if elf {
			detail = "elf"
		}
		add(inventory.FactExecutable, detail)
	}
	for _, m := range builtinMarkers {
		switch {
		case m.scope == scopeScript && elf, m.scope == scopeCron && persist != inventory.PersistCron:
			continue
		}
		loc := m.re.FindIndex(head)
		if loc == nil {
			continue
		}
		f := file
		f.Kind, f.Detail, f.Match = inventory.FactMarker, m.class, m.name
		if !elf {
			f.Line = bytes.Count(head[:loc[0]], []byte("\n")) + 1
		}
		res.Forensics = append(res.Forensics, f)
	}

	// Every fact but account entries carries the file's hash, so that
	// detection tells a changed file from one rewritten unchanged.
	needHash := false
	for _, f := range res.Forensics {
		if f.Account == nil && f.Kind != inventory.FactPackageSize {
			needHash = true
		}
	}
	if needHash {
		h := sha256.New()
		if _, err := io.Copy(h, io.NewSectionReader(ra, 0, size)); err != nil {
			return nil, fmt.Errorf("forensics of %s: hashing: %w", in.Path, err)
		}
		sum := hex.EncodeToString(h.Sum(nil))
		for i := range res.Forensics {
			if res.Forensics[i].Account == nil && res.Forensics[i].Kind != inventory.FactPackageSize {
				res.Forensics[i].SHA256 = sum
			}
		}
	}
	return res, nil
}

// packageDB names the OS package database whose installed sizes the
// hardening advice reports: "dpkg" or "apk"; "" for other files.
func packageDB(p string) string {
	switch p {
	case "var/lib/dpkg/status":
		return "dpkg"
	case "lib/apk/db/installed":
		return "apk"
	}
	return ""
}

type packageSize struct {
	name string
	size int64
}

// packageSizes reads the installed size of each package of a dpkg status
// file (Installed-Size, in KiB) or an apk database (I:, in bytes);
// packages without one are left out.
func packageSizes(db string, content []byte) []packageSize {
	var out []packageSize
	var name string
	var size int64
	flush := func() {
		if name != "" && size > 0 {
			out = append(out, packageSize{name, size})
		}
		name, size = "", 0
	}
	for line := range strings.SplitSeq(string(content), "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" {
			flush()
			continue
		}
		switch db {
		case "dpkg":
			if v, ok := strings.CutPrefix(line, "Package: "); ok {
				name = strings.TrimSpace(v)
			} else if v, ok := strings.CutPrefix(line, "Installed-Size: "); ok {
				if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && n > 0 && n < 1<<40 {
					size = n * 1024
				}
			}
		case "apk":
			if v, ok := strings.CutPrefix(line, "P:"); ok {
				name = v
			} else if v, ok := strings.CutPrefix(line, "I:"); ok {
				if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
					size = n
				}
			}
		}
	}
	flush()
	return out
}

// parseAccounts reads the entries of an account file; bad counts the
// lines that are not entries of its format.
func parseAccounts(kind string, content []byte) (out []inventory.Account, bad int) {
	sc := bufio.NewScanner(bytes.NewReader(content))
	sc.Buffer(make([]byte, 0, 4096), MaxContent)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, ":")
		switch kind {
		case inventory.FactPasswd:
			if len(f) != 7 {
				bad++
				continue
			}
			uid, err1 := strconv.Atoi(f[2])
			gid, err2 := strconv.Atoi(f[3])
			if f[0] == "" || err1 != nil || err2 != nil {
				bad++
				continue
			}
			out = append(out, inventory.Account{Name: f[0], UID: uid, GID: gid, Home: f[5], Shell: f[6]})
		case inventory.FactShadow:
			if len(f) < 2 || f[0] == "" {
				bad++
				continue
			}
			out = append(out, inventory.Account{Name: f[0], Password: passwordState(f[1])})
		case inventory.FactGroup:
			if len(f) != 4 {
				bad++
				continue
			}
			gid, err := strconv.Atoi(f[2])
			if f[0] == "" || err != nil {
				bad++
				continue
			}
			acc := inventory.Account{Name: f[0], GID: gid}
			if f[3] != "" {
				acc.Members = strings.Split(f[3], ",")
			}
			out = append(out, acc)
		}
	}
	if sc.Err() != nil {
		bad++ // a line longer than the whole content cap
	}
	return out, bad
}

// passwordState classifies a shadow password field without keeping it.
func passwordState(pw string) string {
	switch {
	case pw == "":
		return inventory.PasswordEmpty
	case pw == "*" || strings.HasPrefix(pw, "!") || pw == "x":
		return inventory.PasswordLocked
	}
	return inventory.PasswordHash
}

// RequiredEntry implements analyze.EntryAnalyzer: character and block
// devices outside dev/, and world-writable directories without the
// sticky bit outside the temporary directories. FIFOs are not wanted: a
// named pipe gives no access a process could not have otherwise.
func (*Analyzer) RequiredEntry(p string, info fs.FileInfo) bool {
	return entryKind(p, info.Mode()) != ""
}

// entryKind is the fact a non-regular entry gives, or "".
func entryKind(p string, m fs.FileMode) string {
	switch {
	case m&fs.ModeDevice != 0:
		if p == "dev" || strings.HasPrefix(p, "dev/") {
			return ""
		}
		return inventory.FactDevice
	case m.IsDir():
		if m&fs.ModeSticky == 0 && worldWritable(p, m) {
			return inventory.FactWorldWritableDir
		}
	}
	return ""
}

// AnalyzeEntry implements analyze.EntryAnalyzer.
func (*Analyzer) AnalyzeEntry(ctx context.Context, p string, info fs.FileInfo) (*analyze.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("forensics of %s: %w", p, err)
	}
	m := info.Mode()
	kind := entryKind(p, m)
	if kind == "" {
		return nil, nil
	}
	f := inventory.ForensicFact{Kind: kind, FilePath: p, Mode: m}
	if kind == inventory.FactDevice {
		f.Detail = "block"
		if m&fs.ModeCharDevice != 0 {
			f.Detail = "char"
		}
	}
	if h, ok := info.Sys().(*tar.Header); ok {
		uid, gid := h.Uid, h.Gid
		f.UID, f.GID = &uid, &gid
		if kind == inventory.FactDevice {
			f.Detail += fmt.Sprintf(" %d:%d", h.Devmajor, h.Devminor)
		}
	}
	return &analyze.Result{Forensics: []inventory.ForensicFact{f}}, nil
}

var (
	_ analyze.Analyzer      = (*Analyzer)(nil)
	_ analyze.RandomAccess  = (*Analyzer)(nil)
	_ analyze.EntryAnalyzer = (*Analyzer)(nil)
)
