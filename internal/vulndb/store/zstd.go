package store

import (
	"encoding/binary"
	"sync"

	"github.com/klauspost/compress/zstd"

	"github.com/trawlsec/trawl/internal/vulndb/osv"
)

// Formats of a vuln value (the first byte).
const (
	vulnPlain = 0
	vulnZstd  = 1
)

// Details values shorter than this are stored as is: zstd's frame overhead
// eats the gain.
const minCompress = 128

// maxVulnValue caps the declared uncompressed size of a vuln value, so that
// a damaged database cannot make a lookup allocate without bound.
const maxVulnValue = 16 << 20

var (
	zstdEncoder = sync.OnceValue(func() *zstd.Encoder {
		e, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithEncoderLevel(zstd.SpeedDefault))
		if err != nil {
			panic(err) // options are constant
		}
		return e
	})
	zstdDecoder = sync.OnceValue(func() *zstd.Decoder {
		d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(maxVulnValue))
		if err != nil {
			panic(err) // options are constant
		}
		return d
	})
)

// encodeVuln encodes the vuln value of v (without Affected), compressed
// when that makes it smaller.
func encodeVuln(v *osv.Vulnerability) ([]byte, error) {
	raw, err := encodeVulnFields(v)
	if err != nil {
		return nil, err
	}
	if len(raw) >= minCompress {
		out := binary.AppendUvarint([]byte{vulnZstd}, uint64(len(raw)))
		out = zstdEncoder().EncodeAll(raw, out)
		if len(out) < len(raw)+1 {
			return out, nil
		}
	}
	return append([]byte{vulnPlain}, raw...), nil
}

// decodeVuln decodes a vuln value copied into s.
func decodeVuln(s string) (*osv.Vulnerability, error) {
	if s == "" {
		return nil, errCorrupt
	}
	switch s[0] {
	case vulnPlain:
		return decodeVulnFields(s[1:])
	case vulnZstd:
		n, k := binary.Uvarint([]byte(s[1:min(len(s), 1+binary.MaxVarintLen64)]))
		if k <= 0 || n > maxVulnValue {
			return nil, errCorrupt
		}
		raw, err := zstdDecoder().DecodeAll([]byte(s[1+k:]), make([]byte, 0, n))
		if err != nil || uint64(len(raw)) != n {
			return nil, errCorrupt
		}
		return decodeVulnFields(string(raw))
	}
	return nil, errCorrupt
}
