package osv

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// ErrMalformed is wrapped by every error Decode and Validate return for a
// record that does not follow the OSV schema.
var ErrMalformed = errors.New("trawl/osv: malformed record")

// Format of a record's encoding.
const (
	FormatJSON = "json"
	FormatYAML = "yaml"
)

// FormatOf returns the encoding of a file from its name (.json, .yaml, .yml),
// or "" when the name has none of these extensions.
func FormatOf(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".json":
		return FormatJSON
	case ".yaml", ".yml":
		return FormatYAML
	}
	return ""
}

// Decode parses one OSV record. The format comes from the file name (see
// FormatOf); a name without a known extension is parsed as JSON when the
// first non-blank byte is '{' and as YAML otherwise. Unknown fields are
// ignored, so records written against newer schema versions still load.
// The record is validated (see Validate); errors name the file.
func Decode(name string, data []byte) (*Vulnerability, error) {
	v, err := decode(name, data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := Validate(v); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return v, nil
}

func decode(name string, data []byte) (*Vulnerability, error) {
	format := FormatOf(name)
	if format == "" {
		if t := bytes.TrimLeft(data, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '{' {
			format = FormatJSON
		} else {
			format = FormatYAML
		}
	}
	var v Vulnerability
	if format == FormatYAML {
		if err := UnmarshalYAML(data, &v); err != nil {
			return nil, fmt.Errorf("%w: yaml: %w", ErrMalformed, err)
		}
		if err := v.sanitize(); err != nil {
			return nil, fmt.Errorf("%w: yaml: %w", ErrMalformed, err)
		}
		return &v, nil
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, fmt.Errorf("%w: json: %w", ErrMalformed, err)
	}
	return &v, nil
}

// UnmarshalYAML decodes a YAML document into out (using its yaml tags). A
// scalar decoded into a string keeps its literal text (1.10 stays "1.10").
// A panic inside the YAML decoder is turned into an error.
func UnmarshalYAML(data []byte, out any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml decoder failed: %v", r)
		}
	}()
	return yaml.Unmarshal(data, out)
}

// sanitize makes the free-form maps of a YAML-decoded record JSON-encodable
// (string keys, no timestamps or non-finite numbers).
func (v *Vulnerability) sanitize() error {
	fix := func(m *map[string]any) error {
		if *m == nil {
			return nil
		}
		c, err := jsonable(*m, 0)
		if err != nil {
			return err
		}
		*m = c.(map[string]any)
		return nil
	}
	if err := fix(&v.DatabaseSpecific); err != nil {
		return err
	}
	for i := range v.Affected {
		a := &v.Affected[i]
		if err := fix(&a.EcosystemSpecific); err != nil {
			return err
		}
		if err := fix(&a.DatabaseSpecific); err != nil {
			return err
		}
		for j := range a.Ranges {
			if err := fix(&a.Ranges[j].DatabaseSpecific); err != nil {
				return err
			}
		}
	}
	return nil
}

// maxYAMLDepth bounds the nesting of YAML documents converted to JSON.
const maxYAMLDepth = 64

func jsonable(v any, depth int) (any, error) {
	if depth > maxYAMLDepth {
		return nil, fmt.Errorf("nesting deeper than %d", maxYAMLDepth)
	}
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			c, err := jsonable(e, depth+1)
			if err != nil {
				return nil, err
			}
			t[k] = c
		}
		return t, nil
	case map[any]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			c, err := jsonable(e, depth+1)
			if err != nil {
				return nil, err
			}
			m[fmt.Sprint(k)] = c
		}
		return m, nil
	case []any:
		for i, e := range t {
			c, err := jsonable(e, depth+1)
			if err != nil {
				return nil, err
			}
			t[i] = c
		}
		return t, nil
	case time.Time:
		return t.UTC().Format(time.RFC3339Nano), nil
	case float64:
		// NaN and ±Inf have no JSON form.
		if t != t || t > 1.7976931348623157e308 || t < -1.7976931348623157e308 {
			return fmt.Sprint(t), nil
		}
		return t, nil
	}
	return v, nil
}

// Validate checks the parts of the OSV schema the matcher relies on: an id,
// a named ecosystem for every affected package, known range types, and well
// formed events (exactly one field set; SEMVER and ECOSYSTEM ranges start
// with an introduced event; GIT ranges name their repository).
func Validate(v *Vulnerability) error {
	if strings.TrimSpace(v.ID) == "" {
		return fmt.Errorf("%w: missing id", ErrMalformed)
	}
	for i, a := range v.Affected {
		if a.Package.Name != "" && a.Package.Ecosystem == "" {
			return fmt.Errorf("%w: affected[%d]: package %q has no ecosystem", ErrMalformed, i, a.Package.Name)
		}
		if a.Package.Ecosystem != "" && a.Package.Name == "" {
			return fmt.Errorf("%w: affected[%d]: package in %q has no name", ErrMalformed, i, a.Package.Ecosystem)
		}
		for j, r := range a.Ranges {
			if err := validateRange(r); err != nil {
				return fmt.Errorf("%w: affected[%d].ranges[%d]: %w", ErrMalformed, i, j, err)
			}
		}
	}
	return nil
}

func validateRange(r Range) error {
	switch r.Type {
	case RangeSemver, RangeEcosystem:
	case RangeGit:
		if r.Repo == "" {
			return errors.New("GIT range without repo")
		}
	case "":
		return errors.New("range without type")
	default:
		return fmt.Errorf("unknown range type %q", r.Type)
	}
	if len(r.Events) == 0 {
		return errors.New("range without events")
	}
	introduced := false
	for k, e := range r.Events {
		n := 0
		for _, s := range []string{e.Introduced, e.Fixed, e.LastAffected, e.Limit} {
			if s != "" {
				n++
			}
		}
		if n != 1 {
			return fmt.Errorf("events[%d] sets %d fields, want exactly 1", k, n)
		}
		if e.Introduced != "" {
			introduced = true
		}
	}
	if !introduced && r.Type != RangeGit {
		return errors.New("range has no introduced event")
	}
	return nil
}

// IsWithdrawn reports whether the record has been withdrawn by its source.
func (v *Vulnerability) IsWithdrawn() bool { return !v.Withdrawn.IsZero() }
