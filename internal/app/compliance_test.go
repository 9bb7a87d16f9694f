package app

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/trawlsec/trawl/internal/compliance"
	"github.com/trawlsec/trawl/internal/misconfig"
)

// TestBuiltinSpecChecksExist: every check a built-in compliance spec names
// is one trawl has — a built-in misconfiguration check (by AVD ID) or a
// forensics finding ID — so no control of a built-in spec is left
// unevaluated by a typo or a check not built.
func TestBuiltinSpecChecksExist(t *testing.T) {
	e, err := misconfig.New(context.Background(), misconfig.Options{})
	if err != nil {
		t.Fatal(err)
	}
	o := &Options{Scanners: []string{ScannerVuln, ScannerSecret, ScannerMisconfig, ScannerForensics}, misconfigChecks: map[string]bool{}}
	for _, c := range e.Checks() {
		o.misconfigChecks[strings.ToUpper(c.AVDID)] = true
		o.misconfigChecks[strings.ToUpper(c.ID)] = true
	}
	for _, name := range compliance.Builtins() {
		spec, err := compliance.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range spec.Controls {
			for _, ch := range c.Checks {
				if !o.complianceRan(ch.ID) {
					t.Errorf("%s control %s: check %s does not exist", name, c.ID, ch.ID)
				}
			}
		}
	}
	// The short form of an ID answers too; an unknown ID does not.
	if !o.complianceRan("DS002") || o.complianceRan("AVD-DS-9999") || o.complianceRan("FOR-NOPE") {
		t.Error("complianceRan: short form not accepted, or unknown IDs accepted")
	}
	o.Scanners = slices.DeleteFunc(o.Scanners, func(s string) bool { return s == ScannerForensics })
	if o.complianceRan("FOR-PERM-SETUID") {
		t.Error("a forensics check counted as evaluated without the forensics scanner")
	}
}

// TestBuiltinSpecUnmappedChecks: a control a built-in spec leaves without
// checks, noting the check Trivy maps to it ("# Trivy: AVD-…, not a trawl
// check"), names a check trawl does not have: once trawl has it, the
// control must name it.
func TestBuiltinSpecUnmappedChecks(t *testing.T) {
	e, err := misconfig.New(context.Background(), misconfig.Options{})
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, c := range e.Checks() {
		have[strings.ToUpper(c.AVDID)] = true
	}
	files, err := filepath.Glob("../compliance/specs/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("spec files: %v (%d)", err, len(files))
	}
	unmapped := regexp.MustCompile(`# Trivy: (AVD-[A-Z]+-\d+), not a trawl check`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range unmapped.FindAllSubmatch(b, -1) {
			if id := string(m[1]); have[id] {
				t.Errorf("%s: %s is a trawl check now: map it to its control", filepath.Base(f), id)
			}
		}
	}
}
