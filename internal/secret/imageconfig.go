package secret

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/trawlsec/trawl/pkg/model"
)

// ImageConfigPath is the file name image-config findings are reported
// under.
const ImageConfigPath = "config.json"

// ScanImageConfig scans an image's config JSON (Env, Labels, history
// created_by commands such as ARG/ENV with tokens) for secrets. The JSON is
// re-indented so every value sits on its own line, then scanned as
// ImageConfigPath: line numbers refer to that indented form.
func (s *Scanner) ScanImageConfig(raw []byte) ([]model.Secret, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("image config: %w", err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("image config: %w", err)
	}
	return s.Scan(ImageConfigPath, buf.Bytes()), nil
}
