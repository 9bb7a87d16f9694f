package cli

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/trawlsec/trawl/internal/source/image"
)

// signedAttestation writes a DSSE envelope signing an in-toto statement
// whose predicate is predicate, and the public key (PEM) it verifies with.
func signedAttestation(t *testing.T, dir, predicateType, predicate string) (file, pub string, sign func([]byte) []byte) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sign = func(payload []byte) []byte {
		const pt = "application/vnd.in-toto+json"
		d := sha256.Sum256(fmt.Appendf(nil, "DSSEv1 %d %s %d %s", len(pt), pt, len(payload), payload))
		sig, err := ecdsa.SignASN1(rand.Reader, k, d[:])
		if err != nil {
			t.Fatal(err)
		}
		return sig
	}
	payload := fmt.Appendf(nil, `{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"app","digest":{"sha256":"%s"}}],"predicateType":%q,"predicate":%s}`,
		strings.Repeat("ab", 32), predicateType, predicate)
	file = filepath.Join(dir, "app.intoto.json")
	writeEnvelope(t, file, payload, sign(payload))
	der, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	pub = filepath.Join(dir, "cosign.pub")
	if err := os.WriteFile(pub, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return file, pub, sign
}

func writeEnvelope(t *testing.T, path string, payload, sig []byte) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"payloadType": "application/vnd.in-toto+json", "payload": payload,
		"signatures": []map[string]any{{"keyid": "", "sig": sig}}})
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestSBOMAttestation: trawl sbom --key scans the SBOM of a verified
// attestation (lodash and its vulnerability from the test DB) and refuses,
// with one line naming the file, an attestation that does not verify or
// does not carry an SBOM.
func TestSBOMAttestation(t *testing.T) {
	dir := t.TempDir()
	file, pub, sign := signedAttestation(t, dir, "https://cyclonedx.org/bom", lodashSBOM)
	_, otherPub, _ := signedAttestation(t, t.TempDir(), "https://cyclonedx.org/bom", lodashSBOM)
	tampered := filepath.Join(dir, "tampered.json")
	forged := []byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"app","digest":{"sha256":"00"}}],"predicateType":"https://cyclonedx.org/bom","predicate":{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[]}}`)
	writeEnvelope(t, tampered, forged, sign([]byte("the signed statement")))
	vuln := filepath.Join(dir, "vuln.json")
	vulnPayload := []byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"app","digest":{"sha256":"00"}}],"predicateType":"https://cosign.sigstore.dev/attestation/vuln/v1","predicate":{"scanner":{}}}`)
	writeEnvelope(t, vuln, vulnPayload, sign(vulnPayload))
	mismatch := filepath.Join(dir, "mismatch.json")
	mismatchPayload := []byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"app","digest":{"sha256":"00"}}],"predicateType":"https://cyclonedx.org/bom","predicate":{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","name":"x","packages":[]}}`)
	writeEnvelope(t, mismatch, mismatchPayload, sign(mismatchPayload))
	db := lodashDB(t)
	base := []string{"sbom", "--cache-dir", t.TempDir(), "--quiet", "-f", "json", "--db-path", db, "--skip-db-update"}
	digest := "sha256:" + strings.Repeat("ab", 32)

	for _, tt := range []struct {
		name    string
		args    []string
		wantErr string // "" means scanned
	}{
		{"verified", []string{"--key", pub, file}, ""},
		{"verified with subject", []string{"--key", pub, "--subject-digest", digest, file}, ""},
		{"other key", []string{"--key", otherPub, file}, "attestation " + file + ": attestation refused: signature not verified"},
		{"tampered", []string{"--key", pub, tampered}, "attestation " + tampered + ": attestation refused: signature not verified"},
		{"vulnerability predicate", []string{"--key", pub, vuln}, "attestation " + vuln + ": attestation refused: not an SBOM attestation: predicate type https://cosign.sigstore.dev/attestation/vuln/v1 is a vulnerability scan report"},
		{"predicate not of its type", []string{"--key", pub, mismatch}, "attestation " + mismatch + ": the predicate type names a cyclonedx SBOM but the predicate is a spdx-json document"},
		{"wrong subject", []string{"--key", pub, "--subject-digest", "sha256:" + strings.Repeat("cd", 32), file}, "no subject has digest"},
		{"identity without trusted root", []string{"--certificate-identity", "a@example.com", file}, "keyless verification needs --trusted-root"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := run(t, append(base, tt.args...)...)
			if tt.wantErr != "" {
				if code == 0 || !strings.Contains(errOut, tt.wantErr) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
					t.Fatalf("exit %d, stderr %q; want one line containing %q", code, errOut, tt.wantErr)
				}
				return
			}
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			pkgs, vulns, _ := summary(decode(t, out))
			if strings.Join(pkgs, " ") != "lodash" || strings.Join(vulns, " ") != "GHSA-TEST" {
				t.Errorf("packages %v, vulnerabilities %v; want lodash, GHSA-TEST", pkgs, vulns)
			}
		})
	}
}

