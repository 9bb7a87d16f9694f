package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/trawlsec/trawl/internal/fsutil"
)

// A flag is defined once and read from, in order of precedence: the command
// line, the TRAWL_<NAME> environment variable, the config file (under its
// dotted config name, as Trivy's trivy.yaml, or under the flag name at the
// top level), and its default.
type flagDef struct {
	name       string
	short      string
	configName string
	def        any // string, bool, int, []string, time.Duration
	usage      string
}

func (f flagDef) envName() string {
	return "TRAWL_" + strings.ToUpper(strings.ReplaceAll(f.name, "-", "_"))
}

// Flags, grouped as Trivy groups them. Config names follow trivy.yaml.
var (
	flagConfig   = flagDef{name: "config", short: "c", configName: "config", def: "trawl.yaml", usage: "config file path"}
	flagQuiet    = flagDef{name: "quiet", short: "q", configName: "quiet", def: false, usage: "suppress progress bar and log output"}
	flagDebug    = flagDef{name: "debug", short: "d", configName: "debug", def: false, usage: "debug mode"}
	flagCacheDir = flagDef{name: "cache-dir", configName: "cache.dir", def: defaultCacheDir(), usage: "cache directory"}
	flagTimeout  = flagDef{name: "timeout", configName: "timeout", def: 5 * time.Minute, usage: "timeout for the whole scan"}
	flagInsecure = flagDef{name: "insecure", configName: "insecure", def: false, usage: "allow insecure server connections (plain HTTP, unverified TLS)"}

	flagCacheBackend = flagDef{name: "cache-backend", configName: "cache.backend", def: "fs", usage: "layer cache: fs (under --cache-dir), memory (this scan only), redis://[user:pass@]host:port[/db] or rediss://… (TLS)"}
	flagCacheTTL     = flagDef{name: "cache-ttl", configName: "cache.ttl", def: time.Duration(0), usage: "how long Redis keeps a layer's result (0: no expiry; fs and memory ignore it)"}
	flagRedisCA      = flagDef{name: "redis-ca", configName: "cache.redis.ca", def: "", usage: "CA certificate (PEM) of the Redis server; with --redis-cert and --redis-key it turns TLS on"}
	flagRedisCert    = flagDef{name: "redis-cert", configName: "cache.redis.cert", def: "", usage: "client certificate (PEM) for Redis TLS"}
	flagRedisKey     = flagDef{name: "redis-key", configName: "cache.redis.key", def: "", usage: "client key (PEM) for Redis TLS"}
	flagRedisTLS     = flagDef{name: "redis-tls", configName: "cache.redis.tls", def: false, usage: "connect to Redis over TLS, trusting the system's CAs"}
	flagFormat       = flagDef{name: "format", short: "f", configName: "format", def: "table", usage: "format (table, json, sarif, cyclonedx, spdx, spdx-json, github, template, cosign-vuln)"}
	flagOutput       = flagDef{name: "output", short: "o", configName: "output", def: "", usage: "output file name (default: stdout)"}
	flagSeverity     = flagDef{name: "severity", short: "s", configName: "severity", def: []string{"UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"}, usage: "severities of findings to be displayed"}
	flagExitCode     = flagDef{name: "exit-code", configName: "exit-code", def: 0, usage: "exit code when findings remain after filtering"}
	flagListAll      = flagDef{name: "list-all-pkgs", configName: "list-all-pkgs", def: true, usage: "output all packages in the JSON report regardless of vulnerabilities"}
	flagScanners     = flagDef{name: "scanners", configName: "scan.scanners", def: []string{"vuln", "secret"}, usage: "comma-separated list of what to scan (vuln, secret, misconfig, license, forensics)"}
	flagSkipDirs     = flagDef{name: "skip-dirs", configName: "scan.skip-dirs", def: []string{}, usage: "directories to skip (glob patterns)"}
	flagSkipFiles    = flagDef{name: "skip-files", configName: "scan.skip-files", def: []string{}, usage: "files to skip (glob patterns)"}
	flagParallel     = flagDef{name: "parallel", configName: "scan.parallel", def: 0, usage: "number of layers and files analysed in parallel (0: number of CPUs)"}
	flagMaxFileSize  = flagDef{name: "max-file-size", configName: "scan.max-file-size", def: "64MiB", usage: "largest single file handed to analyzers (bigger files are skipped and listed under --debug)"}
	flagMaxTotal     = flagDef{name: "max-total-size", configName: "scan.max-total-size", def: "4GiB", usage: "most bytes handed to analyzers per layer"}
	flagPkgTypes     = flagDef{name: "pkg-types", configName: "pkg.types", def: []string{"os", "library"}, usage: "package types to report (os, library)"}
	flagSecretCfg    = flagDef{name: "secret-config", configName: "secret.config", def: "trivy-secret.yaml", usage: "secret rules file (Trivy's trivy-secret.yaml format)"}

	flagIgnoreUnfixed  = flagDef{name: "ignore-unfixed", configName: "vulnerability.ignore-unfixed", def: false, usage: "display only fixed vulnerabilities"}
	flagIgnoreStatus   = flagDef{name: "ignore-status", configName: "vulnerability.ignore-status", def: []string{}, usage: "vulnerability statuses to ignore (unknown, not_affected, affected, fixed, under_investigation, will_not_fix, fix_deferred, end_of_life)"}
	flagIgnoreFile     = flagDef{name: "ignorefile", configName: "ignorefile", def: ".trivyignore", usage: "ignore file (.trivyignore plain form, or .trivyignore.yaml)"}
	flagVEX            = flagDef{name: "vex", configName: "vulnerability.vex", def: []string{}, usage: "VEX documents (OpenVEX, CycloneDX VEX, CSAF VEX); repeatable; oci: OpenVEX documents attached to the registry image as OCI referrers"}
	flagShowSuppressed = flagDef{name: "show-suppressed", configName: "scan.show-suppressed", def: false, usage: "list findings suppressed by the ignore file or VEX (ExperimentalModifiedFindings)"}
	flagBaseline       = flagDef{name: "baseline", configName: "scan.baseline", def: "", usage: "earlier JSON report (trawl or Trivy, -f json) of the same artifact: report and --exit-code only findings not in it"}
	flagExitOnEOL      = flagDef{name: "exit-on-eol", configName: "exit-on-eol", def: 0, usage: "exit code when the OS has reached end of life"}

	flagTemplate     = flagDef{name: "template", short: "t", configName: "template", def: "", usage: "output template for --format template (inline, or @file.tpl; built-ins: @contrib/html.tpl, @contrib/junit.tpl, @contrib/gitlab.tpl, @contrib/gitlab-codequality.tpl, @contrib/asff.tpl)"}
	flagCycloneDXXML = flagDef{name: "cyclonedx-xml", configName: "cyclonedx-xml", def: false, usage: "write CycloneDX as XML (also when --output ends in .xml)"}

	flagCompliance = flagDef{name: "compliance", configName: "scan.compliance", def: "", usage: "write a compliance report of this spec instead of the findings: docker-cis-1.6.0, k8s-pss-baseline, k8s-pss-restricted, or @spec.yaml (Trivy's spec format)"}
	flagReport     = flagDef{name: "report", configName: "report", def: "summary", usage: "compliance report: summary (one line per control) or all (the failing findings of each control)"}

	flagAttestKey      = flagDef{name: "key", configName: "sbom.key", def: "", usage: "public key (PEM: ECDSA, Ed25519, RSA; cosign.pub) that must have signed the SBOM attestation scanned: the file (trawl sbom), or a Sigstore bundle referrer (trawl image --sbom-sources oci)"}
	flagTrustedRoot    = flagDef{name: "trusted-root", configName: "sbom.trusted-root", def: "", usage: "Sigstore trusted_root.json for keyless verification of the SBOM attestation (with --certificate-identity and --certificate-oidc-issuer); read offline"}
	flagCertIdentity   = flagDef{name: "certificate-identity", configName: "sbom.certificate-identity", def: "", usage: "keyless: the identity (certificate SAN) that must have signed the SBOM attestation"}
	flagCertOIDCIssuer = flagDef{name: "certificate-oidc-issuer", configName: "sbom.certificate-oidc-issuer", def: "", usage: "keyless: the OIDC issuer of that identity"}
	flagSubjectDigest  = flagDef{name: "subject-digest", configName: "sbom.subject-digest", def: "", usage: "trawl sbom: digest (sha256:<hex>) that must be a subject of the verified SBOM attestation"}

	flagDependencyTree = flagDef{name: "dependency-tree", configName: "dependency-tree", def: false, usage: "show, in the table, how each vulnerable package was pulled in"}
	flagIncludeDevDeps = flagDef{name: "include-dev-deps", configName: "include-dev-deps", def: false, usage: "include development dependencies (fs and repo targets)"}

	flagSBOMSources = flagDef{name: "sbom-sources", configName: "sbom.sources", def: []string{}, usage: "remote SBOM discovery: oci (a CycloneDX or SPDX JSON SBOM attached to a registry image as an OCI referrer is scanned instead of its layers); rekor is not built yet. SBOM files inside the image (*.cdx.json, *.spdx.json, Bitnami's .spdx-*.spdx) are always read"}
	flagPushSBOM    = flagDef{name: "push-sbom", configName: "sbom.push", def: false, usage: "after scanning a registry image, attach the scan's CycloneDX SBOM to it as an OCI referrer (needs push rights)"}

	flagConfigCheck         = flagDef{name: "config-check", configName: "misconfiguration.config-check", def: []string{}, usage: "Rego check files or folders of them, in Trivy's custom-check format (misconfig scanner); repeatable"}
	flagCheckNamespaces     = flagDef{name: "check-namespaces", configName: "misconfiguration.check-namespaces", def: []string{}, usage: "Rego package prefixes whose checks run, besides builtin and user"}
	flagConfigData          = flagDef{name: "config-data", configName: "misconfiguration.config-data", def: []string{}, usage: "JSON/YAML data files or folders for the checks (under data.)"}
	flagIncludeNonFailures  = flagDef{name: "include-non-failures", configName: "misconfiguration.include-non-failures", def: false, usage: "also report the checks that passed (Status PASS)"}
	flagFilePatterns        = flagDef{name: "file-patterns", configName: "scan.file-patterns", def: []string{}, usage: "more configuration files, TYPE:REGEX (dockerfile, kubernetes, compose, cloudformation, azure-arm or terraformplan-json; the regex matches the path from the scan root), e.g. dockerfile:Customfile; repeatable"}
	flagMisconfScanners     = flagDef{name: "misconfig-scanners", configName: "misconfiguration.scanners", def: []string{"dockerfile", "kubernetes", "helm", "compose", "terraform", "terraformplan-json", "cloudformation", "azure-arm"}, usage: "configuration types to check (dockerfile, kubernetes, helm, compose, terraform, terraformplan-json, cloudformation, azure-arm)"}
	flagCfParams            = flagDef{name: "cf-params", configName: "misconfiguration.cloudformation.params", def: []string{}, usage: "CloudFormation parameter files (JSON: [{ParameterKey, ParameterValue}] or {key: value}) overriding the templates' defaults; repeatable"}
	flagArmParams           = flagDef{name: "arm-params", configName: "misconfiguration.azure-arm.params", def: []string{}, usage: "ARM deployment parameter files ({\"parameters\": {name: {\"value\": …}}}) overriding the templates' defaults; repeatable"}
	flagTfVars              = flagDef{name: "tf-vars", configName: "misconfiguration.terraform.vars", def: []string{}, usage: "Terraform .tfvars files applied to every root module after its own; repeatable"}
	flagTfExcludeDownloaded = flagDef{name: "tf-exclude-downloaded-modules", configName: "misconfiguration.terraform.exclude-downloaded-modules", def: false, usage: "drop findings in modules downloaded to .terraform/modules"}
	flagHelmValues          = flagDef{name: "helm-values", configName: "misconfiguration.helm.values", def: []string{}, usage: "Helm values files merged over each chart's values.yaml; repeatable"}
	flagHelmSet             = flagDef{name: "helm-set", configName: "misconfiguration.helm.set", def: []string{}, usage: "Helm values on the command line (key1=val1,key2=val2), as helm --set"}
	flagHelmSetString       = flagDef{name: "helm-set-string", configName: "misconfiguration.helm.set-string", def: []string{}, usage: "Helm string values on the command line (key1=val1,key2=val2), as helm --set-string"}
	flagHelmSetFile         = flagDef{name: "helm-set-file", configName: "misconfiguration.helm.set-file", def: []string{}, usage: "Helm values read from files (key1=path1,key2=path2), as helm --set-file"}
	flagHelmAPIVersions     = flagDef{name: "helm-api-versions", configName: "misconfiguration.helm.api-versions", def: []string{}, usage: "API versions added to .Capabilities.APIVersions (policy/v1/PodDisruptionBudget,apps/v1/Deployment), as helm template --api-versions"}
	flagHelmKubeVersion     = flagDef{name: "helm-kube-version", configName: "misconfiguration.helm.kube-version", def: "", usage: "Kubernetes version for .Capabilities.KubeVersion, as helm template --kube-version"}

	flagIgnoredLicenses = flagDef{name: "ignored-licenses", configName: "license.ignored", def: []string{}, usage: "licences not reported by the license scanner (SPDX IDs or names as packages write them)"}
	flagLicenseFull     = flagDef{name: "license-full", configName: "license.full", def: false, usage: "also classify licence files (LICENSE*, COPYING*, NOTICE*) found in the artifact"}
	flagLicenseConf     = flagDef{name: "license-confidence-level", configName: "license.confidenceLevel", def: "0.9", usage: "least confidence (0 to 1) of a licence file classification"}

	flagInput            = flagDef{name: "input", configName: "image.input", def: "", usage: "image archive (docker save tarball, OCI layout or OCI archive) instead of a registry"}
	flagImageSrc         = flagDef{name: "image-src", configName: "image.source", def: []string{"docker", "containerd", "podman", "remote"}, usage: "image sources, in priority order, for an image named without --input (docker, containerd, podman, remote)"}
	flagPlatform         = flagDef{name: "platform", configName: "image.platform", def: "", usage: "platform of a multi-platform image, os/arch[/variant] (default linux/amd64)"}
	flagImageCfgScanners = flagDef{name: "image-config-scanners", configName: "image.image-config-scanners", def: []string{"secret"}, usage: "scanners for the image config: env, labels and history commands (secret; empty or 'none' turns it off)"}
	flagUsername         = flagDef{name: "username", configName: "registry.username", def: "", usage: "registry user name"}
	flagPassword         = flagDef{name: "password", configName: "registry.password", def: "", usage: "registry password"}
	flagRegToken         = flagDef{name: "registry-token", configName: "registry.token", def: "", usage: "registry bearer token"}

	// Client/server (Trivy's names and config keys).
	flagServer        = flagDef{name: "server", configName: "server.addr", def: "", usage: "trawl server address (http(s)://host:port): analyse here, detect there (no local DB)"}
	flagToken         = flagDef{name: "token", configName: "server.token", def: "", usage: "token for client/server mode"}
	flagTokenHeader   = flagDef{name: "token-header", configName: "server.token-header", def: "Trivy-Token", usage: "header carrying the token in client/server mode"}
	flagCustomHeaders = flagDef{name: "custom-headers", configName: "server.custom-headers", def: []string{}, usage: "headers sent to the server in client mode (Name:value); repeatable"}
)

