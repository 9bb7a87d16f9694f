package app

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/klauspost/compress/zstd"

	"github.com/trawlsec/trawl/internal/apply"
	"github.com/trawlsec/trawl/internal/scan"
	"github.com/trawlsec/trawl/pkg/model"
)

// TargetExport is a container's root filesystem as one tar ("docker
// export" output, plain or compressed with gzip or zstd). It is analysed
// as an image of one layer, with the root filesystem's analyzers; it has
// no layer to cache.
const TargetExport = "export"

// OpenExport opens a root-filesystem tar and returns its uncompressed
// stream (gzip and zstd are recognised by their magic bytes).
func OpenExport(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(f, 64<<10)
	head, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: gzip: %w", path, err)
		}
		return readCloser{zr, func() error { zr.Close(); return f.Close() }}, nil
	case bytes.HasPrefix(head, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1))
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: zstd: %w", path, err)
		}
		return readCloser{zr, func() error { zr.Close(); return f.Close() }}, nil
	}
	return readCloser{br, f.Close}, nil
}

type readCloser struct {
	io.Reader
	close func() error
}

func (r readCloser) Close() error { return r.close() }

// scanExport analyses a root-filesystem tar as one layer.
func scanExport(ctx context.Context, o *Options, sopts scan.Options, rep *model.Report) (*apply.Inventory, error) {
	rep.ArtifactType = model.ArtifactFilesystem
	sopts.Cache = nil
	layer := scan.Layer{Open: func() (io.ReadCloser, error) { return OpenExport(o.Arg) }}
	inv, err := scan.Layers(ctx, []scan.Layer{layer}, sopts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", o.Arg, err)
	}
	return inv, nil
}

// WriteTo runs write on stdout (toStdout true) or on path, replacing a
// regular file atomically, as WriteOutput does for reports.
func WriteTo(path string, stdout io.Writer, write func(w io.Writer, toStdout bool) error) error {
	return writeTo(path, stdout, write)
}
