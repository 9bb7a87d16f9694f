// Package exe recognises executable file formats by their first bytes.
package exe

import "bytes"

// HasMagic reports whether head (the first bytes of a file, at least four)
// starts like an ELF, PE ("MZ") or thin Mach-O file. It is the cheap test
// binary analyzers run before any real parsing.
func HasMagic(head []byte) bool {
	switch {
	case bytes.HasPrefix(head, []byte("\x7fELF")):
		return true
	case bytes.HasPrefix(head, []byte("MZ")):
		return true
	case len(head) >= 4:
		switch string(head[:4]) {
		case "\xfe\xed\xfa\xce", "\xfe\xed\xfa\xcf", "\xce\xfa\xed\xfe", "\xcf\xfa\xed\xfe":
			return true
		}
	}
	return false
}