// clientFlags are the scan commands' client/server flags.
var clientFlags = []flagDef{flagServer, flagToken, flagTokenHeader, flagCustomHeaders}

var (
	globalFlags = []flagDef{flagConfig, flagQuiet, flagDebug, flagCacheDir, flagTimeout, flagInsecure}
	scanFlags   = []flagDef{flagFormat, flagOutput, flagSeverity, flagExitCode, flagListAll, flagScanners,
		flagSkipDirs, flagSkipFiles, flagParallel, flagMaxFileSize, flagMaxTotal, flagPkgTypes, flagSecretCfg,
		flagIgnoreUnfixed, flagIgnoreStatus, flagIgnoreFile, flagVEX, flagShowSuppressed, flagExitOnEOL,
		flagBaseline, flagTemplate, flagCycloneDXXML, flagDependencyTree, flagIncludeDevDeps, flagCompliance, flagReport}
	misconfFlags = []flagDef{flagConfigCheck, flagCheckNamespaces, flagConfigData, flagIncludeNonFailures,
		flagFilePatterns, flagMisconfScanners, flagHelmValues, flagHelmSet, flagHelmSetString, flagHelmSetFile, flagHelmAPIVersions, flagHelmKubeVersion,
		flagTfVars, flagTfExcludeDownloaded, flagCfParams, flagArmParams}
	licenseFlags = []flagDef{flagIgnoredLicenses, flagLicenseFull, flagLicenseConf}
	// cacheFlags choose the layer cache (image scans and clean --scan-cache).
	cacheFlags = []flagDef{flagCacheBackend, flagCacheTTL, flagRedisCA, flagRedisCert, flagRedisKey, flagRedisTLS}
	imageFlags = append([]flagDef{flagInput, flagImageSrc, flagPlatform, flagImageCfgScanners, flagSBOMSources, flagUsername, flagPassword, flagRegToken}, cacheFlags...)
	// referrerFlags are image flags for registry referrers (referrers.go).
	referrerFlags = []flagDef{flagPushSBOM}
	// attestFlags verify a signed SBOM attestation (trawl sbom; internal/attest).
	attestFlags = []flagDef{flagAttestKey, flagTrustedRoot, flagCertIdentity, flagCertOIDCIssuer, flagSubjectDigest}
)

