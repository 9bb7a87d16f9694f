// Package app is trawl's composition root: it turns typed options into a
// scan — builds the analyzer list for the target, opens the source, runs
// the pipeline, detects, filters and writes the report. It is the only
// package that knows every other one.
package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/schollz/progressbar/v3"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/analyze/all"
	"github.com/trawlsec/trawl/internal/analyze/lang/dotnet"
	"github.com/trawlsec/trawl/internal/analyze/lang/golang"
	"github.com/trawlsec/trawl/internal/analyze/lang/java"
	"github.com/trawlsec/trawl/internal/apply"
	"github.com/trawlsec/trawl/internal/attest"
	"github.com/trawlsec/trawl/internal/cache"
	"github.com/trawlsec/trawl/internal/compliance"
	"github.com/trawlsec/trawl/internal/filter"
	"github.com/trawlsec/trawl/internal/fsutil"
	"github.com/trawlsec/trawl/internal/match"
	"github.com/trawlsec/trawl/internal/misconfig"
	"github.com/trawlsec/trawl/internal/report"
	"github.com/trawlsec/trawl/internal/sbom"
	"github.com/trawlsec/trawl/internal/scan"
	"github.com/trawlsec/trawl/internal/secret"
	"github.com/trawlsec/trawl/internal/source/image"
	"github.com/trawlsec/trawl/internal/walk"
	"github.com/trawlsec/trawl/pkg/inventory"
	"github.com/trawlsec/trawl/pkg/model"
)

// Targets.
const (
	TargetImage  = "image"
	TargetFS     = "fs"
	TargetRootfs = "rootfs"
	TargetSBOM   = "sbom"
)

// Scanners.
const (
	ScannerVuln      = "vuln"
	ScannerSecret    = "secret"
	ScannerMisconfig = "misconfig"
	ScannerLicense   = "license"
)

// BuiltScanners are the scanners this trawl runs; the others are accepted
// names (Trivy's) that are refused, so that no pipeline goes green on a
// check that never ran.
var BuiltScanners = []string{ScannerVuln, ScannerSecret, ScannerMisconfig, ScannerForensics, ScannerLicense}

// ImageConfigTarget is the result target of findings in the image config.
// Line numbers refer to the config re-indented one value per line.
const ImageConfigTarget = "image config (config.json)"

