// Package jsonpos reads JSON tokens with their line numbers, for parsers
// that report where in a lockfile each package was declared: LineIndex maps
// byte offsets to lines, Decoder is an encoding/json token reader that knows
// the lines of the values it decodes, and Locations finds the line ranges of
// the members of nested objects in one call.
package jsonpos

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/trawlsec/trawl/pkg/model"
)

// LineIndex maps byte offsets of a document to 1-based line numbers.
// Offsets must be asked for in non-decreasing order, so the document is
// scanned for newlines once; an offset below the last one asked for gets
// the last answer.
type LineIndex struct {
	data []byte
	off  int
	line int
}

// NewLineIndex returns a LineIndex of data.
func NewLineIndex(data []byte) *LineIndex { return &LineIndex{data: data, line: 1} }

// Line returns the line of the byte at offset off. Offsets past the end
// count as the end.
func (l *LineIndex) Line(off int) int {
	off = min(off, len(l.data))
	if off > l.off {
		l.line += bytes.Count(l.data[l.off:off], []byte{'\n'})
		l.off = off
	}
	return l.line
}

// Decoder is a JSON token reader that knows the lines of the values it
// decodes. Its errors give the byte offset where decoding stopped
// ("malformed JSON at byte 12: …").
type Decoder struct {
	dec   *json.Decoder
	data  []byte
	lines *LineIndex
}

// NewDecoder returns a Decoder reading data.
func NewDecoder(data []byte) *Decoder {
	return &Decoder{dec: json.NewDecoder(bytes.NewReader(data)), data: data, lines: NewLineIndex(data)}
}

// More reports whether the current array or object has another element.
func (d *Decoder) More() bool { return d.dec.More() }

// Token reads the next token (see json.Decoder.Token).
func (d *Decoder) Token() (json.Token, error) { return d.dec.Token() }

// Decode reads the next value into v (see json.Decoder.Decode). Its errors
// are encoding/json's, unwrapped.
func (d *Decoder) Decode(v any) error { return d.dec.Decode(v) }

// Offset returns the offset of the first byte not read yet.
func (d *Decoder) Offset() int { return int(d.dec.InputOffset()) }

// Line returns the line of the byte at offset off (see LineIndex.Line:
// offsets must not decrease from one call to the next).
func (d *Decoder) Line(off int) int { return d.lines.Line(off) }

// StartLine returns the line where the next value starts.
func (d *Decoder) StartLine() int { return d.lines.Line(d.ValueStart()) }

// EndLine returns the line of the last byte of the value just read.
func (d *Decoder) EndLine() int { return d.lines.Line(d.Offset() - 1) }

// Delim reads the next token, which must be a delimiter, and returns it.
func (d *Decoder) Delim() (json.Delim, error) {
	tok, err := d.dec.Token()
	if err != nil {
		return 0, fmt.Errorf("malformed JSON at byte %d: %w", d.dec.InputOffset(), err)
	}
	dl, ok := tok.(json.Delim)
	if !ok {
		return 0, fmt.Errorf("malformed JSON at byte %d: expected an object or array, found %v", d.dec.InputOffset(), tok)
	}
	return dl, nil
}

// Key reads the next token, which must be an object key.
func (d *Decoder) Key() (string, error) {
	tok, err := d.dec.Token()
	if err != nil {
		return "", fmt.Errorf("malformed JSON at byte %d: %w", d.dec.InputOffset(), err)
	}
	k, ok := tok.(string)
	if !ok {
		return "", fmt.Errorf("malformed JSON at byte %d: expected an object key, found %v", d.dec.InputOffset(), tok)
	}
	return k, nil
}

// Skip reads the next value and throws it away.
func (d *Decoder) Skip() error {
	var raw json.RawMessage
	if err := d.dec.Decode(&raw); err != nil {
		return fmt.Errorf("malformed JSON at byte %d: %w", d.dec.InputOffset(), err)
	}
	return nil
}

// ValueStart returns the offset of the next value: past blanks, colons and
// commas.
func (d *Decoder) ValueStart() int {
	off := d.Offset()
	for off < len(d.data) {
		switch d.data[off] {
		case ' ', '\t', '\r', '\n', ':', ',':
			off++
		default:
			return off
		}
	}
	return off
}

// Object reads the '{' that opens the document; name (the file's) starts
// its errors.
func (d *Decoder) Object(name string) error {
	dl, err := d.Delim()
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if dl != '{' {
		return fmt.Errorf("%s: not a JSON object", name)
	}
	return nil
}

// End reads the '}' that closes an object.
func (d *Decoder) End() error {
	dl, err := d.Delim()
	if err != nil {
		return err
	}
	if dl != '}' {
		return fmt.Errorf("malformed JSON at byte %d: expected '}'", d.dec.InputOffset())
	}
	return nil
}

// Array decodes the elements of the array that starts at the next token,
// each with the line range it spans (locs[i] is the range of out[i]). A
// null is an empty array. elem names an element in errors ("package 2
// (line 14): …").
func Array[T any](d *Decoder, elem string) (out []T, locs []model.Location, err error) {
	off := d.ValueStart()
	if off < len(d.data) && d.data[off] == 'n' {
		return nil, nil, d.Skip()
	}
	dl, err := d.Delim()
	if err != nil {
		return nil, nil, err
	}
	if dl != '[' {
		return nil, nil, fmt.Errorf("malformed JSON at byte %d: expected an array, found %v", d.dec.InputOffset(), dl)
	}
	for d.dec.More() {
		start := d.StartLine()
		var v T
		if err := d.dec.Decode(&v); err != nil {
			return nil, nil, fmt.Errorf("%s %d (line %d): %w", elem, len(out)+1, start, err)
		}
		out = append(out, v)
		locs = append(locs, model.Location{StartLine: start, EndLine: d.EndLine()})
	}
	if _, err := d.dec.Token(); err != nil {
		return nil, nil, fmt.Errorf("malformed JSON at byte %d: %w", d.dec.InputOffset(), err)
	}
	return out, locs, nil
}
