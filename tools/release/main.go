// Command release builds trawl's release artifacts into one directory:
// static binaries for each target, tar.gz/zip archives with the licence,
// README, shell completions and man pages, .deb and .rpm packages for Linux,
// an SBOM of trawl made by trawl, checksums.txt, and apt and yum
// repositories of the packages (apt/, rpm/<arch>/). It publishes nothing:
// signing and uploading are the release workflow's steps (docs/releasing.md).
//
//	go run ./tools/release --snapshot --out dist [--targets linux/amd64,…] [--version v1.2.3] [--repos=false] [--previous DIR] [--sign-key key.asc]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"golang.org/x/mod/semver"
)

// defaultTargets are the GOOS/GOARCH pairs of a release.
var defaultTargets = []string{
	"linux/amd64", "linux/arm64",
	"darwin/amd64", "darwin/arm64",
	"windows/amd64", "windows/arm64",
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "release: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, log io.Writer) error {
	fl := flag.NewFlagSet("release", flag.ContinueOnError)
	fl.SetOutput(log)
	var c config
	var targets string
	fl.BoolVar(&c.Snapshot, "snapshot", false, "snapshot build: any version (default 0.0.0-SNAPSHOT-<commit>), a dirty tree is fine")
	fl.StringVar(&c.Out, "out", "dist", "output directory (must not exist, or be empty)")
	fl.StringVar(&targets, "targets", strings.Join(defaultTargets, ","), "comma-separated GOOS/GOARCH pairs")
	fl.StringVar(&c.Version, "version", "", "version to stamp (a vX.Y.Z tag; required without --snapshot)")
	fl.StringVar(&c.Maintainer, "maintainer", "The trawl authors <maintainers@trawlsec.invalid>", "package maintainer (Name <email>)")
	fl.BoolVar(&c.Repos, "repos", true, "also write apt (apt/) and yum (rpm/<arch>/) repositories of the Linux packages")
	fl.StringVar(&c.Previous, "previous", "", "the previous release's repositories (a directory with apt/ and rpm/): keep and index their packages too")
	var signKey string
	fl.StringVar(&signKey, "sign-key", "", "armored OpenPGP private key: sign the .rpm packages and the apt/yum indices, export the public key (passphrase in $"+passphraseEnv+")")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fl.Args())
	}
	if c.Previous != "" && !c.Repos {
		return errors.New("--previous needs --repos")
	}
	var err error
	if c.Targets, err = parseTargets(targets); err != nil {
		return err
	}
	if c.Root, err = moduleRoot(ctx); err != nil {
		return err
	}
	c.Date = sourceDate(ctx, c.Root)
	if signKey != "" {
		if c.Signer, err = loadSigner(signKey, os.Getenv(passphraseEnv), c.Date); err != nil {
			return err
		}
	}
	if c.Version == "" {
		if !c.Snapshot {
			return errors.New("--version is required without --snapshot")
		}
		c.Version = "0.0.0-SNAPSHOT"
		if sha, err := gitOutput(ctx, c.Root, "rev-parse", "--short", "HEAD"); err == nil && sha != "" {
			c.Version += "-" + sha
		}
	}
	if !c.Snapshot {
		if !semver.IsValid(c.Version) || semver.Build(c.Version) != "" {
			return fmt.Errorf("--version %q is not a vMAJOR.MINOR.PATCH[-PRERELEASE] tag", c.Version)
		}
		status, err := gitOutput(ctx, c.Root, "status", "--porcelain")
		if err != nil {
			return fmt.Errorf("a release needs a git checkout: %w", err)
		}
		if status != "" {
			return errors.New("the git tree has uncommitted changes; commit them or build with --snapshot")
		}
	}
	if strings.ContainsAny(c.Version, "/\\ \t\n") || strings.HasPrefix(c.Version, "-") {
		return fmt.Errorf("--version %q: not usable in a file name", c.Version)
	}
	return release(ctx, &c, log)
}

func parseTargets(s string) ([]target, error) {
	var ts []target
	seen := map[target]bool{}
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		goos, goarch, ok := strings.Cut(p, "/")
		t := target{OS: goos, Arch: goarch}
		if !ok || !knownTarget(t) {
			return nil, fmt.Errorf("--targets: %q is not one of %s", p, strings.Join(defaultTargets, ", "))
		}
		if !seen[t] {
			seen[t] = true
			ts = append(ts, t)
		}
	}
	if len(ts) == 0 {
		return nil, errors.New("--targets: no target")
	}
	return ts, nil
}

func knownTarget(t target) bool {
	for _, d := range defaultTargets {
		if d == t.String() {
			return true
		}
	}
	return false
}
