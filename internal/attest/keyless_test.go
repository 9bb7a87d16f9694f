package attest

import (
	"context"
	"strings"
	"testing"

	"github.com/sigstore/sigstore-go/pkg/testing/ca"
	"github.com/sigstore/sigstore-go/pkg/verify"
)

// TestKeyless verifies a certificate-signed attestation against a test
// Sigstore (Fulcio CA, Rekor log and TSA in memory, all offline): the
// identity and issuer must match. The test Sigstore embeds no SCT in its
// certificates, so the SCT requirement is checked on its own: the
// options trawl uses refuse the entity for the missing SCT.
func TestKeyless(t *testing.T) {
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	const (
		id     = "https://github.com/example/app/.github/workflows/release.yml@refs/tags/v1"
		issuer = "https://token.actions.githubusercontent.com"
	)
	entity, err := vs.Attest(id, issuer, statement(PredicateCycloneDX, testSBOM))
	if err != nil {
		t.Fatal(err)
	}
	withoutSCT := []verify.VerifierOption{verify.WithTransparencyLog(1), verify.WithObserverTimestamps(1)}
	policy := func(id, issuer string) verify.PolicyOption {
		ci, err := verify.NewShortCertificateIdentity(issuer, "", id, "")
		if err != nil {
			t.Fatal(err)
		}
		return verify.WithCertificateIdentity(ci)
	}
	for _, tt := range []struct {
		name     string
		vopts    []verify.VerifierOption
		identity verify.PolicyOption
		wantErr  string
	}{
		{"identity matches", withoutSCT, policy(id, issuer), ""},
		{"other identity", withoutSCT, policy("https://github.com/evil/app/.github/workflows/x.yml@refs/heads/main", issuer), "certificate identity"},
		{"other issuer", withoutSCT, policy(id, "https://accounts.google.com"), "certificate identity"},
		{"trawl's options need an SCT", keylessVerifierOptions, policy(id, issuer), "signed certificate timestamp"},
		{"a key policy refuses a certificate", []verify.VerifierOption{verify.WithNoObserverTimestamps()}, verify.WithKey(), "certificate"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a, err := verifyEntity(context.Background(), entity, vs, tt.vopts, tt.identity, "")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v; want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(a.SBOM) != testSBOM || !strings.Contains(a.Signer, id) {
				t.Errorf("attestation = %+v", a)
			}
		})
	}
}