// Options is everything a scan needs, already validated by the CLI.
type Options struct {
	Target string
	// Arg is the image reference or the path to scan.
	Arg string

	CacheDir string
	// CacheBackend is the layer cache: "fs" (default, under CacheDir),
	// "memory" (nothing kept after the scan), or a Redis URL
	// ("redis://[user:pass@]host:port[/db]", "rediss://…" for TLS).
	CacheBackend string
	// CacheTTL and the Redis TLS options are Trivy's cache flags; see
	// cache.Options.
	CacheTTL                     time.Duration
	RedisCA, RedisCert, RedisKey string
	RedisTLS                     bool

	Timeout  time.Duration
	Insecure bool
	Quiet    bool

	Format       string
	Output       string
	Severities   []string
	ExitCode     int
	ListAllPkgs  bool
	Scanners     []string
	SkipDirs     []string
	SkipFiles    []string
	Parallel     int
	MaxFileSize  int64
	MaxTotalSize int64
	PkgTypes     []string
	SecretConfig string
	// SecretConfigExplicit is set when the user named the secret config,
	// so that a missing file is an error rather than "built-ins only".
	SecretConfigExplicit bool

	IgnoreUnfixed      bool
	IgnoreStatuses     []string
	IgnoreFile         string
	IgnoreFileExplicit bool
	VEXFiles           []string
	// Baseline is an earlier JSON report of the artifact (--baseline):
	// only findings not in it are reported and counted.
	Baseline       string
	ShowSuppressed bool
	ExitOnEOL      int
	// IncludeDevDeps keeps development dependencies (fs targets; images
	// and root filesystems hold no dev-only lockfile entries).
	IncludeDevDeps bool
	// Misconfig configures the misconfiguration scanner.
	Misconfig MisconfigOptions
	// License configures the licence scanner.
	License LicenseOptions
	// Compliance, when set, replaces the report by a compliance report of
	// this spec (--compliance), written as ComplianceReport says
	// ("summary" or "all", --report). The CLI sets Scanners to the spec's.
	Compliance       *compliance.Spec
	ComplianceReport string
	// misconfigChecks are the IDs and AVD IDs (upper case) of the checks
	// the misconfiguration detector evaluated; nil when it did not run.
	misconfigChecks map[string]bool

	DB DBOptions

	// ImageConfigScanners are the scanners run on the image config
	// (Env, Labels, history); trawl runs "secret" by default.
	ImageConfigScanners []string

	// Repo selects the tree of a repository target.
	Repo RepoOptions

	Input    string
	Platform string
	// ImageSources is where an image named without Input is looked for,
	// in order (--image-src: docker, containerd, podman, remote); empty
	// means the registry only.
	ImageSources  []string
	Username      string
	Password      string
	RegistryToken string
	// SBOMSources are the remote SBOM sources of an image
	// (--sbom-sources; SBOMSourceOCI); VEXOCI applies the image's VEX
	// referrers (--vex oci); PushSBOM attaches the scan's CycloneDX SBOM
	// to the image (--push-sbom). See referrers.go.
	SBOMSources []string
	VEXOCI      bool
	PushSBOM    bool
	// Attestation, when it names a key or a trusted root, makes the sbom
	// target a signed in-toto attestation: it is verified and its SBOM
	// predicate scanned (docs/attestations.md).
	Attestation attest.Options
	// LayerCache, when set, is the layer cache of the scan (shared by the
	// scans of a registry scan) instead of one opened from CacheBackend.
	LayerCache cache.Cache
	ociVEX     []image.Referrer
	pushTo     *image.Image

	// Now is the report time (tests pin it).
	Now func() time.Time
	// NewReportID returns the report's ReportID (default: a random UUIDv7;
	// tests pin it).
	NewReportID func() string

	Stdout io.Writer
	Stderr io.Writer
	// Progress is where layer progress goes; nil for none.
	Progress io.Writer
	Logger   *slog.Logger
	// TerminalWidth sizes the table (0: 120); Color enables ANSI colours.
	TerminalWidth int
	Color         bool
	// Report carries the writer options the CLI knows (template, CycloneDX
	// XML, GitHub context, version); Run adds the rest.
	Report report.Options
	// Remote, when set, detects on a server (--server): analysis runs
	// here, reading and writing the server's layer cache, and the local
	// DB is never opened.
	Remote Remote
}

func (o *Options) has(scanner string) bool { return slices.Contains(o.Scanners, scanner) }

// Run scans and writes the report: analyse, detect, filter, write. It
// returns the process exit code: 0, or ExitCode when findings remain after
// filtering.
func Run(ctx context.Context, o Options) (int, error) {
	if o.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.Timeout)
		defer cancel()
	}
	o.defaults()
	for _, s := range o.Scanners {
		if !slices.Contains(BuiltScanners, s) {
			return 1, fmt.Errorf("scanner %s is not built yet: its checks would never run", s)
		}
	}
	// A missing target fails before anything slow (a DB update) starts.
	if o.Target != TargetImage && o.Target != TargetRepo {
		if _, err := os.Stat(o.Arg); err != nil {
			return 1, err
		}
	}
	// Filters read their files before the scan, so a typo in an ignore
	// file fails fast.
	filters, err := filter.Load(filter.Options{
		Severities: o.Severities, IgnoreUnfixed: o.IgnoreUnfixed, IgnoreStatuses: o.IgnoreStatuses,
		IgnoreFile: o.IgnoreFile, IgnoreFileExplicit: o.IgnoreFileExplicit,
		VEXFiles: o.VEXFiles, Baseline: o.Baseline, ShowSuppressed: o.ShowSuppressed, Now: o.Now(),
	})
	if err != nil {
		return 1, err
	}
	if o.has(ScannerVuln) && o.Remote == nil {
		// Without updates, a missing or damaged DB is known now: fail
		// before the analysis rather than after it.
		if err := precheckDB(o.DB, o.Now()); err != nil {
			return 1, err
		}
	}

	var rep *model.Report
	base := o // Analyze fills in o (the image's name): each attempt starts afresh
	for attempt := 1; ; attempt++ {
		o = base
		a, err := Analyze(ctx, &o)
		if err != nil {
			return 1, scanError(err, o.Timeout)
		}
		if o.Remote == nil {
			rep, err = Detect(ctx, &o, a)
		} else {
			rep, err = o.Remote.Detect(ctx, &o, a)
			// The server lost layers between the upload and the scan
			// (its cache restarted): analyse and upload them again.
			if errors.Is(err, ErrLayerMissing) && attempt < remoteAttempts {
				o.Logger.Warn("the server lacks layers it was sent; analysing them again", "attempt", attempt, "err", err)
				continue
			}
		}
		if err != nil {
			return 1, scanError(err, o.Timeout)
		}
		break
	}
	for _, w := range o.withReferrerVEX(filters).Apply(rep) {
		o.Logger.Warn(w.String())
	}
	if err := Write(&o, rep); err != nil {
		return 1, err
	}
	if err := o.pushSBOM(ctx, rep); err != nil {
		return 1, err
	}
	if o.ExitCode != 0 && hasFindings(rep) {
		return o.ExitCode, nil
	}
	if o.ExitOnEOL != 0 && rep.Metadata.OS != nil && rep.Metadata.OS.EOSL {
		o.Logger.Warn("the operating system has reached end of life", "os", rep.Metadata.OS.Family+" "+rep.Metadata.OS.Name)
		return o.ExitOnEOL, nil
	}
	return 0, nil
}

