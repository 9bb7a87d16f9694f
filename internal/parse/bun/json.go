package bun

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/trawlsec/trawl/pkg/model"
)

// lineIndex maps byte offsets, asked for in non-decreasing order, to 1-based
// line numbers.
type lineIndex struct {
	data []byte
	off  int
	line int
}

func (l *lineIndex) lineAt(off int) int {
	off = min(off, len(l.data))
	if off > l.off {
		l.line += bytes.Count(l.data[l.off:off], []byte{'\n'})
		l.off = off
	}
	return l.line
}

// decoder is a JSON token reader that knows the lines of the values it
// decodes.
type decoder struct {
	dec   *json.Decoder
	data  []byte
	lines *lineIndex
}

func newDecoder(data []byte) *decoder {
	return &decoder{dec: json.NewDecoder(bytes.NewReader(data)), data: data, lines: &lineIndex{data: data, line: 1}}
}

// delim reads the next token, which must be a delimiter, and returns it.
func (d *decoder) delim() (json.Delim, error) {
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

func (d *decoder) key() (string, error) {
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

func (d *decoder) skip() error {
	var raw json.RawMessage
	if err := d.dec.Decode(&raw); err != nil {
		return fmt.Errorf("malformed JSON at byte %d: %w", d.dec.InputOffset(), err)
	}
	return nil
}

// packages decodes the "packages" object: key → array entry.
func (d *decoder) packages() ([]*entry, error) {
	dl, err := d.delim()
	if err != nil {
		return nil, err
	}
	if dl != '{' {
		return nil, fmt.Errorf("malformed JSON at byte %d: expected an object, found %v", d.dec.InputOffset(), dl)
	}
	var out []*entry
	for d.dec.More() {
		key, err := d.key()
		if err != nil {
			return nil, err
		}
		start := d.lines.lineAt(d.valueStart())
		var elems []json.RawMessage
		if err := d.dec.Decode(&elems); err != nil {
			return nil, fmt.Errorf("%q (line %d): %w", key, start, err)
		}
		loc := model.Location{StartLine: start, EndLine: d.lines.lineAt(int(d.dec.InputOffset()) - 1)}
		e, err := newEntry(key, elems, loc)
		if err != nil {
			return nil, fmt.Errorf("%q (line %d): %w", key, start, err)
		}
		if e != nil {
			out = append(out, e)
		}
	}
	return out, d.end()
}

// valueStart returns the offset of the next value: past blanks, colons and
// commas.
func (d *decoder) valueStart() int {
	off := int(d.dec.InputOffset())
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

// object reads the '{' that opens the document.
func (d *decoder) object() error {
	dl, err := d.delim()
	if err != nil {
		return fmt.Errorf("bun.lock: %w", err)
	}
	if dl != '{' {
		return errors.New("bun.lock: not a JSON object")
	}
	return nil
}

// end reads the '}' that closes the document.
func (d *decoder) end() error {
	dl, err := d.delim()
	if err != nil {
		return err
	}
	if dl != '}' {
		return fmt.Errorf("malformed JSON at byte %d: expected '}'", d.dec.InputOffset())
	}
	return nil
}
