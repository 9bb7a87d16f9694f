package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	modulePath  = "github.com/trawlsec/trawl"
	versionVar  = modulePath + "/internal/cli.Version"
	name        = "trawl"
	homepage    = "https://github.com/trawlsec/trawl"
	license     = "Apache-2.0"
	summary     = "Trivy-compatible security scanner"
	description = `trawl finds vulnerabilities, leaked secrets, misconfigurations and licences
in container images, filesystems and SBOMs, and writes Trivy-compatible reports.`
)

// config is one release run.
type config struct {
	Root       string // module root
	Out        string
	Version    string // as stamped into the binary: v1.2.3 or 0.0.0-SNAPSHOT-abc
	Snapshot   bool
	Targets    []target
	Maintainer string
	Repos      bool      // write apt and yum repositories of the Linux packages
	Date       time.Time // every file's mtime: the commit's time
	Signer     *signer   // --sign-key: sign the .rpms and the repositories' indices
	Previous   string    // --previous: the previous release's apt/ and rpm/, whose packages the repositories keep
}

type target struct{ OS, Arch string }

func (t target) String() string { return t.OS + "/" + t.Arch }

func (t target) exe() string {
	if t.OS == "windows" {
		return name + ".exe"
	}
	return name
}

// fileVersion is the version in artifact names: without the tag's "v".
func (c *config) fileVersion() string { return strings.TrimPrefix(c.Version, "v") }

// pkgVersion is the version of the .deb and .rpm: a pre-release part sorts
// before the release with "~" in both formats, and neither allows "-" in
// the upstream version.
func (c *config) pkgVersion() string {
	return strings.ReplaceAll(c.fileVersion(), "-", "~")
}

// release runs every step; a failure leaves the partial output in c.Out.
func release(ctx context.Context, c *config, log io.Writer) error {
	if err := prepareOut(c.Out); err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "trawl-release-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	// Read (and verify) the previous release's packages before the long build.
	var prevApt []aptPkg
	var prevYum []yumPkg
	if c.Previous != "" {
		if prevApt, err = readPreviousApt(filepath.Join(c.Previous, "apt")); err != nil {
			return fmt.Errorf("--previous: %w", err)
		}
		if prevYum, err = readPreviousYum(filepath.Join(c.Previous, "rpm")); err != nil {
			return fmt.Errorf("--previous: %w", err)
		}
		fmt.Fprintf(log, "--previous: keeping %d .deb and %d .rpm packages\n", len(prevApt), len(prevYum))
	}

	bins := map[target]string{}
	for _, t := range c.Targets {
		fmt.Fprintf(log, "build %s %s\n", c.Version, t)
		p := filepath.Join(work, "bin", t.OS+"_"+t.Arch, t.exe())
		if err := build(ctx, c, t, p); err != nil {
			return err
		}
		bins[t] = p
	}
	host := target{runtime.GOOS, runtime.GOARCH}
	hostBin, ok := bins[host]
	if !ok {
		hostBin = filepath.Join(work, "host", host.exe())
		if err := build(ctx, c, host, hostBin); err != nil {
			return err
		}
	}

	extra, err := genExtras(ctx, c, hostBin, filepath.Join(work, "extra"))
	if err != nil {
		return err
	}

	var artifacts []string
	var linux []linuxPkg
	for _, t := range c.Targets {
		fmt.Fprintf(log, "package %s\n", t)
		a, err := writeArchive(c, t, bins[t], extra)
		if err != nil {
			return err
		}
		artifacts = append(artifacts, a)
		if t.OS != "linux" {
			continue
		}
		deb, control, err := writeDeb(c, t, bins[t], extra)
		if err != nil {
			return err
		}
		rpm, rpmFiles, err := writeRPM(ctx, c, t, bins[t], extra)
		if err != nil {
			return err
		}
		artifacts = append(artifacts, deb, rpm)
		linux = append(linux, linuxPkg{T: t, Deb: deb, DebControl: control, RPM: rpm, RPMFiles: rpmFiles})
	}
	if c.Repos && len(linux) > 0 {
		fmt.Fprintln(log, "apt and yum repositories")
		if err := writeAptRepo(c, linux, prevApt, log); err != nil {
			return fmt.Errorf("apt repository: %w", err)
		}
		yumArches, err := writeYumRepos(c, linux, prevYum, log)
		if err != nil {
			return err
		}
		if c.Signer != nil {
			if err := c.Signer.signRepos(c, yumArches); err != nil {
				return err
			}
		}
	}
	if c.Signer != nil {
		key := filepath.Join(c.Out, publicKeyFile)
		if err := c.Signer.writePublicKey(key); err != nil {
			return err
		}
		artifacts = append(artifacts, key)
	}

	fmt.Fprintln(log, "sbom")
	sbom, err := writeSBOM(ctx, c, hostBin, work)
	if err != nil {
		return err
	}
	artifacts = append(artifacts, sbom)

	if err := writeChecksums(c.Out, artifacts); err != nil {
		return err
	}
	fmt.Fprintf(log, "%d artifacts and checksums.txt in %s (nothing published)\n", len(artifacts), c.Out)
	return nil
}

