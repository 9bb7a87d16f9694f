// Package scan runs the analysis pipeline: it reads each layer of an
// artifact (from the cache when it can), merges the layers with
// internal/apply, and turns the inventory into report results. Detection
// (vulnerability matching) plugs in through the Detector interface, so this
// package knows nothing of the vulnerability DB.
package scan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/apply"
	"github.com/trawlsec/trawl/internal/cache"
	"github.com/trawlsec/trawl/internal/walk"
	"github.com/trawlsec/trawl/pkg/model"
)

// Layer is one image layer to analyse.
type Layer struct {
	model.Layer
	// Open returns the layer's uncompressed tar stream. Each call must be
	// independent, so that layers can be read concurrently, and the stream
	// must fail a Read (at the latest at EOF) when its content does not
	// match DiffID: results are cached under DiffID.
	Open func() (io.ReadCloser, error)
}

// Options configure the analysis of one artifact.
type Options struct {
	Analyzers []analyze.Analyzer
	Walk      walk.Options
	// Cache stores layer results; nil disables caching.
	Cache cache.Cache
	// CacheExtra are additional inputs to the cache key (walk options,
	// secret rules digest…).
	CacheExtra []string
	// Parallel is the number of layers analysed at once.
	Parallel int
	Logger   *slog.Logger
	// OnLayer is called after each layer is analysed (for progress).
	OnLayer func(l model.Layer, cached bool)
}

func (o *Options) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Logger
}

// MaxImageFiles caps the files of all layers of one image together (each
// layer is capped on its own by walk.Options.MaxEntries): every file is
// kept in memory until the layers are merged.
const MaxImageFiles = 4_000_000

// ErrTooManyFiles is returned when an image's layers together hold more
// than MaxImageFiles files.
var ErrTooManyFiles = errors.New("trawl/scan: image has too many files")

