package sbom

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// errNoSBOMPredicate reports an attestation whose predicate is no SBOM.
var errNoSBOMPredicate = errors.New("attestation predicate is not a CycloneDX or SPDX SBOM")

// unwrapAttestation returns the document an in-toto attestation carries:
// a DSSE envelope's payload (a statement, decoded again by the caller) or a
// statement's CycloneDX or SPDX predicate. cosign's legacy wrapping of the
// predicate in {"Data": …} is unwrapped too.
func unwrapAttestation(payloadType, payload, predicateType string, predicate json.RawMessage) ([]byte, error) {
	if payloadType != "" {
		if !strings.Contains(payloadType, "in-toto") {
			return nil, fmt.Errorf("DSSE payload type %q: %w", payloadType, errNoSBOMPredicate)
		}
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(payload))
		if err != nil {
			if raw, err = base64.RawURLEncoding.DecodeString(strings.TrimRight(strings.TrimSpace(payload), "=")); err != nil {
				return nil, fmt.Errorf("decoding DSSE payload: %w", err)
			}
		}
		return raw, nil
	}
	pt := strings.ToLower(predicateType)
	if !strings.Contains(pt, "cyclonedx") && !strings.Contains(pt, "spdx") {
		return nil, fmt.Errorf("predicate type %q: %w", predicateType, errNoSBOMPredicate)
	}
	if len(predicate) == 0 {
		return nil, fmt.Errorf("predicate type %q: empty predicate: %w", predicateType, errNoSBOMPredicate)
	}
	var legacy struct {
		Data json.RawMessage `json:"Data"`
	}
	if err := json.Unmarshal(predicate, &legacy); err == nil && len(legacy.Data) > 0 {
		var s string
		if err := json.Unmarshal(legacy.Data, &s); err == nil {
			return []byte(s), nil
		}
		return legacy.Data, nil
	}
	return predicate, nil
}
