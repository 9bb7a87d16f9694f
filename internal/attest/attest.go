// Package attest verifies cosign-signed in-toto attestations — a Sigstore
// bundle (`cosign attest --bundle`, `.sigstore.json`) or a bare DSSE
// envelope — and returns the SBOM they carry, so that `trawl sbom` scans
// only what the signer attested.
//
// Verification is offline and done by sigstore-go. With a public key
// (Options.Key) the DSSE signature over the statement is checked against
// that key; transparency-log entries and timestamps in a bundle are not
// checked. With a trusted root (Options.TrustedRoot, a Sigstore
// trusted_root.json) the bundle must carry a Fulcio certificate chaining
// to the root, issued to Options.CertificateIdentity by
// Options.CertificateOIDCIssuer, with an embedded SCT and a transparency-log
// entry whose inclusion proof and integrated time verify against the root's
// keys; the certificate must be valid at the log's time.
package attest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
	protodsse "github.com/sigstore/protobuf-specs/gen/pb-go/dsse"
	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/verify"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
	"github.com/sigstore/sigstore/pkg/signature"
)

// Size limits on the files read.
const (
	// MaxSize is the largest attestation read: a 256 MiB SBOM (the SBOM
	// reader's limit), base64-encoded, and its envelope.
	MaxSize = 352 << 20
	// maxKeySize bounds a PEM public key file.
	maxKeySize = 64 << 10
	// maxTrustedRootSize bounds a trusted_root.json.
	maxTrustedRootSize = 16 << 20
)

// Predicate types trawl reads.
const (
	PredicateCycloneDX = "https://cyclonedx.org/bom"
	PredicateSPDX      = "https://spdx.dev/Document"
	// PredicateCosignVuln is cosign's vulnerability scan predicate; it
	// holds a scan report, not an SBOM, and is refused.
	PredicateCosignVuln = "https://cosign.sigstore.dev/attestation/vuln/v1"
	// predicateCycloneDXLegacy is what cosign before 1.10 wrote for
	// --type cyclonedx.
	predicateCycloneDXLegacy = "https://cyclonedx.org/schema"
)

// Statement types and the DSSE payload type of in-toto.
const (
	payloadTypeInToto = "application/vnd.in-toto+json"
	statementV1       = "https://in-toto.io/Statement/v1"
	statementV01      = "https://in-toto.io/Statement/v0.1"
)

// Options say how an attestation is verified: with a public key, or
// keyless with a trusted root and the expected certificate identity.
type Options struct {
	// Key is a PEM public key file (ECDSA, Ed25519 or RSA), as
	// `cosign generate-key-pair` writes cosign.pub.
	Key string
	// TrustedRoot is a Sigstore trusted_root.json for keyless
	// verification; CertificateIdentity (the certificate's SAN) and
	// CertificateOIDCIssuer must be given with it.
	TrustedRoot           string
	CertificateIdentity   string
	CertificateOIDCIssuer string
	// SubjectDigest ("sha256:<hex>"), when set, must be the digest of one
	// of the statement's subjects.
	SubjectDigest string
}

// Enabled reports whether an attestation is to be verified.
func (o Options) Enabled() bool {
	return o.Key != "" || o.TrustedRoot != ""
}

// Validate checks that the options name one way to verify.
func (o Options) Validate() error {
	keyless := o.TrustedRoot != "" || o.CertificateIdentity != "" || o.CertificateOIDCIssuer != ""
	switch {
	case o.Key != "" && keyless:
		return errors.New("--key and --trusted-root/--certificate-identity/--certificate-oidc-issuer: give a key or a keyless identity, not both")
	case keyless && (o.TrustedRoot == "" || o.CertificateIdentity == "" || o.CertificateOIDCIssuer == ""):
		return errors.New("keyless verification needs --trusted-root, --certificate-identity and --certificate-oidc-issuer together")
	case o.SubjectDigest != "" && !o.Enabled():
		return errors.New("--subject-digest needs --key or --trusted-root")
	}
	if o.SubjectDigest != "" {
		if _, _, err := parseDigest(o.SubjectDigest); err != nil {
			return fmt.Errorf("--subject-digest: %w", err)
		}
	}
	return nil
}

// Subject is an artifact the statement is about.
type Subject struct {
	Name   string            `json:"name"`
	Digest map[string]string `json:"digest"`
}

// Attestation is a verified in-toto statement.
type Attestation struct {
	// PredicateType is the statement's predicate type.
	PredicateType string
	// SBOM is the predicate: the CycloneDX or SPDX document.
	SBOM []byte
	// Subjects are the statement's subjects.
	Subjects []Subject
	// Signer names who signed: the key's hint, or the certificate's
	// identity and issuer.
	Signer string
}

// ErrRefused wraps every reason an attestation is not accepted.
var ErrRefused = errors.New("attestation refused")