func defaultCacheDir() string {
	if d, err := os.UserCacheDir(); err == nil {
		return d + string(os.PathSeparator) + "trawl"
	}
	return os.TempDir() + string(os.PathSeparator) + "trawl-cache"
}

func addFlags(fs *pflag.FlagSet, defs []flagDef) {
	for _, f := range defs {
		switch d := f.def.(type) {
		case string:
			fs.StringP(f.name, f.short, d, f.usage)
		case bool:
			fs.BoolP(f.name, f.short, d, f.usage)
		case int:
			fs.IntP(f.name, f.short, d, f.usage)
		case []string:
			fs.StringSliceP(f.name, f.short, d, f.usage)
		case time.Duration:
			fs.DurationP(f.name, f.short, d, f.usage)
		}
	}
}

// maxConfigSize is the largest config file read; devices and FIFOs are
// refused too.
const maxConfigSize = 1 << 20

// settings resolves flag values for one command invocation.
type settings struct {
	cmd    *cobra.Command
	config map[string]any
	// loadedFrom is the config file read, if any.
	loadedFrom string
}

// loadSettings reads the config file named by --config / TRAWL_CONFIG. The
// default file may be absent; an explicitly named one must exist.
//
// The default file is found in the working directory, which is often the
// project being scanned, so it is not trusted to write files outside it:
// see checkConfined.
func loadSettings(cmd *cobra.Command) (*settings, error) {
	s := &settings{cmd: cmd}
	path := s.String(flagConfig)
	explicit := cmd.Flags().Changed(flagConfig.name) || os.Getenv(flagConfig.envName()) != ""
	b, err := fsutil.ReadFileLimited(path, maxConfigSize, "config files")
	if err != nil {
		if errors.Is(err, os.ErrNotExist) && !explicit {
			return s, nil
		}
		if fe := (*fsutil.Error)(nil); errors.As(err, &fe) {
			return nil, fmt.Errorf("config file %w", err) // "config file PATH: reason"
		}
		return nil, fmt.Errorf("config file %s: %w", path, err)
	}
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("config file %s: invalid YAML: %w", path, err)
	}
	s.config, s.loadedFrom = m, path
	if !explicit {
		if err := s.checkConfined(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// confinedFlags name files trawl writes (replacing what is there). A config
// file found implicitly may set them only to paths inside the working
// directory.
var confinedFlags = []struct {
	f    flagDef
	hint string
}{
	{flagOutput, "-o FILE"},
	{flagDBPath, "--db-path FILE"},
}

// checkConfined refuses an implicitly found config file that points a
// confined flag of this command outside the working directory. Values
// that the command line or the environment override are not checked.
func (s *settings) checkConfined() error {
	for _, c := range confinedFlags {
		fl := s.cmd.Flags().Lookup(c.f.name)
		if fl == nil || fl.Usage != c.f.usage || fl.Changed {
			continue // not this command's flag (db build has its own --output), or set on the command line
		}
		if _, ok := os.LookupEnv(c.f.envName()); ok {
			continue
		}
		v, ok := s.lookupConfig(c.f)
		if !ok || fmt.Sprint(v) == "" {
			continue
		}
		p := fmt.Sprint(v)
		inside, wd, err := insideWorkingDir(p)
		if err != nil {
			return fmt.Errorf("config file %s: %s: %w", s.loadedFrom, c.f.configName, err)
		}
		if !inside {
			return fmt.Errorf("config file %s: %s: %s is outside the working directory %s, and a config file found there may not write outside it; pass %s on the command line, or name the config with --config if you trust it",
				s.loadedFrom, c.f.configName, p, wd, c.hint)
		}
	}
	return nil
}

// insideWorkingDir reports whether p, with ".." and the symbolic links of
// its existing part resolved, is inside the working directory.
func insideWorkingDir(p string) (bool, string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return false, "", err
	}
	if r, err := filepath.EvalSymlinks(wd); err == nil {
		wd = r
	}
	resolved, err := resolveExisting(p)
	if err != nil {
		return false, wd, err
	}
	rel, err := filepath.Rel(wd, resolved)
	if err != nil {
		return false, wd, nil
	}
	return rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)), wd, nil
}

