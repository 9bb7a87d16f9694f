package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/trawlsec/trawl/internal/app"
	"github.com/trawlsec/trawl/internal/filter"
	"github.com/trawlsec/trawl/internal/report"
)

var convertFlags = []flagDef{flagFormat, flagOutput, flagSeverity, flagExitCode, flagListAll,
	flagIgnoreUnfixed, flagIgnoreStatus, flagIgnoreFile, flagVEX, flagShowSuppressed, flagTemplate, flagCycloneDXXML}

func newConvertCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "convert [flags] RESULT_JSON",
		Aliases: []string{"conv"},
		Short:   "Convert a saved JSON report to another format, filtering it again",
		Example: `  # Scan once, publish several formats
  trawl image --input app.tar -f json -o report.json
  trawl convert -f sarif -o report.sarif report.json
  trawl convert -f cyclonedx -o sbom.cdx.json report.json

  # Apply a stricter filter to an old report
  trawl convert --severity CRITICAL --ignorefile .trivyignore.yaml report.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := loadSettings(cmd)
			if err != nil {
				return err
			}
			o := app.ConvertOptions{Input: args[0], Stdout: cmd.OutOrStdout(), Logger: newLogger(cmd, s)}
			var errs []error
			collect := func(err error) {
				if err != nil {
					errs = append(errs, err)
				}
			}
			o.Format = strings.ToLower(s.String(flagFormat))
			o.Output = s.String(flagOutput)
			o.ExitCode, err = s.ExitCode(flagExitCode)
			collect(err)
			o.ListAllPkgs, err = s.Bool(flagListAll)
			collect(err)
			o.Filter = filter.Options{
				Severities: upper(s.Strings(flagSeverity)), IgnoreStatuses: s.Strings(flagIgnoreStatus),
				IgnoreFile: s.String(flagIgnoreFile), IgnoreFileExplicit: isSet(cmd, s, flagIgnoreFile),
				VEXFiles: s.Strings(flagVEX),
			}
			o.Filter.IgnoreUnfixed, err = s.Bool(flagIgnoreUnfixed)
			collect(err)
			o.Filter.ShowSuppressed, err = s.Bool(flagShowSuppressed)
			collect(err)
			o.Report, err = reportOptions(s)
			collect(err)
			if err := errors.Join(errs...); err != nil {
				return err
			}
			if !slices.Contains(report.Formats, o.Format) {
				return fmt.Errorf("--format %q is not supported (supported: %s)", o.Format, strings.Join(report.Formats, ", "))
			}
			o.Color = o.Output == "" && isTTY(cmd.OutOrStdout())
			code, err := app.Convert(o)
			if err != nil {
				return err
			}
			if code != 0 {
				return exitError{code: code}
			}
			return nil
		},
	}
	addFlags(cmd.Flags(), convertFlags)
	return cmd
}