// defaults fills what the CLI may leave empty.
func (o *Options) defaults() {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.DB.Logger == nil {
		o.DB.Logger = o.Logger
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.NewReportID == nil {
		o.NewReportID = func() string { return uuid.Must(uuid.NewV7()).String() }
	}
	if o.Parallel <= 0 {
		o.Parallel = runtime.NumCPU()
	}
}

// reportTime is the report's CreatedAt: SOURCE_DATE_EPOCH when it is set
// (reproducible-builds.org: the same input then gives the same SBOM bytes),
// else now. Only the report's time: ignore-file expiry still uses now.
func reportTime(o *Options) time.Time {
	if s, ok := os.LookupEnv("SOURCE_DATE_EPOCH"); ok {
		n, err := strconv.ParseInt(s, 10, 64)
		if err == nil && n >= 0 {
			return time.Unix(n, 0).UTC()
		}
		o.Logger.Warn("SOURCE_DATE_EPOCH is not a number of seconds; using the current time", "value", s)
	}
	return o.Now().UTC()
}

// scanError turns the context's errors into what the user should read.
func scanError(err error, timeout time.Duration) error {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("scan timed out after %s (raise --timeout): %w", timeout, err)
	case errors.Is(err, context.Canceled):
		return errors.New("scan interrupted")
	}
	return err
}

// Analysis is what Analyze found in an artifact: the report skeleton
// (artifact name and type, image metadata) and the inventory. It is all
// detection needs: a server can detect what a client analysed.
type Analysis struct {
	// Report holds the artifact's name, type and metadata; no results.
	Report    *model.Report
	Inventory *inventory.Inventory
	// Layers are the image's layers with their cache keys, in order (nil
	// for other targets). A key is empty when the layer was not cached.
	Layers []LayerRef
	// ConfigParts are the parts of Inventory found in the image config,
	// not in a layer (its secrets, its history as a Dockerfile); nil for
	// other targets. Layers and ConfigParts rebuild Inventory (Rebuild).
	ConfigParts *inventory.Inventory
}