// ErrNotSBOM wraps, with ErrRefused, a verified attestation whose
// predicate is not an SBOM (provenance, a vulnerability report).
var ErrNotSBOM = errors.New("not an SBOM attestation")

// VerifyFile reads the attestation at path and verifies it as o asks.
// Errors name path.
func VerifyFile(ctx context.Context, path string, o Options) (*Attestation, error) {
	data, err := readLimited(path, MaxSize)
	if err != nil {
		return nil, fmt.Errorf("attestation %s: %w", path, err)
	}
	a, err := Verify(ctx, data, o)
	if err != nil {
		return nil, fmt.Errorf("attestation %s: %w", path, err)
	}
	return a, nil
}

// Verify verifies the attestation in data as o asks.
func Verify(ctx context.Context, data []byte, o Options) (*Attestation, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if !o.Enabled() {
		return nil, errors.New("no --key or --trusted-root to verify with")
	}
	b, err := Parse(data)
	if err != nil {
		return nil, err
	}
	var (
		tm       root.TrustedMaterial
		vopts    []verify.VerifierOption
		identity verify.PolicyOption
	)
	if o.Key != "" {
		v, err := loadKey(o.Key)
		if err != nil {
			return nil, err
		}
		tm = root.NewTrustedPublicKeyMaterial(func(string) (root.TimeConstrainedVerifier, error) {
			return root.NewExpiringKey(v, time.Time{}, time.Time{}), nil
		})
		// A key has no validity window to place the signature in: no
		// log or timestamp authority is consulted.
		vopts = []verify.VerifierOption{verify.WithNoObserverTimestamps()}
		identity = verify.WithKey()
	} else {
		tr, err := loadTrustedRoot(o.TrustedRoot)
		if err != nil {
			return nil, err
		}
		tm = tr
		vopts = keylessVerifierOptions
		ci, err := verify.NewShortCertificateIdentity(o.CertificateOIDCIssuer, "", o.CertificateIdentity, "")
		if err != nil {
			return nil, fmt.Errorf("certificate identity: %w", err)
		}
		identity = verify.WithCertificateIdentity(ci)
	}
	return verifyEntity(ctx, b, tm, vopts, identity, o.SubjectDigest)
}

// keylessVerifierOptions are the checks of Sigstore's public-good
// instance, all offline against the trusted root: an SCT in the
// certificate, a log entry with a verified inclusion proof, and the
// certificate valid at the log's (or a timestamp authority's) time.
var keylessVerifierOptions = []verify.VerifierOption{
	verify.WithSignedCertificateTimestamps(1),
	verify.WithTransparencyLog(1),
	verify.WithObserverTimestamps(1),
}

// verifyEntity verifies b's signature with tm and returns its statement's
// SBOM. The statement is read from the very payload bytes that were
// verified.
func verifyEntity(ctx context.Context, e verify.SignedEntity, tm root.TrustedMaterial, vopts []verify.VerifierOption, identity verify.PolicyOption, subjectDigest string) (*Attestation, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sc, err := e.SignatureContent()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRefused, err)
	}
	env := sc.EnvelopeContent()
	if env == nil {
		return nil, fmt.Errorf("%w: the bundle holds a message signature, not a DSSE attestation", ErrRefused)
	}
	v, err := verify.NewVerifier(tm, append([]verify.VerifierOption{verify.WithoutStatementPredicate()}, vopts...)...)
	if err != nil {
		return nil, err
	}
	res, err := v.Verify(e, verify.NewPolicy(verify.WithoutArtifactUnsafe(), identity))
	if err != nil {
		return nil, fmt.Errorf("%w: signature not verified: %w", ErrRefused, err)
	}
	// The payload the signature was checked over (DSSE signs the PAE of
	// the payload type and these bytes).
	if pt := env.RawEnvelope().PayloadType; pt != payloadTypeInToto {
		return nil, fmt.Errorf("%w: DSSE payload type %q is not %s", ErrRefused, pt, payloadTypeInToto)
	}
	payload, err := base64.StdEncoding.DecodeString(env.RawEnvelope().Payload)
	if err != nil {
		return nil, fmt.Errorf("%w: DSSE payload: %w", ErrRefused, err)
	}
	a, err := readStatement(payload)
	if err != nil {
		return nil, err
	}
	if subjectDigest != "" {
		if err := matchSubject(a.Subjects, subjectDigest); err != nil {
			return nil, err
		}
	}
	switch {
	case res.Signature != nil && res.Signature.Certificate != nil:
		a.Signer = res.Signature.Certificate.SubjectAlternativeName + " (" + res.Signature.Certificate.Issuer + ")"
	case res.Signature != nil && res.Signature.PublicKeyID != nil:
		a.Signer = "public key " + string(*res.Signature.PublicKeyID)
	}
	return a, nil
}