// prepareOut creates the output directory; an existing one must be empty,
// so no earlier run's artifact is checksummed by mistake.
func prepareOut(dir string) error {
	ents, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return os.MkdirAll(dir, 0o755)
	case err != nil:
		return fmt.Errorf("--out %s: %w", dir, err)
	case len(ents) > 0:
		return fmt.Errorf("--out %s: not empty; remove it or choose another directory", dir)
	}
	return nil
}

// build cross-compiles a static, reproducible binary for t.
func build(ctx context.Context, c *config, t target, out string) error {
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath",
		"-ldflags", "-s -w -buildid= -X "+versionVar+"="+c.Version,
		"-o", out, "./cmd/trawl")
	cmd.Dir = c.Root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+t.OS, "GOARCH="+t.Arch, "GOFLAGS=-mod=readonly")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build %s: %w\n%s", t, err, b)
	}
	return nil
}

func moduleRoot(ctx context.Context) (string, error) {
	b, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(b))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("run from trawl's module (no go.mod found)")
	}
	data, err := os.ReadFile(gomod)
	if err != nil {
		return "", err
	}
	if !bytes.Contains(data, []byte("module "+modulePath+"\n")) {
		return "", fmt.Errorf("%s is not %s's go.mod", gomod, modulePath)
	}
	return filepath.Dir(gomod), nil
}

func gitOutput(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	b, err := cmd.Output()
	return strings.TrimSpace(string(b)), err
}

// sourceDate is SOURCE_DATE_EPOCH, else the last commit's time, else now:
// the mtime of every file in the archives and packages.
func sourceDate(ctx context.Context, root string) time.Time {
	s := os.Getenv("SOURCE_DATE_EPOCH")
	if s == "" {
		s, _ = gitOutput(ctx, root, "log", "-1", "--format=%ct")
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
		return time.Unix(n, 0).UTC()
	}
	return time.Now().UTC().Truncate(time.Second)
}

// writeSBOM scans a directory holding only the host binary with the binary
// itself: trawl's Go binary analyzer lists the modules linked into it, with
// their versions, as a CycloneDX document. No DB is opened or fetched.
func writeSBOM(ctx context.Context, c *config, hostBin, work string) (string, error) {
	// Named relative to work and dated by SOURCE_DATE_EPOCH, so the SBOM
	// holds no temporary path or clock time: the same commit gives the same
	// bytes.
	root := fmt.Sprintf("%s_%s", name, c.fileVersion())
	dir := filepath.Join(work, root)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if err := copyFile(hostBin, filepath.Join(dir, filepath.Base(hostBin)), 0o755); err != nil {
		return "", err
	}
	out, err := filepath.Abs(filepath.Join(c.Out, root+".sbom.cdx.json"))
	if err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, hostBin, "rootfs", "--format", "cyclonedx", "--skip-db-update",
		"--cache-dir", filepath.Join(work, "cache"), "--output", out, "--quiet", root)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH="+strconv.FormatInt(c.Date.Unix(), 10))
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("sbom: %w\n%s", err, b)
	}
	return out, nil
}

// writeChecksums writes checksums.txt in sha256sum's format, sorted by name.
func writeChecksums(out string, files []string) error {
	slices.SortFunc(files, func(a, b string) int { return strings.Compare(filepath.Base(a), filepath.Base(b)) })
	var b strings.Builder
	for _, f := range files {
		sum, err := sha256File(f)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s  %s\n", sum, filepath.Base(f))
	}
	return os.WriteFile(filepath.Join(out, "checksums.txt"), []byte(b.String()), 0o644)
}

func sha256File(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func copyFile(src, dst string, mode os.FileMode) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, mode)
}
