package helm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"helm.sh/helm/v4/pkg/engine"
	releaseutil "helm.sh/helm/v4/pkg/release/v1/util"
	"helm.sh/helm/v4/pkg/strvals"
	"sigs.k8s.io/yaml"
)

// MaxRenderedSize caps the manifests one chart renders to.
const MaxRenderedSize = 16 << 20

// MaxValuesFileSize caps a --helm-values or --helm-set-file file.
const MaxValuesFileSize = 4 << 20

// DefaultTimeout is the time one chart may take to render.
const DefaultTimeout = 30 * time.Second

// Options are Trivy's --helm-* flags.
type Options struct {
	// ValueFiles are YAML files merged over the chart's values.yaml, in
	// order (--helm-values).
	ValueFiles []string
	// Values, StringValues and FileValues are key=value overrides
	// (--helm-set, --helm-set-string, --helm-set-file key=path), applied
	// after the files, in that order, as helm's --set flags are.
	Values, StringValues, FileValues []string
	// APIVersions are added to .Capabilities.APIVersions
	// (--helm-api-versions).
	APIVersions []string
	// KubeVersion is .Capabilities.KubeVersion (--helm-kube-version);
	// Helm's default when empty.
	KubeVersion string
	// Timeout is the time one chart may take to render (DefaultTimeout
	// when zero).
	Timeout time.Duration
}

// Renderer renders charts with one set of options.
type Renderer struct {
	opts       Options
	valueFiles [][]byte
	setFiles   map[string][]byte
	caps       *common.Capabilities
}

// NewRenderer reads the value files and checks the options. An unreadable
// file or a malformed override fails here, once, naming it.
func NewRenderer(o Options) (*Renderer, error) {
	r := &Renderer{opts: o, setFiles: map[string][]byte{}}
	if r.opts.Timeout <= 0 {
		r.opts.Timeout = DefaultTimeout
	}
	for _, f := range o.ValueFiles {
		data, err := readCapped(f)
		if err != nil {
			return nil, fmt.Errorf("helm values %s: %w", f, err)
		}
		if _, err := readValues(data); err != nil {
			return nil, fmt.Errorf("helm values %s: %w", f, err)
		}
		r.valueFiles = append(r.valueFiles, data)
	}
	for _, kv := range o.FileValues {
		_, p, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("helm set-file %q: want key=path", kv)
		}
		data, err := readCapped(p)
		if err != nil {
			return nil, fmt.Errorf("helm set-file %s: %w", p, err)
		}
		r.setFiles[p] = data
	}
	caps := common.DefaultCapabilities.Copy()
	if o.KubeVersion != "" {
		kv, err := common.ParseKubeVersion(o.KubeVersion)
		if err != nil {
			return nil, fmt.Errorf("helm kube version %q: %w", o.KubeVersion, err)
		}
		caps.KubeVersion = *kv
	}
	if len(o.APIVersions) > 0 {
		caps.APIVersions = append(append(common.VersionSet{}, caps.APIVersions...), o.APIVersions...)
	}
	r.caps = caps
	if _, err := r.values(); err != nil {
		return nil, err
	}
	return r, nil
}

// values merges the value files and the overrides into a new map (each
// chart gets its own: Helm's dependency processing writes into it).
func (r *Renderer) values() (map[string]any, error) {
	base := map[string]any{}
	for i, data := range r.valueFiles {
		v, err := readValues(data)
		if err != nil {
			return nil, fmt.Errorf("helm values %s: %w", r.opts.ValueFiles[i], err)
		}
		base = loader.MergeMaps(base, v)
	}
	for _, kv := range r.opts.Values {
		if err := strvals.ParseInto(kv, base); err != nil {
			return nil, fmt.Errorf("helm set %q: %w", kv, err)
		}
	}
	for _, kv := range r.opts.StringValues {
		if err := strvals.ParseIntoString(kv, base); err != nil {
			return nil, fmt.Errorf("helm set-string %q: %w", kv, err)
		}
	}
	for _, kv := range r.opts.FileValues {
		reader := func(rs []rune) (any, error) {
			data, ok := r.setFiles[string(rs)]
			if !ok {
				return nil, fmt.Errorf("%s: not read", string(rs))
			}
			return string(data), nil
		}
		if err := strvals.ParseIntoFile(kv, base, reader); err != nil {
			return nil, fmt.Errorf("helm set-file %q: %w", kv, err)
		}
	}
	return base, nil
}