// resolveExisting makes p absolute and resolves the symbolic links of its
// longest existing prefix; the part that does not exist yet is kept as is.
func resolveExisting(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	cur, rest := abs, ""
	for {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(r, rest), nil
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(cur), rest)
		cur = parent
	}
}

// lookupConfig finds a value by dotted path ("scan.skip-dirs") or by the
// plain flag name at the top level.
func (s *settings) lookupConfig(f flagDef) (any, bool) {
	if s.config == nil {
		return nil, false
	}
	var cur any = s.config
	found := true
	for _, part := range strings.Split(f.configName, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			found = false
			break
		}
		if cur, ok = m[part]; !ok {
			found = false
			break
		}
	}
	if found {
		return cur, true
	}
	v, ok := s.config[f.name]
	return v, ok
}

// raw returns the value's source text or value and whether the flag was set
// anywhere but its default.
func (s *settings) raw(f flagDef) (any, bool) {
	fl := s.cmd.Flags().Lookup(f.name)
	if fl != nil && fl.Changed {
		return nil, false // caller reads the flag itself
	}
	if v, ok := os.LookupEnv(f.envName()); ok {
		return v, true
	}
	if v, ok := s.lookupConfig(f); ok {
		return v, true
	}
	return nil, false
}

func (s *settings) String(f flagDef) string {
	if v, ok := s.raw(f); ok {
		return fmt.Sprint(v)
	}
	v, _ := s.cmd.Flags().GetString(f.name)
	return v
}

