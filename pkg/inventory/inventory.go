// Package inventory holds what analysis finds in an artifact, as a
// versioned wire type: the result of one file's analysis (Result), of one
// layer (LayerResult, what the layer cache stores) and of a whole artifact
// once its layers are merged (Inventory, what detection reads and what a
// client sends to a server).
//
// The JSON encoding is the wire format. Every document is wrapped in an
// envelope that names its kind and schema version ({"schema":
// "trawl.inventory.layer/1", …}); Decode refuses any other version, so an
// old cache entry or a newer client is discarded, never misread. The field
// names are the Go names; packages carry trawl's bookkeeping fields
// (InstalledFiles, Ecosystem) that reports leave out.
package inventory

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/trawlsec/trawl/pkg/model"
)

// Version is the schema version of the wire format. It changes whenever
// a field changes meaning or a decoder of the old version would misread a
// new document.
const Version = 1

// Schema names of the documents.
const (
	SchemaLayer     = "trawl.inventory.layer"
	SchemaInventory = "trawl.inventory"
)

// ErrSchema is returned for a document of another kind or version.
var ErrSchema = errors.New("trawl/inventory: unsupported schema")

// Packages is a list of packages whose JSON encoding keeps the fields that
// reports leave out (InstalledFiles, Ecosystem). It converts to and from
// []model.Package without a cast.
type Packages []model.Package

// wirePackage is a package with its bookkeeping fields visible to JSON.
type wirePackage struct {
	model.Package
	InstalledFiles []string `json:",omitempty"`
	Ecosystem      string   `json:",omitempty"`
}

// MarshalJSON implements json.Marshaler.
func (ps Packages) MarshalJSON() ([]byte, error) {
	if ps == nil {
		return []byte("null"), nil
	}
	out := make([]wirePackage, len(ps))
	for i, p := range ps {
		out[i] = wirePackage{Package: p, InstalledFiles: p.InstalledFiles, Ecosystem: p.Ecosystem}
	}
	return json.Marshal(out)
}

// UnmarshalJSON implements json.Unmarshaler.
func (ps *Packages) UnmarshalJSON(b []byte) error {
	var in []wirePackage
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	if in == nil {
		*ps = nil
		return nil
	}
	out := make(Packages, len(in))
	for i, w := range in {
		p := w.Package
		p.InstalledFiles, p.Ecosystem = w.InstalledFiles, w.Ecosystem
		out[i] = p
	}
	*ps = out
	return nil
}

// PackageSet is the packages one package database or lockfile holds.
type PackageSet struct {
	// Type is the package type (model.TypeDpkg, model.TypeNpm…).
	Type string
	// FilePath is the file the packages were read from, relative to the
	// artifact root without a leading slash.
	FilePath string
	Packages Packages
}

// OwnedFiles lists files that belong to an OS package.
type OwnedFiles struct {
	// FilePath is the package manager file that lists them
	// ("var/lib/dpkg/info/python3-requests.list").
	FilePath string
	// Package names the owner.
	Package string
	// Files are artifact-relative paths without a leading slash.
	Files []string
}

// PackageLicenses are licences a file outside the package database states
// for an OS package (Debian's usr/share/doc/<pkg>/copyright).
type PackageLicenses struct {
	FilePath string
	Package  string
	Licenses []string
}

// Secret is a secret found in a file, before layer attribution.
type Secret struct {
	FilePath string
	model.Secret
}

// Result is what an analyzer found in one file. Several analyzers' results
// for the same layer are merged with Merge.
type Result struct {
	// OS is set by OS-detection analyzers. Fields left empty are filled by
	// other analyzers' results in Merge (os-release usually wins).
	OS *OSInfo `json:",omitempty"`
	// OSPackages are package databases of the operating system.
	OSPackages []PackageSet `json:",omitempty"`
	// Applications are language package sets (lockfiles, installed
	// metadata, binaries).
	Applications []PackageSet `json:",omitempty"`
	// Owned lists files owned by OS packages.
	Owned []OwnedFiles `json:",omitempty"`
	// Licenses are licences of OS packages found in files of their own.
	Licenses []PackageLicenses `json:",omitempty"`
	// Secrets found in the file.
	Secrets []Secret `json:",omitempty"`
	// ConfigFiles are configuration files (Dockerfiles, Kubernetes
	// manifests…) kept for the misconfiguration checks, which run at
	// detection.
	ConfigFiles []ConfigFile `json:",omitempty"`
	// Forensics are facts about the file (accounts, persistence, special
	// modes, executables, markers) for the forensics scanner.
	Forensics []ForensicFact `json:",omitempty"`
	// Warnings report parts of a file the analyzer had to skip (a corrupt
	// stanza of a package database…) while still returning the rest.
	Warnings []FileNote `json:",omitempty"`
}

// ConfigFile is a configuration file as found in the artifact: analysis
// keeps it, detection evaluates the checks of its type on it.
type ConfigFile struct {
	// Type is the input type checks select ("dockerfile", "kubernetes",
	// "yaml", "json"…; Trivy's input.selector types).
	Type string
	// FilePath is relative to the artifact root without a leading slash.
	FilePath string
	Content  []byte
	// Layer is the image layer the file comes from (set by apply).
	Layer model.Layer `json:",omitzero"`
}

