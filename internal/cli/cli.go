// Package cli is trawl's command line: Trivy-compatible subcommands and
// flags, each flag also settable from trawl.yaml and TRAWL_* variables. It
// turns flags into app.Options and nothing more.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/trawlsec/trawl/internal/app"
	"github.com/trawlsec/trawl/internal/attest"
	"github.com/trawlsec/trawl/internal/cache"
	"github.com/trawlsec/trawl/internal/compliance"
	"github.com/trawlsec/trawl/internal/fsutil"
	"github.com/trawlsec/trawl/internal/helm"
	"github.com/trawlsec/trawl/internal/report"
	"github.com/trawlsec/trawl/internal/source/image"
	"github.com/trawlsec/trawl/internal/vulndb/store"
	"github.com/trawlsec/trawl/internal/walk"
)

// Version is set at build time with -ldflags "-X github.com/trawlsec/trawl/internal/cli.Version=v1.2.3".
var Version = ""

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// exitError carries a non-zero exit code that is not a failure (findings
// with --exit-code).
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit code %d", e.code) }

// Main runs trawl with args and returns the process exit code. Failures are
// printed as one line on stderr: never a stack trace.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "trawl: internal error: %v (please report this with --debug output)\n", p)
			code = 1
		}
	}()
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	var ee exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	default:
		fmt.Fprintf(stderr, "trawl: error: %s\n", oneLine(err.Error()))
		return 1
	}
}

// oneLine joins s into one line and escapes control characters (a path in
// an error may come from a scanned image).
func oneLine(s string) string {
	return report.Printable(strings.Join(strings.Fields(s), " "))
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "trawl",
		Short: "Find vulnerabilities, secrets, misconfigurations and licences in container images and filesystems",
		Long: `trawl is a fast, Trivy-compatible security scanner. It inventories OS and
language packages and finds their known vulnerabilities, leaked secrets (also
in deleted image layers and git history), misconfigurations (Dockerfiles,
Kubernetes, Helm, Compose, Terraform, CloudFormation, Azure ARM) and licences;
it takes images apart layer by layer for incident response (forensics, diff)
and writes Trivy-compatible reports.`,
		Example: `  # Scan an image archive written by "docker save"
  trawl image --input ruby-3.1.tar

  # Scan a registry image, JSON report, fail the build on findings
  trawl image -f json -o report.json --exit-code 1 registry.example.com/app:1.4

  # Scan a project directory
  trawl fs .`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version(),
	}
	root.SetVersionTemplate("Version: {{.Version}}\n")
	addFlags(root.PersistentFlags(), globalFlags)
	root.AddCommand(
		newScanCommand(app.TargetImage, stdout, stderr),
		newScanCommand(app.TargetFS, stdout, stderr),
		newScanCommand(app.TargetRootfs, stdout, stderr),
		newScanCommand(app.TargetRepo, stdout, stderr),
		newScanCommand(app.TargetSBOM, stdout, stderr),
		newScanCommand(targetConfig, stdout, stderr),
		newConvertCommand(),
		newDiffCommand(stdout, stderr),
		newRegistryCommand(stdout, stderr),
		newDBCommand(),
		newServerCommand(),
		newVersionCommand(),
		newCleanCommand(),
	)
	return root
}

// targetConfig is "trawl config": an fs scan with the misconfig scanner only.
const targetConfig = "config"