// bundleJSON is a key-signed Sigstore bundle (v0.3) of payload.
func bundleJSON(payload, sig []byte) string {
	return fmt.Sprintf(`{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{"hint":"k"}},"dsseEnvelope":{"payload":%q,"payloadType":"application/vnd.in-toto+json","signatures":[{"sig":%q}]}}`,
		base64.StdEncoding.EncodeToString(payload), base64.StdEncoding.EncodeToString(sig))
}

// TestImageSBOMAttestationReferrer: with --sbom-sources oci and --key, the
// SBOM of a Sigstore bundle referrer that verifies and is about the image
// is scanned instead of the layers; a bundle signed by another key, one
// about another image, and unsigned SBOM referrers are not used (the
// layers are analysed).
func TestImageSBOMAttestationReferrer(t *testing.T) {
	_, pub, sign := signedAttestation(t, t.TempDir(), "https://cyclonedx.org/bom", lodashSBOM)
	_, _, otherSign := signedAttestation(t, t.TempDir(), "https://cyclonedx.org/bom", lodashSBOM)
	statementAbout := func(digest string) []byte {
		_, h, _ := strings.Cut(digest, ":")
		return fmt.Appendf(nil, `{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"app","digest":{"sha256":%q}}],"predicateType":"https://cyclonedx.org/bom","predicate":%s}`, h, lodashSBOM)
	}
	db := lodashDB(t)
	for _, tt := range []struct {
		name   string
		attach func(t *testing.T, ref, digest string)
		pkgs   string
		vulns  string
	}{
		{"verified", func(t *testing.T, ref, digest string) {
			p := statementAbout(digest)
			attach(t, ref, image.ArtifactTypeSigstoreBundle, bundleJSON(p, sign(p)))
		}, "lodash", "GHSA-TEST"},
		{"other key", func(t *testing.T, ref, digest string) {
			p := statementAbout(digest)
			attach(t, ref, image.ArtifactTypeSigstoreBundle, bundleJSON(p, otherSign(p)))
		}, "busybox musl", ""},
		{"about another image", func(t *testing.T, ref, digest string) {
			p := statementAbout("sha256:" + strings.Repeat("0", 64))
			attach(t, ref, image.ArtifactTypeSigstoreBundle, bundleJSON(p, sign(p)))
		}, "busybox musl", ""},
		{"unsigned SBOM referrer", func(t *testing.T, ref, digest string) {
			attach(t, ref, image.ArtifactTypeCycloneDX, lodashSBOM)
		}, "busybox musl", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ref := pushAlpine(t, true)
			r, err := name.ParseReference(ref, name.Insecure)
			if err != nil {
				t.Fatal(err)
			}
			desc, err := remote.Head(r)
			if err != nil {
				t.Fatal(err)
			}
			tt.attach(t, ref, desc.Digest.String())
			out, errOut, code := run(t, "image", "--insecure", ref, "--cache-dir", t.TempDir(), "--quiet", "-f", "json",
				"--scanners", "vuln", "--db-path", db, "--skip-db-update", "--sbom-sources", "oci", "--key", pub)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			pkgs, vulns, _ := summary(decode(t, out))
			if strings.Join(pkgs, " ") != tt.pkgs || strings.Join(vulns, " ") != tt.vulns {
				t.Errorf("packages %v, vulnerabilities %v; want %q, %q", pkgs, vulns, tt.pkgs, tt.vulns)
			}
		})
	}
	_, errOut, code := run(t, "image", "--input", "x.tar", "--key", pub)
	if code == 0 || !strings.Contains(errOut, "add --sbom-sources oci") {
		t.Errorf("--key without --sbom-sources oci: exit %d, stderr %q", code, errOut)
	}
}
