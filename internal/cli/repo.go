package cli

import (
	"errors"

	"github.com/trawlsec/trawl/internal/app"
)

// Flags of trawl repo (Trivy's, and --scan-history, trawl's extension).
var (
	flagRepoBranch  = flagDef{name: "branch", configName: "repository.branch", def: "", usage: "branch to scan"}
	flagRepoTag     = flagDef{name: "tag", configName: "repository.tag", def: "", usage: "tag to scan"}
	flagRepoCommit  = flagDef{name: "commit", configName: "repository.commit", def: "", usage: "commit to scan (full or abbreviated hash)"}
	flagScanHistory = flagDef{name: "scan-history", configName: "repository.scan-history", def: false, usage: "also report the secrets of every commit's added lines, with the commit that introduced them (trawl's extension; clones the whole history)"}

	repoFlags = []flagDef{flagRepoBranch, flagRepoTag, flagRepoCommit, flagScanHistory}
)

var repoDoc = struct {
	use, short, example string
	aliases             []string
}{
	use: "repo [flags] (REPO_PATH | REPO_URL)", short: "Scan a git repository, local or remote", aliases: []string{"repository"},
	example: `  # A local repository, its working tree as it is
  trawl repo .

  # A remote repository at a tag (GITHUB_TOKEN / GITLAB_TOKEN for private ones)
  trawl repo --tag v1.2.0 https://github.com/org/app

  # Secrets anywhere in the history, with the commit that added them
  trawl repo --scan-history --scanners secret .`,
}

// repoOptions reads the repository flags.
func repoOptions(s *settings) (app.RepoOptions, error) {
	o := app.RepoOptions{Branch: s.String(flagRepoBranch), Tag: s.String(flagRepoTag), Commit: s.String(flagRepoCommit)}
	var err error
	o.ScanHistory, err = s.Bool(flagScanHistory)
	if err != nil {
		return o, err
	}
	if o.Branch != "" && o.Tag != "" {
		return o, errors.New("repo: give --branch or --tag, not both")
	}
	return o, nil
}