// Layers analyses image layers concurrently and merges them.
func Layers(ctx context.Context, layers []Layer, opts Options) (*apply.Inventory, error) {
	w := walk.New(opts.Analyzers, opts.Walk)
	results := make([]*analyze.LayerResult, len(layers))
	g, gctx := errgroup.WithContext(ctx)
	par := opts.Parallel
	if par <= 0 {
		par = 2
	}
	g.SetLimit(par)
	var mu sync.Mutex
	files := 0
	for i, l := range layers {
		g.Go(func() error {
			r, err := analyzeLayer(gctx, w, l, opts)
			if err != nil {
				return err
			}
			mu.Lock()
			files += len(r.Files)
			over := files > MaxImageFiles
			mu.Unlock()
			if over {
				return fmt.Errorf("%w: the image's layers hold more than %d files", ErrTooManyFiles, MaxImageFiles)
			}
			results[i] = r
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return apply.Apply(results), nil
}

// verifiedKey marks cache keys of layers verified against their diffID.
const verifiedKey = "content-verified=diff_id"

// LayerKey is the cache key of the layer with this diffID under opts: a
// client computes the keys of an image's layers with it before reading
// them, to ask a server which it lacks.
func LayerKey(diffID string, opts Options) string {
	return cache.Key(diffID, opts.Analyzers, append([]string{verifiedKey}, opts.CacheExtra...)...)
}

func analyzeLayer(ctx context.Context, w *walk.Walker, l Layer, opts Options) (*analyze.LayerResult, error) {
	log := opts.logger()
	key := ""
	if opts.Cache != nil && l.DiffID != "" {
		// Only layers whose content was verified against their diffID
		// are cached, and the key says so: entries written before
		// verification existed (possibly poisoned by an image that
		// claimed another image's diffIDs) are never read.
		key = LayerKey(l.DiffID, opts)
		r, ok, err := opts.Cache.Get(ctx, key)
		if err != nil {
			log.Warn("scan cache unreadable; analysing the layer again", "layer", l.DiffID, "err", err)
		} else if ok {
			r.Layer = l.Layer
			if opts.OnLayer != nil {
				opts.OnLayer(l.Layer, true)
			}
			log.Debug("layer from cache", "diff_id", l.DiffID)
			return r, nil
		}
	}
	rc, err := l.Open()
	if err != nil {
		return nil, fmt.Errorf("layer %s: %w", l.DiffID, err)
	}
	defer rc.Close()
	// Tar reads the stream to its end; the source verifies the layer's
	// digests at EOF, so a result returned here is of verified content.
	r, err := w.Tar(ctx, rc)
	if err != nil {
		return nil, fmt.Errorf("layer %s: %w", l.DiffID, err)
	}
	r.Layer = l.Layer
	if key != "" {
		if err := opts.Cache.Put(ctx, key, r); err != nil {
			log.Warn("could not write the scan cache", "layer", l.DiffID, "err", err)
		}
	}
	if opts.OnLayer != nil {
		opts.OnLayer(l.Layer, false)
	}
	return r, nil
}

// Dir analyses a directory (or one file) as a single pseudo-layer.
func Dir(ctx context.Context, root string, opts Options) (*apply.Inventory, error) {
	r, err := walk.New(opts.Analyzers, opts.Walk).Dir(ctx, root)
	if err != nil {
		return nil, err
	}
	return apply.Apply([]*analyze.LayerResult{r}), nil
}

// ResultOptions choose which results are built.
type ResultOptions struct {
	ArtifactName string
	// OSPackages and LangPackages follow --pkg-types.
	OSPackages   bool
	LangPackages bool
	// IncludeDevDeps keeps packages marked Dev.
	IncludeDevDeps bool
	// Secrets follows --scanners secret.
	Secrets bool
	// AbsoluteSecretTargets names secret results by the file's absolute
	// path ("/app/.env"), as Trivy does for images; directories keep
	// paths relative to the scanned root.
	AbsoluteSecretTargets bool
	// FromSBOM is set when the packages were decoded from an SBOM document
	// given as the artifact: no analyzer read them, so AnalyzedBy stays
	// empty, as in Trivy.
	FromSBOM bool
}

// Results turns an inventory into report results, in Trivy's order: the OS
// first, then language packages by target, then secrets by file.
func Results(inv *apply.Inventory, opts ResultOptions) []model.Result {
	var out []model.Result
	if opts.OSPackages && (inv.OS.Detected() || len(inv.OSPackages) > 0) {
		target := opts.ArtifactName
		typ := ""
		if inv.OS.Detected() {
			target = fmt.Sprintf("%s (%s %s)", opts.ArtifactName, inv.OS.Family, inv.OS.Name)
			typ = inv.OS.Family
		}
		out = append(out, model.Result{Target: target, Class: model.ClassOSPkg, Type: typ,
			Packages: ReportPackages(inv.OSPackages, inv.OSPackageType, opts.FromSBOM)})
	}
	if opts.LangPackages {
		aggregated := map[string]*model.Result{}
		var perFile []model.Result
		for _, s := range inv.Applications {
			pkgs := s.Packages
			if !opts.IncludeDevDeps {
				pkgs = withoutDev(pkgs)
			}
			pkgs = ReportPackages(pkgs, s.Type, opts.FromSBOM)
			if name := model.AggregatedTarget(s.Type); name != "" {
				r := aggregated[s.Type]
				if r == nil {
					r = &model.Result{Target: name, Class: model.ClassLangPkg, Type: s.Type}
					aggregated[s.Type] = r
				}
				r.Packages = append(r.Packages, pkgs...)
				continue
			}
			perFile = append(perFile, model.Result{Target: s.FilePath, Class: model.ClassLangPkg, Type: s.Type, Packages: pkgs})
		}
		types := make([]string, 0, len(aggregated))
		for t := range aggregated {
			types = append(types, t)
		}
		sort.Strings(types)
		for _, t := range types {
			r := aggregated[t]
			sort.SliceStable(r.Packages, func(i, j int) bool {
				if r.Packages[i].Name != r.Packages[j].Name {
					return r.Packages[i].Name < r.Packages[j].Name
				}
				if r.Packages[i].Version != r.Packages[j].Version {
					return r.Packages[i].Version < r.Packages[j].Version
				}
				return r.Packages[i].FilePath < r.Packages[j].FilePath
			})
			out = append(out, *r)
		}
		out = append(out, perFile...)
	}
	if opts.Secrets {
		byFile := map[string][]model.Secret{}
		var files []string
		for _, s := range inv.Secrets {
			if _, ok := byFile[s.FilePath]; !ok {
				files = append(files, s.FilePath)
			}
			byFile[s.FilePath] = append(byFile[s.FilePath], s.Secret)
		}
		sort.Strings(files)
		for _, f := range files {
			target := f
			if opts.AbsoluteSecretTargets && !strings.HasPrefix(target, "/") {
				target = "/" + target
			}
			out = append(out, model.Result{Target: target, Class: model.ClassSecret, Secrets: ReportSecrets(byFile[f])})
		}
	}
	return out
}

func withoutDev(pkgs []model.Package) []model.Package {
	out := pkgs[:0:0]
	for _, p := range pkgs {
		if !p.Dev {
			out = append(out, p)
		}
	}
	return out
}

// ReportPackages returns the packages of one set (of type pkgType) as
// reports write them, in Trivy's form, leaving pkgs untouched:
//
//   - AnalyzedBy names Trivy's analyzer for the type (unless fromSBOM, or
//     already set);
//   - Relationship "unknown" is left out, as Trivy omits it, and Indirect
//     repeats Relationship == indirect;
//   - InstalledFiles of OS packages are written as the package database
//     lists them: absolute for dpkg and rpm, relative for apk.
func ReportPackages(pkgs []model.Package, pkgType string, fromSBOM bool) []model.Package {
	if len(pkgs) == 0 {
		return pkgs
	}
	analyzer := ""
	if !fromSBOM {
		analyzer = model.AnalyzerOf(pkgType)
	}
	out := make([]model.Package, len(pkgs))
	for i, p := range pkgs {
		if p.AnalyzedBy == "" {
			p.AnalyzedBy = analyzer
		}
		if p.Relationship == model.RelationshipUnknown {
			p.Relationship = ""
		}
		p.Indirect = p.Relationship == model.RelationshipIndirect
		p.InstalledFiles = installedFiles(p.InstalledFiles, pkgType)
		out[i] = p
	}
	return out
}

// installedFiles writes an inventory file list (paths relative to the
// root) as Trivy does for pkgType: dpkg's .list files and rpm's database
// hold absolute paths, apk's database relative ones. Other types have
// none in reports.
func installedFiles(files []string, pkgType string) []string {
	if len(files) == 0 {
		return nil
	}
	switch pkgType {
	case model.TypeApk:
		return append([]string(nil), files...)
	case model.TypeDpkg, model.TypeRPM:
		out := make([]string, len(files))
		for i, f := range files {
			out[i] = "/" + strings.TrimPrefix(f, "/")
		}
		if pkgType == model.TypeDpkg {
			// Trivy lists a dpkg package's files sorted (its .list
			// file puts symlinks and diversions last).
			sort.Strings(out)
		}
		return out
	}
	return nil
}

// ReportSecrets returns secrets as reports write them: each code line's
// Highlighted repeats its (censored) Content, as Trivy's secret scanner
// writes it. secrets is left untouched.
func ReportSecrets(secrets []model.Secret) []model.Secret {
	out := make([]model.Secret, len(secrets))
	for i, s := range secrets {
		if s.Code.Lines == nil {
			out[i] = s
			continue
		}
		lines := make([]model.Line, len(s.Code.Lines))
		for j, l := range s.Code.Lines {
			if l.Highlighted == "" {
				l.Highlighted = l.Content
			}
			lines[j] = l
		}
		s.Code.Lines = lines
		out[i] = s
	}
	return out
}
