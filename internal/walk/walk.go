// Package walk reads an artifact's files once — an image layer as a tar
// stream, or a directory — and hands each file that an analyzer asks for to
// every analyzer that wants it. It applies the safety rules every target
// shares: paths must stay inside the artifact, symlinks are recorded but
// never followed, and the sizes read are capped.
package walk

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"testing/fstest"

	"github.com/bmatcuk/doublestar/v4"
	"golang.org/x/sync/errgroup"

	"github.com/trawlsec/trawl/internal/analyze"
)

// Defaults for Options.
const (
	DefaultMaxFileSize  = 64 << 20 // 64 MiB handed to analyzers per file
	DefaultMaxTotalSize = 4 << 30  // 4 GiB handed to analyzers per layer
	DefaultMaxLayerSize = 32 << 30 // 32 GiB of uncompressed tar per layer
	DefaultParallel     = 4        // files analysed at once
	// DefaultMaxRandomAccessSize caps the files handed to random-access
	// analyzers (analyze.RandomAccess) past MaxFileSize.
	DefaultMaxRandomAccessSize = 2 << 30
	// DefaultMemoryBudget caps the file content one Walker holds in
	// memory for analyzers, across all its concurrent walks.
	DefaultMemoryBudget = 256 << 20
	// DefaultMaxEntries caps the tar entries of one layer. The largest
	// real layers (a node_modules tree, a whole distribution) hold a few
	// hundred thousand; every entry costs memory (about 250 MiB at the
	// limit) for the file list that whiteouts are applied to.
	DefaultMaxEntries = 1_000_000
)

// ErrLayerTooLarge is returned when an uncompressed layer exceeds
// Options.MaxLayerSize (a decompression bomb, or a cap set too low).
var ErrLayerTooLarge = errors.New("trawl/walk: layer exceeds the uncompressed size limit")

// ErrLayerTooManyEntries is returned when a layer holds more than
// Options.MaxEntries tar entries (a small layer of millions of empty
// entries is a memory bomb).
var ErrLayerTooManyEntries = errors.New("trawl/walk: layer has too many entries")

// Options tune a walk.
type Options struct {
	// MaxFileSize is the largest file whose content is read into memory
	// for analyzers. Larger files go only to the analyzers that can read
	// them in place (analyze.RandomAccess), up to MaxRandomAccessSize;
	// for every other analyzer that wanted them they are listed in
	// LayerResult.Skipped.
	MaxFileSize int64
	// MaxRandomAccessSize caps, per file, what random-access analyzers
	// are given (each analyzer may cap it lower).
	MaxRandomAccessSize int64
	// TempDir is where files of a layer stream handed to random-access
	// analyzers are spilled (os.TempDir() by default). Each spill file is
	// created there with a random name, unlinked at once where the OS
	// allows it and removed as soon as its analysis ends.
	TempDir string
	// MemoryBudget caps the file content the Walker holds in memory for
	// per-file analyzers (read and waiting, or being analysed), shared by
	// all the walks the Walker runs at once. A file larger than the budget
	// is still analysed, alone. Files kept for post-analyzers and joiners
	// are capped separately (MaxPostSize, per layer).
	MemoryBudget int64
	// MaxTotalSize caps the bytes handed to analyzers for one layer.
	MaxTotalSize int64
	// MaxLayerSize caps the uncompressed bytes read from one layer stream.
	MaxLayerSize int64
	// MaxEntries caps the tar entries read from one layer.
	MaxEntries int
	// MaxPostSize caps the bytes kept per post-analyzer per layer
	// (analyze.MaxPostSize by default).
	MaxPostSize int64
	// SkipFiles and SkipDirs are doublestar globs matched against the
	// artifact-relative path (a leading "/" in a pattern is ignored).
	SkipFiles []string
	SkipDirs  []string
	// Parallel is how many files are analysed at once.
	Parallel int
	// Logger receives debug notes about skipped files. Nil discards them.
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = DefaultMaxFileSize
	}
	if o.MaxRandomAccessSize <= 0 {
		o.MaxRandomAccessSize = DefaultMaxRandomAccessSize
	}
	if o.TempDir == "" {
		o.TempDir = os.TempDir()
	}
	if o.MemoryBudget <= 0 {
		o.MemoryBudget = DefaultMemoryBudget
	}
	if o.MaxTotalSize <= 0 {
		o.MaxTotalSize = DefaultMaxTotalSize
	}
	if o.MaxLayerSize <= 0 {
		o.MaxLayerSize = DefaultMaxLayerSize
	}
	if o.MaxEntries <= 0 {
		o.MaxEntries = DefaultMaxEntries
	}
	if o.MaxPostSize <= 0 {
		o.MaxPostSize = analyze.MaxPostSize
	}
	if o.Parallel <= 0 {
		o.Parallel = DefaultParallel
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	o.SkipFiles = trimPatterns(o.SkipFiles)
	o.SkipDirs = trimPatterns(o.SkipDirs)
	return o
}

