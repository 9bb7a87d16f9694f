package image

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// maxZstdWindow caps the zstd window (and so the decoder's memory) a
// hostile frame header can ask for; real encoders stay far below it.
const maxZstdWindow = 256 << 20

// Magic numbers of the compressed formats, as strings so they are constant.
const (
	gzipMagic = "\x1f\x8b"
	zstdMagic = "\x28\xb5\x2f\xfd"
)

// compressionOf names the compression of a stream from its first bytes:
// "gzip", "zstd" or "" (uncompressed, or unknown).
func compressionOf(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte(gzipMagic)):
		return "gzip"
	case bytes.HasPrefix(b, []byte(zstdMagic)):
		return "zstd"
	}
	return ""
}

// digester hashes a stream for one "alg:hex" digest.
type digester struct {
	want string // "sha256:<hex>"
	h    hash.Hash
}

// newDigester returns a digester for a well-formed sha256 or sha512 digest,
// or an error for anything else.
func newDigester(digest string) (*digester, error) {
	alg, hexPart, ok := cutDigest(digest)
	if !ok {
		return nil, fmt.Errorf("%w: %q is not a sha256 or sha512 digest", ErrCorrupt, digest)
	}
	d := &digester{want: alg + ":" + hexPart}
	if alg == "sha512" {
		d.h = sha512.New()
	} else {
		d.h = sha256.New()
	}
	return d, nil
}

// cutDigest splits a well-formed digest; only sha256 and sha512 with
// lower-case hex of the right length are accepted.
func cutDigest(digest string) (alg, hexPart string, ok bool) {
	for _, a := range []struct {
		alg string
		n   int
	}{{"sha256", 64}, {"sha512", 128}} {
		prefix := a.alg + ":"
		if len(digest) == len(prefix)+a.n && digest[:len(prefix)] == prefix {
			h := digest[len(prefix):]
			if len(bytes.Trim([]byte(h), "0123456789abcdef")) == 0 {
				return a.alg, h, true
			}
		}
	}
	return "", "", false
}

func (d *digester) got() string {
	alg, _, _ := cutDigest(d.want)
	return alg + ":" + hex.EncodeToString(d.h.Sum(nil))
}

// blobCheck is what a source knows about a stored layer blob and wants
// verified as it is read: its digest and/or its size.
type blobCheck struct {
	digest string // "" when the source names no blob digest
	size   int64  // < 0 when unknown
}

// verifiedBlob counts and hashes the stored (possibly compressed) bytes of
// a layer and checks them at EOF against what the manifest said.
type verifiedBlob struct {
	r    io.Reader
	what string
	d    *digester // nil: no digest to check
	size int64     // < 0: no size to check
	n    int64
	err  error // sticky verification error
}

func (v *verifiedBlob) Read(p []byte) (int, error) {
	if v.err != nil {
		return 0, v.err
	}
	if v.size >= 0 && int64(len(p)) > v.size-v.n+1 {
		// Never read more than one byte past the declared size.
		p = p[:v.size-v.n+1]
	}
	n, err := v.r.Read(p)
	v.n += int64(n)
	if v.d != nil {
		v.d.h.Write(p[:n])
	}
	if v.size >= 0 && v.n > v.size {
		v.err = fmt.Errorf("%s: %w: blob is larger than the %d bytes its descriptor says", v.what, ErrCorrupt, v.size)
		return n, v.err
	}
	if err == io.EOF {
		if v.size >= 0 && v.n != v.size {
			v.err = fmt.Errorf("%s: %w: blob has %d bytes, its descriptor says %d", v.what, ErrCorrupt, v.n, v.size)
			return n, v.err
		}
		if v.d != nil {
			if got := v.d.got(); got != v.d.want {
				v.err = fmt.Errorf("%s: %w: blob digest %s does not match the manifest's %s", v.what, ErrCorrupt, got, v.d.want)
				return n, v.err
			}
		}
	}
	return n, err
}

