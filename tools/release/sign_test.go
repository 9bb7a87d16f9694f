package main

import (
	"bytes"
	"crypto"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/clearsign"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

type testSigningKey struct {
	path  string // armored private key, passphrase-protected
	ring  openpgp.EntityList
	entit *openpgp.Entity
}

const testPassphrase = "correct horse"

// testKey makes a passphrase-protected RSA key and sets
// TRAWL_SIGN_PASSPHRASE for the test.
func testKey(t *testing.T) testSigningKey {
	t.Helper()
	cfg := &packet.Config{RSABits: 2048, DefaultHash: crypto.SHA256, Time: func() time.Time { return time.Now().Add(-time.Hour) }}
	e, err := openpgp.NewEntity("trawl test", "", "test@trawl.invalid", cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.EncryptPrivateKeys([]byte(testPassphrase), cfg); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w, err := armor.Encode(&b, openpgp.PrivateKeyType, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.SerializePrivateWithoutSigning(w, cfg); err != nil {
		t.Fatal(err)
	}
	w.Close()
	p := filepath.Join(t.TempDir(), "key.asc")
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(passphraseEnv, testPassphrase)
	return testSigningKey{path: p, ring: openpgp.EntityList{e}, entit: e}
}

func TestLoadSignerErrors(t *testing.T) {
	key := testKey(t)
	pub := filepath.Join(t.TempDir(), "pub.asc")
	s, err := loadSigner(key.path, testPassphrase, time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	// A date before the key existed signs at the key's creation.
	if !s.when.Equal(key.entit.PrimaryKey.CreationTime) {
		t.Errorf("signing time %v; want the key's creation %v", s.when, key.entit.PrimaryKey.CreationTime)
	}
	if err := s.writePublicKey(pub); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(t.TempDir(), "garbage.asc")
	os.WriteFile(garbage, []byte("not a key"), 0o600)
	for _, c := range []struct{ name, path, pass, want string }{
		{"missing file", filepath.Join(t.TempDir(), "none.asc"), "", "no such file"},
		{"not a key", garbage, "", "not an armored OpenPGP key"},
		{"public key only", pub, "", "holds no private key"},
		{"no passphrase", key.path, "", "set " + passphraseEnv},
		{"wrong passphrase", key.path, "wrong", "--sign-key " + key.path},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadSigner(c.path, c.pass, time.Now())
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v; want it to mention %q", err, c.want)
			}
		})
	}
}

// checkSignatures verifies what --sign-key produced in a snapshot: the
// exported public key, apt's InRelease and Release.gpg, yum's
// repomd.xml.asc and the .rpm's header signature, with the OpenPGP library
// and, where installed, with gpgv and rpm themselves.
func checkSignatures(t *testing.T, key testSigningKey, out, rpmPath string) {
	t.Helper()
	pub, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(mustRead(t, filepath.Join(out, publicKeyFile))))
	if err != nil || len(pub) != 1 || pub[0].PrivateKey != nil ||
		pub[0].PrimaryKey.Fingerprint == nil || !bytes.Equal(pub[0].PrimaryKey.Fingerprint, key.entit.PrimaryKey.Fingerprint) {
		t.Fatalf("%s: %v: want the signing key's public half only", publicKeyFile, err)
	}
	dists := filepath.Join(out, "apt", "dists", aptSuite)
	release := mustRead(t, filepath.Join(dists, "Release"))
	block, rest := clearsign.Decode(mustRead(t, filepath.Join(dists, "InRelease")))
	if block == nil || len(bytes.TrimSpace(rest)) != 0 {
		t.Fatal("InRelease: not one clear-signed message")
	}
	if !bytes.Equal(bytes.TrimRight(block.Plaintext, "\n"), bytes.TrimRight(release, "\n")) {
		t.Error("InRelease: signed text differs from Release")
	}
	if _, err := block.VerifySignature(pub, nil); err != nil {
		t.Errorf("InRelease: %v", err)
	}
	detached := func(file, sig string) {
		if _, err := openpgp.CheckArmoredDetachedSignature(pub, bytes.NewReader(mustRead(t, file)), bytes.NewReader(mustRead(t, sig)), nil); err != nil {
			t.Errorf("%s: %v", sig, err)
		}
	}
	detached(filepath.Join(dists, "Release"), filepath.Join(dists, "Release.gpg"))
	repomd := filepath.Join(out, "rpm", "x86_64", "repodata", "repomd.xml")
	detached(repomd, repomd+".asc")
	// A changed index no longer verifies.
	if _, err := openpgp.CheckArmoredDetachedSignature(pub, bytes.NewReader(append(release, '\n')),
		bytes.NewReader(mustRead(t, filepath.Join(dists, "Release.gpg"))), nil); err == nil {
		t.Error("Release.gpg verifies a modified Release")
	}

	// The .rpm: the signature header's RSA tag (268) signs the main header.
	b := mustRead(t, rpmPath)
	start, end, err := rpmHeaderRange(b)
	if err != nil {
		t.Fatal(err)
	}
	sig := rpmSigTag(t, b, 268)
	if sig == nil {
		t.Fatal("rpm: no RSA header signature (tag 268)")
	}
	if _, err := openpgp.CheckDetachedSignature(pub, bytes.NewReader(b[start:end]), bytes.NewReader(sig), nil); err != nil {
		t.Errorf("rpm header signature: %v", err)
	}

	// The tools users run, where this machine has them.
	tmp := t.TempDir()
	var ring bytes.Buffer
	if err := pub[0].Serialize(&ring); err != nil {
		t.Fatal(err)
	}
	keyring := filepath.Join(tmp, "trawl.gpg")
	os.WriteFile(keyring, ring.Bytes(), 0o644)
	if gpgv, err := exec.LookPath("gpgv"); err == nil {
		for _, args := range [][]string{
			{filepath.Join(dists, "InRelease")},
			{filepath.Join(dists, "Release.gpg"), filepath.Join(dists, "Release")},
			{repomd + ".asc", repomd},
		} {
			cmd := exec.Command(gpgv, append([]string{"--homedir", tmp, "--keyring", keyring}, args...)...)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("gpgv %s: %v\n%s", args[0], err, out)
			}
		}
	}
	if rpmBin, err := exec.LookPath("rpm"); err == nil {
		db := filepath.Join(tmp, "rpmdb")
		imp := exec.Command(rpmBin, "--dbpath", db, "--import", filepath.Join(out, publicKeyFile))
		if out, err := imp.CombinedOutput(); err != nil {
			t.Logf("rpm --import unavailable here (%v): %s", err, out)
		} else {
			out, err := exec.Command(rpmBin, "--dbpath", db, "-K", rpmPath).CombinedOutput()
			if err != nil || !strings.Contains(string(out), "signatures OK") {
				t.Errorf("rpm -K: %v\n%s", err, out)
			}
		}
	}
}

// rpmSigTag returns the BIN data of tag in an RPM's signature header.
func rpmSigTag(t *testing.T, b []byte, tag uint32) []byte {
	t.Helper()
	const off = 96
	n := int(binary.BigEndian.Uint32(b[off+8:]))
	store := off + 16 + 16*n
	for i := range n {
		e := b[off+16+16*i:]
		if binary.BigEndian.Uint32(e) != tag {
			continue
		}
		o, c := int(binary.BigEndian.Uint32(e[8:])), int(binary.BigEndian.Uint32(e[12:]))
		if store+o+c > len(b) {
			t.Fatalf("rpm: signature tag %d runs past the file", tag)
		}
		return b[store+o : store+o+c]
	}
	return nil
}