func trimPatterns(in []string) []string {
	out := make([]string, 0, len(in))
	for _, p := range in {
		p = strings.TrimSpace(p)
		p = strings.TrimPrefix(p, "./")
		p = strings.TrimLeft(p, "/")
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ValidatePatterns reports the first malformed glob, so the CLI can reject
// it before a scan starts.
func ValidatePatterns(patterns []string) error {
	for _, p := range trimPatterns(patterns) {
		if !doublestar.ValidatePattern(p) {
			return fmt.Errorf("invalid glob pattern %q", p)
		}
	}
	return nil
}

// maxCompanionSize caps the project files kept for joiners (package.json,
// pyproject.toml…).
const maxCompanionSize = 1 << 20

// Walker runs a fixed list of analyzers over files.
type Walker struct {
	// analyzers see files one at a time; posts (the analyzers that are
	// analyze.PostAnalyzers) see the files they asked for together, once
	// the layer is read.
	analyzers []analyze.Analyzer
	posts     []analyze.PostAnalyzer
	// entries are the analyzers that also look at directories, devices
	// and FIFOs (analyze.EntryAnalyzer).
	entries []entryAnalyzer
	opts    Options
	// joiners by the package type they complete, and the companion base
	// names they want.
	joiners    map[string]analyze.Joiner
	companions map[string]bool
	// budget bounds the content in memory across all walks.
	budget *budget
}

// New returns a Walker for the analyzers. One Walker may run any number of
// Tar, Dir and FS walks at once; they share its memory budget.
func New(analyzers []analyze.Analyzer, opts Options) *Walker {
	opts = opts.withDefaults()
	w := &Walker{opts: opts, joiners: map[string]analyze.Joiner{}, companions: map[string]bool{}, budget: newBudget(opts.MemoryBudget)}
	for _, a := range analyzers {
		if p, ok := a.(analyze.PostAnalyzer); ok {
			w.posts = append(w.posts, p)
			continue
		}
		w.analyzers = append(w.analyzers, a)
		if e, ok := a.(analyze.EntryAnalyzer); ok {
			w.entries = append(w.entries, entryAnalyzer{a.Name(), e})
		}
		if j, ok := a.(analyze.Joiner); ok {
			w.joiners[j.PackageType()] = j
			w.companions[j.Companion()] = true
		}
	}
	return w
}

// entryAnalyzer is an analyze.EntryAnalyzer with its analyzer's name.
type entryAnalyzer struct {
	name string
	analyze.EntryAnalyzer
}

// entry hands a directory, device or FIFO (no content) to the entry
// analyzers that want it, on the walking goroutine: RequiredEntry and
// AnalyzeEntry are as cheap as Required. A failure is recorded in
// LayerResult.Errors.
func (w *Walker) entry(c *collector, rel string, info fs.FileInfo) {
	for _, a := range w.entries {
		if !a.RequiredEntry(rel, info) {
			continue
		}
		r, err := c.entrySafely(a, rel, info)
		if err != nil {
			c.note(&c.res.Errors, analyze.FileNote{Path: rel, Analyzer: a.name, Reason: err.Error()})
			continue
		}
		if r != nil {
			c.mu.Lock()
			c.res.Merge(r)
			c.mu.Unlock()
		}
	}
}

// entrySafely turns an entry analyzer's panic into a one-line error.
func (c *collector) entrySafely(a entryAnalyzer, rel string, info fs.FileInfo) (r *analyze.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			c.opts.Logger.Debug("analyzer panicked", "analyzer", a.name, "path", rel, "panic", p, "stack", string(debug.Stack()))
			err = fmt.Errorf("analyzer %s panicked on %s: %v", a.name, rel, p)
		}
	}()
	return a.AnalyzeEntry(c.ctx, rel, info)
}

// isCompanion reports whether a file may complete a lockfile: a wanted base
// name outside installed-package trees.
func (w *Walker) isCompanion(rel string, size int64) bool {
	if len(w.companions) == 0 || size > maxCompanionSize {
		return false
	}
	if !w.companions[path.Base(rel)] {
		return false
	}
	return !strings.Contains("/"+rel, "/node_modules/") && !strings.Contains("/"+rel, "/vendor/")
}

