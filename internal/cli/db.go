package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/trawlsec/trawl/internal/app"
	"github.com/trawlsec/trawl/internal/fsutil"
	"github.com/trawlsec/trawl/internal/vulndb/build"
	"github.com/trawlsec/trawl/internal/vulndb/oci"
	"github.com/trawlsec/trawl/internal/vulndb/store"
	"github.com/trawlsec/trawl/internal/vulndb/update"
)

// DB flags, shared by the db subcommands and the scan commands.
var (
	flagDBPath       = flagDef{name: "db-path", configName: "db.path", def: "", usage: "vulnerability DB file (default <cache-dir>/db/trawl.db)"}
	flagDBRepository = flagDef{name: "db-repository", configName: "db.repository", def: []string{update.DefaultBaseURL}, usage: "where updates come from, tried in order until one works (comma-separated or repeated): OSV archive mirrors (https://host/path laid out as <base>/<Ecosystem>/all.zip) and prebuilt DB artifacts (oci://host/repo:tag); db push pushes to each"}
	flagDBEcosystems = flagDef{name: "db-ecosystems", configName: "db.ecosystems", def: []string{}, usage: "OSV ecosystems to download (default: all that trawl detects)"}
	flagDBMaxAge     = flagDef{name: "db-max-age", configName: "db.max-age", def: 24 * time.Hour, usage: "scans update a DB older than this"}
	flagSkipDBUpdate = flagDef{name: "skip-db-update", configName: "db.skip-update", def: false, usage: "do not update the vulnerability DB before scanning"}
	flagOfflineScan  = flagDef{name: "offline-scan", configName: "offline-scan", def: false, usage: "never reach the network during a scan (implies --skip-db-update)"}

	dbFlags = []flagDef{flagDBPath, flagDBRepository, flagDBEcosystems, flagDBMaxAge, flagSkipDBUpdate, flagOfflineScan}
)

func dbPath(s *settings) string {
	if p := s.String(flagDBPath); p != "" {
		return p
	}
	return filepath.Join(s.String(flagCacheDir), "db", "trawl.db")
}

func isTTY(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func newDBCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "db",
		Short: "Build, update, inspect and publish the vulnerability database",
		Long: `trawl's vulnerability database is one file built from OSV records (every
ecosystem, distributions included) and Alpine/Wolfi secdb documents. Build it
yourself from local files, update it from the public OSV archives or your own
mirror, or pull a prebuilt copy from an OCI registry.`,
	}
	cmd.AddCommand(newDBBuild(), newDBUpdate(), newDBStatus(), newDBPush())
	return cmd
}

func newDBBuild() *cobra.Command {
	var sources []string
	var output string
	cmd := &cobra.Command{
		Use:   "build --source PATH... [--output DB]",
		Short: "Build the DB from OSV records (JSON/YAML files, folders, all.zip) and secdb documents",
		Example: `  # From a folder of OSV JSON and an Alpine secdb checkout
  trawl db build --source ./osv/ --source ./alpine-secdb/ --output trawl.db

  # Into the default location used by scans
  trawl db build --source PyPI-all.zip --source Go-all.zip`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := loadSettings(cmd)
			if err != nil {
				return err
			}
			if len(sources) == 0 {
				return errors.New("db build: give at least one --source")
			}
			out := output
			if out == "" {
				out = dbPath(s)
			}
			if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
				return fmt.Errorf("db build: %w", err)
			}
			_ = fsutil.MarkCacheDirOfDB(out) // a DB in <cache>/db marks the cache for clean --all
			rep, err := build.Build(cmd.Context(), sources, out, newLogger(cmd, s))
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "Built %s in %s (%d bytes): %d vulnerabilities, %d packages\n",
				rep.Path, rep.Duration.Round(time.Millisecond), rep.Size, rep.Metadata.Vulnerabilities, rep.Metadata.Packages)
			printSources(w, rep.Metadata)
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&sources, "source", nil, "OSV or secdb file, folder or zip (repeatable)")
	cmd.Flags().StringVar(&output, "output", "", "DB file to write (default: --db-path)")
	addFlags(cmd.Flags(), []flagDef{flagDBPath})
	return cmd
}

func printSources(w io.Writer, m store.Metadata) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tFORMAT\tREAD\tKEPT\tREJECTED\tWITHDRAWN\tORIGIN")
	for _, src := range m.Sources {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%s\n", src.Name, src.Format, src.Read, src.Kept, src.Rejected, src.Withdrawn, src.Origin)
	}
	tw.Flush()
	for _, src := range m.Sources {
		for _, r := range src.Rejections {
			fmt.Fprintf(w, "  rejected in %s: %s: %s\n", src.Name, r.File, r.Reason)
		}
	}
}

