package report

import (
	"io"
	"time"

	"github.com/trawlsec/trawl/pkg/model"
)

// cosignVuln is the cosign vulnerability attestation predicate
// (https://github.com/sigstore/cosign/blob/main/specs/COSIGN_VULN_ATTESTATION_SPEC.md).
type cosignVuln struct {
	Invocation cosignInvocation `json:"invocation"`
	Scanner    cosignScanner    `json:"scanner"`
	Metadata   cosignMetadata   `json:"metadata"`
}

type cosignInvocation struct {
	Parameters any    `json:"parameters"`
	URI        string `json:"uri"`
	EventID    string `json:"event_id"`
	BuilderID  string `json:"builder.id"`
}

type cosignScanner struct {
	URI     string        `json:"uri"`
	Version string        `json:"version"`
	DB      cosignDB      `json:"db"`
	Result  *model.Report `json:"result"`
}

type cosignDB struct {
	URI     string `json:"uri"`
	Version string `json:"version"`
}

type cosignMetadata struct {
	ScanStartedOn  time.Time `json:"scanStartedOn"`
	ScanFinishedOn time.Time `json:"scanFinishedOn"`
}

// WriteCosignVuln writes the report wrapped in a cosign vulnerability
// attestation predicate, for `cosign attest --type vuln`. Both scan times
// are the report's CreatedAt so the output is reproducible.
func WriteCosignVuln(w io.Writer, r *model.Report, opts Options) error {
	result := *r
	if !opts.ListAllPkgs {
		result.Results = make([]model.Result, len(r.Results))
		for i, res := range r.Results {
			res.Packages = nil
			result.Results[i] = res
		}
	}
	v := appVersion(opts)
	pred := cosignVuln{
		Scanner: cosignScanner{
			URI:     "pkg:github/trawlsec/trawl@" + v,
			Version: v,
			Result:  &result,
		},
		Metadata: cosignMetadata{ScanStartedOn: r.CreatedAt, ScanFinishedOn: r.CreatedAt},
	}
	return writeIndentedJSON(w, pred, "cosign vulnerability predicate")
}
