package exe

import "testing"

func TestHasMagic(t *testing.T) {
	for in, want := range map[string]bool{
		"\x7fELF\x02\x01": true, "MZ\x90\x00": true,
		"\xcf\xfa\xed\xfe": true, "\xfe\xed\xfa\xce": true, "\xce\xfa\xed\xfe": true, "\xfe\xed\xfa\xcf": true,
		"#!/bin/sh": false, "\x7fEL": false, "": false, "PK\x03\x04": false,
	} {
		if got := HasMagic([]byte(in)); got != want {
			t.Errorf("HasMagic(%q) = %v", in, got)
		}
	}
}

func FuzzHasMagic(f *testing.F) {
	f.Add([]byte("\x7fELF"))
	f.Fuzz(func(t *testing.T, b []byte) { HasMagic(b) })
}
