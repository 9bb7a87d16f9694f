package walk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// failAtEOF returns its data and then, instead of io.EOF, err — as an image
// source does when the layer's digest does not match at the end.
type failAtEOF struct {
	r    io.Reader
	err  error
	read int
}

func (f *failAtEOF) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	f.read += n
	if err == io.EOF {
		return n, f.err
	}
	return n, err
}

// TestTarReadsToTheEnd: the walker reads past the tar's end blocks, so an
// error the source reports only at EOF (a digest mismatch) fails the walk,
// even with padding or junk after the end blocks.
func TestTarReadsToTheEnd(t *testing.T) {
	mismatch := errors.New("content digest sha256:aaa does not match diffID sha256:bbb")
	data := tarball(t, []entry{{name: "etc/os-release", body: "ID=x\n"}})
	for name, stream := range map[string][]byte{
		"plain":        data,
		"padded":       append(bytes.Clone(data), make([]byte, 8192)...),
		"junk after":   append(bytes.Clone(data), []byte("appended by an attacker")...),
		"only the end": make([]byte, 1024),
	} {
		t.Run(name, func(t *testing.T) {
			src := &failAtEOF{r: bytes.NewReader(stream), err: mismatch}
			_, err := New(nil, Options{}).Tar(context.Background(), src)
			if !errors.Is(err, mismatch) {
				t.Fatalf("Tar = %v, want the source's EOF error", err)
			}
			if src.read != len(stream) {
				t.Errorf("read %d of %d bytes", src.read, len(stream))
			}
		})
	}
	// With a clean EOF the same streams walk fine.
	if _, err := New(nil, Options{}).Tar(context.Background(), bytes.NewReader(append(bytes.Clone(data), make([]byte, 8192)...))); err != nil {
		t.Fatal(err)
	}
}

// TestTarEntryLimit: a small layer of very many (empty) entries is refused
// once it passes MaxEntries instead of growing the file list without bound.
func TestTarEntryLimit(t *testing.T) {
	var es []entry
	for i := range 11 {
		es = append(es, entry{name: fmt.Sprintf("d/%d", i)})
	}
	data := tarball(t, es)
	_, err := New(nil, Options{MaxEntries: 10}).Tar(context.Background(), bytes.NewReader(data))
	if !errors.Is(err, ErrLayerTooManyEntries) || !strings.Contains(err.Error(), "10") {
		t.Fatalf("11 entries, limit 10: %v", err)
	}
	if _, err := New(nil, Options{MaxEntries: 11}).Tar(context.Background(), bytes.NewReader(data)); err != nil {
		t.Fatalf("11 entries, limit 11: %v", err)
	}
}
