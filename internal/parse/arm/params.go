package arm

import (
	"encoding/json"
	"fmt"
	"sort"
)

// ParseParameters reads a deployment parameter file
// (deploymentParameters.json: {"parameters": {"name": {"value": …}}}) into
// values for Parse. A Key Vault "reference" is Unknown. Content that is
// not a JSON object with a "parameters" object, or a parameter with
// neither "value" nor "reference", is an error.
func ParseParameters(content []byte) (map[string]any, error) {
	var doc struct {
		Parameters map[string]json.RawMessage `json:"parameters"`
	}
	if err := json.Unmarshal(content, &doc); err != nil || doc.Parameters == nil {
		return nil, fmt.Errorf(`not an ARM parameter file: no "parameters" object`)
	}
	names := make([]string, 0, len(doc.Parameters))
	for name := range doc.Parameters {
		names = append(names, name)
	}
	sort.Strings(names) // the first bad parameter is the same every run
	out := make(map[string]any, len(names))
	for _, name := range names {
		var p map[string]any
		if err := json.Unmarshal(doc.Parameters[name], &p); err != nil || p == nil {
			return nil, fmt.Errorf("parameter %q is not an object", name)
		}
		if v, ok := p["value"]; ok {
			out[name] = v
		} else if _, ok := p["reference"]; ok {
			out[name] = Unknown{}
		} else {
			return nil, fmt.Errorf(`parameter %q has neither "value" nor "reference"`, name)
		}
	}
	return out, nil
}
