package report

import (
	"io"
	"time"

	"github.com/trawlsec/trawl/pkg/model"
)

// The dependency snapshot of GitHub's dependency submission API.
type ghSnapshot struct {
	Version   int                   `json:"version"`
	Detector  ghDetector            `json:"detector"`
	Metadata  map[string]string     `json:"metadata,omitempty"`
	Ref       string                `json:"ref,omitempty"`
	SHA       string                `json:"sha,omitempty"`
	Job       ghJob                 `json:"job"`
	Scanned   string                `json:"scanned,omitempty"`
	Manifests map[string]ghManifest `json:"manifests"`
}

type ghDetector struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	URL     string `json:"url"`
}

type ghJob struct {
	Correlator string `json:"correlator"`
	ID         string `json:"id"`
}

type ghManifest struct {
	Name     string                `json:"name"`
	File     *ghFile               `json:"file,omitempty"`
	Metadata map[string]string     `json:"metadata,omitempty"`
	Resolved map[string]ghResolved `json:"resolved"`
}

type ghFile struct {
	SourceLocation string `json:"source_location"`
}

type ghResolved struct {
	PackageURL   string   `json:"package_url"`
	Relationship string   `json:"relationship"`
	Scope        string   `json:"scope"`
	Dependencies []string `json:"dependencies"`
}

// WriteGitHub writes a dependency snapshot for GitHub's dependency
// submission API: one manifest per package result, packages keyed by purl.
// Packages without a purl cannot be submitted and are left out.
func WriteGitHub(w io.Writer, r *model.Report, opts Options) error {
	gh := opts.GitHub
	snap := ghSnapshot{
		Version:   0,
		Detector:  ghDetector{Name: toolName, Version: appVersion(opts), URL: toolInfoURI},
		Ref:       gh.Ref,
		SHA:       gh.SHA,
		Job:       ghJob{Correlator: gh.Workflow + "_" + gh.Job, ID: gh.RunID},
		Manifests: map[string]ghManifest{},
	}
	if !r.CreatedAt.IsZero() {
		snap.Scanned = r.CreatedAt.UTC().Format(time.RFC3339)
	}
	if r.ArtifactType == model.ArtifactContainerImage {
		snap.Metadata = map[string]string{}
		if len(r.Metadata.RepoDigests) > 0 {
			snap.Metadata[propPrefix+"RepoDigest"] = r.Metadata.RepoDigests[0]
		}
		if r.Metadata.ImageID != "" {
			snap.Metadata[propPrefix+"ImageID"] = r.Metadata.ImageID
		}
		if len(snap.Metadata) == 0 {
			snap.Metadata = nil
		}
	}
	for i := range r.Results {
		res := &r.Results[i]
		if !isPkgResult(res) || len(resultPackages(res)) == 0 {
			continue
		}
		m := ghManifest{Name: res.Type, Resolved: map[string]ghResolved{}}
		if res.Class == model.ClassLangPkg {
			loc := repoRelative(res.Target)
			if r.ArtifactType == model.ArtifactContainerImage && len(r.Metadata.RepoDigests) > 0 {
				loc = r.Metadata.RepoDigests[0] + "/" + loc
			}
			m.File = &ghFile{SourceLocation: loc}
		}
		pkgs := resultPackages(res)
		purls := map[string]string{}
		for j := range pkgs {
			p := &pkgs[j]
			if p.ID != "" && p.Identifier.PURL != "" {
				purls[p.ID] = p.Identifier.PURL
			}
		}
		for j := range pkgs {
			p := &pkgs[j]
			if p.Identifier.PURL == "" || p.Relationship == model.RelationshipRoot {
				continue
			}
			rel := "direct"
			if p.Relationship == model.RelationshipIndirect {
				rel = "indirect"
			}
			scope := "runtime"
			if p.Dev {
				scope = "development"
			}
			var deps []string
			for _, d := range p.DependsOn {
				if u, ok := purls[d]; ok {
					deps = append(deps, u)
				}
			}
			deps = uniqueSorted(deps)
			if deps == nil {
				deps = []string{}
			}
			m.Resolved[p.Identifier.PURL] = ghResolved{
				PackageURL: p.Identifier.PURL, Relationship: rel, Scope: scope, Dependencies: deps,
			}
		}
		key := res.Target
		if old, ok := snap.Manifests[key]; ok {
			// Two results with one target (rare): merge their packages.
			for k, v := range m.Resolved {
				old.Resolved[k] = v
			}
			continue
		}
		snap.Manifests[key] = m
	}
	return writeIndentedJSON(w, snap, "GitHub dependency snapshot")
}