var scanDocs = map[string]struct {
	use, short, example string
	aliases             []string
}{
	app.TargetImage: {
		use: "image [flags] IMAGE_NAME", short: "Scan a container image", aliases: []string{"i"},
		example: `  # Scan an image in a registry (credentials from the docker config)
  trawl image alpine:3.19

  # Scan a docker-save tarball, OCI layout or OCI archive
  trawl image --input alpine.tar
  trawl image --input ./layout-dir:latest

  # Pick one platform of a multi-platform image
  trawl image --platform linux/arm64 alpine:3.19

  # All packages as Trivy-compatible JSON
  trawl image --input app.tar -f json --list-all-pkgs -o report.json`,
	},
	app.TargetFS: {
		use: "fs [flags] PATH", short: "Scan a local filesystem (projects, lockfiles)", aliases: []string{"filesystem"},
		example: `  # Scan the current project
  trawl fs .

  # Secrets only, skipping test fixtures
  trawl fs --scanners secret --skip-dirs '**/testdata' ./src`,
	},
	app.TargetSBOM: {
		use: "sbom [flags] SBOM_PATH", short: "Scan an SBOM (CycloneDX JSON/XML, SPDX JSON/tag-value, or a signed attestation with --key) for vulnerabilities",
		example: `  # An SBOM made at build time, by trawl or another tool
  trawl sbom app.cdx.json
  trawl sbom --format json -o vulns.json app.spdx.json

  # The SBOM of a cosign-signed attestation, verified with the signer's key
  trawl sbom --key cosign.pub app.cdx.sigstore.json`,
	},
	targetConfig: {
		use: "config [flags] DIR", short: "Scan configuration files (Dockerfiles, Kubernetes, Helm, Compose, Terraform, CloudFormation, Azure ARM) for misconfigurations", aliases: []string{"conf"},
		example: `  # Built-in Dockerfile checks on a project
  trawl config .

  # Add your own checks (Trivy's custom-check format) and fail on HIGH or worse
  trawl config --config-check ./policies --severity HIGH,CRITICAL --exit-code 1 .`,
	},
	app.TargetRepo: repoDoc,
	app.TargetRootfs: {
		use: "rootfs [flags] ROOTDIR", short: "Scan an unpacked root filesystem",
		example: `  # Scan an unpacked container or VM root filesystem
  trawl rootfs /mnt/rootfs`,
	},
}

func newScanCommand(target string, stdout, stderr io.Writer) *cobra.Command {
	doc := scanDocs[target]
	cmd := &cobra.Command{
		Use:     doc.use,
		Short:   doc.short,
		Aliases: doc.aliases,
		Example: doc.example,
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(cmd, target, args, stdout, stderr)
		},
	}
	addFlags(cmd.Flags(), scanFlags)
	addFlags(cmd.Flags(), dbFlags)
	if target != app.TargetSBOM {
		addFlags(cmd.Flags(), misconfFlags)
	}
	if target == targetConfig {
		// trawl config runs the misconfig scanner only.
		for _, f := range []flagDef{flagScanners, flagPkgTypes, flagSecretCfg, flagListAll} {
			_ = cmd.Flags().MarkHidden(f.name)
		}
	}
	if target == app.TargetImage {
		addFlags(cmd.Flags(), imageFlags)
		addFlags(cmd.Flags(), referrerFlags)
	}
	if target == app.TargetRepo {
		addFlags(cmd.Flags(), repoFlags)
	}
	if target == app.TargetSBOM || target == app.TargetImage {
		addFlags(cmd.Flags(), attestFlags)
	}
	addFlags(cmd.Flags(), licenseFlags)
	if target != targetConfig {
		addFlags(cmd.Flags(), clientFlags)
	}
	return cmd
}

var knownScanners = []string{app.ScannerVuln, app.ScannerSecret, app.ScannerMisconfig, app.ScannerLicense, app.ScannerForensics}

func runScan(cmd *cobra.Command, target string, args []string, stdout, stderr io.Writer) error {
	o, err := scanOptions(cmd, target, args, stdout, stderr)
	if err != nil {
		return err
	}
	code, err := app.Run(cmd.Context(), o)
	if err != nil {
		return err
	}
	if code != 0 {
		return exitError{code: code}
	}
	return nil
}

