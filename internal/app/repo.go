package app

import (
	"bytes"
	"context"
	"fmt"
	"hash/maphash"
	"os"

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
// have. A secret (rule, path, censored match and the secret's own bytes,
// kept only as a hash) is reported once, at the first commit that
// introduced it; one still in the scanned tree gets that commit, one that
// is not gets NotInHead.
func historySecrets(ctx context.Context, r *gitsrc.Repo, s *secret.Scanner, w *walk.Walker, maxSize int64, inv *apply.Inventory) error {
	if maxSize <= 0 {
		maxSize = defaultHistoryBlobSize
	}
	head, err := headSecretKeys(r.Dir, maxSize, inv.Secrets)
	if err != nil {
		return err
	}
	seen := map[secretKey]bool{}
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
			k := keyOf(c.Path, c.Content, f)
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

// secretKey identifies a secret across commits. The censored match alone
// would merge different keys of the same length on the same line, so the
// secret's bytes take part, as a hash.
type secretKey struct {
	rule, path, match string
	value             uint64
}

var secretSeed = maphash.MakeSeed()

func keyOf(path string, content []byte, f model.Secret) secretKey {
	return secretKey{f.RuleID, path, f.Match, maphash.Bytes(secretSeed, secretValue(content, f))}
}

// secretValue is the secret's first line in content: from Offset, as many
// bytes as the censored match has stars there.
func secretValue(content []byte, f model.Secret) []byte {
	off := f.Offset
	if off < 0 || off >= len(content) {
		return nil
	}
	col := off - (bytes.LastIndexByte(content[:off], '\n') + 1)
	n := 0
	for col+n < len(f.Match) && f.Match[col+n] == '*' && off+n < len(content) {
		n++
	}
	return content[off : off+n]
}

// headSecretKeys keys the secrets found in the scanned tree, reading their
// files again (through an os.Root, at most maxSize bytes each).
func headSecretKeys(dir string, maxSize int64, secrets []inventory.Secret) (map[secretKey]int, error) {
	out := map[secretKey]int{}
	if len(secrets) == 0 {
		return out, nil
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	byFile := map[string][]int{}
	var paths []string
	for i, f := range secrets {
		if _, ok := byFile[f.FilePath]; !ok {
			paths = append(paths, f.FilePath)
		}
		byFile[f.FilePath] = append(byFile[f.FilePath], i)
	}
	for _, p := range paths { // one file in memory at a time
		var content []byte
		if fi, err := root.Lstat(p); err == nil && fi.Mode().IsRegular() && fi.Size() <= maxSize {
			content, _ = root.ReadFile(p)
		}
		for _, i := range byFile[p] {
			out[keyOf(p, content, secrets[i].Secret)] = i
		}
	}
	return out, nil
}
