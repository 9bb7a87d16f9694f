package app

import (
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/trawlsec/trawl/pkg/inventory"
	"github.com/trawlsec/trawl/pkg/model"
)

// imageConfig is the part of an OCI/Docker image config the red flags
// read.
type imageConfig struct {
	Config struct {
		User         string
		ExposedPorts map[string]struct{}
		Env          []string
		Entrypoint   []string
		Cmd          []string
		WorkingDir   string
	} `json:"config"`
	History []struct {
		Created    string `json:"created"`
		CreatedBy  string `json:"created_by"`
		EmptyLayer bool   `json:"empty_layer"`
	} `json:"history"`
}

// adminPorts are the remote-administration ports whose exposure is a red
// flag, with the service and the finding's severity (an unauthenticated
// Docker API is root on the host).
var adminPorts = map[int]struct{ service, severity string }{
	22:   {"SSH", "MEDIUM"},
	23:   {"telnet", "HIGH"},
	2375: {"Docker API (plain TCP)", "HIGH"},
	2376: {"Docker API (TLS)", "MEDIUM"},
	3389: {"RDP", "MEDIUM"},
	5900: {"VNC", "MEDIUM"},
}

var (
	// addURL is ADD from a remote URL (no checksum, whatever the server
	// sends at build time).
	addURL = regexp.MustCompile(`(?i)(^|\s|#\(nop\)\s*)ADD\s+(--\S+\s+)*https?://`)
	// fetchPipeShell is curl or wget piped into a shell.
	fetchPipeShell = regexp.MustCompile(`(?i)\b(curl|wget)\b[^|;&\n]*\|\s*(sudo\s+(-\S+\s+)*)?((/usr)?/bin/)?(ba|da|z|k|mk)?sh\b`)
)

// configFindings are the image config's red flags: the image runs as
// root, a build step fetched remote code (ADD from a URL, curl|sh), a
// remote-administration port is exposed, and the entrypoint is a file no
// package owns or anyone may write (cross-checked with the facts of the
// final filesystem). Findings about the config have no Path; their Layer
// is the history entry's (its layer when the entry made one). raw is the
// config JSON; layers are the image's, in order.
func configFindings(raw []byte, layers []model.Layer, facts []inventory.ForensicFact) ([]model.ForensicFinding, error) {
	var cfg imageConfig
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return nil, err
	}
	// The layer of each history entry: entries that are not empty_layer
	// made the layers, in order. When the counts disagree only the
	// command is known.
	histLayer := make([]model.Layer, len(cfg.History))
	made := 0
	for _, h := range cfg.History {
		if !h.EmptyLayer {
			made++
		}
	}
	k := 0
	for i, h := range cfg.History {
		histLayer[i] = model.Layer{CreatedBy: h.CreatedBy}
		if !h.EmptyLayer {
			if made == len(layers) {
				histLayer[i] = layers[k]
				histLayer[i].Size = 0
			}
			k++
		}
	}
	var out []model.ForensicFinding
	add := func(id, sev, title, msg string, l model.Layer) {
		out = append(out, model.ForensicFinding{ID: id, Category: forensicConfig, Severity: sev, Title: title, Message: msg, Layer: l})
	}

	if rootUser(cfg.Config.User) {
		user := cfg.Config.User
		if user == "" {
			user = "no USER"
		}
		add("FOR-CONFIG-ROOT", "MEDIUM", "Image runs as root",
			fmt.Sprintf("the image's processes run as root (%s); a compromised process has root's power in the container (CIS Docker 4.1)", user), model.Layer{})
	}

	for i, h := range cfg.History {
		step := fmt.Sprintf("history step %d: %s", i+1, clip(h.CreatedBy, 200))
		switch {
		case addURL.MatchString(h.CreatedBy):
			add("FOR-CONFIG-REMOTE-FETCH", "MEDIUM", "Build step fetched remote content",
				"ADD from a URL (no checksum; whatever the server sent at build time), "+step, histLayer[i])
		case fetchPipeShell.MatchString(h.CreatedBy):
			add("FOR-CONFIG-REMOTE-FETCH", "MEDIUM", "Build step fetched remote content",
				"a download piped into a shell ran at build time, "+step, histLayer[i])
		}
	}

	var ports []int
	for p := range cfg.Config.ExposedPorts {
		num, proto, _ := strings.Cut(p, "/")
		n, err := strconv.Atoi(num)
		if _, admin := adminPorts[n]; err == nil && admin && (proto == "" || strings.EqualFold(proto, "tcp")) {
			ports = append(ports, n)
		}
	}
	sort.Ints(ports)
	for _, n := range slices.Compact(ports) {
		a := adminPorts[n]
		l := model.Layer{}
		for i, h := range cfg.History {
			if strings.Contains(h.CreatedBy, "EXPOSE") && regexp.MustCompile(`\b`+strconv.Itoa(n)+`\b`).MatchString(h.CreatedBy) {
				l = histLayer[i]
			}
		}
		add("FOR-CONFIG-ADMIN-PORT", a.severity, "Remote administration port exposed",
			fmt.Sprintf("port %d/tcp (%s) is exposed", n, a.service), l)
	}

	out = append(out, entrypointFindings(cfg, facts)...)
	return out, nil
}