// OSInfo is an OS detection with the file it came from. Priority orders
// competing detections: the higher wins (os-release over debian_version).
type OSInfo struct {
	model.OS
	Priority int
}

// Merge adds other's findings to r.
func (r *Result) Merge(other *Result) {
	if other == nil {
		return
	}
	if other.OS != nil && (r.OS == nil || other.OS.Priority > r.OS.Priority) {
		o := *other.OS
		r.OS = &o
	}
	r.OSPackages = append(r.OSPackages, other.OSPackages...)
	r.Applications = append(r.Applications, other.Applications...)
	r.Owned = append(r.Owned, other.Owned...)
	r.Licenses = append(r.Licenses, other.Licenses...)
	r.Secrets = append(r.Secrets, other.Secrets...)
	r.ConfigFiles = append(r.ConfigFiles, other.ConfigFiles...)
	r.Forensics = append(r.Forensics, other.Forensics...)
	r.Warnings = append(r.Warnings, other.Warnings...)
}

// LayerResult is everything the analyzers found in one layer (or in one
// directory scanned as a single pseudo-layer). It is a pure function of the
// layer's content, the analyzer set and the walk options, which is what the
// layer cache keys it by.
type LayerResult struct {
	Layer model.Layer
	Result
	// Files lists every regular file and symlink the layer holds, so that
	// apply can tell when a later layer overwrote a file.
	Files []string `json:",omitempty"`
	// Whiteouts are paths this layer deletes from the layers below it.
	Whiteouts []string `json:",omitempty"`
	// OpaqueDirs are directories whose lower-layer content this layer hides.
	OpaqueDirs []string `json:",omitempty"`
	// Skipped lists files passed over (too large, insecure path, hard link
	// to a file the analyzers never saw…).
	Skipped []FileNote `json:",omitempty"`
	// Errors lists files an analyzer could not read.
	Errors []FileNote `json:",omitempty"`
}

// FileNote records a file that was skipped or failed, and why.
type FileNote struct {
	Path     string
	Analyzer string `json:",omitempty"`
	Reason   string
}

// Inventory is the merged view of an artifact: what detection reads.
type Inventory struct {
	OS *model.OS `json:",omitempty"`
	// OSPackages are the packages of the OS package databases present in
	// the final filesystem, each with the layer that installed it.
	OSPackages Packages `json:",omitempty"`
	// OSPackageType is the type of OSPackages (dpkg, apk, rpm).
	OSPackageType string `json:",omitempty"`
	// Applications are the language package sets in the final filesystem.
	Applications []PackageSet `json:",omitempty"`
	// Secrets holds every secret found in any layer; Deleted marks those
	// whose file a later layer removed or replaced.
	Secrets []Secret `json:",omitempty"`
	// ConfigSecrets are the secrets of an image's config (Env, Labels,
	// history commands).
	ConfigSecrets []model.Secret `json:",omitempty"`
	// ConfigFiles are the configuration files of the final filesystem.
	ConfigFiles []ConfigFile `json:",omitempty"`
	// Forensics holds the forensic facts of every layer; Deleted marks
	// those whose file a later layer removed or replaced.
	Forensics []ForensicFact `json:",omitempty"`
	// Layers summarises what each image layer changed, in order (none for
	// a directory walked as one pseudo-layer).
	Layers []LayerSummary `json:",omitempty"`
	// Skipped and Errors are the files passed over or that failed, with
	// the layer's DiffID prefixed to the path for images.
	Skipped  []FileNote `json:",omitempty"`
	Errors   []FileNote `json:",omitempty"`
	Warnings []FileNote `json:",omitempty"`
}

// envelope wraps every document with its schema.
type envelope[T any] struct {
	Schema string `json:"schema"`
	Data   *T     `json:"data"`
}

func schemaName(kind string) string { return fmt.Sprintf("%s/%d", kind, Version) }

func encode[T any](kind string, v *T) ([]byte, error) {
	return json.Marshal(envelope[T]{Schema: schemaName(kind), Data: v})
}

func decode[T any](kind string, b []byte) (*T, error) {
	var head struct {
		Schema string `json:"schema"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, fmt.Errorf("decoding %s: %w", kind, err)
	}
	if head.Schema != schemaName(kind) {
		return nil, fmt.Errorf("%w: %q, this trawl reads %q", ErrSchema, head.Schema, schemaName(kind))
	}
	var env envelope[T]
	if err := json.Unmarshal(b, &env); err != nil {
		return nil, fmt.Errorf("decoding %s: %w", kind, err)
	}
	if env.Data == nil {
		return nil, fmt.Errorf("decoding %s: no data", kind)
	}
	return env.Data, nil
}

// EncodeLayer returns the wire form of a layer result.
func EncodeLayer(r *LayerResult) ([]byte, error) { return encode(SchemaLayer, r) }

// DecodeLayer reads a layer result; a document of another schema version
// is ErrSchema.
func DecodeLayer(b []byte) (*LayerResult, error) { return decode[LayerResult](SchemaLayer, b) }

// EncodeInventory returns the wire form of an inventory.
func EncodeInventory(inv *Inventory) ([]byte, error) { return encode(SchemaInventory, inv) }

// DecodeInventory reads an inventory; a document of another schema
// version is ErrSchema.
func DecodeInventory(b []byte) (*Inventory, error) { return decode[Inventory](SchemaInventory, b) }
