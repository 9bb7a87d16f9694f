package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/trawlsec/trawl/internal/app"
	"github.com/trawlsec/trawl/internal/diff"
)

var (
	flagDiffFormat   = flagDef{name: "format", short: "f", configName: "diff.format", def: "table", usage: "format (table, json)"}
	flagDiffScanners = flagDef{name: "scanners", configName: "diff.scanners", def: []string{}, usage: "also compare findings: vuln (vulnerabilities introduced and fixed), forensics (findings new in NEW); default: files and packages only"}
	flagDiffExitCode = flagDef{name: "exit-code", configName: "diff.exit-code", def: 0, usage: "exit code when the two sides differ"}

	diffFlags = []flagDef{flagDiffFormat, flagOutput, flagDiffExitCode, flagDiffScanners, flagParallel,
		flagMaxFileSize, flagMaxTotal, flagPlatform, flagUsername, flagPassword, flagRegToken}
)

func newDiffCommand(stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "diff [flags] OLD NEW",
		Short: "Compare two images, container exports or root filesystems: files, packages, findings",
		Long: `Compare OLD and NEW. Each is an image archive (docker save, OCI archive) or
an OCI layout directory, a container export tar (docker export), a root
filesystem directory, or else an image reference in a registry.`,
		Example: `  # What changed in a container at run time
  docker export web-1 > web-1.tar
  trawl diff app.tar web-1.tar

  # What hardening removed, with the vulnerabilities it fixed
  trawl diff --scanners vuln python:3.12 gcr.io/distroless/python3

  # Release N against N+1, as JSON, failing when anything differs
  trawl diff -f json -o changes.json --exit-code 1 app-1.4.tar app-1.5.tar`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDiff(cmd, args, stdout, stderr)
		},
	}
	addFlags(cmd.Flags(), diffFlags)
	addFlags(cmd.Flags(), dbFlags)
	return cmd
}

func runDiff(cmd *cobra.Command, args []string, stdout, stderr io.Writer) error {
	s, err := loadSettings(cmd)
	if err != nil {
		return err
	}
	var errs []error
	collect := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	format := strings.ToLower(s.String(flagDiffFormat))
	if format != "table" && format != "json" {
		collect(fmt.Errorf("--format %q: trawl diff writes table or json", format))
	}
	exitCode, err := s.ExitCode(flagDiffExitCode)
	collect(err)
	scanners := normaliseScanners(s.Strings(flagDiffScanners))
	for _, sc := range scanners {
		if sc != app.ScannerVuln && sc != app.ScannerForensics {
			collect(fmt.Errorf("--scanners %s: trawl diff compares vuln and forensics findings only", sc))
		}
	}
	o := app.Options{
		CacheDir: s.String(flagCacheDir), CacheBackend: "fs", Scanners: scanners,
		PkgTypes: []string{"os", "library"}, ImageConfigScanners: []string{"none"},
		Platform: s.String(flagPlatform), Username: s.String(flagUsername), Password: s.String(flagPassword),
		RegistryToken: s.String(flagRegToken), Stdout: stdout, Stderr: stderr,
	}
	o.Insecure, err = s.Bool(flagInsecure)
	collect(err)
	o.Parallel, err = s.Int(flagParallel)
	collect(err)
	o.MaxFileSize, err = parseSize(flagMaxFileSize.name, s.String(flagMaxFileSize))
	collect(err)
	o.MaxTotalSize, err = parseSize(flagMaxTotal.name, s.String(flagMaxTotal))
	collect(err)
	timeout, err := s.Duration(flagTimeout)
	collect(err)
	o.DB, err = dbOptions(s, o.Insecure)
	collect(err)
	if err := errors.Join(errs...); err != nil {
		return err
	}
	o.Logger = newLogger(cmd, s)
	o.DB.Logger = o.Logger
	var sides [2]diff.Side
	for i, a := range args {
		if sides[i], err = diff.Classify(a); err != nil {
			return err
		}
	}
	ctx := cmd.Context()
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	rep, err := diff.Compare(ctx, sides[0], sides[1], diff.Options{
		Analysis: o, TempDir: filepath.Join(o.CacheDir, "tmp"), Logger: o.Logger,
	})
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("diff timed out after %s (raise --timeout): %w", timeout, err)
		}
		return err
	}
	if err := app.WriteTo(s.String(flagOutput), stdout, func(w io.Writer, _ bool) error {
		return diff.Write(w, format, rep)
	}); err != nil {
		return err
	}
	if exitCode != 0 && !rep.Empty() {
		return exitError{code: exitCode}
	}
	return nil
}