// scanOptions reads the flags of a scan command into app.Options.
func scanOptions(cmd *cobra.Command, target string, args []string, stdout, stderr io.Writer) (app.Options, error) {
	s, err := loadSettings(cmd)
	if err != nil {
		return app.Options{}, err
	}
	configCmd := target == targetConfig
	if configCmd {
		target = app.TargetFS
	}
	o := app.Options{Target: target, Stdout: stdout, Stderr: stderr}
	if len(args) > 0 {
		o.Arg = args[0]
	}
	var errs []error
	collect := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	quiet, err := s.Bool(flagQuiet)
	collect(err)
	debugOn, err := s.Bool(flagDebug)
	collect(err)
	o.Insecure, err = s.Bool(flagInsecure)
	collect(err)
	o.Timeout, err = s.Duration(flagTimeout)
	collect(err)
	o.CacheDir = s.String(flagCacheDir)
	o.Format = strings.ToLower(s.String(flagFormat))
	o.Output = s.String(flagOutput)
	o.Severities = upper(s.Strings(flagSeverity))
	o.ExitCode, err = s.ExitCode(flagExitCode)
	collect(err)
	o.ListAllPkgs, err = s.Bool(flagListAll)
	collect(err)
	o.Scanners = normaliseScanners(s.Strings(flagScanners))
	switch {
	case isSet(cmd, s, flagScanners):
	case target == app.TargetSBOM:
		o.Scanners = []string{app.ScannerVuln} // an SBOM holds no file contents to search
	case slices.Contains(sbomFormats, o.Format):
		// As Trivy: an SBOM format asks for the inventory, not for
		// findings; no DB is needed unless --scanners names vuln.
		o.Scanners = nil
	}
	if configCmd {
		o.Scanners = []string{app.ScannerMisconfig}
	}
	if target != app.TargetSBOM {
		o.Misconfig = app.MisconfigOptions{
			CheckPaths: s.Strings(flagConfigCheck), Namespaces: s.Strings(flagCheckNamespaces),
			DataPaths: s.Strings(flagConfigData),
			Helm: helm.Options{
				ValueFiles: s.Strings(flagHelmValues), Values: s.Strings(flagHelmSet),
				StringValues: s.Strings(flagHelmSetString), FileValues: s.Strings(flagHelmSetFile),
				APIVersions: s.Strings(flagHelmAPIVersions), KubeVersion: s.String(flagHelmKubeVersion),
			},
		}
		o.Misconfig.IncludeNonFailures, err = s.Bool(flagIncludeNonFailures)
		collect(err)
		o.Misconfig.TfVars = s.Strings(flagTfVars)
		o.Misconfig.CfParams = s.Strings(flagCfParams)
		o.Misconfig.ArmParams = s.Strings(flagArmParams)
		o.Misconfig.TfExcludeDownloadedModules, err = s.Bool(flagTfExcludeDownloaded)
		collect(err)
		if err := misconfigTypes(s, &o.Misconfig); err != nil {
			return app.Options{}, err
		}
	}
	if o.License, err = licenseOptions(s); err != nil {
		return app.Options{}, err
	}
	o.SkipDirs = s.Strings(flagSkipDirs)
	o.SkipFiles = s.Strings(flagSkipFiles)
	o.Parallel, err = s.Int(flagParallel)
	collect(err)
	o.MaxFileSize, err = parseSize(flagMaxFileSize.name, s.String(flagMaxFileSize))
	collect(err)
	o.MaxTotalSize, err = parseSize(flagMaxTotal.name, s.String(flagMaxTotal))
	collect(err)
	o.PkgTypes = s.Strings(flagPkgTypes)
	if configCmd {
		o.PkgTypes = nil // configuration files only
	}
	o.SecretConfig = s.String(flagSecretCfg)
	o.SecretConfigExplicit = isSet(cmd, s, flagSecretCfg)
	if target == app.TargetRepo {
		if o.Repo, err = repoOptions(s); err != nil {
			return app.Options{}, err
		}
	}
	if target == app.TargetImage {
		o.Input = s.String(flagInput)
		o.Platform = s.String(flagPlatform)
		for _, src := range s.Strings(flagImageSrc) {
			if !slices.Contains(image.KnownSources, src) {
				return app.Options{}, fmt.Errorf("--image-src %q is not a source (%s)", src, strings.Join(image.KnownSources, ", "))
			}
			if !slices.Contains(o.ImageSources, src) {
				o.ImageSources = append(o.ImageSources, src)
			}
		}
		if len(o.ImageSources) == 0 {
			return app.Options{}, fmt.Errorf("--image-src names no source (%s)", strings.Join(image.KnownSources, ", "))
		}
		o.ImageConfigScanners = normaliseScanners(s.Strings(flagImageCfgScanners))
		for _, src := range s.Strings(flagSBOMSources) {
			switch src {
			case app.SBOMSourceOCI:
				o.SBOMSources = append(o.SBOMSources, src)
			case "rekor":
				return app.Options{}, fmt.Errorf("--sbom-sources %s: Rekor SBOM discovery is not built yet (oci is; SBOM files inside the image are always read); remove it", src)
			default:
				return app.Options{}, fmt.Errorf("--sbom-sources %q is not a source (oci, rekor)", src)
			}
		}
		co, err := cacheOptions(s, o.CacheDir)
		if err != nil {
			return app.Options{}, err
		}
		o.CacheBackend, o.CacheTTL = co.Backend, co.TTL
		o.RedisCA, o.RedisCert, o.RedisKey, o.RedisTLS = co.RedisCA, co.RedisCert, co.RedisKey, co.RedisTLS
		o.Username = s.String(flagUsername)
		o.Password = s.String(flagPassword)
		o.RegistryToken = s.String(flagRegToken)
	}
	if target == app.TargetSBOM || target == app.TargetImage {
		o.Attestation = attest.Options{Key: s.String(flagAttestKey), TrustedRoot: s.String(flagTrustedRoot),
			CertificateIdentity: s.String(flagCertIdentity), CertificateOIDCIssuer: s.String(flagCertOIDCIssuer),
			SubjectDigest: s.String(flagSubjectDigest)}
		collect(o.Attestation.Validate())
		if target == app.TargetImage && o.Attestation.Enabled() && !slices.Contains(o.SBOMSources, app.SBOMSourceOCI) {
			collect(errors.New("--key/--trusted-root on trawl image verify SBOM attestation referrers: add --sbom-sources oci"))
		}
		if target == app.TargetImage && o.Attestation.SubjectDigest != "" {
			collect(errors.New("--subject-digest: on trawl image the subject must be the image scanned; remove it"))
		}
	}
	if name := s.String(flagCompliance); name != "" && target != app.TargetSBOM {
		spec, err := compliance.Load(name)
		if err != nil {
			return app.Options{}, err
		}
		o.Compliance, o.ComplianceReport = spec, s.String(flagReport)
		o.Scanners = complianceScanners(spec, target, configCmd)
		if target == app.TargetImage && slices.Contains(o.Scanners, app.ScannerMisconfig) {
			// As Trivy: an image's misconfigurations are its config's.
			o.ImageConfigScanners = slices.DeleteFunc(o.ImageConfigScanners, func(s string) bool { return s == "none" })
			if !slices.Contains(o.ImageConfigScanners, app.ScannerMisconfig) {
				o.ImageConfigScanners = append(o.ImageConfigScanners, app.ScannerMisconfig)
			}
		}
	}
	o.Quiet = quiet
	o.IgnoreUnfixed, err = s.Bool(flagIgnoreUnfixed)
	collect(err)
	o.IgnoreStatuses = s.Strings(flagIgnoreStatus)
	o.IgnoreFile = s.String(flagIgnoreFile)
	o.IgnoreFileExplicit = isSet(cmd, s, flagIgnoreFile)
	o.VEXFiles = s.Strings(flagVEX)
	if i := slices.Index(o.VEXFiles, app.VEXSourceOCI); i >= 0 {
		if target != app.TargetImage {
			return app.Options{}, errors.New("--vex oci: VEX referrers exist only for registry images (trawl image)")
		}
		o.VEXFiles, o.VEXOCI = slices.Delete(o.VEXFiles, i, i+1), true
	}
	if target == app.TargetImage {
		o.PushSBOM, err = s.Bool(flagPushSBOM)
		collect(err)
	}
	o.Baseline = s.String(flagBaseline)
	o.ShowSuppressed, err = s.Bool(flagShowSuppressed)
	collect(err)
	o.ExitOnEOL, err = s.ExitCode(flagExitOnEOL)
	collect(err)
	o.Report, err = reportOptions(s)
	collect(err)
	o.Report.DependencyTree, err = s.Bool(flagDependencyTree)
	collect(err)
	o.IncludeDevDeps, err = s.Bool(flagIncludeDevDeps)
	collect(err)
	o.DB, err = dbOptions(s, o.Insecure)
	collect(err)

	if err := errors.Join(errs...); err != nil {
		return app.Options{}, err
	}
	if err := validate(&o, target); err != nil {
		return app.Options{}, err
	}
	if !configCmd {
		if o.Remote, err = remoteClient(s); err != nil {
			return app.Options{}, err
		}
	}

	_ = debugOn
	o.Logger = newLogger(cmd, s)
	o.DB.Logger = o.Logger
	if s.loadedFrom != "" {
		o.Logger.Debug("loaded config file", "path", s.loadedFrom)
	}
	if !quiet && isTTY(stderr) {
		o.Progress = stderr
		o.DB.Progress = stderr
	}
	if f, ok := stdout.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil {
			o.TerminalWidth = w
		}
		o.Color = os.Getenv("NO_COLOR") == ""
	}

	return o, nil
}