// skipped reports whether a path falls under --skip-dirs or --skip-files.
func (w *Walker) skipped(rel string) bool {
	for _, p := range w.opts.SkipFiles {
		if ok, _ := doublestar.Match(p, rel); ok {
			return true
		}
	}
	for _, p := range w.opts.SkipDirs {
		// A directory pattern skips everything below a matching directory.
		dir := rel
		for {
			i := strings.LastIndexByte(dir, '/')
			if i < 0 {
				break
			}
			dir = dir[:i]
			if ok, _ := doublestar.Match(p, dir); ok {
				return true
			}
		}
	}
	return false
}

// wanted returns the analyzers that want the file.
func (w *Walker) wanted(rel string, info fs.FileInfo) []analyze.Analyzer {
	var out []analyze.Analyzer
	for _, a := range w.analyzers {
		if a.Required(rel, info) {
			out = append(out, a)
		}
	}
	return out
}

// wantedPost returns the indexes of the post-analyzers that want the file.
func (w *Walker) wantedPost(rel string, info fs.FileInfo) []int {
	var out []int
	for i, p := range w.posts {
		if p.Required(rel, info) {
			out = append(out, i)
		}
	}
	return out
}

// cleanPath turns an archive or directory entry name into the
// artifact-relative form analyzers see ("etc/os-release"). ok is false for
// names that would leave the artifact ("../x") or are empty.
func cleanPath(name string) (string, bool) {
	name = strings.ReplaceAll(name, "\\", "/")
	name = strings.TrimLeft(name, "/")
	p := path.Clean(name)
	if p == "." || p == ".." || strings.HasPrefix(p, "../") {
		return "", false
	}
	return p, true
}

// collector runs analyzers on a bounded pool and merges their results.
type collector struct {
	// companions holds the project files joiners asked for, by path.
	companions map[string][]byte
	// postFiles holds, per post-analyzer (by index), the files it asked
	// for; postSize their total size.
	postFiles []fstest.MapFS
	postSize  []int64
	// parent is the walk's context; ctx, the pool's, ends with the pool.
	parent context.Context
	ctx    context.Context
	g      *errgroup.Group
	mu     sync.Mutex
	res    *analyze.LayerResult
	total  int64
	opts   Options
}

func (w *Walker) newCollector(ctx context.Context, res *analyze.LayerResult) *collector {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(w.opts.Parallel)
	c := &collector{parent: ctx, ctx: gctx, g: g, res: res, opts: w.opts, companions: map[string][]byte{}}
	c.postFiles = make([]fstest.MapFS, len(w.posts))
	c.postSize = make([]int64, len(w.posts))
	for i := range c.postFiles {
		c.postFiles[i] = fstest.MapFS{}
	}
	return c
}

func (c *collector) note(list *[]analyze.FileNote, n analyze.FileNote) {
	c.mu.Lock()
	*list = append(*list, n)
	c.mu.Unlock()
}

// plan is how one file reaches the analyzers that want it.
type plan struct {
	// memory analyzers get the content; random analyzers (the file is
	// over MaxFileSize) get a ReaderAt.
	memory, random []analyze.Analyzer
	// posts are the post-analyzers that keep the file.
	posts []int
	// companion: joiners keep the file.
	companion bool
}

func (p plan) none() bool {
	return len(p.memory) == 0 && len(p.random) == 0 && len(p.posts) == 0 && !p.companion
}

// plan applies the size caps to a file of size bytes before its content is
// read, recording in LayerResult.Skipped every analyzer and post-analyzer
// the file cannot reach.
func (c *collector) plan(w *Walker, rel string, size int64, analyzers []analyze.Analyzer, posts []int, companion bool) plan {
	if size > c.opts.MaxFileSize {
		return c.planLarge(w, rel, size, analyzers, posts, companion)
	}
	p := plan{companion: companion, posts: c.admitPost(w, rel, size, posts)}
	if len(analyzers) > 0 && c.admit(rel, size, analyzers) {
		p.memory = analyzers
	}
	return p
}

