package report

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"text/template"
	"time"
	"unicode"
	"unicode/utf8"

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

// templateFuncs are the helpers templates can call: Trivy's own
// (escapeXML, endWithPeriod, sourceID, appVersion) and the common string,
// list and dict helpers of sprig that Trivy's templates use.
func templateFuncs(r *model.Report, opts Options) template.FuncMap {
	return template.FuncMap{
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
		"sourceID": func(s string) string { return s },
		// env reads the caller's environment through opts.Getenv, never
		// the process environment directly.
		"env": func(key string) string {
			if opts.Getenv == nil {
				return ""
			}
			return opts.Getenv(key)
		},
		"sha1sum": func(s string) string {
			h := sha1.Sum([]byte(s))
			return hex.EncodeToString(h[:])
		},
		"sha256sum": func(s string) string {
			h := sha256.Sum256([]byte(s))
			return hex.EncodeToString(h[:])
		},
		"appVersion": func() string { return appVersion(opts) },
		// now returns the report's creation time so output stays reproducible.
		"now": func() time.Time { return r.CreatedAt },
		"date": func(layout string, t any) string {
			switch v := t.(type) {
			case time.Time:
				return v.Format(layout)
			case *time.Time:
				if v != nil {
					return v.Format(layout)
				}
			}
			return ""
		},
		"toLower": strings.ToLower,
		"lower":   strings.ToLower,
		"toUpper": strings.ToUpper,
		"upper":   strings.ToUpper,
		"title": func(s string) string {
			r, n := utf8.DecodeRuneInString(s)
			if n == 0 {
				return s
			}
			return string(unicode.ToUpper(r)) + s[n:]
		},
		"trim":       strings.TrimSpace,
		"trimPrefix": func(prefix, s string) string { return strings.TrimPrefix(s, prefix) },
		"trimSuffix": func(suffix, s string) string { return strings.TrimSuffix(s, suffix) },
		"contains":   func(sub, s string) bool { return strings.Contains(s, sub) },
		"hasPrefix":  func(prefix, s string) bool { return strings.HasPrefix(s, prefix) },
		"hasSuffix":  func(suffix, s string) bool { return strings.HasSuffix(s, suffix) },
		"replace":    func(old, new, s string) string { return strings.ReplaceAll(s, old, new) },
		"repeat":     func(n int, s string) string { return strings.Repeat(s, max(n, 0)) },
		"split":      func(sep, s string) []string { return strings.Split(s, sep) },
		"join": func(sep string, v any) string {
			switch l := v.(type) {
			case []string:
				return strings.Join(l, sep)
			case []any:
				parts := make([]string, len(l))
				for i, x := range l {
					parts[i] = fmt.Sprint(x)
				}
				return strings.Join(parts, sep)
			}
			return fmt.Sprint(v)
		},
		"quote":  func(s string) string { return fmt.Sprintf("%q", s) },
		"squote": func(s string) string { return "'" + s + "'" },
		"abbrev": func(n int, s string) string {
			if n < 4 || len(s) <= n {
				return s
			}
			return s[:n-3] + "..."
		},
		"default": func(def, v any) any {
			if v == nil || v == "" || v == 0 || v == false {
				return def
			}
			return v
		},
		"empty": func(v any) bool { return v == nil || v == "" || v == 0 || v == false },
		"add":   func(a, b int) int { return a + b },
		"sub":   func(a, b int) int { return a - b },
		"list":  func(v ...any) []any { return v },
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, errors.New("dict needs key/value pairs")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m, nil
		},
		"toJson": func(v any) (string, error) {
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(v); err != nil {
				return "", fmt.Errorf("toJson: %w", err)
			}
			return strings.TrimSuffix(b.String(), "\n"), nil
		},
		"toPrettyJson": func(v any) (string, error) {
			b, err := json.MarshalIndent(v, "", "  ")
			if err != nil {
				return "", fmt.Errorf("toPrettyJson: %w", err)
			}
			return string(b), nil
		},
	}
}