// Analyze reads the artifact named by o (an image, a directory, a root
// filesystem or an SBOM) and returns its inventory. Analysis is what is in
// the artifact; whether any of it is wrong is Detect's business.
func Analyze(ctx context.Context, o *Options) (*Analysis, error) {
	o.defaults()
	log := o.Logger
	analyzers, secrets, err := buildAnalyzers(o)
	if err != nil {
		return nil, err
	}
	// Large binaries of a layer stream are spilled to a temporary file
	// for random-access analysis: under the cache, never elsewhere.
	// If it cannot be made, the walker notes each file it could not spill.
	spill := filepath.Join(o.CacheDir, "tmp")
	_ = os.MkdirAll(spill, 0o700)
	sopts := scan.Options{
		Analyzers: analyzers,
		Walk: walk.Options{
			MaxFileSize: o.MaxFileSize, MaxTotalSize: o.MaxTotalSize,
			SkipFiles: o.SkipFiles, SkipDirs: o.SkipDirs, Parallel: o.Parallel, Logger: log,
			TempDir: spill,
		},
		Parallel: o.Parallel,
		Logger:   log,
		CacheExtra: []string{
			fmt.Sprintf("max-file=%d max-total=%d", o.MaxFileSize, o.MaxTotalSize),
			"skip-files=" + strings.Join(o.SkipFiles, ","), "skip-dirs=" + strings.Join(o.SkipDirs, ","),
			"secret-rules=" + secretDigest(secrets),
		},
	}
	if k := filePatternsKey(o); k != "" {
		sopts.CacheExtra = append(sopts.CacheExtra, k)
	}
	rep := &model.Report{
		SchemaVersion: model.SchemaVersion,
		CreatedAt:     reportTime(o),
		ArtifactName:  o.Arg,
	}
	var inv *inventory.Inventory
	var rawConfig []byte
	var refs []LayerRef
	switch o.Target {
	case TargetImage:
		inv, rawConfig, refs, err = scanImage(ctx, o, sopts, rep, log)
	case TargetFS, TargetRootfs:
		rep.ArtifactType = model.ArtifactFilesystem
		inv, err = scan.Dir(ctx, o.Arg, sopts)
	case TargetRepo:
		inv, err = scanRepo(ctx, o, sopts, rep, secrets)
	case TargetExport:
		inv, err = scanExport(ctx, o, sopts, rep)
	case TargetSBOM:
		inv, err = readSBOM(ctx, o.Arg, o.Attestation, rep, log)
	default:
		err = fmt.Errorf("unknown target %q", o.Target)
	}
	if err != nil {
		return nil, err
	}
	for _, n := range inv.Errors {
		log.Warn("file could not be analysed", "path", n.Path, "analyzer", n.Analyzer, "reason", n.Reason)
	}
	for _, n := range inv.Warnings {
		log.Warn("part of a file was skipped", "path", n.Path, "analyzer", n.Analyzer, "reason", n.Reason)
	}
	for _, n := range inv.Skipped {
		log.Debug("file skipped", "path", n.Path, "reason", n.Reason)
	}
	// The image config as a Dockerfile rebuilt from its history: checked
	// by the Dockerfile checks at detection (--image-config-scanners
	// misconfig).
	var parts *inventory.Inventory
	if o.Target == TargetImage {
		parts = &inventory.Inventory{}
	}
	if len(rawConfig) > 0 && slices.Contains(o.ImageConfigScanners, ScannerMisconfig) {
		df, err := misconfig.ImageConfigDockerfile(rawConfig)
		if err != nil {
			log.Warn("image config not checked for misconfigurations", "err", err)
		} else {
			parts.ConfigFiles = []inventory.ConfigFile{{Type: misconfig.TypeDockerfile, FilePath: misconfig.ImageConfigTarget, Content: df}}
		}
	}
	// The image config (Env, Labels, history) is part of the artifact:
	// its secrets are found here, with the layers'.
	if secrets != nil && len(rawConfig) > 0 && slices.Contains(o.ImageConfigScanners, ScannerSecret) {
		found, err := secrets.ScanImageConfig(rawConfig)
		if err != nil {
			log.Warn("image config not scanned for secrets", "err", err)
		} else {
			parts.ConfigSecrets = found
		}
	}
	addConfigParts(inv, parts)
	return &Analysis{Report: rep, Inventory: inv, Layers: refs, ConfigParts: parts}, nil
}

// Detector is one scanner's detection step: it reads the analysis and adds
// its findings to the report. Detectors run in the order of Detectors.
type Detector interface {
	// Scanner is the --scanners name that turns the detector on.
	Scanner() string
	Detect(ctx context.Context, o *Options, a *Analysis, rep *model.Report) error
}

// Detectors is the explicit list of detection steps. The package and
// secret results themselves come from the inventory (see Detect); the
// misconfiguration, licence and forensics scanners will plug in here.
var Detectors = []Detector{
	imageConfigSecrets{},
	vulnerabilities{},
	misconfigurations{},
	forensicsDetector{},
	licenses{},
}

