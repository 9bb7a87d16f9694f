package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"

	"github.com/google/uuid"

	"github.com/trawlsec/trawl/pkg/model"
)

// Tool identity written into SBOM and SARIF documents.
const (
	toolName    = "trawl"
	toolVendor  = "trawlsec"
	toolInfoURI = "https://github.com/trawlsec/trawl"
)

// appVersion returns the version to write for trawl itself.
func appVersion(opts Options) string {
	if opts.AppVersion == "" {
		return "dev"
	}
	return opts.AppVersion
}

// reportHash is a SHA-256 over the report's JSON encoding. Documents derive
// their serial numbers and namespaces from it so that the same report always
// gives the same document.
func reportHash(r *model.Report) string {
	h := sha256.New()
	// The report's content and time, not its random ReportID: the same
	// scan at the same SOURCE_DATE_EPOCH gets the same serial number.
	c := *r
	c.ReportID = ""
	r = &c
	// json.Marshal of the model cannot fail on the types it holds except for
	// ImageConfig values that are not JSON; fall back to the identity fields.
	if b, err := json.Marshal(r); err == nil {
		h.Write(b)
	} else {
		fmt.Fprintf(h, "%s|%s|%s", r.ArtifactName, r.ArtifactType, r.CreatedAt)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// stableUUID returns a name-based (version 5) UUID for parts.
func stableUUID(parts ...string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte(strings.Join(parts, "\x00"))).String()
}

// shortHash returns 16 hex digits of a SHA-256 of parts.
func shortHash(parts ...string) string {
	s := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(s[:8])
}

// severityScore maps a severity to the score GitHub code scanning uses to
// bucket security-severity when no CVSS score is known.
func severityScore(s string) float64 {
	switch strings.ToUpper(s) {
	case "CRITICAL":
		return 9.5
	case "HIGH":
		return 8.0
	case "MEDIUM":
		return 5.5
	case "LOW":
		return 2.0
	}
	return 0.0
}

// vendorSeverityName maps trivy-db's 0–4 vendor severity to its name.
func vendorSeverityName(n int) string {
	switch n {
	case 1:
		return "LOW"
	case 2:
		return "MEDIUM"
	case 3:
		return "HIGH"
	case 4:
		return "CRITICAL"
	}
	return "UNKNOWN"
}

// cvssScore picks the score that best represents v: the severity source's
// CVSS v3 (then v4, v2) score, then NVD's, then the highest of any source.
// ok is false when no source has a score.
func cvssScore(v *model.Vulnerability) (float64, bool) {
	pick := func(c model.CVSS) float64 {
		switch {
		case c.V3Score > 0:
			return c.V3Score
		case c.V40Score > 0:
			return c.V40Score
		}
		return c.V2Score
	}
	for _, src := range []string{v.SeveritySource, "nvd"} {
		if c, ok := v.CVSS[src]; ok && src != "" {
			if s := pick(c); s > 0 {
				return s, true
			}
		}
	}
	best := 0.0
	for _, c := range v.CVSS {
		if s := pick(c); s > best {
			best = s
		}
	}
	return best, best > 0
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// splitDigest splits "sha256:abc" into an algorithm and a hex value.
func splitDigest(d string) (alg, value string, ok bool) {
	alg, value, ok = strings.Cut(d, ":")
	if !ok || alg == "" || value == "" {
		return "", "", false
	}
	return strings.ToLower(alg), value, true
}

// isPkgResult reports whether res lists packages (OS or language).
func isPkgResult(res *model.Result) bool {
	return res.Class == model.ClassOSPkg || res.Class == model.ClassLangPkg
}

// pkgVersion is the version SBOMs carry: the full epoch:version-release of
// OS packages, the plain version of language packages.
func pkgVersion(p *model.Package) string {
	return p.FullVersion()
}

// imageRef splits an image reference into repository and tag/digest. The
// repository keeps its registry.
func imageRef(name string) (repo, tag, digest string) {
	repo = name
	if i := strings.Index(repo, "@"); i >= 0 {
		repo, digest = repo[:i], repo[i+1:]
	}
	if i := strings.LastIndex(repo, ":"); i >= 0 && !strings.Contains(repo[i:], "/") {
		repo, tag = repo[:i], repo[i+1:]
	}
	return repo, tag, digest
}

// imagePURL returns the pkg:oci purl of the scanned image, or "" when the
// image digest is not known. It prefers a repo digest (what a registry
// serves) and falls back to the image ID (the config digest).
func imagePURL(r *model.Report) string {
	if r.ArtifactType != model.ArtifactContainerImage {
		return ""
	}
	repo, _, digest := imageRef(r.ArtifactName)
	repoURL := repo
	if len(r.Metadata.RepoDigests) > 0 {
		rds := append([]string(nil), r.Metadata.RepoDigests...)
		sort.Strings(rds)
		repoURL, _, digest = imageRef(rds[0])
	}
	if digest == "" {
		digest = r.Metadata.ImageID
	}
	if digest == "" || repoURL == "" {
		return ""
	}
	name := repoURL
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	// Written by hand so the digest's colon is escaped as Trivy writes it.
	return "pkg:oci/" + url.PathEscape(strings.ToLower(name)) + "@" + strings.ReplaceAll(url.PathEscape(digest), ":", "%3A") +
		"?repository_url=" + url.QueryEscape(repoURL)
}

// osTargetPath is the location SARIF gives to findings in OS packages:
// Trivy strips the " (debian 12.5)" suffix and, for images, the registry,
// tag and digest, leaving "library/debian".
func osTargetPath(target string, image bool) string {
	if i := strings.Index(target, " ("); i > 0 && strings.HasSuffix(target, ")") {
		target = target[:i]
	}
	if !image {
		return target
	}
	repo, _, _ := imageRef(target)
	parts := strings.Split(repo, "/")
	if len(parts) > 1 && (strings.ContainsAny(parts[0], ".:") || parts[0] == "localhost") {
		parts = parts[1:]
	}
	if len(parts) == 1 {
		parts = append([]string{"library"}, parts...)
	}
	return strings.Join(parts, "/")
}

// repoRelative turns a result target into a repository-relative URI path.
func repoRelative(p string) string {
	p = strings.ReplaceAll(p, "\\", "/")
	p = strings.TrimPrefix(p, "git::https:/")
	p = strings.TrimLeft(p, "/")
	return strings.TrimPrefix(p, "./")
}

// writeIndentedJSON writes v as two-space indented JSON without HTML
// escaping, ending in a newline.
func writeIndentedJSON(w io.Writer, v any, what string) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encoding %s: %w", what, err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("writing %s: %w", what, err)
	}
	return nil
}

// resultPackages returns the packages of a result. A report saved without
// packages (JSON without --list-all-pkgs) still names the vulnerable ones in
// its vulnerabilities; those are rebuilt so SBOMs list and reference them.
func resultPackages(res *model.Result) []model.Package {
	if len(res.Packages) > 0 || len(res.Vulnerabilities) == 0 {
		return res.Packages
	}
	seen := map[string]bool{}
	var pkgs []model.Package
	for _, v := range res.Vulnerabilities {
		id := v.PkgID
		if id == "" {
			id = v.PkgName + "@" + v.InstalledVersion
		}
		if seen[id+"|"+v.PkgPath] {
			continue
		}
		seen[id+"|"+v.PkgPath] = true
		pkgs = append(pkgs, model.Package{
			ID: id, Name: v.PkgName, Version: v.InstalledVersion,
			Identifier: v.PkgIdentifier, FilePath: v.PkgPath, Layer: v.Layer,
		})
	}
	return pkgs
}
