package cli

import (
	"os"

	"github.com/spf13/cobra"
)

// Command returns trawl's root command with all its subcommands, writing to
// the process's stdout and stderr. The release tool walks it to generate man
// pages; trawl itself runs through Main.
func Command() *cobra.Command {
	root := newRoot(os.Stdout, os.Stderr)
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	return root
}
