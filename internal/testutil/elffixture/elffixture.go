// Package elffixture builds minimal ELF executables for tests of binary
// parsers. It is for tests only: nothing outside _test.go files imports it.
package elffixture

import "encoding/binary"

// Make writes a minimal little-endian ELF64 executable with one PT_LOAD
// segment holding section name (e.g. ".go.buildinfo") with content data,
// padded with zeros to at least minSize bytes.
func Make(name string, data []byte, minSize int) []byte {
	const (
		ehSize  = 64
		phSize  = 56
		shSize  = 64
		dataOff = 128
		vaddr   = 0x500000
	)
	le := binary.LittleEndian
	shstr := "\x00.shstrtab\x00" + name + "\x00"
	strOff := dataOff + len(data)
	shOff := (strOff + len(shstr) + 7) &^ 7
	out := make([]byte, shOff+3*shSize)

	copy(out, "\x7fELF")
	out[4], out[5], out[6] = 2, 1, 1 // ELFCLASS64, little endian, version
	le.PutUint16(out[16:], 2)        // ET_EXEC
	le.PutUint16(out[18:], 62)       // EM_X86_64
	le.PutUint32(out[20:], 1)
	le.PutUint64(out[32:], ehSize) // phoff
	le.PutUint64(out[40:], uint64(shOff))
	le.PutUint16(out[52:], ehSize)
	le.PutUint16(out[54:], phSize)
	le.PutUint16(out[56:], 1) // phnum
	le.PutUint16(out[58:], shSize)
	le.PutUint16(out[60:], 3) // shnum
	le.PutUint16(out[62:], 1) // shstrndx

	ph := out[ehSize:]
	le.PutUint32(ph[0:], 1)   // PT_LOAD
	le.PutUint32(ph[4:], 4|2) // PF_R|PF_W
	le.PutUint64(ph[8:], dataOff)
	le.PutUint64(ph[16:], vaddr)
	le.PutUint64(ph[24:], vaddr)
	le.PutUint64(ph[32:], uint64(len(data)))
	le.PutUint64(ph[40:], uint64(len(data)))
	le.PutUint64(ph[48:], 16)

	copy(out[dataOff:], data)
	copy(out[strOff:], shstr)

	sh := out[shOff+shSize:] // section 1: .shstrtab
	le.PutUint32(sh[0:], 1)
	le.PutUint32(sh[4:], 3) // SHT_STRTAB
	le.PutUint64(sh[24:], uint64(strOff))
	le.PutUint64(sh[32:], uint64(len(shstr)))
	le.PutUint64(sh[48:], 1)

	sh = out[shOff+2*shSize:] // section 2: the payload
	le.PutUint32(sh[0:], 11)
	le.PutUint32(sh[4:], 1) // SHT_PROGBITS
	le.PutUint64(sh[8:], 3) // SHF_WRITE|SHF_ALLOC
	le.PutUint64(sh[16:], vaddr)
	le.PutUint64(sh[24:], dataOff)
	le.PutUint64(sh[32:], uint64(len(data)))
	le.PutUint64(sh[48:], 16)

	if len(out) < minSize {
		out = append(out, make([]byte, minSize-len(out))...)
	}
	return out
}
