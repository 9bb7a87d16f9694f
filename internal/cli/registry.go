package cli

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"time"

	"github.com/spf13/cobra"

	"github.com/trawlsec/trawl/internal/app"
)

var (
	flagTagRegex = flagDef{name: "tag-regex", configName: "registry.tag-regex", def: "", usage: "scan only the tags this regular expression matches (RE2, unanchored: use ^…$)"}
	flagLimit    = flagDef{name: "limit", configName: "registry.limit", def: 0, usage: "scan at most this many images (0: all)"}
	flagSince    = flagDef{name: "since", configName: "registry.since", def: "", usage: "scan only images whose config records a creation date since this one (2024-05-01, RFC 3339, or a duration such as 720h); images without one are skipped"}

	registryScanFlags = []flagDef{flagTagRegex, flagLimit, flagSince}
)

// newRegistryCommand is "trawl registry scan REPO": every tag of a
// repository, one JSON report per image per line.
func newRegistryCommand(stdout, stderr io.Writer) *cobra.Command {
	reg := &cobra.Command{Use: "registry", Short: "Scan registry repositories"}
	scan := &cobra.Command{
		Use:   "scan [flags] REPOSITORY",
		Short: "Scan every tag of a registry repository (JSON Lines: one report per image)",
		Example: `  # Every tag of a repository, one JSON report per line
  trawl registry scan registry.example.com/team/app > reports.jsonl

  # The 5 first release tags built in the last 30 days
  trawl registry scan --tag-regex '^v[0-9]' --since 720h --limit 5 registry.example.com/team/app`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRegistryScan(cmd, args, stdout, stderr)
		},
	}
	addFlags(scan.Flags(), scanFlags)
	addFlags(scan.Flags(), dbFlags)
	addFlags(scan.Flags(), misconfFlags)
	addFlags(scan.Flags(), imageFlags)
	addFlags(scan.Flags(), referrerFlags)
	addFlags(scan.Flags(), licenseFlags)
	addFlags(scan.Flags(), registryScanFlags)
	_ = scan.Flags().Set(flagFormat.name, "json")
	scan.Flags().Lookup(flagFormat.name).DefValue = "json"
	scan.Flags().Lookup(flagFormat.name).Changed = false
	reg.AddCommand(scan)
	return reg
}

func runRegistryScan(cmd *cobra.Command, args []string, stdout, stderr io.Writer) error {
	o, err := scanOptions(cmd, app.TargetImage, args, stdout, stderr)
	if err != nil {
		return err
	}
	s, err := loadSettings(cmd)
	if err != nil {
		return err
	}
	switch {
	case o.Format != "json":
		return fmt.Errorf("--format %s: trawl registry scan writes JSON Lines (one JSON report per image); use -f json", o.Format)
	case o.Input != "":
		return errors.New("--input: trawl registry scan reads a registry repository, not an archive")
	case o.Compliance != nil || o.Baseline != "":
		return errors.New("--compliance and --baseline apply to one image: use trawl image")
	}
	ro := app.RepositoryOptions{Repository: args[0]}
	if re := s.String(flagTagRegex); re != "" {
		if ro.TagRegex, err = regexp.Compile(re); err != nil {
			return fmt.Errorf("--tag-regex %q: %w", re, err)
		}
	}
	if ro.Limit, err = s.Int(flagLimit); err != nil {
		return err
	}
	if ro.Limit < 0 {
		return fmt.Errorf("--limit %d: must be 0 (all) or more", ro.Limit)
	}
	if since := s.String(flagSince); since != "" {
		if ro.Since, err = app.ParseSince(since, time.Now()); err != nil {
			return err
		}
	}
	code, err := app.ScanRepository(cmd.Context(), o, ro)
	if err != nil {
		return err
	}
	if code != 0 {
		return exitError{code: code}
	}
	return nil
}
