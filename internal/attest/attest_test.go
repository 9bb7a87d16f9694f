package attest

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	testSBOM    = `{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[{"type":"library","name":"lodash","version":"4.17.0","purl":"pkg:npm/lodash@4.17.0"}]}`
	imageDigest = "sha256:4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a"
)

// statement is an in-toto v1 statement about one image.
func statement(predicateType, predicate string) []byte {
	_, h, _ := strings.Cut(imageDigest, ":")
	return fmt.Appendf(nil, `{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"reg.example.com/app","digest":{"sha256":%q}}],"predicateType":%q,"predicate":%s}`, h, predicateType, predicate)
}

// pae is DSSE's pre-authentication encoding, written here from the spec
// (not taken from the library under test).
func pae(payloadType string, payload []byte) []byte {
	return fmt.Appendf(nil, "DSSEv1 %d %s %d %s", len(payloadType), payloadType, len(payload), payload)
}

// signer signs the PAE as cosign does for its key type.
type signer func(msg []byte) []byte

func ecdsaKey(t *testing.T) (signer, crypto.PublicKey) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return func(msg []byte) []byte {
		d := sha256.Sum256(msg)
		sig, err := ecdsa.SignASN1(rand.Reader, k, d[:])
		if err != nil {
			t.Fatal(err)
		}
		return sig
	}, &k.PublicKey
}

func ed25519Key(t *testing.T) (signer, crypto.PublicKey) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return func(msg []byte) []byte { return ed25519.Sign(priv, msg) }, pub
}

func rsaKey(t *testing.T) (signer, crypto.PublicKey) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return func(msg []byte) []byte {
		d := sha256.Sum256(msg)
		sig, err := rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, d[:])
		if err != nil {
			t.Fatal(err)
		}
		return sig
	}, &k.PublicKey
}

// writeKey writes pub as a PEM file, as cosign.pub.
func writeKey(t *testing.T, pub crypto.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "cosign.pub")
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// envelope is a DSSE envelope as cosign writes it.
func envelope(payloadType string, payload []byte, sigs ...[]byte) []byte {
	type sig struct {
		KeyID string `json:"keyid"`
		Sig   []byte `json:"sig"`
	}
	e := struct {
		PayloadType string `json:"payloadType"`
		Payload     []byte `json:"payload"`
		Signatures  []sig  `json:"signatures"`
	}{PayloadType: payloadType, Payload: payload}
	for _, s := range sigs {
		e.Signatures = append(e.Signatures, sig{Sig: s})
	}
	b, _ := json.Marshal(e)
	return b
}

// sigstoreBundle is a v0.3 bundle of a key-signed envelope, as
// `cosign attest --key … --bundle` writes it (without its log entry).
func sigstoreBundle(payloadType string, payload, sig []byte) []byte {
	return fmt.Appendf(nil, `{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{"hint":"test-key"}},"dsseEnvelope":{"payload":%q,"payloadType":%q,"signatures":[{"sig":%q,"keyid":""}]}}`,
		base64.StdEncoding.EncodeToString(payload), payloadType, base64.StdEncoding.EncodeToString(sig))
}

