// Package server is trawl's client/server mode: a server holds the layer
// cache and the vulnerability DB and detects; clients analyse artifacts
// locally, upload only the layers the server lacks, and ask it to scan.
// The protocol is JSON over HTTP under /v1/ (see docs/server.md); it is not
// Trivy's Twirp protocol.
package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

	"github.com/trawlsec/trawl/internal/app"
	"github.com/trawlsec/trawl/internal/helm"
	"github.com/trawlsec/trawl/pkg/inventory"
	"github.com/trawlsec/trawl/pkg/model"
)

// SchemaScan is the schema of a scan request; the server refuses others.
const SchemaScan = "trawl.scan/1"

// MissingRequest asks which layers the server lacks.
type MissingRequest struct {
	Keys []string `json:"keys"`
}

// MissingResponse lists the keys of MissingRequest the server lacks.
type MissingResponse struct {
	Missing []string `json:"missing"`
}

// ScanRequest is an analysis to detect. An image names its layers by
// cache key (uploaded before) and sends the image config's parts; other
// targets send the whole inventory.
type ScanRequest struct {
	Schema string `json:"schema"`
	// Artifact is the report skeleton: name, type, metadata, CreatedAt.
	Artifact model.Report `json:"artifact"`
	// Layers, for an image: every layer in order, each by its key.
	Layers []app.LayerRef `json:"layers,omitempty"`
	// ConfigParts, for an image: the inventory's parts found in the
	// image config (an inventory document, schema checked).
	ConfigParts json.RawMessage `json:"config_parts,omitempty"`
	// Inventory, for other targets: the whole inventory (an inventory
	// document, schema checked).
	Inventory json.RawMessage `json:"inventory,omitempty"`
	Options   ScanOptions     `json:"options"`
}

// ScanOptions are the options detection reads. Filters (severities,
// ignore files, VEX) are not here: the client applies them.
type ScanOptions struct {
	Target              string
	Scanners            []string
	PkgTypes            []string
	IncludeDevDeps      bool     `json:",omitempty"`
	ImageConfigScanners []string `json:",omitempty"`
	License             app.LicenseOptions
	Misconfig           MisconfigOptions
}

// MisconfigOptions are the misconfiguration options that name no local
// file (the checks run on the server, which cannot read the client's
// files).
type MisconfigOptions struct {
	IncludeNonFailures         bool     `json:",omitempty"`
	Scanners                   []string `json:",omitempty"`
	Namespaces                 []string `json:",omitempty"`
	TfExcludeDownloadedModules bool     `json:",omitempty"`
	HelmValues                 []string `json:",omitempty"`
	HelmStringValues           []string `json:",omitempty"`
	HelmAPIVersions            []string `json:",omitempty"`
	HelmKubeVersion            string   `json:",omitempty"`
}

// ErrorResponse is the body of every error: one line.
type ErrorResponse struct {
	Error string `json:"error"`
	// Missing, in a 422 answer to a scan, names the layer keys the
	// server lacks.
	Missing []string `json:"missing,omitempty"`
}

// keyPattern is the form of a layer cache key (cache.Key).
var keyPattern = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

// ValidKey reports whether key has the form of a layer cache key.
func ValidKey(key string) bool { return keyPattern.MatchString(key) }

// maxLayers bounds the layers of one request (images have tens).
const maxLayers = 1000

// newScanRequest is what the client sends for an analysis.
func newScanRequest(o *app.Options, a *app.Analysis) (*ScanRequest, error) {
	if err := remoteOptionsOK(o); err != nil {
		return nil, err
	}
	req := &ScanRequest{Schema: SchemaScan, Artifact: *a.Report, Options: ScanOptions{
		Target: o.Target, Scanners: o.Scanners, PkgTypes: o.PkgTypes, IncludeDevDeps: o.IncludeDevDeps,
		ImageConfigScanners: o.ImageConfigScanners, License: o.License,
		Misconfig: MisconfigOptions{
			IncludeNonFailures: o.Misconfig.IncludeNonFailures, Scanners: o.Misconfig.Scanners,
			Namespaces: o.Misconfig.Namespaces, TfExcludeDownloadedModules: o.Misconfig.TfExcludeDownloadedModules,
			HelmValues: o.Misconfig.Helm.Values, HelmStringValues: o.Misconfig.Helm.StringValues,
			HelmAPIVersions: o.Misconfig.Helm.APIVersions, HelmKubeVersion: o.Misconfig.Helm.KubeVersion,
		},
	}}
	keyed := len(a.Layers) > 0
	for _, l := range a.Layers {
		keyed = keyed && l.Key != ""
	}
	var err error
	if keyed {
		req.Layers = a.Layers
		parts := a.ConfigParts
		if parts == nil {
			parts = &inventory.Inventory{}
		}
		req.ConfigParts, err = inventory.EncodeInventory(parts)
	} else {
		req.Inventory, err = inventory.EncodeInventory(a.Inventory)
	}
	if err != nil {
		return nil, fmt.Errorf("encoding the analysis: %w", err)
	}
	return req, nil
}

