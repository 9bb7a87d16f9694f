package model

// ForensicFinding is one finding of the forensics scanner: something in an
// image layer or root filesystem a responder or a hardening review should
// look at. IDs are stable (docs/forensics.md lists them).
type ForensicFinding struct {
	ID       string
	Category string
	Severity string
	Title    string
	Message  string
	// Path is the file, relative to the artifact root.
	Path string `json:",omitempty"`
	// Layer is the image layer that added or changed the file.
	Layer Layer `json:",omitzero"`
	// Deleted is set when a later layer removed or replaced the file: it
	// is not in the final filesystem but still in the image.
	Deleted bool `json:",omitempty"`
	// Evidence: the file's mode (as ls shows it), owner, size and SHA-256,
	// and the OS package owning it ("none" when no package database
	// lists it; empty when not relevant).
	Mode    string `json:",omitempty"`
	UID     *int   `json:",omitempty"`
	GID     *int   `json:",omitempty"`
	Size    int64  `json:",omitempty"`
	SHA256  string `json:",omitempty"`
	Package string `json:",omitempty"`
}

// ForensicLayer is one row of the forensics scanner's per-layer timeline
// of an image (Result.Timeline): what the layer changed. The findings of
// a layer are those of Result.Findings whose Layer.DiffID is its DiffID
// (not counted here: filters run after detection). Metadata.Layers is Trivy's own layer
// list (digest, size, command); this one adds the counts.
type ForensicLayer struct {
	// Index is the layer's position, from 0 (the base).
	Index  int
	DiffID string
	// Created and CreatedBy come from the image config's history.
	Created   string `json:",omitempty"`
	CreatedBy string `json:",omitempty"`
	// Size is the layer's size as the image manifest gives it.
	Size int64 `json:",omitempty"`
	// Files added, changed (a lower layer held the path) and deleted (by
	// whiteouts and opaque directories); directories are not counted.
	FilesAdded   int
	FilesChanged int
	FilesDeleted int
	// PackagesInstalled counts the final image's packages this layer
	// installed (a new version included); PackagesRemoved the OS package
	// names the layer's rewrite of a package database dropped.
	PackagesInstalled int
	PackagesRemoved   int
}
