// Package terraform evaluates the Terraform configuration of a module
// folder (.tf and .tf.json files) without providers or the network:
// variables (defaults, terraform.tfvars[.json], *.auto.tfvars[.json],
// extra var files), locals, references
// between resources, the built-in functions that need no filesystem or
// clock, count and for_each (bounded), dynamic blocks and modules (local
// sources, and remote ones only from .terraform/modules). What cannot be
// known (an unknown function, a computed attribute, a remote module not on
// disk) is an unknown value, never an error; problems with the input are
// warnings naming the file and line.
package terraform

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Defaults of the bounds.
const (
	DefaultMaxInstances = 256
	DefaultMaxDepth     = 8
	// MaxFileSize caps a .tf(.json) or .tfvars(.json) file read from the
	// folder.
	MaxFileSize = 1 << 20
	// passes is the number of evaluation rounds: each resolves one
	// more level of references between resources and modules.
	passes = 3
)

// Options bound and complete an evaluation.
type Options struct {
	// VarFiles are applied after the folder's terraform.tfvars and
	// *.auto.tfvars, in order (--tf-vars).
	VarFiles []VarFile
	// MaxInstances caps the instances of one count/for_each (default
	// DefaultMaxInstances).
	MaxInstances int
	// MaxDepth caps module nesting (default DefaultMaxDepth).
	MaxDepth int
}

// VarFile is a .tfvars file's name (for warnings) and content.
type VarFile struct {
	Name    string
	Content []byte
}

// Warning is a problem of the input: the file and line, and what.
type Warning struct {
	File string
	Line int
	Msg  string
}

func (w Warning) String() string {
	if w.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Msg)
	}
	return w.File + ": " + w.Msg
}

// Range is where something is written: a slash path in the fs.FS and
// 1-based lines.
type Range struct {
	File       string
	Start, End int
}

func rangeOf(r hcl.Range) Range { return Range{File: r.Filename, Start: r.Start.Line, End: r.End.Line} }

// Attribute is an evaluated attribute.
type Attribute struct {
	Name  string
	Value cty.Value
	Range Range
	// Refs are the objects the expression refers to, as module-local
	// addresses: "aws_s3_bucket.b", "data.aws_iam_policy_document.d",
	// "module.m", "var.v", "local.l".
	Refs []string
}

// Block is an evaluated block (a resource's body, or a nested block).
type Block struct {
	Type   string
	Labels []string
	Range  Range
	Attrs  map[string]*Attribute
	Blocks []*Block
}

// Children are the nested blocks of a type.
func (b *Block) Children(typ string) []*Block {
	var out []*Block
	for _, c := range b.Blocks {
		if c.Type == typ {
			out = append(out, c)
		}
	}
	return out
}

// Resource is one instance of a resource or data block.
type Resource struct {
	// Mode is "resource" or "data".
	Mode, Type, Name string
	// Local is the module-local address without instance key
	// ("aws_s3_bucket.b", "data.aws_iam_policy_document.d").
	Local string
	// Address is the full address: module path, local address and
	// instance key ("module.m.aws_s3_bucket.b[0]").
	Address string
	// Module is the module path prefix ("" at the root, "module.m.").
	Module string
	// Downloaded is true for resources of a module under
	// .terraform/modules.
	Downloaded bool
	// Via are the module calls the resource was reached through, the
	// call of its own module first and the root module's call last
	// (Trivy's Occurrences); empty at the root.
	Via []Call
	*Block
}

// Call is a module call: the module instance's address ("module.web",
// "module.web.module.db", "module.x[0]") and the lines of its block.
type Call struct {
	Address string
	Range   Range
}

// Config is an evaluated root module with its modules.
type Config struct {
	Resources []*Resource
	// Files are the .tf files read (root and modules), slash paths.
	Files []string
}

// module is a parsed module folder.
type module struct {
	dir       string
	files     []string
	variables []*node
	locals    []*hcl.Attribute
	resources []*node
	calls     []*node
	outputs   []*node
}