func TestVerifyKey(t *testing.T) {
	sign, pub := ecdsaKey(t)
	key := writeKey(t, pub)
	otherSign, otherPub := ecdsaKey(t)
	_ = otherSign
	otherKey := writeKey(t, otherPub)

	good := statement(PredicateCycloneDX, testSBOM)
	signed := func(p []byte) []byte { return sign(pae(payloadTypeInToto, p)) }
	tampered := statement(PredicateCycloneDX, strings.Replace(testSBOM, "4.17.0", "4.17.21", 2))
	certBundle := `{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"certificate":{"rawBytes":"MIIB"}},"dsseEnvelope":{"payload":"e30=","payloadType":"application/vnd.in-toto+json","signatures":[{"sig":"AAAA"}]}}`

	for _, tt := range []struct {
		name    string
		data    []byte
		opts    Options
		wantErr string // "" means verified
		sbom    string
	}{
		{name: "envelope", data: envelope(payloadTypeInToto, good, signed(good)), sbom: testSBOM},
		{name: "bundle", data: sigstoreBundle(payloadTypeInToto, good, signed(good)), sbom: testSBOM},
		{name: "matching subject digest", data: envelope(payloadTypeInToto, good, signed(good)), opts: Options{SubjectDigest: imageDigest}, sbom: testSBOM},
		{name: "versioned predicate type", data: func() []byte {
			p := statement(PredicateCycloneDX+"/v1.5", testSBOM)
			return envelope(payloadTypeInToto, p, signed(p))
		}(), sbom: testSBOM},
		{name: "cosign v1 Data wrapping", data: func() []byte {
			p := statement(PredicateCycloneDX, fmt.Sprintf(`{"Data":%s,"Timestamp":"2024-01-01T00:00:00Z"}`, testSBOM))
			return envelope(payloadTypeInToto, p, signed(p))
		}(), sbom: testSBOM},
		{name: "tampered payload", data: envelope(payloadTypeInToto, tampered, signed(good)), wantErr: "signature not verified"},
		{name: "tampered bundle payload", data: sigstoreBundle(payloadTypeInToto, tampered, signed(good)), wantErr: "signature not verified"},
		{name: "other key", data: envelope(payloadTypeInToto, good, signed(good)), opts: Options{Key: otherKey}, wantErr: "signature not verified"},
		{name: "signature over another payload type", data: envelope(payloadTypeInToto, good, sign(pae("application/json", good))), wantErr: "signature not verified"},
		{name: "provenance predicate", data: func() []byte {
			p := statement("https://slsa.dev/provenance/v1", `{"buildDefinition":{}}`)
			return envelope(payloadTypeInToto, p, signed(p))
		}(), wantErr: `predicate type "https://slsa.dev/provenance/v1" is not a CycloneDX`},
		{name: "vulnerability predicate", data: func() []byte {
			p := statement(PredicateCosignVuln, `{"scanner":{"uri":"pkg:github/aquasecurity/trivy"}}`)
			return envelope(payloadTypeInToto, p, signed(p))
		}(), wantErr: "not an SBOM attestation: predicate type " + PredicateCosignVuln + " is a vulnerability scan report"},
		{name: "empty predicate", data: func() []byte {
			p := statement(PredicateSPDX, `null`)
			return envelope(payloadTypeInToto, p, signed(p))
		}(), wantErr: "empty predicate"},
		{name: "wrong subject digest", data: envelope(payloadTypeInToto, good, signed(good)), opts: Options{SubjectDigest: "sha256:" + strings.Repeat("0", 64)}, wantErr: "no subject has digest"},
		{name: "not a statement", data: func() []byte {
			p := []byte(`{"_type":"https://example.com/other","subject":[{"name":"x","digest":{"sha256":"00"}}],"predicateType":"https://cyclonedx.org/bom","predicate":{}}`)
			return envelope(payloadTypeInToto, p, signed(p))
		}(), wantErr: "is not an in-toto statement"},
		{name: "payload type", data: envelope("application/json", good, sign(pae("application/json", good))), wantErr: `payload type "application/json"`},
		{name: "two signatures", data: envelope(payloadTypeInToto, good, signed(good), signed(good)), wantErr: "has 2 signatures"},
		{name: "no signature", data: envelope(payloadTypeInToto, good), wantErr: "has 0 signatures"},
		{name: "certificate bundle with a key", data: []byte(certBundle), wantErr: "attestation refused"},
		{name: "not JSON", data: []byte("DSSEv1 …"), wantErr: "not a Sigstore bundle or DSSE envelope"},
		{name: "plain SBOM", data: []byte(testSBOM), wantErr: "neither a bundle mediaType nor a DSSE payloadType"},
		{name: "unknown bundle version", data: []byte(`{"mediaType":"application/vnd.dev.sigstore.bundle.v0.9+json"}`), wantErr: "malformed Sigstore bundle"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.opts
			if o.Key == "" {
				o.Key = key
			}
			a, err := Verify(context.Background(), tt.data, o)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, ErrRefused) {
					t.Fatalf("err = %v; want ErrRefused containing %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("error spans lines: %q", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(a.SBOM) != tt.sbom || len(a.Subjects) != 1 || !strings.HasPrefix(a.PredicateType, PredicateCycloneDX) {
				t.Errorf("attestation = %+v", a)
			}
		})
	}
}

