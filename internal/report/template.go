package report

import (
	"bytes"
	"embed"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/template"
	"time"

	"github.com/Masterminds/sprig/v3"

	"github.com/trawlsec/trawl/internal/fsutil"
	"github.com/trawlsec/trawl/pkg/model"
)

// contribFS holds the templates shipped in the binary, read with
// --template @contrib/NAME.tpl.
//
//go:embed contrib/*.tpl
var contribFS embed.FS

// ErrNoTemplate is returned by the template format when no template is given.
var ErrNoTemplate = errors.New("trawl/report: the template format needs --template")

// templateResult is what a template sees for one result: the result's own
// fields plus Trivy's result fields trawl does not produce, empty, so that
// templates written for Trivy that range over them still run.
type templateResult struct {
	model.Result
	MisconfSummary    any
	Misconfigurations []any
	Licenses          []any
	CustomResources   []any
}

// WriteTemplate renders opts.Template (inline text, or "@path.tpl") with Go
// text/template. As in Trivy the template's dot is the report's Results.
// "@contrib/NAME.tpl" (or any ".../contrib/" or ".../templates/" path that
// does not exist on disk) names a template shipped in the binary: asff,
// gitlab, gitlab-codequality, html or junit.
func WriteTemplate(w io.Writer, r *model.Report, opts Options) error {
	text, name, err := loadTemplate(opts.Template)
	if err != nil {
		return err
	}
	t, err := template.New(name).Funcs(templateFuncs(r, opts)).Parse(text)
	if err != nil {
		return fmt.Errorf("parsing template %s: %w", name, err)
	}
	var buf bytes.Buffer
	data := make([]templateResult, len(r.Results))
	for i := range r.Results {
		data[i] = templateResult{Result: r.Results[i]}
	}
	if err := t.Execute(&buf, data); err != nil {
		return fmt.Errorf("executing template %s: %w", name, err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("writing template output: %w", err)
	}
	return nil
}

// MaxTemplateSize is the largest template file read with --template
// @FILE; devices and FIFOs are refused too.
const MaxTemplateSize = 4 << 20

func loadTemplate(spec string) (text, name string, err error) {
	if spec == "" {
		return "", "", ErrNoTemplate
	}
	path, ok := strings.CutPrefix(spec, "@")
	if !ok {
		return spec, "inline", nil
	}
	if !strings.HasSuffix(path, ".tpl") {
		return "", "", fmt.Errorf("template file %s: the name must end in .tpl", path)
	}
	b, err := fsutil.ReadFileLimited(path, MaxTemplateSize, "templates")
	if errors.Is(err, fs.ErrNotExist) {
		switch filepath.Base(filepath.Dir(path)) {
		case "contrib", "templates":
			if eb, eerr := contribFS.ReadFile("contrib/" + filepath.Base(path)); eerr == nil {
				return string(eb), path, nil
			}
		}
	}
	if fe := (*fsutil.Error)(nil); errors.As(err, &fe) {
		return "", "", fmt.Errorf("template %w", err) // "template PATH: reason"
	}
	if err != nil {
		return "", "", fmt.Errorf("reading template: %w", err)
	}
	return string(b), path, nil
}

// templateFuncs are the helpers templates can call, as in Trivy: sprig's
// function map, then Trivy's own (escapeXML, escapeString, endWithPeriod,
// sourceID, appVersion). Three sprig functions are replaced so that a
// template cannot reach outside the report: env and expandenv read
// opts.Getenv (never the process environment directly), now is the
// report's creation time (reproducible output), and getHostByName (a DNS
// lookup) is removed.
func templateFuncs(r *model.Report, opts Options) template.FuncMap {
	m := sprig.TxtFuncMap()
	delete(m, "getHostByName")
	getenv := func(key string) string {
		if opts.Getenv == nil {
			return ""
		}
		return opts.Getenv(key)
	}
	own := template.FuncMap{
		"escapeXML": func(s string) string {
			var b strings.Builder
			if err := xml.EscapeText(&b, []byte(s)); err != nil {
				return s
			}
			return b.String()
		},
		"escapeString": func(s string) string {
			q, _ := json.Marshal(s)
			return strings.Trim(string(q), `"`)
		},
		"endWithPeriod": func(s string) string {
			if s != "" && !strings.HasSuffix(s, ".") {
				return s + "."
			}
			return s
		},
		"sourceID":   func(s string) string { return s },
		"env":        getenv,
		"expandenv":  func(s string) string { return os.Expand(s, getenv) },
		"appVersion": func() string { return appVersion(opts) },
		"now":        func() time.Time { return r.CreatedAt },
		// Go-style names some templates use for sprig's lower/upper.
		"toLower": strings.ToLower,
		"toUpper": strings.ToUpper,
	}
	for k, v := range own {
		m[k] = v
	}
	return m
}