// planLarge plans a file over MaxFileSize: only random-access analyzers
// whose cap it fits can have it. When none can, the file is skipped with
// one note, as for every analyzer; otherwise each analyzer and
// post-analyzer left out gets a note of its own.
func (c *collector) planLarge(w *Walker, rel string, size int64, analyzers []analyze.Analyzer, posts []int, companion bool) plan {
	reason := fmt.Sprintf("size %d bytes exceeds the %d-byte file limit", size, c.opts.MaxFileSize)
	var random, rest []analyze.Analyzer
	var raLimit int64
	for _, a := range analyzers {
		if ra, ok := a.(analyze.RandomAccess); ok {
			limit := min(ra.MaxRandomAccessSize(), c.opts.MaxRandomAccessSize)
			raLimit = max(raLimit, limit)
			if size <= limit {
				random = append(random, a)
				continue
			}
		}
		rest = append(rest, a)
	}
	if len(random) == 0 {
		if len(analyzers) > 0 || len(posts) > 0 {
			if raLimit > 0 {
				reason += fmt.Sprintf(" and the %d-byte random-access limit", raLimit)
			}
			c.note(&c.res.Skipped, analyze.FileNote{Path: rel, Reason: reason})
			c.opts.Logger.Debug("skipping large file", "path", rel, "size", size)
		}
		return plan{companion: companion}
	}
	for _, a := range rest {
		c.note(&c.res.Skipped, analyze.FileNote{Path: rel, Analyzer: a.Name(), Reason: reason})
	}
	for _, i := range posts {
		c.note(&c.res.Skipped, analyze.FileNote{Path: rel, Analyzer: w.posts[i].Name(), Reason: reason})
	}
	return plan{random: random, companion: companion}
}

// admit checks the per-layer total before a file's content is read. The
// total counts only files that bulk analyzers alone want (see
// analyze.Bulk).
func (c *collector) admit(rel string, size int64, analyzers []analyze.Analyzer) bool {
	for _, a := range analyzers {
		if !analyze.IsBulk(a) {
			return true
		}
	}
	c.mu.Lock()
	over := c.total+size > c.opts.MaxTotalSize
	if !over {
		c.total += size
	}
	c.mu.Unlock()
	if over {
		c.note(&c.res.Skipped, analyze.FileNote{Path: rel, Reason: fmt.Sprintf("total bytes analysed would exceed the %d-byte limit", c.opts.MaxTotalSize)})
		c.opts.Logger.Debug("skipping file over the total size limit", "path", rel)
		return false
	}
	return true
}

// admitPost keeps of the post-analyzers in posts those whose collected
// files leave room for size more bytes, and reserves it. The file is within
// the per-file cap (see plan).
func (c *collector) admitPost(w *Walker, rel string, size int64, posts []int) []int {
	if len(posts) == 0 {
		return nil
	}
	var out []int
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, i := range posts {
		if c.postSize[i]+size > c.opts.MaxPostSize {
			c.res.Skipped = append(c.res.Skipped, analyze.FileNote{Path: rel, Analyzer: w.posts[i].Name(), Reason: fmt.Sprintf("files kept for post-analysis would exceed the %d-byte limit", c.opts.MaxPostSize)})
			continue
		}
		c.postSize[i] += size
		out = append(out, i)
	}
	return out
}

// keepPost stores a file for the post-analyzers in posts.
func (c *collector) keepPost(rel string, info fs.FileInfo, content []byte, posts []int) {
	if len(posts) == 0 {
		return
	}
	f := &fstest.MapFile{Data: content, Mode: info.Mode().Perm(), ModTime: info.ModTime()}
	c.mu.Lock()
	for _, i := range posts {
		c.postFiles[i][rel] = f
	}
	c.mu.Unlock()
}

// postAnalyze runs every post-analyzer that collected files, after the
// per-file analyzers are done.
func (c *collector) postAnalyze(posts []analyze.PostAnalyzer) error {
	for i, p := range posts {
		files := c.postFiles[i]
		if len(files) == 0 {
			continue
		}
		if err := c.parent.Err(); err != nil {
			return err
		}
		r, err := c.postSafely(p, files)
		if err != nil {
			c.res.Errors = append(c.res.Errors, analyze.FileNote{Path: firstPath(files), Analyzer: p.Name(), Reason: err.Error()})
			continue
		}
		c.res.Merge(r)
	}
	return nil
}

// firstPath names a failed post-analysis by the first of its files.
func firstPath(files fstest.MapFS) string {
	first := ""
	for p := range files {
		if first == "" || p < first {
			first = p
		}
	}
	return first
}