func (s *settings) Bool(f flagDef) (bool, error) {
	if v, ok := s.raw(f); ok {
		switch b := v.(type) {
		case bool:
			return b, nil
		default:
			r, err := strconv.ParseBool(fmt.Sprint(v))
			if err != nil {
				return false, fmt.Errorf("%s: %q is not a boolean", f.name, v)
			}
			return r, nil
		}
	}
	return s.cmd.Flags().GetBool(f.name)
}

func (s *settings) Int(f flagDef) (int, error) {
	if v, ok := s.raw(f); ok {
		if n, ok := v.(int); ok {
			return n, nil
		}
		n, err := strconv.Atoi(strings.TrimSpace(fmt.Sprint(v)))
		if err != nil {
			return 0, fmt.Errorf("%s: %q is not a whole number", f.name, v)
		}
		return n, nil
	}
	return s.cmd.Flags().GetInt(f.name)
}

// ExitCode reads an exit-code flag (--exit-code, --exit-on-eol): a process
// exit status is one byte, so 256 would exit 0 and pass a CI gate.
func (s *settings) ExitCode(f flagDef) (int, error) {
	n, err := s.Int(f)
	if err != nil {
		return 0, err
	}
	if n < 0 || n > 255 {
		return 0, fmt.Errorf("--%s %d: an exit code must be between 0 and 255", f.name, n)
	}
	return n, nil
}