// Parse reads a Sigstore bundle or a DSSE envelope. A bare envelope is
// wrapped in a v0.3 bundle naming a public key, so that both go through
// the same verifier.
func Parse(data []byte) (*bundle.Bundle, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrRefused, MaxSize)
	}
	var probe struct {
		MediaType   string          `json:"mediaType"`
		PayloadType string          `json:"payloadType"`
		Payload     string          `json:"payload"`
		Signatures  json.RawMessage `json:"signatures"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("%w: not a Sigstore bundle or DSSE envelope: %w", ErrRefused, err)
	}
	switch {
	case probe.MediaType != "":
		var b bundle.Bundle
		if err := b.UnmarshalJSON(data); err != nil {
			return nil, fmt.Errorf("%w: malformed Sigstore bundle: %w", ErrRefused, err)
		}
		if env := b.GetDsseEnvelope(); env != nil {
			if err := checkEnvelope(env); err != nil {
				return nil, err
			}
		}
		return &b, nil
	case probe.PayloadType != "":
		var e struct {
			PayloadType string `json:"payloadType"`
			Payload     []byte `json:"payload"` // base64, standard encoding
			Signatures  []struct {
				KeyID string `json:"keyid"`
				Sig   []byte `json:"sig"`
			} `json:"signatures"`
		}
		if err := json.Unmarshal(data, &e); err != nil {
			return nil, fmt.Errorf("%w: malformed DSSE envelope: %w", ErrRefused, err)
		}
		env := &protodsse.Envelope{PayloadType: e.PayloadType, Payload: e.Payload}
		for _, s := range e.Signatures {
			env.Signatures = append(env.Signatures, &protodsse.Signature{Keyid: s.KeyID, Sig: s.Sig})
		}
		if err := checkEnvelope(env); err != nil {
			return nil, err
		}
		hint := ""
		if len(e.Signatures) == 1 {
			hint = e.Signatures[0].KeyID
		}
		b, err := bundle.NewBundle(&protobundle.Bundle{
			MediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
			VerificationMaterial: &protobundle.VerificationMaterial{
				Content: &protobundle.VerificationMaterial_PublicKey{PublicKey: &protocommon.PublicKeyIdentifier{Hint: hint}},
			},
			Content: &protobundle.Bundle_DsseEnvelope{DsseEnvelope: env},
		})
		if err != nil {
			return nil, fmt.Errorf("%w: malformed DSSE envelope: %w", ErrRefused, err)
		}
		return b, nil
	default:
		return nil, fmt.Errorf("%w: JSON with neither a bundle mediaType nor a DSSE payloadType", ErrRefused)
	}
}

// checkEnvelope refuses envelopes trawl would not verify whole: sigstore-go
// checks the first signature only, so exactly one is accepted.
func checkEnvelope(env *protodsse.Envelope) error {
	if env.GetPayloadType() != payloadTypeInToto {
		return fmt.Errorf("%w: DSSE payload type %q is not %s", ErrRefused, env.GetPayloadType(), payloadTypeInToto)
	}
	if len(env.GetPayload()) == 0 {
		return fmt.Errorf("%w: empty DSSE payload", ErrRefused)
	}
	if n := len(env.GetSignatures()); n != 1 {
		return fmt.Errorf("%w: DSSE envelope has %d signatures; exactly one is verified", ErrRefused, n)
	}
	if len(env.GetSignatures()[0].GetSig()) == 0 {
		return fmt.Errorf("%w: empty DSSE signature", ErrRefused)
	}
	return nil
}

// readStatement decodes a verified in-toto statement and checks its
// predicate type.
func readStatement(payload []byte) (*Attestation, error) {
	var st struct {
		Type          string          `json:"_type"`
		Subject       []Subject       `json:"subject"`
		PredicateType string          `json:"predicateType"`
		Predicate     json.RawMessage `json:"predicate"`
	}
	if err := json.Unmarshal(payload, &st); err != nil {
		return nil, fmt.Errorf("%w: in-toto statement: %w", ErrRefused, err)
	}
	if st.Type != statementV1 && st.Type != statementV01 {
		return nil, fmt.Errorf("%w: statement type %q is not an in-toto statement", ErrRefused, st.Type)
	}
	if len(st.Subject) == 0 {
		return nil, fmt.Errorf("%w: in-toto statement without subjects", ErrRefused)
	}
	switch kind := predicateKind(st.PredicateType); kind {
	case "sbom":
	case "vuln":
		return nil, fmt.Errorf("%w: %w: predicate type %s is a vulnerability scan report; trawl sbom scans SBOM attestations (cosign attest --type cyclonedx, spdxjson or spdx)", ErrRefused, ErrNotSBOM, st.PredicateType)
	default:
		return nil, fmt.Errorf("%w: %w: predicate type %q is not a CycloneDX (%s) or SPDX (%s) SBOM", ErrRefused, ErrNotSBOM, st.PredicateType, PredicateCycloneDX, PredicateSPDX)
	}
	sbom, err := predicateDocument(st.Predicate)
	if err != nil {
		return nil, fmt.Errorf("%w: predicate type %s: %w", ErrRefused, st.PredicateType, err)
	}
	return &Attestation{PredicateType: st.PredicateType, SBOM: sbom, Subjects: st.Subject}, nil
}

// predicateKind sorts predicate types: "sbom", "vuln" or "".
func predicateKind(t string) string {
	versioned := func(base string) bool {
		return t == base || strings.HasPrefix(t, base+"/v")
	}
	switch {
	case versioned(PredicateCycloneDX), versioned(PredicateSPDX), t == predicateCycloneDXLegacy:
		return "sbom"
	case t == PredicateCosignVuln:
		return "vuln"
	}
	return ""
}

// predicateDocument returns the SBOM document of a predicate: the
// predicate itself, or — as cosign before 2.0 wrote it — the "Data" of
// {"Data": …, "Timestamp": …} (a JSON document, or a string such as SPDX
// tag-value).
func predicateDocument(p json.RawMessage) ([]byte, error) {
	p = bytes.TrimSpace(p)
	if len(p) == 0 || bytes.Equal(p, []byte("null")) {
		return nil, errors.New("empty predicate")
	}
	if p[0] == '"' {
		var s string
		if err := json.Unmarshal(p, &s); err != nil {
			return nil, err
		}
		return []byte(s), nil
	}
	var legacy struct {
		Data json.RawMessage `json:"Data"`
	}
	if err := json.Unmarshal(p, &legacy); err == nil && len(legacy.Data) > 0 {
		return predicateDocument(legacy.Data)
	}
	return p, nil
}

// matchSubject checks that one subject has the digest want ("alg:hex").
func matchSubject(subjects []Subject, want string) error {
	alg, h, err := parseDigest(want)
	if err != nil {
		return err
	}
	for _, s := range subjects {
		if strings.EqualFold(s.Digest[alg], h) {
			return nil
		}
	}
	var have []string
	for _, s := range subjects {
		if d, ok := s.Digest[alg]; ok {
			have = append(have, alg+":"+d)
		}
	}
	if len(have) == 0 {
		have = []string{"none"}
	}
	return fmt.Errorf("%w: no subject has digest %s (subjects: %s)", ErrRefused, want, strings.Join(have, ", "))
}

func parseDigest(d string) (alg, h string, err error) {
	alg, h, ok := strings.Cut(strings.TrimSpace(d), ":")
	want := map[string]int{"sha256": 32, "sha384": 48, "sha512": 64}[alg]
	raw, herr := hex.DecodeString(h)
	if !ok || want == 0 || herr != nil || len(raw) != want {
		return "", "", fmt.Errorf("digest %q is not sha256:<64 hex digits> (or sha384, sha512)", d)
	}
	return alg, strings.ToLower(h), nil
}

// loadKey reads a PEM public key and returns the verifier cosign uses for
// its type (ECDSA with the curve's hash, Ed25519, RSA PKCS#1 v1.5 SHA-256).
func loadKey(path string) (signature.Verifier, error) {
	pemBytes, err := readLimited(path, maxKeySize)
	if err != nil {
		return nil, fmt.Errorf("--key %s: %w", path, err)
	}
	pub, err := cryptoutils.UnmarshalPEMToPublicKey(pemBytes)
	if err != nil {
		return nil, fmt.Errorf("--key %s: not a PEM public key: %w", path, err)
	}
	v, err := signature.LoadDefaultVerifier(pub)
	if err != nil {
		return nil, fmt.Errorf("--key %s: %w", path, err)
	}
	return v, nil
}

func loadTrustedRoot(path string) (*root.TrustedRoot, error) {
	data, err := readLimited(path, maxTrustedRootSize)
	if err != nil {
		return nil, fmt.Errorf("--trusted-root %s: %w", path, err)
	}
	tr, err := root.NewTrustedRootFromJSON(data)
	if err != nil {
		return nil, fmt.Errorf("--trusted-root %s: not a Sigstore trusted root: %w", path, err)
	}
	return tr, nil
}

// readLimited reads a regular file of at most limit bytes.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return nil, err
	} else if !fi.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("larger than %d bytes", limit)
	}
	return data, nil
}

// Format is the SBOM format the predicate type names: "cyclonedx" or
// "spdx" (the prefix of the sbom package's format names).
func (a *Attestation) Format() string {
	if strings.HasPrefix(a.PredicateType, PredicateSPDX) {
		return "spdx"
	}
	return "cyclonedx"
}