// postSafely turns a post-analyzer panic into a one-line error (the stack
// goes to the debug log).
func (c *collector) postSafely(p analyze.PostAnalyzer, files fs.FS) (r *analyze.Result, err error) {
	defer func() {
		if v := recover(); v != nil {
			c.opts.Logger.Debug("post-analyzer panicked", "analyzer", p.Name(), "panic", v, "stack", string(debug.Stack()))
			err = fmt.Errorf("post-analyzer %s panicked: %v", p.Name(), v)
		}
	}()
	return p.PostAnalyze(c.parent, files)
}

// submit analyses a file with each analyzer on the pool, then calls done
// (which releases the file's memory budget, or closes and removes the file
// behind in.ReaderAt). done is called whatever happens.
func (c *collector) submit(in analyze.Input, analyzers []analyze.Analyzer, done func()) {
	c.g.Go(func() error {
		defer done()
		for _, a := range analyzers {
			if err := c.ctx.Err(); err != nil {
				return err
			}
			r, err := c.runSafely(a, in)
			if err != nil {
				c.note(&c.res.Errors, analyze.FileNote{Path: in.Path, Analyzer: a.Name(), Reason: err.Error()})
				continue
			}
			if r != nil {
				c.mu.Lock()
				c.res.Merge(r)
				c.mu.Unlock()
			}
		}
		return nil
	})
}

// runSafely turns an analyzer panic into a one-line error (the stack goes
// to the debug log) so that one bad parser cannot take the scan down.
// Analyzers name the file in their own errors.
func (c *collector) runSafely(a analyze.Analyzer, in analyze.Input) (r *analyze.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			c.opts.Logger.Debug("analyzer panicked", "analyzer", a.Name(), "path", in.Path, "panic", p, "stack", string(debug.Stack()))
			err = fmt.Errorf("analyzer %s panicked on %s: %v", a.Name(), in.Path, p)
		}
	}()
	return a.Analyze(c.ctx, in)
}

// wait waits for the pool, runs the post-analyzers, joins lockfiles with
// their companion files and sorts the result so that it does not depend on
// scheduling.
func (c *collector) wait(w *Walker) error {
	if err := c.g.Wait(); err != nil {
		return err
	}
	if err := c.postAnalyze(w.posts); err != nil {
		return err
	}
	joiners := w.joiners
	for i := range c.res.Applications {
		set := &c.res.Applications[i]
		j := joiners[set.Type]
		if j == nil {
			continue
		}
		companion := path.Join(path.Dir(set.FilePath), j.Companion())
		content, ok := c.companions[companion]
		if !ok {
			continue
		}
		if err := j.Join(set, content); err != nil {
			c.res.Errors = append(c.res.Errors, analyze.FileNote{Path: companion, Analyzer: set.Type, Reason: err.Error()})
		}
	}
	sortResult(c.res)
	return nil
}

// keepCompanion stores a companion file's content for the join.
func (c *collector) keepCompanion(rel string, content []byte) {
	c.mu.Lock()
	c.companions[rel] = content
	c.mu.Unlock()
}

func sortResult(r *analyze.LayerResult) {
	sort.Strings(r.Files)
	sort.Strings(r.Whiteouts)
	sort.Strings(r.OpaqueDirs)
	byPath := func(s []analyze.PackageSet) {
		sort.SliceStable(s, func(i, j int) bool {
			if s[i].FilePath != s[j].FilePath {
				return s[i].FilePath < s[j].FilePath
			}
			return s[i].Type < s[j].Type
		})
	}
	byPath(r.OSPackages)
	byPath(r.Applications)
	sort.SliceStable(r.Owned, func(i, j int) bool { return r.Owned[i].FilePath < r.Owned[j].FilePath })
	sort.SliceStable(r.Secrets, func(i, j int) bool {
		if r.Secrets[i].FilePath != r.Secrets[j].FilePath {
			return r.Secrets[i].FilePath < r.Secrets[j].FilePath
		}
		if r.Secrets[i].StartLine != r.Secrets[j].StartLine {
			return r.Secrets[i].StartLine < r.Secrets[j].StartLine
		}
		return r.Secrets[i].RuleID < r.Secrets[j].RuleID
	})
	notes := func(s []analyze.FileNote) {
		sort.SliceStable(s, func(i, j int) bool {
			if s[i].Path != s[j].Path {
				return s[i].Path < s[j].Path
			}
			return s[i].Analyzer < s[j].Analyzer
		})
	}
	notes(r.Skipped)
	notes(r.Errors)
}

// Skips reports whether --skip-files or --skip-dirs exclude the file at rel
// (slash separated, relative to the root), for sources that read files
// outside a walk (a repository's history).
func (w *Walker) Skips(rel string) bool { return w.skipped(rel) }