// uncompress wraps a stored layer blob in the decompressor its magic bytes
// call for (gzip, zstd or none), whatever its media type or file name says.
// what names the layer in errors. The uncompressed bytes are hashed and
// checked against diffID, and the stored bytes against blob, when the
// stream reaches EOF: the caller must read to EOF (past the tar's end
// blocks) before trusting what it read.
func uncompress(rc io.ReadCloser, what, diffID string, blob blobCheck) (io.ReadCloser, error) {
	dd, err := newDigester(diffID)
	if err != nil {
		rc.Close()
		return nil, fmt.Errorf("%s: diff_id: %w", what, err)
	}
	var stored io.Reader = rc
	if blob.digest != "" || blob.size >= 0 {
		vb := &verifiedBlob{r: rc, what: what, size: blob.size}
		if blob.digest != "" {
			if vb.d, err = newDigester(blob.digest); err != nil {
				rc.Close()
				return nil, fmt.Errorf("%s: %w", what, err)
			}
		}
		stored = vb
	}
	br := bufio.NewReaderSize(stored, 64<<10)
	magic, _ := br.Peek(4)
	out := &layerReader{what: what, raw: br, closers: []func() error{rc.Close}, d: dd}
	switch compressionOf(magic) {
	case "gzip":
		zr, err := gzip.NewReader(br)
		if err != nil {
			rc.Close()
			return nil, fmt.Errorf("%s: %w: gzip: %w", what, ErrCorrupt, err)
		}
		out.r = zr
		out.closers = append(out.closers, zr.Close)
	case "zstd":
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true), zstd.WithDecoderMaxWindow(maxZstdWindow))
		if err != nil {
			rc.Close()
			return nil, fmt.Errorf("%s: %w: zstd: %w", what, ErrCorrupt, err)
		}
		out.r = zr
		out.closers = append(out.closers, func() error { zr.Close(); return nil })
	default:
		out.r = br
		out.raw = nil // the stored stream is the uncompressed one
		if vb, ok := stored.(*verifiedBlob); ok && vb.d != nil && vb.d.want == dd.want {
			vb.d = nil // one digest over the same bytes is enough
		}
	}
	return out, nil
}

// layerReader is an uncompressed layer stream: it names the layer in read
// errors, reports truncation as ErrCorrupt, and at EOF verifies the diffID
// and, by reading what is left of the stored blob, the blob's digest and
// size. Only a stream that returned io.EOF has been verified.
type layerReader struct {
	what    string
	r       io.Reader // uncompressed
	raw     io.Reader // stored bytes, when compressed: drained at EOF
	d       *digester
	closers []func() error
	done    bool
	err     error
}

func (l *layerReader) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if l.done {
		return 0, io.EOF
	}
	n, err := l.r.Read(p)
	if n > 0 {
		l.d.h.Write(p[:n])
	}
	switch {
	case err == nil:
		return n, nil
	case err == io.EOF:
		if got := l.d.got(); got != l.d.want {
			l.err = fmt.Errorf("%s: %w: content digest %s does not match diffID %s", l.what, ErrCorrupt, got, l.d.want)
			return n, l.err
		}
		if l.raw != nil {
			// Data after the compressed stream's end still counts toward
			// the blob's digest and size.
			if _, err := io.Copy(io.Discard, l.raw); err != nil {
				l.err = l.classify(err)
				return n, l.err
			}
		}
		l.done = true
		return n, io.EOF
	default:
		l.err = l.classify(err)
		return n, l.err
	}
}

func (l *layerReader) classify(err error) error {
	switch {
	case errors.Is(err, ErrCorrupt):
		return err
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%s: %w: truncated layer: %w", l.what, ErrCorrupt, err)
	case errors.Is(err, gzip.ErrChecksum), errors.Is(err, gzip.ErrHeader):
		return fmt.Errorf("%s: %w: %w", l.what, ErrCorrupt, err)
	default:
		return fmt.Errorf("%s: %w", l.what, err)
	}
}

func (l *layerReader) Close() error {
	var errs []error
	for i := len(l.closers) - 1; i >= 0; i-- {
		errs = append(errs, l.closers[i]())
	}
	l.closers = nil
	return errors.Join(errs...)
}
