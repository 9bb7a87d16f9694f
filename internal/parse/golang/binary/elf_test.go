package binary

import (
	"bytes"
	"encoding/binary"
	"runtime/debug"
)

// Sentinels the go command wraps the modinfo string in (see
// cmd/go/internal/modload.ModInfoData); debug/buildinfo strips them.
const (
	infoStart = "0w\xaf\x0c\x92t\x08\x02A\xe1\xc1\x07\xe6\xd6\x18\xe6"
	infoEnd   = "\xf92C1\x86\x18 r\x00\x82B\x10A\x16\xd8\xf2"
)

// buildInfoBlob encodes bi the way go1.18+ linkers write the .go.buildinfo
// section: a 32-byte header with inline-string flag, then the varint-prefixed
// toolchain version and modinfo strings.
func buildInfoBlob(bi *debug.BuildInfo) []byte {
	var b bytes.Buffer
	b.WriteString("\xff Go buildinf:")
	b.WriteByte(8)   // pointer size
	b.WriteByte(0x2) // little endian, inline strings
	b.Write(make([]byte, 16))
	putString := func(s string) {
		b.Write(binary.AppendUvarint(nil, uint64(len(s))))
		b.WriteString(s)
	}
	putString(bi.GoVersion)
	mod := bi.String()
	// bi.String starts with "go\t<version>\n", which the linker does not store.
	if i := bytes.IndexByte([]byte(mod), '\n'); i >= 0 {
		mod = mod[i+1:]
	}
	putString(infoStart + mod + infoEnd)
	return b.Bytes()
}