// detectorOn reports whether a detector runs: its scanner is in
// --scanners, or (for misconfigurations) in --image-config-scanners.
func detectorOn(d Detector, o *Options) bool {
	if o.has(d.Scanner()) {
		return true
	}
	return d.Scanner() == ScannerMisconfig && slices.Contains(o.ImageConfigScanners, ScannerMisconfig)
}

// Detect turns an analysis into a report: the results of the inventory
// (packages, secrets) and then every enabled detector's findings.
func Detect(ctx context.Context, o *Options, a *Analysis) (*model.Report, error) {
	o.defaults()
	rep := *a.Report
	rep.ReportID = o.NewReportID()
	rep.Metadata = a.Report.Metadata
	inv := a.Inventory
	if inv.OS.Detected() {
		detected := *inv.OS
		detected.EOSL = match.EOSL(&detected, o.Now())
		rep.Metadata.OS = &detected
	}
	rep.Results = scan.Results(inv, scan.ResultOptions{
		ArtifactName:   rep.ArtifactName,
		OSPackages:     slices.Contains(o.PkgTypes, "os"),
		LangPackages:   slices.Contains(o.PkgTypes, "library"),
		IncludeDevDeps: o.IncludeDevDeps && (o.Target == TargetFS || o.Target == TargetRepo),
		Secrets:        o.has(ScannerSecret),
		FromSBOM:       o.Target == TargetSBOM,
		// Trivy names secrets in images by their absolute path.
		AbsoluteSecretTargets: o.Target == TargetImage,
	})
	for _, d := range Detectors {
		if !detectorOn(d, o) {
			continue
		}
		if err := d.Detect(ctx, o, a, &rep); err != nil {
			return nil, err
		}
	}
	return &rep, nil
}

// imageConfigSecrets reports the secrets found in the image config.
type imageConfigSecrets struct{}

func (imageConfigSecrets) Scanner() string { return ScannerSecret }

func (imageConfigSecrets) Detect(_ context.Context, _ *Options, a *Analysis, rep *model.Report) error {
	if len(a.Inventory.ConfigSecrets) > 0 {
		rep.Results = append(rep.Results, model.Result{Target: ImageConfigTarget, Class: model.ClassSecret, Secrets: scan.ReportSecrets(a.Inventory.ConfigSecrets)})
	}
	return nil
}

// vulnerabilities matches the packages of the report against the
// vulnerability DB, which it opens (and updates with what the packages
// need) first.
type vulnerabilities struct{}

func (vulnerabilities) Scanner() string { return ScannerVuln }

func (vulnerabilities) Detect(ctx context.Context, o *Options, a *Analysis, rep *model.Report) error {
	db, err := openDB(ctx, o.DB, o.Now(), neededArchives(rep))
	if err != nil || db == nil {
		return err
	}
	defer db.Close()
	return detect(ctx, db, rep, rep.Metadata.OS, a.Inventory.OSPackageType, o.Logger)
}

// Write writes the report in the format and to the output o names.
func Write(o *Options, rep *model.Report) error { return writeReport(o, rep) }