// dbOptions reads the vulnerability DB flags a scan uses.
func dbOptions(s *settings, insecure bool) (app.DBOptions, error) {
	o := app.DBOptions{
		Path: dbPath(s), Repositories: s.Strings(flagDBRepository), Ecosystems: s.Strings(flagDBEcosystems),
		Insecure: insecure,
	}
	var errs [3]error
	o.MaxAge, errs[0] = s.Duration(flagDBMaxAge)
	o.SkipUpdate, errs[1] = s.Bool(flagSkipDBUpdate)
	o.Offline, errs[2] = s.Bool(flagOfflineScan)
	return o, errors.Join(errs[:]...)
}

// reportOptions reads the writer flags.
func reportOptions(s *settings) (report.Options, error) {
	xml, err := s.Bool(flagCycloneDXXML)
	return report.Options{
		AppVersion:   version(),
		Template:     s.String(flagTemplate),
		CycloneDXXML: xml,
		Getenv:       os.Getenv,
		GitHub: report.GitHubEnv{
			Ref: os.Getenv("GITHUB_REF"), SHA: os.Getenv("GITHUB_SHA"), Job: os.Getenv("GITHUB_JOB"),
			RunID: os.Getenv("GITHUB_RUN_ID"), Workflow: os.Getenv("GITHUB_WORKFLOW"),
		},
	}, err
}

