package inventory

import (
	"io/fs"

	"github.com/trawlsec/trawl/pkg/model"
)

// Kinds of forensic facts (ForensicFact.Kind).
const (
	// FactPasswd, FactShadow and FactGroup are one entry of etc/passwd,
	// etc/shadow or etc/group (ForensicFact.Account).
	FactPasswd = "passwd"
	FactShadow = "shadow"
	FactGroup  = "group"
	// FactPersistence is a file that runs code at boot, login or on a
	// schedule; Detail names its kind (Persist* constants).
	FactPersistence = "persistence"
	// FactSpecialMode is a setuid or setgid regular file.
	FactSpecialMode = "special-mode"
	// FactWorldWritable is a regular file anyone may write, outside the
	// temporary directories.
	FactWorldWritable = "world-writable"
	// FactExecutable is an ELF file or a file with an execute bit;
	// Detail is "elf" or "script".
	FactExecutable = "executable"
	// FactMarker is a content marker hit; Detail is the marker's class
	// (Marker* constants) and Match the marker's name.
	FactMarker = "marker"
	// FactArtifact is a file a responder wants back when a later layer
	// deletes it, by its name: Detail is "archive", "key" or "script".
	FactArtifact = "artifact"
	// FactDevice is a character or block device node outside dev/;
	// Detail is "char" or "block".
	FactDevice = "device"
	// FactWorldWritableDir is a directory anyone may write that has no
	// sticky bit (anyone may delete or replace the files of others in
	// it), outside the temporary directories.
	FactWorldWritableDir = "world-writable-dir"
	// FactPackageSize is the installed size (Size, bytes) of the package
	// named Detail, as the OS package database (FilePath: dpkg status,
	// apk installed) gives it.
	FactPackageSize = "package-size"
)

// Kinds of persistence files (ForensicFact.Detail of FactPersistence).
const (
	PersistCron          = "cron"
	PersistAuthorizedKey = "authorized-keys"
	PersistLDPreload     = "ld-preload"
	PersistSystemd       = "systemd"
	PersistInit          = "init"
	PersistProfile       = "profile"
	PersistShellRC       = "shell-rc"
)

// Classes of content markers (ForensicFact.Detail of FactMarker).
const (
	MarkerMiner        = "miner"
	MarkerReverseShell = "reverse-shell"
	MarkerDownloadExec = "download-exec"
)

// ForensicFact is one fact the forensics analyzer records about a file of
// a layer: analysis records what is there, detection (which compares the
// layers) decides what is suspicious.
type ForensicFact struct {
	Kind string
	// FilePath is relative to the artifact root without a leading slash.
	FilePath string
	// Mode, UID, GID, Size and SHA256 describe the file. UID and GID are
	// known for image layers only (the tar header); SHA256 is set for
	// executables, persistence files and special-mode files.
	Mode   fs.FileMode `json:",omitempty"`
	UID    *int        `json:",omitempty"`
	GID    *int        `json:",omitempty"`
	Size   int64       `json:",omitempty"`
	SHA256 string      `json:",omitempty"`
	// Detail qualifies the kind (see the Persist* and Marker* constants;
	// "elf" or "script" for executables).
	Detail string `json:",omitempty"`
	// Match is the name of the content marker that hit, and Line its
	// line (1-based; 0 in binaries).
	Match string `json:",omitempty"`
	Line  int    `json:",omitempty"`
	// Account is the entry of an account file.
	Account *Account `json:",omitempty"`
	// Layer is the image layer the fact comes from, Deleted is set when a
	// later layer removed or replaced the file, and Package names the OS
	// package owning the file in the final filesystem ("" for none); all
	// three are set by apply.
	Layer   model.Layer `json:",omitzero"`
	Deleted bool        `json:",omitempty"`
	Package string      `json:",omitempty"`
}

// Password states of a shadow entry (Account.Password). Hashes themselves
// are never kept.
const (
	PasswordEmpty  = "empty"  // no password: anyone may log in
	PasswordLocked = "locked" // "*", "!", "!!" or a "!"-prefixed hash
	PasswordHash   = "hash"
)

// Account is one entry of etc/passwd, etc/shadow or etc/group.
type Account struct {
	Name string
	// UID and GID of passwd entries; GID of group entries.
	UID   int    `json:",omitempty"`
	GID   int    `json:",omitempty"`
	Home  string `json:",omitempty"`
	Shell string `json:",omitempty"`
	// Password is the state of a shadow entry (Password* constants).
	Password string `json:",omitempty"`
	// Members are the users of a group entry.
	Members []string `json:",omitempty"`
}

// LayerSummary is what one image layer changed, as apply counts it from
// the layers' file lists, whiteouts and package databases: the per-layer
// timeline of the forensics scanner. Directories are not counted (layers
// do not list them); devices, FIFOs and symlinks are.
type LayerSummary struct {
	DiffID string
	// Added counts the layer's files no lower layer held, Changed those a
	// lower layer held (rewritten, or only touched: a chmod copies the
	// file up), Deleted the lower layers' files its whiteouts and opaque
	// directories removed.
	Added   int `json:",omitempty"`
	Changed int `json:",omitempty"`
	Deleted int `json:",omitempty"`
	// PackagesInstalled counts the packages of the final filesystem (OS
	// and language) this layer installed, a new version of an installed
	// one included. PackagesRemoved counts the OS package names a package
	// database listed before the layer rewrote it and no longer lists.
	PackagesInstalled int `json:",omitempty"`
	PackagesRemoved   int `json:",omitempty"`
}