// buildAnalyzers returns the analyzers of the target and the secret
// scanner (nil when secrets are not scanned).
func buildAnalyzers(o *Options) ([]analyze.Analyzer, *secret.Scanner, error) {
	var scanner *secret.Scanner
	if o.has(ScannerSecret) {
		cfg, err := secret.LoadConfig(o.SecretConfig)
		if errors.Is(err, secret.ErrConfigNotFound) && !o.SecretConfigExplicit {
			err = nil // the default file is optional: built-in rules only
		}
		if err != nil {
			return nil, nil, err
		}
		if scanner, err = secret.NewScanner(cfg); err != nil {
			return nil, nil, fmt.Errorf("secret config %s: %w", o.SecretConfig, err)
		}
	}
	ao := all.Options{
		OSPackages:   slices.Contains(o.PkgTypes, "os"),
		LangPackages: slices.Contains(o.PkgTypes, "library"),
		Secrets:      scanner,
		Misconfig:    o.has(ScannerMisconfig),
		Forensics:    o.has(ScannerForensics),
		LicenseFull:  o.has(ScannerLicense) && o.License.Full,
		// The patterns change which files analysis keeps: part of the
		// cache key (filePatternsKey).
		ConfigPatterns: o.Misconfig.FilePatterns,
	}
	if o.Target == all.TargetFS || o.Target == all.TargetRepo {
		// pom.xml resolution reads the user's local Maven repository, as
		// an offline Maven build would; never the network.
		home, _ := os.UserHomeDir()
		isDir := func(p string) bool {
			fi, err := os.Stat(p)
			return err == nil && fi.IsDir()
		}
		ao.MavenRepository = java.DefaultMavenRepository(os.Getenv, home, isDir)
		// NuGet packages take their licences from the .nuspec files of the
		// global packages folder a restore filled; never the network.
		ao.NugetPackages = dotnet.DefaultNugetPackages(os.Getenv, home, isDir)
		// Go modules take theirs from the licence files of the module
		// cache a `go mod download` filled; the go command is not run.
		ao.GoModCache = golang.DefaultModCache(os.Getenv, home, isDir)
	}
	target := o.Target
	if target == TargetExport {
		target = TargetRootfs // a root filesystem, in one tar
	}
	return all.ForTarget(target, ao), scanner, nil
}

// readSBOM turns a CycloneDX or SPDX document into the inventory a scan
// would have found. With a key or trusted root in ao, path is a signed
// attestation and only its verified predicate is read.
func readSBOM(ctx context.Context, path string, ao attest.Options, rep *model.Report, log *slog.Logger) (*apply.Inventory, error) {
	var (
		r    io.Reader
		kind string // the SBOM format an attestation's predicate type names
	)
	if ao.Enabled() {
		a, err := attest.VerifyFile(ctx, path, ao)
		if err != nil {
			return nil, err
		}
		log.Info("attestation verified", "path", path, "predicateType", a.PredicateType, "signer", a.Signer)
		r, kind = bytes.NewReader(a.SBOM), a.Format()
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("sbom: %w", err)
		}
		defer f.Close()
		r = f
	}
	inv, format, err := sbom.Decode(r, path)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(string(format), kind) {
		return nil, fmt.Errorf("attestation %s: the predicate type names a %s SBOM but the predicate is a %s document", path, kind, format)
	}
	rep.ArtifactType = model.ArtifactCycloneDX
	if strings.HasPrefix(string(format), "spdx") {
		rep.ArtifactType = model.ArtifactSPDX
	}
	apply.Identify(inv)
	return inv, nil
}

// CacheOptions are the layer cache's options (the file cache lives in
// <CacheDir>/scan).
func (o *Options) CacheOptions() cache.Options {
	return cache.Options{
		Backend: o.CacheBackend, Dir: filepath.Join(o.CacheDir, "scan"), TTL: o.CacheTTL,
		RedisCA: o.RedisCA, RedisCert: o.RedisCert, RedisKey: o.RedisKey, RedisTLS: o.RedisTLS,
	}
}

func secretDigest(s *secret.Scanner) string {
	if s == nil {
		return ""
	}
	return s.Digest()
}