// remoteOptionsOK refuses options that name files on the client: the
// server, which runs the checks, cannot read them.
func remoteOptionsOK(o *app.Options) error {
	m := o.Misconfig
	for _, f := range []struct {
		flag string
		set  bool
	}{
		{"--config-check", len(m.CheckPaths) > 0}, {"--config-data", len(m.DataPaths) > 0},
		{"--helm-values", len(m.Helm.ValueFiles) > 0}, {"--helm-set-file", len(m.Helm.FileValues) > 0},
		{"--tf-vars", len(m.TfVars) > 0}, {"--cf-params", len(m.CfParams) > 0}, {"--arm-params", len(m.ArmParams) > 0},
		{"--file-patterns", len(m.FilePatterns) > 0}, {"--compliance", o.Compliance != nil},
	} {
		if f.set {
			return fmt.Errorf("%s is not supported with --server yet: detection runs on the server", f.flag)
		}
	}
	return nil
}

// decode checks a scan request and turns it into the options and the
// analysis app.Detect reads; layers are loaded by the caller (Rebuild).
func (r *ScanRequest) decode() (*app.Options, *app.Analysis, *inventory.Inventory, error) {
	if r.Schema != SchemaScan {
		return nil, nil, nil, fmt.Errorf("unsupported request schema %q (this server reads %s)", r.Schema, SchemaScan)
	}
	switch r.Options.Target {
	case app.TargetImage, app.TargetFS, app.TargetRootfs, app.TargetSBOM:
	default:
		return nil, nil, nil, fmt.Errorf("unknown target %q", r.Options.Target)
	}
	for _, s := range r.Options.Scanners {
		if !contains(app.BuiltScanners, s) {
			return nil, nil, nil, fmt.Errorf("unknown scanner %q", s)
		}
	}
	if len(r.Layers) > maxLayers {
		return nil, nil, nil, fmt.Errorf("%d layers: at most %d", len(r.Layers), maxLayers)
	}
	for _, l := range r.Layers {
		if !ValidKey(l.Key) {
			return nil, nil, nil, fmt.Errorf("layer key %q is not sha256:<64 hex digits>", l.Key)
		}
	}
	a := &app.Analysis{Report: &r.Artifact, Layers: r.Layers}
	var parts *inventory.Inventory
	var err error
	switch {
	case len(r.Layers) > 0 && len(r.Inventory) == 0:
		if len(r.ConfigParts) > 0 {
			if parts, err = inventory.DecodeInventory(r.ConfigParts); err != nil {
				return nil, nil, nil, fmt.Errorf("config_parts: %w", err)
			}
		}
	case len(r.Layers) == 0 && len(r.Inventory) > 0:
		if a.Inventory, err = inventory.DecodeInventory(r.Inventory); err != nil {
			return nil, nil, nil, fmt.Errorf("inventory: %w", err)
		}
	default:
		return nil, nil, nil, errors.New("a scan request needs either layers or an inventory")
	}
	o := &app.Options{
		Target: r.Options.Target, Scanners: r.Options.Scanners, PkgTypes: r.Options.PkgTypes,
		IncludeDevDeps: r.Options.IncludeDevDeps, ImageConfigScanners: r.Options.ImageConfigScanners,
		License: r.Options.License,
		Misconfig: app.MisconfigOptions{
			IncludeNonFailures: r.Options.Misconfig.IncludeNonFailures, Scanners: r.Options.Misconfig.Scanners,
			Namespaces: r.Options.Misconfig.Namespaces, TfExcludeDownloadedModules: r.Options.Misconfig.TfExcludeDownloadedModules,
			Helm: helm.Options{
				Values: r.Options.Misconfig.HelmValues, StringValues: r.Options.Misconfig.HelmStringValues,
				APIVersions: r.Options.Misconfig.HelmAPIVersions, KubeVersion: r.Options.Misconfig.HelmKubeVersion,
			},
		},
	}
	return o, a, parts, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
