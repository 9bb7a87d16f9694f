package npm

import "bytes"

// lineIndex maps byte offsets of a document to 1-based line numbers. Offsets
// must be asked for in non-decreasing order, so the whole document is scanned
// for newlines once.
type lineIndex struct {
	data []byte
	off  int
	line int
}

func newLineIndex(data []byte) *lineIndex { return &lineIndex{data: data, line: 1} }

// lineAt returns the line of the byte at offset off.
func (l *lineIndex) lineAt(off int) int {
	if off > len(l.data) {
		off = len(l.data)
	}
	if off > l.off {
		l.line += bytes.Count(l.data[l.off:off], []byte{'\n'})
		l.off = off
	}
	return l.line
}

// valueStart returns the offset of the first byte of the JSON value that
// follows an object key ending at off (it skips blanks and the colon).
func valueStart(data []byte, off int) int {
	for off < len(data) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ':':
			off++
		default:
			return off
		}
	}
	return off
}
