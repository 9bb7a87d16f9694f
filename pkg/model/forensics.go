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