// newLogger logs to stderr: warnings and up by default, debug with
// --debug, errors only with --quiet.
func newLogger(cmd *cobra.Command, s *settings) *slog.Logger {
	level := slog.LevelInfo
	if d, _ := s.Bool(flagDebug); d {
		level = slog.LevelDebug
	} else if q, _ := s.Bool(flagQuiet); q {
		level = slog.LevelError
	}
	return slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))
}

func isSet(cmd *cobra.Command, s *settings, f flagDef) bool {
	if cmd.Flags().Changed(f.name) {
		return true
	}
	_, ok := s.raw(f)
	return ok
}

func upper(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = strings.ToUpper(s)
	}
	return out
}

// sbomFormats are the formats that make a scan an SBOM generation.
var sbomFormats = []string{"cyclonedx", "spdx", "spdx-json"}

// complianceScanners are the scanners a compliance spec needs that the
// target runs: trawl config runs misconfig only, forensics runs on images
// and root filesystems only. Controls whose scanner cannot run simply
// find nothing, as their checks would not apply to that target.
func complianceScanners(spec *compliance.Spec, target string, configCmd bool) []string {
	var out []string
	for _, s := range spec.Scanners() {
		switch {
		case configCmd && s != app.ScannerMisconfig:
		case s == app.ScannerForensics && target != app.TargetImage && target != app.TargetRootfs:
		default:
			out = append(out, s)
		}
	}
	return out
}

