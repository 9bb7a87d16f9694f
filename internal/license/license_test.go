package license

import (
	"strings"
	"testing"

	"github.com/github/go-spdx/v2/spdxexp"
	"github.com/github/go-spdx/v2/spdxexp/spdxlicenses"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		raw  string
		want string // "" for unknown (kept verbatim)
	}{
		// SPDX already, any case.
		{"MIT", "MIT"},
		{"mit", "MIT"},
		{"BSD-3-clause", "BSD-3-Clause"},
		{"Apache-2.0", "Apache-2.0"},
		{"(MIT OR Apache-2.0)", "MIT OR Apache-2.0"},
		{"GPL-2.0-or-later WITH Classpath-exception-2.0", "GPL-2.0-or-later WITH Classpath-exception-2.0"},
		{"LicenseRef-Acme", "LicenseRef-Acme"},
		// GNU licences, Debian and rpm spellings.
		{"GPL-2", "GPL-2.0-only"},
		{"GPL-2+", "GPL-2.0-or-later"},
		{"GPL-2.0", "GPL-2.0-only"},
		{"GPL-2.0+", "GPL-2.0-or-later"},
		{"GPLv2+", "GPL-2.0-or-later"},
		{"GPLv3", "GPL-3.0-only"},
		{"LGPL-2.1+", "LGPL-2.1-or-later"},
		{"LGPLv2.1+", "LGPL-2.1-or-later"},
		{"LGPLv2+", "LGPL-2.0-or-later"},
		{"AGPL-3.0", "AGPL-3.0-only"},
		{"GPL", "GPL-1.0-or-later"},
		{"GFDL-NIV-1.3+", "GFDL-1.3-no-invariants-or-later"},
		// Aliases.
		{"Expat", "MIT"},
		{"MIT/X11", "MIT"},
		{"Apache 2.0", "Apache-2.0"},
		{"ASL 2.0", "Apache-2.0"},
		{"Apache-2", "Apache-2.0"},
		{"Apache License, Version 2.0", "Apache-2.0"},
		{"MPL-2", "MPL-2.0"},
		{"BSD", "BSD-3-Clause"},
		{"CC0", "CC0-1.0"},
		{"public-domain", "LicenseRef-Public-Domain"},
		// rpm and DEP-5 expressions.
		{"GPLv2+ and LGPLv2+", "GPL-2.0-or-later AND LGPL-2.0-or-later"},
		{"MIT or ASL 2.0", "MIT OR Apache-2.0"},
		{"GPL-2+ or Artistic", "GPL-2.0-or-later OR Artistic-1.0-Perl"},
		{"BSD-3-clause and/or GPL-3+", "BSD-3-Clause OR GPL-3.0-or-later"},
		{"GPL-1+ or Artistic, and BSD-3-clause", "(GPL-1.0-or-later OR Artistic-1.0-Perl) AND BSD-3-Clause"},
		{"MIT, Apache-2.0", "MIT AND Apache-2.0"},
		{"(LGPLv2+ or MIT) and GPLv3+", "(LGPL-2.0-or-later OR MIT) AND GPL-3.0-or-later"},
		{"A and B or C", ""},
		{"MIT and ISC or Zlib", "MIT AND ISC OR Zlib"},
		// Exceptions.
		{"GPL-3+ with Bison exception", "GPL-3.0-or-later WITH Bison-exception-2.2"},
		{"GPL-3+ with Autoconf exception", "GPL-3.0-or-later WITH Autoconf-exception-3.0"},
		{"GPL-2+ with Autoconf exception", "GPL-2.0-or-later WITH Autoconf-exception-2.0"},
		{"GPL-2 with Linux-syscall-note exception", "GPL-2.0-only WITH Linux-syscall-note"},
		{"GPL-2+ with Texinfo exception", "GPL-2.0-or-later WITH Texinfo-exception"},
		{"GPL-2+-autoconf-exception", "GPL-2.0-or-later WITH Autoconf-exception-2.0"},
		{"GPL-3+-WITH-BISON-EXCEPTION", "GPL-3.0-or-later WITH Bison-exception-2.2"},
		// Unknown: kept verbatim.
		{"permissive", ""},
		{"GPL-2+ with distribution exception", ""},
		{"GPL-7", ""},
		{"MIT with", ""},
		{"(MIT", ""},
		{"MIT)", ""},
		{"and", ""},
		{"", ""},
		{"   ", ""},
	}
	for _, tt := range tests {
		got := Normalize(tt.raw)
		if tt.want == "" {
			if got.Known || got.SPDX != strings.TrimSpace(tt.raw) {
				t.Errorf("Normalize(%q) = %q (known %v), want it kept as unknown", tt.raw, got.SPDX, got.Known)
			}
			continue
		}
		if !got.Known || got.SPDX != tt.want {
			t.Errorf("Normalize(%q) = %q (known %v), want %q", tt.raw, got.SPDX, got.Known, tt.want)
		}
	}
}

