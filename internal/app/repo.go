package app

import (
	"context"
	"fmt"

	"github.com/trawlsec/trawl/internal/apply"
	"github.com/trawlsec/trawl/internal/scan"
	"github.com/trawlsec/trawl/internal/secret"
	gitsrc "github.com/trawlsec/trawl/internal/source/git"
	"github.com/trawlsec/trawl/internal/walk"
	"github.com/trawlsec/trawl/pkg/inventory"
	"github.com/trawlsec/trawl/pkg/model"
)

// TargetRepo is a git repository: a local path or a remote URL.
const TargetRepo = "repo"

// RepoOptions choose what of a repository is scanned.
type RepoOptions struct {
	Branch, Tag, Commit string
	// ScanHistory also scans every commit's added lines for secrets
	// (trawl's extension).
	ScanHistory bool
}

// defaultHistoryBlobSize bounds the blobs read from history when
// --max-file-size is not set.
const defaultHistoryBlobSize = 64 << 20

// scanRepo opens the repository (cloning a remote one under the cache
// directory), scans its tree as fs does, and with ScanHistory adds the
// secrets of its history.
func scanRepo(ctx context.Context, o *Options, sopts scan.Options, rep *model.Report, secrets *secret.Scanner) (*apply.Inventory, error) {
	r, err := gitsrc.Open(ctx, o.Arg, gitsrc.Options{
		Branch: o.Repo.Branch, Tag: o.Repo.Tag, Commit: o.Repo.Commit,
		History: o.Repo.ScanHistory, CacheDir: o.CacheDir, Insecure: o.Insecure, Progress: o.Progress,
	})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	rep.ArtifactName = gitsrc.Redact(o.Arg)
	rep.ArtifactType = model.ArtifactRepository
	m := r.Meta
	rep.Metadata.RepoURL, rep.Metadata.Branch, rep.Metadata.Tags = m.RepoURL, m.Branch, m.Tags
	rep.Metadata.Commit, rep.Metadata.CommitMsg = m.Commit, m.CommitMsg
	rep.Metadata.Author, rep.Metadata.Committer = m.Author, m.Committer
	sopts.Cache = nil
	inv, err := scan.Dir(ctx, r.Dir, sopts)
	if err != nil {
		return nil, fmt.Errorf("repo %s: %w", rep.ArtifactName, err)
	}
	if o.Repo.ScanHistory && secrets != nil {
		if err := historySecrets(ctx, r, secrets, walk.New(nil, sopts.Walk), o.MaxFileSize, inv); err != nil {
			return nil, fmt.Errorf("repo %s: history: %w", rep.ArtifactName, err)
		}
	}
	return inv, nil
}

// historySecrets adds to inv the secrets each commit introduced: found in
// a file the commit added or changed, on a line its first parent did not
// have. A secret (rule, path, match) is reported once, at the first commit
// that introduced it; one still in the scanned tree gets that commit, one
// that is not gets NotInHead.
func historySecrets(ctx context.Context, r *gitsrc.Repo, s *secret.Scanner, w *walk.Walker, maxSize int64, inv *apply.Inventory) error {
	type key struct{ rule, path, match string }
	head := map[key]int{}
	for i, f := range inv.Secrets {
		head[key{f.RuleID, f.FilePath, f.Match}] = i
	}
	if maxSize <= 0 {
		maxSize = defaultHistoryBlobSize
	}
	seen := map[key]bool{}
	return r.History(ctx, gitsrc.HistoryOptions{
		MaxBlobSize: maxSize,
		Skip:        func(p string) bool { return !s.Required(p) || w.Skips(p) },
	}, func(c *gitsrc.Change) error {
		if len(c.Content) < secret.MinSize {
			return nil
		}
		res, err := s.ScanContext(ctx, c.Path, c.Content)
		if err != nil {
			return fmt.Errorf("%s at %s: %w", c.Path, c.Commit.Hash, err)
		}
		for _, f := range res.Secrets {
			k := key{f.RuleID, c.Path, f.Match}
			if seen[k] {
				continue
			}
			added, err := c.Added(f.StartLine, f.EndLine)
			if err != nil {
				return fmt.Errorf("%s at %s: %w", c.Path, c.Commit.Hash, err)
			}
			if !added {
				continue
			}
			seen[k] = true
			if i, ok := head[k]; ok {
				hs := &inv.Secrets[i].Secret
				hs.Commit, hs.Author, hs.Date = c.Commit.Hash, c.Commit.Author, c.Commit.Date
				continue
			}
			f.Commit, f.Author, f.Date, f.NotInHead = c.Commit.Hash, c.Commit.Author, c.Commit.Date, true
			inv.Secrets = append(inv.Secrets, inventory.Secret{FilePath: c.Path, Secret: f})
		}
		return nil
	})
}