// normaliseScanners maps Trivy's aliases to scanner IDs.
func normaliseScanners(in []string) []string {
	var out []string
	for _, s := range in {
		switch strings.ToLower(s) {
		case "vulnerability":
			s = app.ScannerVuln
		case "misconf", "misconfiguration", "config":
			s = app.ScannerMisconfig
		default:
			s = strings.ToLower(s)
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func validate(o *app.Options, target string) error {
	if target == app.TargetImage && o.Arg == "" && o.Input == "" {
		return errors.New("image: give an image name or --input FILE")
	}
	if target != app.TargetImage && o.Arg == "" {
		return fmt.Errorf("%s: give a path to scan", target)
	}
	if !slices.Contains(report.Formats, o.Format) {
		return fmt.Errorf("--format %q is not supported (supported: %s)", o.Format, strings.Join(report.Formats, ", "))
	}
	if o.Compliance != nil {
		if !slices.Contains(report.ComplianceFormats, o.Format) {
			return fmt.Errorf("--format %s: a compliance report is written as %s", o.Format, strings.Join(report.ComplianceFormats, " or "))
		}
		if o.ComplianceReport != report.ComplianceSummary && o.ComplianceReport != report.ComplianceAll {
			return fmt.Errorf("--report %q is not a report mode (summary, all)", o.ComplianceReport)
		}
	}
	if o.Format == "template" && o.Report.Template == "" {
		return errors.New("--format template needs --template (inline text or @file.tpl)")
	}
	for _, s := range o.Severities {
		if !slices.Contains(report.Severities, s) {
			return fmt.Errorf("--severity %q is not a severity (%s)", s, strings.Join(report.Severities, ", "))
		}
	}
	for _, s := range o.Scanners {
		if !slices.Contains(knownScanners, s) {
			return fmt.Errorf("--scanners %q is not a scanner (%s)", s, strings.Join(knownScanners, ", "))
		}
		if !slices.Contains(app.BuiltScanners, s) {
			return fmt.Errorf("--scanners %s: this scanner is not built yet, so its checks would never run; remove it from --scanners (or scan.scanners in trawl.yaml)", s)
		}
	}
	if slices.Contains(o.Scanners, app.ScannerForensics) && target != app.TargetImage && target != app.TargetRootfs {
		return fmt.Errorf("--scanners forensics: runs on image and rootfs targets only, not %s", target)
	}
	for _, s := range o.ImageConfigScanners {
		if s == app.ScannerForensics {
			return errors.New("--image-config-scanners forensics: the image config is not checked by the forensics scanner yet; remove it")
		}
		if s != "" && s != "none" && (!slices.Contains(app.BuiltScanners, s) || s == app.ScannerVuln || s == app.ScannerLicense) {
			return fmt.Errorf("--image-config-scanners %s: this scanner is not built yet for the image config; remove it", s)
		}
	}
	for _, p := range o.PkgTypes {
		if p != "os" && p != "library" {
			return fmt.Errorf("--pkg-types %q is not a package type (os, library)", p)
		}
	}
	if err := walk.ValidatePatterns(o.SkipDirs); err != nil {
		return fmt.Errorf("--skip-dirs: %w", err)
	}
	if err := walk.ValidatePatterns(o.SkipFiles); err != nil {
		return fmt.Errorf("--skip-files: %w", err)
	}
	if o.Timeout < 0 {
		return errors.New("--timeout must not be negative")
	}
	return nil
}

// versionInfo is what `trawl version` prints; the JSON keys follow Trivy's.
type versionInfo struct {
	Version         string
	VulnerabilityDB *dbInfo `json:",omitempty"`
}

// dbInfo is the DB's metadata: Trivy's keys (Version is the schema
// version, UpdatedAt when it was built), then what trawl's DB records.
type dbInfo struct {
	Version         int
	UpdatedAt       time.Time
	Path            string
	Vulnerabilities int
	Packages        int
	Sources         []string `json:",omitempty"`
}

func newVersionCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version, and the vulnerability DB's when there is one",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := loadSettings(cmd)
			if err != nil {
				return err
			}
			info := versionInfo{Version: version(), VulnerabilityDB: readDBInfo(dbPath(s))}
			w := cmd.OutOrStdout()
			switch format {
			case "json":
				return json.NewEncoder(w).Encode(info)
			case "table", "":
				fmt.Fprintf(w, "Version: %s\n", info.Version)
				if db := info.VulnerabilityDB; db != nil {
					fmt.Fprintf(w, "Vulnerability DB:\n  Version: %d\n  UpdatedAt: %s\n  Path: %s\n  Vulnerabilities: %d\n  Packages: %d\n",
						db.Version, db.UpdatedAt.Format(time.RFC3339), db.Path, db.Vulnerabilities, db.Packages)
					if len(db.Sources) > 0 {
						fmt.Fprintf(w, "  Sources: %s\n", strings.Join(db.Sources, ", "))
					}
				}
				return nil
			}
			return fmt.Errorf("--format %q is not supported (table, json)", format)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "table", "version format (table, json)")
	addFlags(cmd.Flags(), []flagDef{flagDBPath})
	return cmd
}

// readDBInfo returns the metadata of the DB at path, or nil when there is
// no readable DB.
func readDBInfo(path string) *dbInfo {
	st, err := store.Open(path)
	if err != nil {
		return nil
	}
	defer st.Close()
	m := st.Metadata()
	info := &dbInfo{Version: m.SchemaVersion, UpdatedAt: m.BuiltAt.UTC(), Path: path,
		Vulnerabilities: m.Vulnerabilities, Packages: m.Packages}
	for _, src := range m.Sources {
		info.Sources = append(info.Sources, src.Name)
	}
	return info
}

// cacheOptions reads the layer cache flags once and checks them (the
// backend's name or URL, the TLS files, the TTL) without connecting.
func cacheOptions(s *settings, cacheDir string) (cache.Options, error) {
	o := cache.Options{
		Backend: s.String(flagCacheBackend), Dir: filepath.Join(cacheDir, "scan"),
		RedisCA: s.String(flagRedisCA), RedisCert: s.String(flagRedisCert), RedisKey: s.String(flagRedisKey),
	}
	var err error
	if o.TTL, err = s.Duration(flagCacheTTL); err != nil {
		return o, err
	}
	if o.RedisTLS, err = s.Bool(flagRedisTLS); err != nil {
		return o, err
	}
	return o, cache.Check(o)
}

// safeToRemove refuses to clean a cache directory that is obviously not
// one: the filesystem root or the home directory (a mistyped --cache-dir).
func safeToRemove(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("clean: %w", err)
	}
	home, _ := os.UserHomeDir()
	if abs == filepath.Dir(abs) || (home != "" && abs == filepath.Clean(home)) {
		return fmt.Errorf("clean: refusing to remove %s: it is not a cache directory", abs)
	}
	return nil
}