type loader struct {
	ctx      context.Context
	fsys     fs.FS
	root     string
	opts     Options
	warnings []Warning
	parsed   map[string]*module
	files    map[string]bool
	// cached is the content of .terraform/modules/modules.json: module
	// key → folder.
	cached map[string]string
}

func (l *loader) warn(file string, line int, format string, args ...any) {
	w := Warning{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
	if !slices.Contains(l.warnings, w) {
		l.warnings = append(l.warnings, w)
	}
}

// Load evaluates the module in dir of fsys (slash path, "." for the
// root). It never fails: what it cannot read or evaluate is a warning.
// A cancelled ctx stops it early with what was evaluated.
func Load(ctx context.Context, fsys fs.FS, dir string, o Options) (*Config, []Warning) {
	if o.MaxInstances <= 0 {
		o.MaxInstances = DefaultMaxInstances
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	l := &loader{ctx: ctx, fsys: fsys, root: dir, opts: o, parsed: map[string]*module{}, files: map[string]bool{}}
	l.readModulesJSON()
	m := l.parse(dir)
	vars := l.rootVars(dir)
	cfg := &Config{}
	_, cfg.Resources = l.eval(m, vars, "", "", nil, 0, []string{dir}, true)
	for f := range l.files {
		cfg.Files = append(cfg.Files, f)
	}
	sort.Strings(cfg.Files)
	return cfg, l.warnings
}

// LocalModuleDirs are the folders the module blocks of dir call with a
// local source ("./x", "../x"), as slash paths in fsys.
func LocalModuleDirs(fsys fs.FS, dir string) []string {
	l := &loader{fsys: fsys, parsed: map[string]*module{}, files: map[string]bool{}, ctx: context.Background()}
	m := l.parse(dir)
	var out []string
	for _, c := range m.calls {
		src := staticString(c, "source")
		if isLocalSource(src) {
			if d, ok := joinDir(dir, src); ok {
				out = append(out, d)
			}
		}
	}
	return out
}

func isLocalSource(s string) bool { return strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") }

// joinDir joins a local source to dir; ok is false when it leaves fsys.
func joinDir(dir, src string) (string, bool) {
	d := path.Join(dir, src)
	if d == ".." || strings.HasPrefix(d, "../") {
		return "", false
	}
	return d, true
}

func staticString(n *node, name string) string {
	a, ok := n.Attrs[name]
	if !ok {
		return ""
	}
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return ""
	}
	return v.AsString()
}

func (l *loader) readFile(p string) ([]byte, bool) {
	fi, err := fs.Stat(l.fsys, p)
	if err != nil {
		l.warn(p, 0, "%v", err)
		return nil, false
	}
	if fi.Size() > MaxFileSize {
		l.warn(p, 0, "larger than %d bytes, not read", MaxFileSize)
		return nil, false
	}
	b, err := fs.ReadFile(l.fsys, p)
	if err != nil {
		l.warn(p, 0, "%v", err)
		return nil, false
	}
	return b, true
}

// parse reads the .tf files of a folder (once).
func (l *loader) parse(dir string) *module {
	if m, ok := l.parsed[dir]; ok {
		return m
	}
	m := &module{dir: dir}
	l.parsed[dir] = m
	entries, err := fs.ReadDir(l.fsys, dir)
	if err != nil {
		l.warn(dir, 0, "module folder: %v", err)
		return m
	}
	for _, e := range entries {
		if e.IsDir() || !e.Type().IsRegular() || !IsConfigName(e.Name()) {
			continue
		}
		p := path.Join(dir, e.Name())
		src, ok := l.readFile(p)
		if !ok {
			continue
		}
		blocks, diags := parseFile(src, p)
		if diags.HasErrors() {
			l.warnDiag(p, diags)
			continue
		}
		m.files = append(m.files, p)
		l.files[p] = true
		for _, b := range blocks {
			switch b.Type {
			case "variable":
				if len(b.Labels) == 1 {
					m.variables = append(m.variables, b)
				}
			case "locals":
				for _, n := range b.attrNames() {
					m.locals = append(m.locals, b.Attrs[n])
				}
			case "resource", "data":
				if len(b.Labels) == 2 {
					m.resources = append(m.resources, b)
				}
			case "module":
				if len(b.Labels) == 1 {
					m.calls = append(m.calls, b)
				}
			case "output":
				if len(b.Labels) == 1 {
					m.outputs = append(m.outputs, b)
				}
			}
		}
	}
	return m
}

// IsConfigName reports whether a file name is a Terraform configuration
// file: .tf or .tf.json.
func IsConfigName(name string) bool {
	return strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tf.json")
}

// warnDiag warns about the first error of diags, at its line.
func (l *loader) warnDiag(p string, diags hcl.Diagnostics) {
	d := firstError(diags)
	line := 0
	if d.Subject != nil {
		line = d.Subject.Start.Line
	}
	l.warn(p, line, "does not parse: %s", diagText(d))
}

func firstError(diags hcl.Diagnostics) *hcl.Diagnostic {
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			return d
		}
	}
	return diags[0]
}