func scanImage(ctx context.Context, o *Options, sopts scan.Options, rep *model.Report, log *slog.Logger) (*apply.Inventory, []byte, []LayerRef, error) {
	// The temporary directory is made only when an archive compressed as
	// a whole needs it, so a read-only cache does not stop plain scans.
	tmp := filepath.Join(o.CacheDir, "tmp")
	// The marker lets clean --all tell the cache from a directory trawl did
	// not make; a read-only cache is still usable for reading.
	if os.MkdirAll(o.CacheDir, 0o700) == nil {
		_ = fsutil.MarkCacheDir(o.CacheDir)
	}
	img, err := image.Open(ctx, o.Arg, image.Options{
		Input: o.Input, Platform: o.Platform, Sources: o.ImageSources, Insecure: o.Insecure,
		Username: o.Username, Password: o.Password, RegistryToken: o.RegistryToken,
		TempDir: tmp, Logger: log,
	})
	if err != nil {
		return nil, nil, nil, err
	}
	defer img.Close()
	if rep.ArtifactName == "" {
		rep.ArtifactName = o.Input
	}
	if o.Arg == "" {
		o.Arg = rep.ArtifactName
	}
	rep.ArtifactType = model.ArtifactContainerImage
	rep.Metadata.ImageID = img.ID()
	rep.Metadata.RepoTags = img.RepoTags()
	rep.Metadata.RepoDigests = img.RepoDigests()
	rep.Metadata.Reference = image.Reference(rep.ArtifactName, rep.Metadata.RepoTags, rep.Metadata.RepoDigests)
	rep.ArtifactID = image.ArtifactID(rep.Metadata.ImageID, rep.Metadata.Reference)
	raw := img.RawConfig()
	if len(raw) > 0 {
		var cfg any
		if json.Unmarshal(raw, &cfg) == nil {
			rep.Metadata.ImageConfig = cfg
		}
	}
	layers := img.Layers()
	scanLayers := make([]scan.Layer, len(layers))
	for i, l := range layers {
		ml := model.Layer{Size: l.Size, Digest: l.Digest, DiffID: l.DiffID, CreatedBy: l.CreatedBy}
		rep.Metadata.DiffIDs = append(rep.Metadata.DiffIDs, l.DiffID)
		rep.Metadata.Layers = append(rep.Metadata.Layers, ml)
		rep.Metadata.Size += l.Size
		scanLayers[i] = scan.Layer{Layer: ml, Open: l.Open}
	}
	if inv := o.imageReferrers(ctx, img, log); inv != nil {
		// From an SBOM referrer: no layers were analysed, so a --server
		// scan sends this inventory whole (no layer refs).
		return inv, raw, nil, nil
	}

	var refs []LayerRef
	if o.Remote != nil {
		refs = make([]LayerRef, len(scanLayers))
		// The server's cache: ask once which layers it lacks; only those
		// are read here, and uploaded.
		sopts.Cache = o.Remote.LayerCache()
		keys := make([]string, len(scanLayers))
		for i, l := range scanLayers {
			refs[i] = LayerRef{Layer: l.Layer}
			if l.DiffID != "" {
				keys[i] = scan.LayerKey(l.DiffID, sopts)
				refs[i].Key = keys[i]
			}
		}
		if err := o.Remote.Expect(ctx, keys); err != nil {
			return nil, nil, nil, err
		}
	} else if o.LayerCache != nil {
		sopts.Cache = o.LayerCache // one cache for a run of scans (registry scan)
	} else if c, err := cache.Open(ctx, o.CacheOptions(), log); err != nil {
		// memory: layers shared within this scan only. A Redis server is
		// not dialled here: one that is down makes layers misses, not errors.
		log.Warn("scanning without the layer cache", "err", err)
	} else {
		defer c.Close()
		sopts.Cache = c
	}
	if o.Progress != nil {
		// One bar for all layers: bytes read so far (uncompressed), and
		// how many layers are done. Cached layers are not read at all.
		bar := progressbar.NewOptions64(-1,
			progressbar.OptionSetWriter(o.Progress),
			progressbar.OptionShowBytes(true),
			progressbar.OptionSetDescription(fmt.Sprintf("layers 0/%d", len(layers))),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(100*time.Millisecond),
		)
		var mu sync.Mutex
		done := 0
		for i := range scanLayers {
			open := scanLayers[i].Open
			scanLayers[i].Open = func() (io.ReadCloser, error) {
				rc, err := open()
				if err != nil {
					return nil, err
				}
				return struct {
					io.Reader
					io.Closer
				}{io.TeeReader(rc, bar), rc}, nil
			}
		}
		sopts.OnLayer = func(l model.Layer, cached bool) {
			mu.Lock()
			defer mu.Unlock()
			done++
			bar.Describe(fmt.Sprintf("layers %d/%d", done, len(layers)))
			if done == len(layers) {
				bar.Finish()
			}
		}
	}
	inv, err := scan.Layers(ctx, scanLayers, sopts)
	return inv, raw, refs, err
}

func hasFindings(rep *model.Report) bool {
	for _, r := range rep.Results {
		if len(r.Vulnerabilities) > 0 || len(r.Secrets) > 0 || failedMisconfigs(r) > 0 || len(r.Findings) > 0 || len(r.Licenses) > 0 {
			return true
		}
	}
	return false
}

