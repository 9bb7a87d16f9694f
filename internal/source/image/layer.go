package image

import (
	"bufio"
	"bytes"
	"crypto/sha256"
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

// uncompress wraps a stored layer blob in the decompressor its magic bytes
// call for (gzip, zstd or none), whatever its media type or file name says.
// what names the layer in errors. When diffID is a sha256 digest, the
// uncompressed bytes are hashed and checked against it at EOF.
func uncompress(rc io.ReadCloser, what, diffID string) (io.ReadCloser, error) {
	br := bufio.NewReaderSize(rc, 64<<10)
	magic, _ := br.Peek(4)
	out := &layerReader{what: what, closers: []func() error{rc.Close}}
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
	}
	if len(diffID) == len("sha256:")+64 && diffID[:7] == "sha256:" {
		out.want = diffID[7:]
		out.h = sha256.New()
	}
	return out, nil
}

// layerReader is an uncompressed layer stream: it names the layer in read
// errors, reports truncation as ErrCorrupt, and verifies the diffID at EOF.
type layerReader struct {
	what    string
	r       io.Reader
	h       hash.Hash
	want    string
	closers []func() error
	done    bool
}

func (l *layerReader) Read(p []byte) (int, error) {
	if l.done {
		return 0, io.EOF
	}
	n, err := l.r.Read(p)
	if l.h != nil && n > 0 {
		l.h.Write(p[:n])
	}
	switch {
	case err == nil:
		return n, nil
	case err == io.EOF:
		l.done = true
		if l.h != nil {
			if got := hex.EncodeToString(l.h.Sum(nil)); got != l.want {
				return n, fmt.Errorf("%s: %w: content digest sha256:%s does not match diffID sha256:%s", l.what, ErrCorrupt, got, l.want)
			}
		}
		return n, io.EOF
	case errors.Is(err, io.ErrUnexpectedEOF):
		return n, fmt.Errorf("%s: %w: truncated layer: %w", l.what, ErrCorrupt, err)
	case errors.Is(err, gzip.ErrChecksum), errors.Is(err, gzip.ErrHeader):
		return n, fmt.Errorf("%s: %w: %w", l.what, ErrCorrupt, err)
	default:
		return n, fmt.Errorf("%s: %w", l.what, err)
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
