package main

import (
	"bytes"
	"os"
	"testing"
)

// TestNoticeCurrent: NOTICE lists every module the binary links, with the
// licences its licence files hold (regenerate with go run ./tools/notice).
// A dependency added without updating NOTICE fails here.
func TestNoticeCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the module cache")
	}
	want, err := Generate("../..")
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile("../../NOTICE")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, want) {
		t.Fatal("NOTICE is out of date: run go run ./tools/notice and review the diff")
	}
}