// rootUser reports a config User that runs processes as root: none, or
// uid/name 0/root (with any group).
func rootUser(u string) bool {
	user, _, _ := strings.Cut(strings.TrimSpace(u), ":")
	return user == "" || user == "0" || user == "root"
}

// entrypointFindings checks the file the container starts (Entrypoint,
// else Cmd, its first word) in the final filesystem's facts: owned by no
// package (LOW: what runs is the image author's own, a responder checks
// its hash), writable by anyone (HIGH: any process in the container may
// replace what the next start runs). A file the facts do not know (a
// symlink, a non-executable) gives nothing. These findings have the
// file's Path, Layer and evidence.
func entrypointFindings(cfg imageConfig, facts []inventory.ForensicFact) []model.ForensicFinding {
	argv := cfg.Config.Entrypoint
	if len(argv) == 0 {
		argv = cfg.Config.Cmd
	}
	if len(argv) == 0 || argv[0] == "" {
		return nil
	}
	var candidates []string
	arg0 := argv[0]
	switch {
	case strings.HasPrefix(arg0, "/"):
		candidates = []string{path.Clean(arg0)}
	case strings.Contains(arg0, "/"):
		candidates = []string{path.Join("/", cfg.Config.WorkingDir, arg0)}
	default:
		dirs := "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
		for _, e := range cfg.Config.Env {
			if v, ok := strings.CutPrefix(e, "PATH="); ok {
				dirs = v
			}
		}
		for _, d := range strings.Split(dirs, ":") {
			if strings.HasPrefix(d, "/") {
				candidates = append(candidates, path.Join(d, arg0))
			}
		}
	}
	// Final-filesystem facts by path (a later layer's fact wins).
	final := map[string][]inventory.ForensicFact{}
	for _, f := range facts {
		if !f.Deleted {
			final[f.FilePath] = append(final[f.FilePath], f)
		}
	}
	for _, c := range candidates {
		rel := strings.TrimPrefix(c, "/")
		fs := final[rel]
		if len(fs) == 0 && !strings.HasPrefix(rel, "usr/") { // merged /usr
			rel = "usr/" + rel
			fs = final[rel]
		}
		var exec, writable *inventory.ForensicFact
		for i := range fs {
			switch fs[i].Kind {
			case inventory.FactExecutable:
				exec = &fs[i]
			case inventory.FactWorldWritable:
				writable = &fs[i]
			}
		}
		if exec == nil && writable == nil {
			continue
		}
		var out []model.ForensicFinding
		finding := func(f *inventory.ForensicFact, id, sev, title, msg string) {
			ff := model.ForensicFinding{ID: id, Category: forensicConfig, Severity: sev, Title: title, Message: msg,
				Path: f.FilePath, Layer: f.Layer, UID: f.UID, GID: f.GID, Size: f.Size, SHA256: f.SHA256, Package: packageOrNone(f.Package)}
			if f.Mode != 0 {
				ff.Mode = lsMode(f.Mode)
			}
			out = append(out, ff)
		}
		if writable != nil {
			finding(writable, "FOR-CONFIG-ENTRYPOINT-WRITABLE", "HIGH", "Entrypoint writable by any user",
				fmt.Sprintf("the container starts %s, which any user may write", rel))
		}
		if exec != nil && exec.Package == "" {
			finding(exec, "FOR-CONFIG-ENTRYPOINT-UNOWNED", "LOW", "Entrypoint owned by no package",
				fmt.Sprintf("the container starts %s, which no package manager (dpkg, apk, rpm) owns", rel))
		}
		return out
	}
	return nil
}

// clip shortens s to n bytes for a message.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// timeline is the per-layer timeline of an image: one row per layer of
// layers (Metadata.Layers, in order) with the summary apply counted, the
// creation time of the history entry that made it (when the history's
// non-empty entries match the layers one to one).
func timeline(raw []byte, layers []model.Layer, summaries []inventory.LayerSummary) ([]model.ForensicLayer, error) {
	var cfg imageConfig
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &cfg); err != nil {
			return nil, err
		}
	}
	var created []string
	for _, h := range cfg.History {
		if !h.EmptyLayer {
			created = append(created, h.Created)
		}
	}
	if len(created) != len(layers) {
		created = nil
	}
	byDiffID := map[string]inventory.LayerSummary{}
	for _, s := range summaries {
		byDiffID[s.DiffID] = s
	}
	out := make([]model.ForensicLayer, 0, len(layers))
	for i, l := range layers {
		s := byDiffID[l.DiffID]
		row := model.ForensicLayer{
			Index: i, DiffID: l.DiffID, CreatedBy: l.CreatedBy, Size: l.Size,
			FilesAdded: s.Added, FilesChanged: s.Changed, FilesDeleted: s.Deleted,
			PackagesInstalled: s.PackagesInstalled, PackagesRemoved: s.PackagesRemoved,
		}
		if created != nil {
			row.Created = created[i]
		}
		out = append(out, row)
	}
	return out, nil
}