func readValues(data []byte) (map[string]any, error) {
	v := map[string]any{}
	if err := yaml.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	if v == nil {
		v = map[string]any{}
	}
	return v, nil
}

func readCapped(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxValuesFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxValuesFileSize {
		return nil, fmt.Errorf("larger than %d bytes", MaxValuesFileSize)
	}
	return data, nil
}

// Manifest is the rendered output of one template: its documents
// (hooks, such as Helm tests, left out, as `helm install` keeps them out
// of the release manifest), each after a "# Source: <chart>/<path>" line,
// joined by "---" lines.
type Manifest struct {
	// Path is the template's path inside the chart
	// ("templates/deployment.yaml"; a subchart's
	// "charts/<name>/templates/x.yaml").
	Path    string
	Content []byte
}

// Render renders a chart archive (see ReadArchive) with the chart's
// values.yaml and the options, as `helm template` would for a release
// named after the chart in namespace "default". The manifests are sorted
// by path. A chart that does not load or render is an error carrying
// Helm's message.
func (r *Renderer) Render(ctx context.Context, data []byte) ([]Manifest, error) {
	files, err := ReadArchive(data)
	if err != nil {
		return nil, err
	}
	ch, err := loader.LoadFiles(files)
	if err != nil {
		return nil, err
	}
	if ch.Metadata.KubeVersion != "" && !chartutil.IsCompatibleRange(ch.Metadata.KubeVersion, r.caps.KubeVersion.String()) {
		return nil, fmt.Errorf("chart requires kubeVersion: %s which is incompatible with Kubernetes %s", ch.Metadata.KubeVersion, r.caps.KubeVersion.String())
	}
	vals, err := r.values()
	if err != nil {
		return nil, err
	}
	type result struct {
		out []Manifest
		err error
	}
	ctx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	done := make(chan result, 1)
	// Helm's engine does not stop on a cancelled context; a chart that
	// renders for too long is given up on (its goroutine finishes on its
	// own) so that the scan goes on.
	go func() {
		defer func() {
			if v := recover(); v != nil {
				done <- result{err: fmt.Errorf("rendering panicked: %v", v)}
			}
		}()
		out, err := render(ctx, ch, vals, r.caps)
		done <- result{out, err}
	}()
	select {
	case res := <-done:
		return res.out, res.err
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("rendering took longer than %s", r.opts.Timeout)
		}
		return nil, ctx.Err()
	}
}

func render(ctx context.Context, ch *chart.Chart, vals map[string]any, caps *common.Capabilities) ([]Manifest, error) {
	if err := chartutil.ProcessDependencies(ch, vals); err != nil {
		return nil, err
	}
	opts := common.ReleaseOptions{Name: ch.Name(), Namespace: "default", Revision: 1, IsInstall: true}
	// Schema validation is skipped: Helm's validator may fetch remote
	// schemas, and trawl never goes to the network for a chart.
	top, err := util.ToRenderValuesWithSchemaValidation(ch, vals, opts, caps, true)
	if err != nil {
		return nil, err
	}
	rendered, err := engine.Engine{}.RenderWithContext(ctx, ch, top)
	if err != nil {
		return nil, err
	}
	total := 0
	for name, s := range rendered {
		if strings.HasSuffix(name, "NOTES.txt") {
			delete(rendered, name)
			continue
		}
		if total += len(s); total > MaxRenderedSize {
			return nil, fmt.Errorf("rendered manifests larger than %d bytes", MaxRenderedSize)
		}
	}
	_, manifests, err := releaseutil.SortManifests(rendered, caps.APIVersions, releaseutil.InstallOrder)
	if err != nil {
		return nil, err
	}
	byPath := map[string]*bytes.Buffer{}
	var paths []string
	prefix := ch.Name() + "/"
	for _, m := range manifests {
		p := strings.TrimPrefix(m.Name, prefix)
		b := byPath[p]
		if b == nil {
			b = &bytes.Buffer{}
			byPath[p] = b
			paths = append(paths, p)
		} else {
			b.WriteString("---\n")
		}
		fmt.Fprintf(b, "# Source: %s\n%s\n", m.Name, strings.TrimRight(m.Content, "\n"))
	}
	sort.Strings(paths)
	out := make([]Manifest, 0, len(paths))
	for _, p := range paths {
		out = append(out, Manifest{Path: path.Clean(p), Content: byPath[p].Bytes()})
	}
	return out, nil
}