func newCleanCommand() *cobra.Command {
	var scanCache, all bool
	cmd := &cobra.Command{
		Use:   "clean",
		Short: "Remove cached files",
		Example: `  # Empty the layer cache
  trawl clean --scan-cache

  # Remove everything trawl caches (only what trawl wrote: the cache
  # directory must carry trawl's .trawl-cache marker, or hold nothing else)
  trawl clean --all`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := loadSettings(cmd)
			if err != nil {
				return err
			}
			dir := s.String(flagCacheDir)
			if !scanCache && !all {
				return errors.New("clean: say what to remove (--scan-cache or --all)")
			}
			if all {
				if err := safeToRemove(dir); err != nil {
					return err
				}
				left, err := fsutil.CleanCacheDir(dir)
				if err != nil {
					return fmt.Errorf("clean: %w", err)
				}
				for _, p := range left {
					fmt.Fprintf(cmd.ErrOrStderr(), "trawl: kept %s: trawl did not write it\n", report.Printable(p))
				}
				return nil
			}
			co, err := cacheOptions(s, dir)
			if err != nil {
				return err
			}
			return cache.ClearScanCache(cmd.Context(), co)
		},
	}
	addFlags(cmd.Flags(), cacheFlags)
	cmd.Flags().BoolVar(&scanCache, "scan-cache", false, "remove the layer (scan) cache (and, with a redis:// --cache-backend, trawl's keys in Redis)")
	cmd.Flags().BoolVar(&all, "all", false, "remove every cached file, the vulnerability DB included")
	return cmd
}