func newDBUpdate() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "update",
		Short: "Download OSV archives (only what changed) or a prebuilt DB, and replace the DB atomically",
		Example: `  # Update from the public OSV archives, only two ecosystems
  trawl db update --db-ecosystems PyPI,npm

  # From an internal HTTP mirror laid out like the OSV bucket
  trawl db update --db-repository https://mirror.example.com/osv

  # A prebuilt DB published with 'trawl db push'
  trawl db update --db-repository oci://registry.example.com/security/trawl-db:latest

  # The project's prebuilt DB, falling back to the public OSV archives
  trawl db update --db-repository oci://ghcr.io/trawlsec/trawl-db:1,https://osv-vulnerabilities.storage.googleapis.com`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := loadSettings(cmd)
			if err != nil {
				return err
			}
			insecure, err := s.Bool(flagInsecure)
			if err != nil {
				return err
			}
			return updateDB(cmd, s, insecure, true)
		},
	}
	addFlags(cmd.Flags(), []flagDef{flagDBPath, flagDBRepository, flagDBEcosystems, flagDBMaxAge})
	return cmd
}

// updateDB updates the DB from --db-repository. verbose prints a summary.
func updateDB(cmd *cobra.Command, s *settings, insecure, verbose bool) error {
	quiet, _ := s.Bool(flagQuiet)
	o := app.DBOptions{
		Path: dbPath(s), Repositories: s.Strings(flagDBRepository), Ecosystems: s.Strings(flagDBEcosystems),
		Insecure: insecure, Logger: newLogger(cmd, s),
	}
	if !quiet && isTTY(cmd.ErrOrStderr()) {
		o.Progress = cmd.ErrOrStderr()
	}
	if cmd.Flags().Lookup(flagDBMaxAge.name) != nil && isSet(cmd, s, flagDBMaxAge) {
		// Named: a pulled prebuilt DB built longer ago is refused.
		maxAge, err := s.Duration(flagDBMaxAge)
		if err != nil {
			return err
		}
		o.MaxAge = maxAge
	}
	summary, err := app.UpdateDB(cmd.Context(), o)
	if err != nil {
		return err
	}
	if verbose {
		fmt.Fprintln(cmd.OutOrStdout(), summary)
	}
	return nil
}

func newDBStatus() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the DB's age, schema and per-source record counts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := loadSettings(cmd)
			if err != nil {
				return err
			}
			path := dbPath(s)
			st, err := store.Open(path)
			if err != nil {
				return fmt.Errorf("db status: %w", err)
			}
			defer st.Close()
			m := st.Metadata()
			w := cmd.OutOrStdout()
			switch format {
			case "json":
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				return enc.Encode(struct {
					Path string `json:"path"`
					store.Metadata
				}{path, m})
			case "table", "":
				fmt.Fprintf(w, "DB:       %s\nSchema:   %d\nBuilt:    %s (%s ago)\nRecords:  %d vulnerabilities, %d packages, %d entries\n\n",
					path, m.SchemaVersion, m.BuiltAt.Format(time.RFC3339), time.Since(m.BuiltAt).Round(time.Minute), m.Vulnerabilities, m.Packages, m.Entries)
				printSources(w, m)
				return nil
			}
			return fmt.Errorf("--format %q is not supported (table, json)", format)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "table", "table or json")
	addFlags(cmd.Flags(), []flagDef{flagDBPath})
	return cmd
}

func newDBPush() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "push --db-repository oci://HOST/REPO:TAG[,oci://…]",
		Short: "Publish the DB as an OCI artifact, for mirrors and air-gapped sites",
		Example: `  trawl db push --db-repository oci://registry.example.com/security/trawl-db:latest

  # Under two tags (pushed in order; the layer is uploaded once)
  trawl db push --db-repository oci://ghcr.io/OWNER/trawl-db:1,oci://ghcr.io/OWNER/trawl-db:2026-10-01`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := loadSettings(cmd)
			if err != nil {
				return err
			}
			repos := s.Strings(flagDBRepository)
			if len(repos) == 0 {
				return errors.New("db push: give --db-repository oci://HOST/REPO:TAG")
			}
			for _, repo := range repos {
				if !strings.HasPrefix(repo, "oci://") {
					return fmt.Errorf("db push: --db-repository must be oci://HOST/REPO:TAG, not %q", repo)
				}
			}
			insecure, err := s.Bool(flagInsecure)
			if err != nil {
				return err
			}
			for _, repo := range repos {
				digest, err := oci.Push(cmd.Context(), repo, dbPath(s), oci.Options{Insecure: insecure})
				if err != nil {
					return fmt.Errorf("db push: %w", err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Pushed %s to %s (%s)\n", dbPath(s), repo, digest)
			}
			return nil
		},
	}
	addFlags(cmd.Flags(), []flagDef{flagDBPath, flagDBRepository})
	return cmd
}
