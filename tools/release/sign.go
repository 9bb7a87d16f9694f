package main

import (
	"bytes"
	"crypto"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/clearsign"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"go.digitalxero.dev/rpm"
)

// passphraseEnv names the variable holding --sign-key's passphrase (never a
// flag: it would show in the process list and the shell history).
const passphraseEnv = "TRAWL_SIGN_PASSPHRASE"

// publicKeyFile is the exported public key, at the root of --out, that
// users install (docs/releasing.md).
const publicKeyFile = "trawl-archive-key.asc"

// signer signs the apt and yum indices and the .rpm packages with one
// OpenPGP key. Signatures carry the release's date (the commit's time, or
// the key's creation when that is later), so a rerun with an RSA key
// writes the same bytes.
type signer struct {
	key     *openpgp.Entity
	armored []byte
	pass    string
	when    time.Time
	rsa     bool // deterministic signatures (no salt notation): RSA only
}

func loadSigner(path, pass string, date time.Time) (*signer, error) {
	armored, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--sign-key: %w", err)
	}
	ring, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(armored))
	if err != nil {
		return nil, fmt.Errorf("--sign-key %s: not an armored OpenPGP key: %w", path, err)
	}
	var key *openpgp.Entity
	for _, e := range ring {
		if e.PrivateKey != nil {
			key = e
			break
		}
	}
	if key == nil {
		return nil, fmt.Errorf("--sign-key %s: holds no private key", path)
	}
	if key.PrivateKey.Encrypted {
		if pass == "" {
			return nil, fmt.Errorf("--sign-key %s: the key is passphrase-protected; set %s", path, passphraseEnv)
		}
		if err := key.DecryptPrivateKeys([]byte(pass)); err != nil {
			return nil, fmt.Errorf("--sign-key %s: %w", path, err)
		}
	}
	when := date
	if c := key.PrimaryKey.CreationTime; when.Before(c) {
		when = c
	}
	sk, ok := key.SigningKey(when)
	if !ok {
		return nil, fmt.Errorf("--sign-key %s: no valid signing key at %s (expired or revoked?)", path, when.Format(time.RFC3339))
	}
	algo := sk.PublicKey.PubKeyAlgo
	rsa := algo == packet.PubKeyAlgoRSA || algo == packet.PubKeyAlgoRSASignOnly
	return &signer{key: key, armored: armored, pass: pass, when: when, rsa: rsa}, nil
}

// config signs with SHA-256 at the release's time. go-crypto salts every
// signature by default (a notation with random bytes), which protects EdDSA
// keys against fault attacks; RSA PKCS#1 v1.5 signatures need no salt, so
// with an RSA key the salt is left out and reruns sign identically.
func (s *signer) config() *packet.Config {
	salt := !s.rsa
	return &packet.Config{DefaultHash: crypto.SHA256, Time: func() time.Time { return s.when },
		NonDeterministicSignaturesViaNotation: &salt}
}

// detachSign writes an armored detached signature of file to sigPath.
func (s *signer) detachSign(file, sigPath string) error {
	msg, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var sig bytes.Buffer
	if err := openpgp.ArmoredDetachSign(&sig, s.key, bytes.NewReader(msg), s.config()); err != nil {
		return fmt.Errorf("signing %s: %w", file, err)
	}
	return os.WriteFile(sigPath, sig.Bytes(), 0o644)
}

// clearSign writes file clear-signed (apt's InRelease) to outPath.
func (s *signer) clearSign(file, outPath string) error {
	msg, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	key, ok := s.key.SigningKey(s.when)
	if !ok {
		return errors.New("no signing key")
	}
	var out bytes.Buffer
	w, err := clearsign.Encode(&out, key.PrivateKey, s.config())
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("signing %s: %w", file, err)
	}
	return os.WriteFile(outPath, out.Bytes(), 0o644)
}

// writePublicKey exports the public key, armored, to path.
func (s *signer) writePublicKey(path string) error {
	var out bytes.Buffer
	w, err := armor.Encode(&out, openpgp.PublicKeyType, nil)
	if err != nil {
		return err
	}
	if err := s.key.Serialize(w); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, out.Bytes(), 0o644)
}

// rpmSigner signs a package's header and header+payload, as rpmsign does.
func (s *signer) rpmSigner() (rpm.Signer, error) {
	b := rpm.NewSigner().WithArmoredKey(s.armored).WithSigningTime(s.when)
	if s.pass != "" {
		b = b.WithPassphrase(s.pass)
	}
	return b.Build()
}

// signRepos signs the indices writeAptRepo and writeYumRepos wrote:
// dists/stable/InRelease and Release.gpg, each rpm/<arch>/repodata/
// repomd.xml.asc; and exports the public key to the root of --out.
func (s *signer) signRepos(c *config, yumArches []string) error {
	dists := filepath.Join(c.Out, "apt", "dists", aptSuite)
	release := filepath.Join(dists, "Release")
	if err := s.clearSign(release, filepath.Join(dists, "InRelease")); err != nil {
		return err
	}
	if err := s.detachSign(release, filepath.Join(dists, "Release.gpg")); err != nil {
		return err
	}
	for _, arch := range yumArches {
		repomd := filepath.Join(c.Out, "rpm", arch, "repodata", "repomd.xml")
		if err := s.detachSign(repomd, repomd+".asc"); err != nil {
			return err
		}
	}
	return nil
}