// TestKeyTypes: the key types cosign generates or imports verify with
// the verifier cosign uses for them.
func TestKeyTypes(t *testing.T) {
	p := statement(PredicateSPDX, `{"spdxVersion":"SPDX-2.3"}`)
	for name, gen := range map[string]func(*testing.T) (signer, crypto.PublicKey){"ecdsa-p256": ecdsaKey, "ed25519": ed25519Key, "rsa": rsaKey} {
		t.Run(name, func(t *testing.T) {
			sign, pub := gen(t)
			a, err := Verify(context.Background(), envelope(payloadTypeInToto, p, sign(pae(payloadTypeInToto, p))), Options{Key: writeKey(t, pub)})
			if err != nil {
				t.Fatal(err)
			}
			if a.Format() != "spdx" || string(a.SBOM) != `{"spdxVersion":"SPDX-2.3"}` {
				t.Errorf("attestation = %+v", a)
			}
		})
	}
}

func TestVerifyFileErrorsNameTheFile(t *testing.T) {
	sign, pub := ecdsaKey(t)
	key := writeKey(t, pub)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.sigstore.json")
	good := statement(PredicateCycloneDX, testSBOM)
	os.WriteFile(bad, envelope(payloadTypeInToto, good, sign(pae(payloadTypeInToto, []byte("x")))), 0o600)
	notKey := filepath.Join(dir, "not.pub")
	os.WriteFile(notKey, []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), 0o600)
	for _, tt := range []struct {
		name, path string
		opts       Options
		want       string
	}{
		{"bad signature", bad, Options{Key: key}, "attestation " + bad + ": attestation refused: signature not verified"},
		{"missing file", filepath.Join(dir, "missing.json"), Options{Key: key}, "attestation " + filepath.Join(dir, "missing.json") + ": open"},
		{"directory", dir, Options{Key: key}, "not a regular file"},
		{"not a key", bad, Options{Key: notKey}, "--key " + notKey + ": not a PEM public key"},
		{"bad trusted root", bad, Options{TrustedRoot: notKey, CertificateIdentity: "a@example.com", CertificateOIDCIssuer: "https://issuer"}, "--trusted-root " + notKey + ": not a Sigstore trusted root"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := VerifyFile(context.Background(), tt.path, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("err = %v; want one line containing %q", err, tt.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	for _, tt := range []struct {
		o    Options
		want string
	}{
		{Options{Key: "k"}, ""},
		{Options{TrustedRoot: "r", CertificateIdentity: "i", CertificateOIDCIssuer: "o"}, ""},
		{Options{}, ""},
		{Options{Key: "k", TrustedRoot: "r"}, "not both"},
		{Options{TrustedRoot: "r"}, "together"},
		{Options{CertificateIdentity: "i", CertificateOIDCIssuer: "o"}, "together"},
		{Options{SubjectDigest: imageDigest}, "needs --key"},
		{Options{Key: "k", SubjectDigest: "sha256:abc"}, "--subject-digest"},
		{Options{Key: "k", SubjectDigest: "md5:" + hex.EncodeToString(make([]byte, 16))}, "--subject-digest"},
	} {
		err := tt.o.Validate()
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%+v: err = %v; want %q", tt.o, err, tt.want)
		}
	}
}

// FuzzParse: no input makes the bundle/envelope reader or the statement
// reader panic.
func FuzzParse(f *testing.F) {
	good := statement(PredicateCycloneDX, testSBOM)
	f.Add(envelope(payloadTypeInToto, good, []byte("sig")))
	f.Add(sigstoreBundle(payloadTypeInToto, good, []byte("sig")))
	f.Add([]byte(`{"mediaType":"application/vnd.dev.sigstore.bundle+json;version=0.1"}`))
	f.Add(good)
	f.Fuzz(func(t *testing.T, data []byte) {
		if b, err := Parse(data); err == nil && b == nil {
			t.Fatal("nil bundle without error")
		}
		_, _ = readStatement(data)
	})
}
