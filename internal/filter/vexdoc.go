package filter

import (
	"fmt"
	"slices"
)

// WithVEX returns a copy of f that also applies the VEX document data,
// named source in messages (a VEX document that is not a file: an OCI
// referrer of the scanned image). f itself is unchanged, so one loaded
// Filter serves scans of several images with their own VEX documents.
func (f *Filter) WithVEX(source string, data []byte) (*Filter, error) {
	if len(data) > MaxVEXFileSize {
		return nil, fmt.Errorf("VEX document %s: %d bytes, over the %d-byte limit", source, len(data), MaxVEXFileSize)
	}
	doc, err := parseVEX(source, data)
	if err != nil {
		return nil, err
	}
	c := *f
	c.vex = append(slices.Clip(f.vex), doc)
	return &c, nil
}