// TestAliasTargets: every alias is valid SPDX, so a typo in the table
// cannot make a licence silently unknown.
func TestAliasTargets(t *testing.T) {
	for k, v := range aliasLicense {
		if k != key(k) {
			t.Errorf("alias key %q is not in key form", k)
		}
		if ok, bad := spdxexp.ValidateLicenses([]string{v}); !ok {
			t.Errorf("alias %q → %q: not SPDX (%v)", k, v, bad)
		}
	}
	for k, v := range aliasExpr {
		if k != key(k) || parse(v) == nil {
			t.Errorf("expression alias %q → %q is not usable", k, v)
		}
	}
	for k, v := range aliasException {
		for _, id := range []string{v.id, v.gpl3} {
			if ok, _ := spdxlicenses.IsException(id); id != "" && !ok {
				t.Errorf("exception alias %q → %q is not an SPDX exception", k, id)
			}
		}
	}
}

func TestClassify(t *testing.T) {
	def, err := NewClassifier(nil)
	if err != nil {
		t.Fatal(err)
	}
	custom, err := NewClassifier(map[string][]string{
		CategoryForbidden:  {"GPL-2.0", "Commercial"},
		CategoryPermissive: {"MIT"},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		c    *Classifier
		raw  string
		want string
	}{
		{def, "MIT", CategoryNotice},
		{def, "Expat", CategoryNotice},
		{def, "GPL-2+", CategoryRestricted},
		{def, "GPL-2.0-only", CategoryRestricted},
		{def, "LGPL-2.1+", CategoryRestricted},
		{def, "AGPL-3.0-or-later", CategoryForbidden},
		{def, "MPL-2.0", CategoryReciprocal},
		{def, "CC0", CategoryUnencumbered},
		{def, "WTFPL", CategoryForbidden},
		{def, "GPL-3+ with Bison exception", CategoryRestricted},
		{def, "MIT and GPL-2+", CategoryRestricted},      // AND: the most severe
		{def, "MIT or GPL-2+", CategoryNotice},           // OR: the least
		{def, "MIT or AGPL-3.0", CategoryNotice},         //
		{def, "GPL-2 and AGPL-3.0", CategoryForbidden},   //
		{def, "MIT and permissive", CategoryUnknown},     // unknown side: unknown
		{def, "public-domain", CategoryUnknown},          // LicenseRef: no list has it
		{def, "Commercial", CategoryUnknown},             //
		{custom, "GPL-2", CategoryForbidden},             // user's forbidden beats default restricted
		{custom, "GPL-2+", CategoryForbidden},            //
		{custom, "MIT", CategoryPermissive},              // user's permissive beats default notice
		{custom, "Commercial", CategoryForbidden},        // an unknown name can be listed
		{custom, "GPL-3.0-or-later", CategoryRestricted}, // the rest of the defaults stay
	}
	for _, tt := range tests {
		if got := tt.c.Classify(Normalize(tt.raw)); got != tt.want {
			t.Errorf("Classify(%q) = %s, want %s", tt.raw, got, tt.want)
		}
	}
	if _, err := NewClassifier(map[string][]string{"forbiden": {"MIT"}}); err == nil || !strings.Contains(err.Error(), `"forbiden" is not a category`) {
		t.Errorf("a misspelt category: err = %v", err)
	}
}

func TestSeverity(t *testing.T) {
	want := map[string]string{
		CategoryForbidden: "CRITICAL", CategoryRestricted: "HIGH", CategoryReciprocal: "MEDIUM",
		CategoryNotice: "LOW", CategoryPermissive: "LOW", CategoryUnencumbered: "LOW", CategoryUnknown: "UNKNOWN",
	}
	for _, c := range Categories {
		if got := Severity(c); got != want[c] {
			t.Errorf("Severity(%s) = %s, want %s", c, got, want[c])
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"GPL-2+ or Artistic, and BSD-3-clause", "(MIT OR Apache-2.0)", "GPL-3+ with Bison exception",
		"GPL-2+-autoconf-exception", "LicenseRef-x", "((", "MIT with", "a,,b"} {
		f.Add(s)
	}
	c, err := NewClassifier(nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if !n.Known {
			if n.SPDX != strings.TrimSpace(s) || n.Expr != nil {
				t.Fatalf("unknown %q changed to %q", s, n.SPDX)
			}
		} else {
			if ok, bad := spdxexp.ValidateLicenses([]string{n.SPDX}); !ok {
				t.Fatalf("Normalize(%q) = %q, not SPDX: %v", s, n.SPDX, bad)
			}
			// Normalising is idempotent.
			if again := Normalize(n.SPDX); !again.Known || again.SPDX != n.SPDX {
				t.Fatalf("Normalize(%q) = %q, but Normalize(%q) = %q", s, n.SPDX, n.SPDX, again.SPDX)
			}
		}
		if !slicesContains(Categories, c.Classify(n)) {
			t.Fatalf("Classify(%q) gave no category", s)
		}
	})
}

func slicesContains(l []string, s string) bool {
	for _, e := range l {
		if e == s {
			return true
		}
	}
	return false
}
