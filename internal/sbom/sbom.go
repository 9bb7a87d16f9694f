// Package sbom reads Software Bills of Materials — CycloneDX (JSON and XML)
// and SPDX 2.x (JSON and tag-value), bare or wrapped in an in-toto
// attestation — into the inventory trawl scans, so that an SBOM made at
// build time (by trawl, Trivy or another tool) can be scanned later like an
// image or a directory.
//
// Package URLs decide what a component is: its ecosystem, its package type
// and whether it is an OS package. trawl's own properties ("trawl:PkgType",
// "trawl:FilePath"…) and Trivy's ("aquasecurity:trivy:PkgType"…) win over
// the purl where present, so that a round trip keeps types and targets. The
// operating system comes from an operating-system component (CycloneDX) or
// an OPERATING-SYSTEM package (SPDX), else from the distro qualifier of the
// OS packages' purls.
package sbom

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/trawlsec/trawl/internal/apply"
)

// Format is the format an SBOM was written in.
type Format string

// Supported formats.
const (
	FormatCycloneDXJSON Format = "cyclonedx-json"
	FormatCycloneDXXML  Format = "cyclonedx-xml"
	FormatSPDXJSON      Format = "spdx-json"
	FormatSPDXTagValue  Format = "spdx-tag-value"
)

// MaxSize is the largest SBOM Decode reads (256 MiB).
const MaxSize = 256 << 20

// maxWrapDepth bounds nested attestation envelopes.
const maxWrapDepth = 4

// ErrUnknownFormat reports content that is none of the supported formats.
var ErrUnknownFormat = errors.New("not a CycloneDX or SPDX document")

// ErrTooLarge reports an SBOM over MaxSize.
var ErrTooLarge = errors.New("SBOM exceeds the size limit")

// Decode reads an SBOM from r, detecting its format by content, and returns
// the inventory it describes. name names the input in errors and warnings
// (a file path). Components that cannot be scanned (no purl, a purl type
// trawl does not know) are skipped and listed in Inventory.Warnings.
func Decode(r io.Reader, name string) (*apply.Inventory, Format, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, "", fmt.Errorf("reading SBOM %s: %w", name, err)
	}
	if len(data) > MaxSize {
		return nil, "", fmt.Errorf("reading SBOM %s: %w (%d bytes)", name, ErrTooLarge, MaxSize)
	}
	return decodeBytes(data, name, 0)
}

func decodeBytes(data []byte, name string, depth int) (*apply.Inventory, Format, error) {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(trimmed) == 0 {
		return nil, "", fmt.Errorf("decoding SBOM %s: empty input: %w", name, ErrUnknownFormat)
	}
	var (
		d      *document
		format Format
		err    error
	)
	switch trimmed[0] {
	case '{':
		var probe struct {
			BOMFormat     string          `json:"bomFormat"`
			SPDXVersion   string          `json:"spdxVersion"`
			PayloadType   string          `json:"payloadType"`
			Payload       string          `json:"payload"`
			PredicateType string          `json:"predicateType"`
			Predicate     json.RawMessage `json:"predicate"`
		}
		if err := json.Unmarshal(trimmed, &probe); err != nil {
			return nil, "", fmt.Errorf("decoding SBOM %s: %w", name, err)
		}
		switch {
		case probe.BOMFormat == "CycloneDX":
			format = FormatCycloneDXJSON
			d, err = decodeCycloneDX(trimmed, false)
		case probe.SPDXVersion != "":
			format = FormatSPDXJSON
			d, err = decodeSPDXJSON(trimmed)
		case probe.PayloadType != "" || probe.PredicateType != "":
			if depth >= maxWrapDepth {
				return nil, "", fmt.Errorf("decoding SBOM %s: attestations nested too deep: %w", name, ErrUnknownFormat)
			}
			inner, err := unwrapAttestation(probe.PayloadType, probe.Payload, probe.PredicateType, probe.Predicate)
			if err != nil {
				return nil, "", fmt.Errorf("decoding SBOM attestation %s: %w", name, err)
			}
			return decodeBytes(inner, name, depth+1)
		default:
			return nil, "", fmt.Errorf("decoding SBOM %s: JSON without bomFormat or spdxVersion: %w", name, ErrUnknownFormat)
		}
	case '<':
		if !bytes.Contains(trimmed, []byte("cyclonedx.org/schema/bom")) && !bytes.Contains(trimmed, []byte("<bom")) {
			return nil, "", fmt.Errorf("decoding SBOM %s: XML that is not a CycloneDX BOM (SPDX XML is not supported): %w", name, ErrUnknownFormat)
		}
		format = FormatCycloneDXXML
		d, err = decodeCycloneDX(trimmed, true)
	default:
		if !isTagValue(trimmed) {
			return nil, "", fmt.Errorf("decoding SBOM %s: %w", name, ErrUnknownFormat)
		}
		format = FormatSPDXTagValue
		d, err = decodeSPDXTagValue(trimmed)
	}
	if err != nil {
		return nil, format, fmt.Errorf("decoding %s SBOM %s: %w", format, name, err)
	}
	return d.inventory(name), format, nil
}
