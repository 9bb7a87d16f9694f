package misconfig

import (
	"context"
	"fmt"
	"path"

	"github.com/trawlsec/trawl/internal/helm"
	"github.com/trawlsec/trawl/pkg/inventory"
)

// TemplateResult is what the checks found in one rendered template of a
// chart.
type TemplateResult struct {
	// Target names the template as Trivy does: the template's path
	// joined to the chart folder ("templates/deployment.yaml" for a chart
	// at the root, "deploy/app/templates/x.yaml"), or after the archive's
	// path and a colon ("charts/app-1.0.0.tgz:templates/x.yaml").
	Target string
	*Result
}

// ChartTarget is the result target of a template of the chart kept as f
// (a folder's Chart.yaml or an archive).
func ChartTarget(f inventory.ConfigFile, template string) string {
	if path.Base(f.FilePath) == "Chart.yaml" {
		return path.Join(path.Dir(f.FilePath), template)
	}
	return f.FilePath + ":" + template
}

// ScanChart renders a chart (f.Type "helm", its content a chart archive)
// with r and evaluates the Kubernetes checks on each rendered template,
// one result per template that holds resources. Lines refer to the
// rendered manifest. A chart that does not render is an error naming it
// with Helm's message; a rendered template that does not parse, too.
func (e *Engine) ScanChart(ctx context.Context, f inventory.ConfigFile, r *helm.Renderer) ([]TemplateResult, error) {
	p := e.prepared[TypeKubernetes]
	if p == nil {
		return nil, nil
	}
	manifests, err := r.Render(ctx, f.Content)
	if err != nil {
		return nil, fmt.Errorf("helm chart %s: %w", f.FilePath, err)
	}
	var out []TemplateResult
	for _, m := range manifests {
		target := ChartTarget(f, m.Path)
		inputs, err := kubernetesInputs(target, m.Content)
		if err != nil {
			return nil, fmt.Errorf("helm chart %s: rendered %w", f.FilePath, err)
		}
		if len(inputs) == 0 {
			continue
		}
		res, err := e.evaluate(ctx, p, TypeHelm, target, m.Content, inputs)
		if err != nil {
			return nil, err
		}
		out = append(out, TemplateResult{Target: target, Result: res})
	}
	return out, nil
}