// complianceRan says whether the scan evaluated a compliance check ID.
func (o *Options) complianceRan(id string) bool {
	switch compliance.ScannerOf(id) {
	case compliance.ScannerVuln:
		return o.has(ScannerVuln)
	case compliance.ScannerSecret:
		return o.has(ScannerSecret) || slices.Contains(o.ImageConfigScanners, ScannerSecret)
	case compliance.ScannerMisconfig:
		up := strings.ToUpper(id)
		if o.misconfigChecks[up] {
			return true
		}
		for known := range o.misconfigChecks { // the short form, DS002 for DS-0002
			if model.ShortCheckID(known) == up {
				return true
			}
		}
		return false
	case compliance.ScannerForensics:
		return o.has(ScannerForensics) && slices.Contains(ForensicIDs, strings.ToUpper(id))
	}
	return false
}

func writeReport(o *Options, rep *model.Report) error {
	if o.Compliance != nil {
		cr, warnings := compliance.Build(rep, o.Compliance, o.complianceRan)
		for _, w := range warnings {
			o.Logger.Warn(w)
		}
		ro := o.Report
		ro.Width = o.TerminalWidth
		return writeTo(o.Output, o.Stdout, func(w io.Writer, toStdout bool) error {
			ro.Color = toStdout && o.Color
			return report.WriteCompliance(w, o.Format, o.ComplianceReport, cr, ro)
		})
	}
	ro := o.Report
	ro.ListAllPkgs = o.ListAllPkgs
	ro.Scanners = o.Scanners
	ro.Width = o.TerminalWidth
	if strings.HasSuffix(strings.ToLower(o.Output), ".xml") && o.Format == "cyclonedx" {
		ro.CycloneDXXML = true
	}
	return WriteOutput(o.Output, o.Stdout, o.Format, rep, ro, o.Color)
}

// WriteOutput writes the report to path or, when path is empty, to stdout.
// A regular file (new or existing, also behind a symlink) is written
// atomically: a temp file in the same directory, renamed over it, so a
// failed write never leaves half a report; a replaced file keeps its
// permission bits (a new one gets 0644). Anything else that exists —
// /dev/null, /dev/stdout, a named pipe — is written in place: renaming over
// a device would replace it. Colours are only used on stdout.
func WriteOutput(path string, stdout io.Writer, format string, rep *model.Report, ro report.Options, color bool) error {
	return writeTo(path, stdout, func(w io.Writer, toStdout bool) error {
		if toStdout {
			ro.Color = color
		}
		return report.Write(w, format, rep, ro)
	})
}

// writeTo runs write on stdout (toStdout true) or on path, as WriteOutput
// describes.
func writeTo(path string, stdout io.Writer, write func(w io.Writer, toStdout bool) error) (err error) {
	if path == "" {
		return write(stdout, true)
	}
	target := path
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		target = resolved
	}
	mode := os.FileMode(0o644) // a new report
	if fi, err := os.Stat(target); err == nil && fi.Mode().IsRegular() {
		mode = fi.Mode().Perm() // replacing a report keeps its permissions (a 0600 one stays private)
	} else if err == nil {
		if fi.IsDir() {
			return fmt.Errorf("output %s: is a directory", path)
		}
		f, err := os.OpenFile(target, os.O_WRONLY, 0)
		if err != nil {
			return fmt.Errorf("output %s: %w", path, err)
		}
		if err := write(f, false); err != nil {
			f.Close()
			return fmt.Errorf("output %s: %w", path, err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("output %s: %w", path, err)
		}
		return nil
	}
	dir := filepath.Dir(target)
	if _, statErr := os.Stat(dir); statErr != nil {
		return fmt.Errorf("output %s: %w", path, statErr)
	}
	tmp, err := os.CreateTemp(dir, ".trawl-report-*")
	if err != nil {
		return fmt.Errorf("output %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp, false); err != nil {
		return fmt.Errorf("output %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("output %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), mode); err != nil {
		return fmt.Errorf("output %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return fmt.Errorf("output %s: %w", path, err)
	}
	return nil
}
