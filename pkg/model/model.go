// Package model holds the types every stage of trawl shares: packages, layers,
// findings and the report. Its JSON field names follow Trivy's report schema
// version 2 so that tools that parse Trivy JSON read trawl's unchanged.
//
// Fields tagged `json:"-"` are trawl's own bookkeeping (ecosystem identity,
// provenance); they are carried through the layer cache (which uses gob) but
// never written to reports.
package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SchemaVersion is the report schema version (Trivy's JSON schema 2).
const SchemaVersion = 2

// Artifact types, as written to Report.ArtifactType.
const (
	ArtifactContainerImage = "container_image"
	ArtifactFilesystem     = "filesystem"
	ArtifactRepository     = "repository"
	ArtifactCycloneDX      = "cyclonedx"
	ArtifactSPDX           = "spdx"
)

// Result classes, as written to Result.Class.
const (
	ClassOSPkg       = "os-pkgs"
	ClassLangPkg     = "lang-pkgs"
	ClassConfig      = "config"
	ClassSecret      = "secret"
	ClassLicense     = "license"
	ClassLicenseFile = "license-file"
	ClassForensics   = "forensics"
)

// Package types. OS package managers use the name of their database format
// and language types use Trivy's LangType names. Each has its row in the
// package type table (PackageTypes, types.go).
const (
	TypeDpkg = "dpkg"
	TypeApk  = "apk"
	TypeRPM  = "rpm"

	TypeNpm          = "npm"
	TypeNodePkg      = "node-pkg"
	TypeYarn         = "yarn"
	TypePnpm         = "pnpm"
	TypeBun          = "bun"
	TypePythonPkg    = "python-pkg"
	TypePip          = "pip"
	TypePipenv       = "pipenv"
	TypePoetry       = "poetry"
	TypeUv           = "uv"
	TypeGoBinary     = "gobinary"
	TypeGoModule     = "gomod"
	TypeCargo        = "cargo"
	TypeRustBinary   = "rustbinary"
	TypeJar          = "jar"
	TypePom          = "pom"
	TypeGradle       = "gradle"
	TypeBundler      = "bundler"
	TypeGemSpec      = "gemspec"
	TypeComposer     = "composer"
	TypeNuget        = "nuget"
	TypeDotNetCore   = "dotnet-core"
	TypeConanLock    = "conan"
	TypePub          = "pub"
	TypeHex          = "hex"
	TypeSwift        = "swift"
	TypeCocoaPods    = "cocoapods"
	TypeJulia        = "julia"
	TypeConda        = "conda-pkg"
	TypeCondaEnv     = "conda-environment"
	TypeComposerVend = "composer-vendor"
)

// AggregatedTarget returns the result target under which packages of
// pkgType, gathered from many files, are reported together as Trivy does
// ("Node.js", "Python"…, each package keeping its FilePath), or "" for
// types reported per file. It reads the package type table (types.go).
func AggregatedTarget(pkgType string) string { return PackageTypeOf(pkgType).Target }

// IsAggregated reports whether packages of pkgType are reported together
// under one target (see AggregatedTarget).
func IsAggregated(pkgType string) bool { return AggregatedTarget(pkgType) != "" }

// IsOSType reports whether pkgType is an OS package manager's.
func IsOSType(pkgType string) bool { return PackageTypeOf(pkgType).OS }

// Relationship of a package to the project or image that contains it.
const (
	RelationshipUnknown   = "unknown"
	RelationshipRoot      = "root"
	RelationshipWorkspace = "workspace"
	RelationshipDirect    = "direct"
	RelationshipIndirect  = "indirect"
)

// OS families, as written to Metadata.OS.Family and Result.Type. Each has
// its row in the OS family table (OSFamilies, types.go).
const (
	FamilyAlpine     = "alpine"
	FamilyDebian     = "debian"
	FamilyUbuntu     = "ubuntu"
	FamilyRedHat     = "redhat"
	FamilyCentOS     = "centos"
	FamilyRocky      = "rocky"
	FamilyAlma       = "alma"
	FamilyFedora     = "fedora"
	FamilyAmazon     = "amazon"
	FamilyOracle     = "oracle"
	FamilySUSE       = "suse linux enterprise server"
	FamilyOpenSUSE   = "opensuse-leap"
	FamilyOpenSUSETW = "opensuse-tumbleweed"
	FamilyPhoton     = "photon"
	FamilyMariner    = "cbl-mariner"
	FamilyAzure      = "azurelinux"
	FamilyWolfi      = "wolfi"
	FamilyChainguard = "chainguard"
)

// OS identifies the operating system of an artifact.
type OS struct {
	Family string
	Name   string
	EOSL   bool `json:",omitempty"`
}

// Detected reports whether an OS was found.
func (o *OS) Detected() bool { return o != nil && o.Family != "" }

// Layer identifies the image layer a file, package or finding came from.
type Layer struct {
	Size      int64  `json:",omitempty"`
	Digest    string `json:",omitempty"`
	DiffID    string `json:",omitempty"`
	CreatedBy string `json:",omitempty"`
}

// IsZero reports whether no layer is recorded.
func (l Layer) IsZero() bool { return l == Layer{} }

// Identifier holds the stable identities of a package.
type Identifier struct {
	PURL   string `json:",omitempty"`
	UID    string `json:",omitempty"`
	BOMRef string `json:",omitempty"`
}

// Location is a line range in the file a package was read from.
type Location struct {
	StartLine int
	EndLine   int
}

// Package is the one package model of trawl: OS and language packages alike.
type Package struct {
	ID         string     `json:",omitempty"`
	Name       string     `json:",omitempty"`
	Identifier Identifier `json:",omitzero"`
	Version    string     `json:",omitempty"`
	Release    string     `json:",omitempty"`
	Epoch      int        `json:",omitempty"`
	Arch       string     `json:",omitempty"`
	Dev        bool       `json:",omitempty"`
	SrcName    string     `json:",omitempty"`
	SrcVersion string     `json:",omitempty"`
	SrcRelease string     `json:",omitempty"`
	SrcEpoch   int        `json:",omitempty"`
	Licenses   []string   `json:",omitempty"`
	Maintainer string     `json:",omitempty"`
	// Indirect repeats Relationship == indirect, as Trivy still writes it
	// (deprecated there in favour of Relationship).
	Indirect bool `json:",omitempty"`
	// Relationship is empty in reports when unknown: Trivy omits it.
	Relationship string     `json:",omitempty"`
	DependsOn    []string   `json:",omitempty"`
	Layer        Layer      `json:",omitzero"`
	FilePath     string     `json:",omitempty"`
	Digest       string     `json:",omitempty"`
	Locations    []Location `json:",omitempty"`
	// InstalledFiles lists the files an OS package owns (dpkg info/*.list,
	// apk R: entries, rpm file lists). In the inventory they are relative
	// to the filesystem root (apply uses them to keep language analyzers
	// from reporting OS-owned files again); report results write them as
	// the package database does, like Trivy (scan.Results).
	InstalledFiles []string `json:",omitempty"`
	// AnalyzedBy names the Trivy analyzer type that reads packages of this
	// kind ("dpkg", "npm", "gobinary"…; PackageType.Analyzer).
	AnalyzedBy string `json:",omitempty"`

	// Ecosystem is the OSV ecosystem the package is matched in ("npm",
	// "PyPI", "Debian:12", "Alpine:v3.19"…). OS packages get theirs in apply,
	// once the OS is known.
	Ecosystem string `json:"-"`
}

// FullVersion returns the version as the package manager writes it:
// epoch:version-release for formats that split them.
func (p *Package) FullVersion() string {
	v := p.Version
	if p.Release != "" {
		v += "-" + p.Release
	}
	if p.Epoch > 0 {
		v = strconv.Itoa(p.Epoch) + ":" + v
	}
	return v
}

// FullSrcVersion is FullVersion for the source package.
func (p *Package) FullSrcVersion() string {
	v := p.SrcVersion
	if p.SrcRelease != "" {
		v += "-" + p.SrcRelease
	}
	if p.SrcEpoch > 0 {
		v = strconv.Itoa(p.SrcEpoch) + ":" + v
	}
	return v
}

// Line is one line of code shown around a finding.
type Line struct {
	Number      int
	Content     string
	IsCause     bool
	Annotation  string
	Truncated   bool
	Highlighted string `json:",omitempty"`
	FirstCause  bool
	LastCause   bool
}

// Code is an excerpt of a file.
type Code struct {
	Lines []Line
}

// Secret is a secret found in a file.
type Secret struct {
	RuleID    string
	Category  string
	Severity  string
	Title     string
	StartLine int
	EndLine   int
	Code      Code
	Match     string
	Layer     Layer `json:",omitzero"`
	Offset    int   `json:",omitempty"`
	// Deleted is set when a later image layer removed or replaced the file,
	// so the secret is not in the final filesystem but still in the image.
	Deleted bool `json:",omitempty"`
	// Commit, Author and Date name the commit that introduced the secret
	// (trawl repo --scan-history, trawl's extension); Author is
	// "Name <email>".
	Commit string    `json:",omitempty"`
	Author string    `json:",omitempty"`
	Date   time.Time `json:",omitzero"`
	// NotInHead is set when the secret is in the history only: the
	// scanned commit no longer has it (trawl's extension).
	NotInHead bool `json:",omitempty"`
}

// Misconfiguration statuses.
const (
	MisconfStatusFail = "FAIL"
	MisconfStatusPass = "PASS"
)

// MisconfSummary counts the checks that passed and failed on one file.
type MisconfSummary struct {
	Successes int
	Failures  int
}

// CauseMetadata locates a misconfiguration in its file.
type CauseMetadata struct {
	Resource  string `json:",omitempty"`
	Provider  string `json:",omitempty"`
	Service   string `json:",omitempty"`
	StartLine int    `json:",omitempty"`
	EndLine   int    `json:",omitempty"`
	Code      Code
	// Occurrences are the module calls a Terraform resource defined in a
	// module was reached through, the call of its own module first and
	// the root module's call last (Trivy's).
	Occurrences []Occurrence `json:",omitempty"`
}

// Occurrence is one module call on the way from the root module to a
// misconfigured resource: its address ("module.web"), its file and the
// lines of its block.
type Occurrence struct {
	Resource string `json:",omitempty"`
	Filename string `json:",omitempty"`
	Location Location
}

// Misconfiguration is the result of one check on one configuration file
// (Status FAIL, or PASS with --include-non-failures).
type Misconfiguration struct {
	Type          string
	ID            string
	AVDID         string `json:",omitempty"`
	Title         string `json:",omitempty"`
	Description   string `json:",omitempty"`
	Message       string `json:",omitempty"`
	Namespace     string `json:",omitempty"`
	Query         string `json:",omitempty"`
	Resolution    string `json:",omitempty"`
	Severity      string
	PrimaryURL    string   `json:",omitempty"`
	References    []string `json:",omitempty"`
	Status        string
	Layer         Layer `json:",omitzero"`
	CauseMetadata CauseMetadata
}

// DataSource names where an advisory came from.
type DataSource struct {
	ID     string `json:",omitempty"`
	Name   string `json:",omitempty"`
	URL    string `json:",omitempty"`
	BaseID string `json:",omitempty"`
}

// CVSS holds the vectors and scores one source gives.
type CVSS struct {
	V2Vector  string  `json:",omitempty"`
	V3Vector  string  `json:",omitempty"`
	V40Vector string  `json:",omitempty"`
	V2Score   float64 `json:",omitempty"`
	V3Score   float64 `json:",omitempty"`
	V40Score  float64 `json:",omitempty"`
}

// Vulnerability is a detected vulnerability in one package.
type Vulnerability struct {
	VulnerabilityID  string
	VendorIDs        []string        `json:",omitempty"`
	PkgID            string          `json:",omitempty"`
	PkgName          string          `json:",omitempty"`
	PkgPath          string          `json:",omitempty"`
	PkgIdentifier    Identifier      `json:",omitzero"`
	InstalledVersion string          `json:",omitempty"`
	FixedVersion     string          `json:",omitempty"`
	Status           string          `json:",omitempty"`
	Layer            Layer           `json:",omitzero"`
	SeveritySource   string          `json:",omitempty"`
	PrimaryURL       string          `json:",omitempty"`
	DataSource       *DataSource     `json:",omitempty"`
	Fingerprint      string          `json:",omitempty"`
	Title            string          `json:",omitempty"`
	Description      string          `json:",omitempty"`
	Severity         string          `json:",omitempty"`
	CweIDs           []string        `json:",omitempty"`
	VendorSeverity   map[string]int  `json:",omitempty"`
	CVSS             map[string]CVSS `json:",omitempty"`
	References       []string        `json:",omitempty"`
	PublishedDate    *time.Time      `json:",omitempty"`
	LastModifiedDate *time.Time      `json:",omitempty"`
}

// Result groups the findings of one target (an OS, a lockfile, a file).
type Result struct {
	Target          string
	Class           string          `json:",omitempty"`
	Type            string          `json:",omitempty"`
	Packages        []Package       `json:",omitempty"`
	Vulnerabilities []Vulnerability `json:",omitempty"`
	Secrets         []Secret        `json:",omitempty"`
	// MisconfSummary counts the checks run on a configuration file.
	MisconfSummary    *MisconfSummary    `json:",omitempty"`
	Misconfigurations []Misconfiguration `json:",omitempty"`
	// Findings are the forensics scanner's findings (Class forensics).
	Findings []ForensicFinding `json:",omitempty"`
	// Licenses are the licence scanner's findings (Class license and
	// license-file).
	Licenses []DetectedLicense `json:",omitempty"`
	// Timeline is the per-layer timeline of an image (Class forensics).
	Timeline []ForensicLayer `json:",omitempty"`
	// ModifiedFindings are findings suppressed by an ignore file or a VEX
	// statement, reported only with --show-suppressed.
	ModifiedFindings []ModifiedFinding `json:"ExperimentalModifiedFindings,omitempty"`
}

// DetectedLicense is a licence of a package (Class license) or of a file
// (Class license-file), as Trivy writes it: every field, empty or not.
type DetectedLicense struct {
	// Severity follows Category: CRITICAL forbidden, HIGH restricted,
	// MEDIUM reciprocal, LOW notice/permissive/unencumbered, UNKNOWN.
	Severity string
	// Category is forbidden, restricted, reciprocal, notice, permissive,
	// unencumbered or unknown.
	Category string
	// PkgName is the package that declares the licence ("" for a file).
	PkgName string
	// FilePath is the file the package or licence was read from.
	FilePath string
	// Name is the SPDX expression, or the licence as written when it is
	// not SPDX.
	Name string
	// Confidence is 1 for declared licences.
	Confidence float64
	// Link is the licence's SPDX page, for classified files.
	Link string
}

// Finding statuses of a ModifiedFinding.
const (
	FindingStatusIgnored     = "ignored"
	FindingStatusNotAffected = "not_affected"
	FindingStatusFixed       = "fixed"
)

// ModifiedFinding is a finding that a filter suppressed, with the reason.
type ModifiedFinding struct {
	// Type is the finding kind: "vulnerability", "secret",
	// "misconfiguration" or "license".
	Type      string
	Status    string
	Statement string `json:",omitempty"`
	// Source names the ignore file or VEX document that suppressed it.
	Source  string `json:",omitempty"`
	Finding any
}

// Metadata is what is known of the artifact (most of it for container
// images).
type Metadata struct {
	// Size is the image size: the sum of its layers' sizes.
	Size        int64    `json:",omitempty"`
	OS          *OS      `json:",omitempty"`
	ImageID     string   `json:",omitempty"`
	DiffIDs     []string `json:",omitempty"`
	RepoTags    []string `json:",omitempty"`
	RepoDigests []string `json:",omitempty"`
	// Reference is the image reference the scan was asked for, as recorded
	// in RepoTags or RepoDigests (Trivy's Metadata.Reference).
	Reference string `json:",omitempty"`
	// ImageConfig is the image's OCI config, kept as the raw JSON document.
	ImageConfig any     `json:",omitempty"`
	Layers      []Layer `json:",omitempty"`

	// Git repository (trawl repo), Trivy's keys.
	RepoURL   string   `json:",omitempty"`
	Branch    string   `json:",omitempty"`
	Tags      []string `json:",omitempty"`
	Commit    string   `json:",omitempty"`
	CommitMsg string   `json:",omitempty"`
	Author    string   `json:",omitempty"`
	Committer string   `json:",omitempty"`
}

// Report is a whole scan result.
type Report struct {
	SchemaVersion int `json:",omitempty"`
	// ReportID is a UUID (version 7) unique to this report.
	ReportID  string    `json:",omitempty"`
	CreatedAt time.Time `json:",omitzero"`
	// ArtifactID identifies the artifact across scans (see ArtifactID).
	ArtifactID   string   `json:",omitempty"`
	ArtifactName string   `json:",omitempty"`
	ArtifactType string   `json:",omitempty"`
	Metadata     Metadata `json:",omitzero"`
	Results      []Result `json:",omitempty"`
}

// ShortCheckID is the short form misconfiguration check IDs had before
// Trivy padded them ("DS-0002" → "DS002", "KSV-0106" → "KSV106"), which
// older ignore files, baselines and compliance specs still name; "" when
// id is not of that shape (upper-case letters, a dash, four digits).
func ShortCheckID(id string) string {
	prefix, num, ok := strings.Cut(id, "-")
	if !ok || prefix == "" || len(num) != 4 || strings.ToUpper(prefix) != prefix {
		return ""
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 {
		return ""
	}
	return fmt.Sprintf("%s%03d", prefix, n)
}