func (s *settings) Duration(f flagDef) (time.Duration, error) {
	if v, ok := s.raw(f); ok {
		d, err := time.ParseDuration(strings.TrimSpace(fmt.Sprint(v)))
		if err != nil {
			return 0, fmt.Errorf("%s: %q is not a duration (e.g. 5m, 90s)", f.name, v)
		}
		return d, nil
	}
	return s.cmd.Flags().GetDuration(f.name)
}

// Strings accepts comma-separated text (flags, env) or a YAML list.
func (s *settings) Strings(f flagDef) []string {
	if v, ok := s.raw(f); ok {
		var out []string
		switch l := v.(type) {
		case []any:
			for _, e := range l {
				out = append(out, splitList(fmt.Sprint(e))...)
			}
		default:
			out = splitList(fmt.Sprint(v))
		}
		return out
	}
	v, _ := s.cmd.Flags().GetStringSlice(f.name)
	var out []string
	for _, e := range v {
		out = append(out, splitList(e)...)
	}
	return out
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseSize reads sizes like "64MiB", "1GB", "512k" or plain bytes.
func parseSize(name, s string) (int64, error) {
	t := strings.TrimSpace(strings.ToLower(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"gib", 1 << 30}, {"mib", 1 << 20}, {"kib", 1 << 10}, {"gb", 1e9}, {"mb", 1e6}, {"kb", 1e3}, {"g", 1 << 30}, {"m", 1 << 20}, {"k", 1 << 10}, {"b", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%s: %q is not a size (e.g. 64MiB, 1GiB)", name, s)
	}
	return n * mult, nil
}