func diagText(d *hcl.Diagnostic) string {
	if d.Detail != "" {
		return d.Summary + ": " + d.Detail
	}
	return d.Summary
}

// rootVars are the values of the root module's variables given by var
// files: terraform.tfvars, terraform.tfvars.json, *.auto.tfvars and
// *.auto.tfvars.json (sorted), then Options.VarFiles.
func (l *loader) rootVars(dir string) map[string]input {
	vars := map[string]input{}
	var names []string
	if entries, err := fs.ReadDir(l.fsys, dir); err == nil {
		for _, e := range entries {
			if e.Type().IsRegular() && (strings.HasSuffix(e.Name(), ".auto.tfvars") || strings.HasSuffix(e.Name(), ".auto.tfvars.json")) {
				names = append(names, e.Name())
			}
		}
	}
	sort.Strings(names)
	for _, n := range []string{"terraform.tfvars.json", "terraform.tfvars"} {
		if _, err := fs.Stat(l.fsys, path.Join(dir, n)); err == nil {
			names = append([]string{n}, names...)
		}
	}
	for _, n := range names {
		p := path.Join(dir, n)
		if src, ok := l.readFile(p); ok {
			l.readVars(p, src, vars)
		}
	}
	for _, vf := range l.opts.VarFiles {
		l.readVars(vf.Name, vf.Content, vars)
	}
	return vars
}

// input is a value given to a module variable, with where it was written
// (for the warning when it does not fit the variable's type).
type input struct {
	value cty.Value
	rng   hcl.Range
}

func (l *loader) readVars(name string, src []byte, vars map[string]input) {
	body, diags := parseVarsFile(src, name)
	if diags.HasErrors() {
		l.warnDiag(name, diags)
		return
	}
	attrs, diags := body.JustAttributes()
	if diags.HasErrors() {
		d := firstError(diags)
		line := 0
		if d.Subject != nil {
			line = d.Subject.Start.Line
		}
		l.warn(name, line, "%s", diagText(d))
	}
	for n, a := range attrs {
		v, _ := a.Expr.Value(nil)
		vars[n] = input{value: safe(v), rng: a.Range}
	}
}

// readModulesJSON reads Terraform's record of downloaded modules.
func (l *loader) readModulesJSON() {
	p := path.Join(l.root, ".terraform/modules/modules.json")
	b, err := fs.ReadFile(l.fsys, p)
	if err != nil {
		return
	}
	var doc struct {
		Modules []struct{ Key, Source, Dir string }
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		l.warn(p, 0, "does not parse: %v", err)
		return
	}
	l.cached = map[string]string{}
	for _, m := range doc.Modules {
		if m.Key != "" && m.Dir != "" {
			l.cached[m.Key] = path.Join(l.root, path.Clean(m.Dir))
		}
	}
}

func safe(v cty.Value) cty.Value {
	if v == cty.NilVal {
		return cty.DynamicVal
	}
	return v
}
