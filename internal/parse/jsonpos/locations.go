package jsonpos

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/trawlsec/trawl/pkg/model"
)

// Sep joins the keys matched by wildcards in the keys Locations returns.
const Sep = "\x00"

// maxDepth bounds the nesting Locations follows.
const maxDepth = 32

// Locations returns the line range of every member of the object reached
// by following path from the top-level object. A path element "*" matches
// any key; the keys it matched are prefixed to the member's key, each
// followed by Sep. Members whose values are not objects along the path are
// passed over. Its errors start with "jsonloc: " (the name of the package
// it came from), as the messages of the parsers that wrap them always did.
func Locations(content []byte, path ...string) (map[string]model.Location, error) {
	if len(path) > maxDepth {
		return nil, errors.New("jsonloc: path too deep")
	}
	w := walker{dec: json.NewDecoder(bytes.NewReader(content)), lines: NewLineIndex(content), out: map[string]model.Location{}}
	tok, err := w.dec.Token()
	if err != nil {
		return nil, fmt.Errorf("jsonloc: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("jsonloc: top-level value is not an object")
	}
	if err := w.object(path, ""); err != nil {
		return nil, fmt.Errorf("jsonloc: %w", err)
	}
	return w.out, nil
}

type walker struct {
	dec   *json.Decoder
	lines *LineIndex
	out   map[string]model.Location
}

// line returns the 1-based line of byte offset off. The walk only moves
// forward, as LineIndex wants.
func (w *walker) line(off int64) int { return w.lines.Line(int(off)) }

// object reads the members of an object whose '{' was consumed.
func (w *walker) object(path []string, prefix string) error {
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return err
		}
		key, ok := tok.(string)
		if !ok {
			return fmt.Errorf("unexpected token %v", tok)
		}
		keyEnd := w.dec.InputOffset()
		switch {
		case len(path) == 0:
			var raw json.RawMessage
			if err := w.dec.Decode(&raw); err != nil {
				return err
			}
			w.out[prefix+key] = model.Location{StartLine: w.line(keyEnd - 1), EndLine: w.line(w.dec.InputOffset() - 1)}
		case path[0] == "*" || path[0] == key:
			next := prefix
			if path[0] == "*" {
				next += key + Sep
			}
			tok, err := w.dec.Token()
			if err != nil {
				return err
			}
			switch d, _ := tok.(json.Delim); d {
			case '{':
				if err := w.object(path[1:], next); err != nil {
					return err
				}
			case '[':
				if err := w.skip(1); err != nil {
					return err
				}
			}
		default:
			var raw json.RawMessage
			if err := w.dec.Decode(&raw); err != nil {
				return err
			}
		}
	}
	_, err := w.dec.Token() // '}'
	return err
}

// skip consumes tokens until depth open delimiters are closed.
func (w *walker) skip(depth int) error {
	for depth > 0 {
		tok, err := w.dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil
}
