package version

import (
	"errors"
	"fmt"
	"testing"
)

// cmpCase is one ordered pair: Compare(a, b) must be want and
// Compare(b, a) must be -want.
type cmpCase struct {
	a, b string
	want int
}

// schemeCases holds, per comparator, ordered pairs with the hard cases of
// the scheme, and strings the scheme must reject.
var schemeCases = []struct {
	name    string
	cmp     Comparator
	cases   []cmpCase
	invalid []string
}{
	{
		name: "deb",
		cmp:  Deb{},
		cases: []cmpCase{
			{"1.0", "1.0", 0},
			{"0:1.0", "1.0", 0},              // a missing epoch is 0
			{"1:1.0", "2.0", 1},              // epoch wins over upstream
			{"1:0.1", "0:9.9", 1},            //
			{"1.0~rc1", "1.0", -1},           // ~ sorts before the end of string
			{"1.0~~", "1.0~", -1},            // ... and before another ~ with more after it
			{"1.0~rc1-1", "1.0-1", -1},       //
			{"1.0", "1.0-1", -1},             // empty revision < "1"
			{"1.0a", "1.0", 1},               // letters after the end
			{"1.0a", "1.0+", -1},             // letters before non-letters
			{"2.28.1+dfsg-1", "2.28.1-1", 1}, // "+dfsg" > end of string
			{"1.26.12-1+deb12u4", "1.26.12-1+deb12u3", 1},
			{"7.88.1-10+deb12u5", "7.88.1-10+deb12u12", -1}, // numeric, not lexical
			{"1.2.3-1ubuntu0.1", "1.2.3-1ubuntu0.10", -1},
			{"2.36-9+deb12u4", "2.36-9+deb12u10", -1},
			{"1.0.10", "1.0.9", 1},
		},
		invalid: []string{"", "a1.0", "1.0 beta", "x:1.0", "-1:1.0", "1.0-1:2", "1.0-1/2", "1.é"},
	},
	{
		name: "rpm",
		cmp:  RPM{},
		cases: []cmpCase{
			{"1.0", "1.0", 0},
			{"0:1.0-1", "1.0-1", 0},        // missing epoch is 0
			{"1:1.0", "2.0", 1},            // epoch wins
			{"1.0", "1.0.1", -1},           //
			{"1.01", "1.1", 0},             // leading zeros ignored
			{"1.0~rc1", "1.0", -1},         // tilde sorts before
			{"1.0~rc1", "1.0~rc2", -1},     //
			{"1.0^git1", "1.0", 1},         // caret sorts after the base version
			{"1.0^git1", "1.0.1", -1},      // ... but before the next one
			{"1.0~rc1", "1.0^git1", -1},    //
			{"1.0a", "1.0", 1},             // more segments win
			{"1.0-1.el8", "1.0-2.el8", -1}, //
			{"2.17-326.el7_9", "2.17-325.el7_9.3", 1},
			{"1.0.10", "1.0.9", 1},
			{"1.0-1", "1.0", 1}, // a release against none: more segments win (go-rpm-version)
		},
		invalid: []string{"", "1.0 ", "a:1.0", ":1.0", "1.0-", "1.0-1-2", "1.0/2", "-1"},
	},
	{
		name: "apk",
		cmp:  APK{},
		cases: []cmpCase{
			{"1.2.3", "1.2.3", 0},
			{"1.2.3_alpha1", "1.2.3_beta1", -1},
			{"1.2.3_beta1", "1.2.3_pre1", -1},
			{"1.2.3_pre1", "1.2.3_rc1", -1},
			{"1.2.3_rc1", "1.2.3", -1}, // pre-release suffixes sort before the release
			{"1.2.3", "1.2.3_p1", -1},  // post-release suffixes after it
			{"1.2.3_cvs", "1.2.3_svn", -1},
			{"1.2.3_git", "1.2.3_hg", -1},
			{"1.2.3_hg", "1.2.3_p", -1},
			{"1.2.3_p1", "1.2.3_p2", -1},
			{"1.2.3-r0", "1.2.3-r1", -1},
			{"1.2.3-r9", "1.2.3-r10", -1},  // numeric revision
			{"1.2.3-r9", "1.2.3_p1", -1},   // a suffix outranks a revision
			{"1.1.1d-r2", "1.1.1g-r0", -1}, // letter after digits
			{"1.30.1-r3", "1.31.1-r9", -1},
			{"1.0", "1.0.1", -1},
			{"1.2.11-r3", "1.2.11-r1", 1},
			{"1.0_rc1", "1.0", -1},          // after a zero component too (go-apk-version gets this wrong)
			{"2.0_alpha1-r0", "2.0-r0", -1}, //
			{"1.01", "1.1", -1},             // a leading zero compares as a string
			{"8.2.0015", "8.2.002", -1},     // ... "0015" < "002" (apk-tools' version.data)
			{"1.0", "1.0~abc", -1},          // a commit hash after the version
			{"1.0~abc", "1.0~abd", -1},      // hashes compare as strings
			{"1.0~abc-r2", "1.0~abc-r10", -1},
			{"1.0a", "1.0.1", -1}, // a letter before a further component
			// Rows of apk-tools' test/unit/version.data:
			{"6.0_pre1", "6.0", -1},
			{"8.2.0", "8.2.001", -1},
			{"0.1.0_alpha_pre2", "0.1.0_alpha", -1},
			{"1.0~1234-r1", "1.0~1234-r0", 1},
			{"2.12r-r4", "2.12r-r5", -1},
			{"1.0.0_pre20191002222144-r0", "1.0.0_pre20210530193627-r0", -1},
			{"1.06-r6", "006", -1},
			// Legacy grammar: digits after a letter.
			{"6.6.2p1-r0", "6.6.2-r0", 1},
			{"6.6.2p1-r0", "6.6.2p2-r0", -1},
			{"6.6.2p1-r0", "6.6.3-r0", -1},
		},
		invalid: []string{"", "1.0_foo", "abc", "1.0-", "1.0 ", "1.0-rX", "1.٣", "1.0-r", "1.0ab", "0.8.21.r2", "1.0_rc1.2", "1.0~", "1.0~xyz", "1.0-r1_p1", "v1.0", "1.0_RC1"},
	},
	{
		name: "semver",
		cmp:  SemVer{},
		cases: []cmpCase{
			// SemVer 2.0 section 11 example chain.
			{"1.0.0-alpha", "1.0.0-alpha.1", -1},
			{"1.0.0-alpha.1", "1.0.0-alpha.beta", -1},
			{"1.0.0-alpha.beta", "1.0.0-beta", -1},
			{"1.0.0-beta", "1.0.0-beta.2", -1},
			{"1.0.0-beta.2", "1.0.0-beta.11", -1},
			{"1.0.0-beta.11", "1.0.0-rc.1", -1},
			{"1.0.0-rc.1", "1.0.0", -1},
			{"1.0.0+build.5", "1.0.0", 0}, // build metadata does not count
			{"v1.2.3", "1.2.3", 0},
			{"1.2", "1.2.0", 0},
			{"2.0.0", "1.99.99", 1},
			{"0.10.0", "0.9.0", 1},
		},
		invalid: []string{"", "1.2.3.4", "01.2.3", "1.2.3-", "abc", "1.2.3-beta..1", "1.2.3+"},
	},
	{
		name: "go",
		cmp:  Go{},
		cases: []cmpCase{
			{"v1.2.3", "1.2.3", 0}, // packages carry "v", OSV records do not
			{"v1.4.0", "1.4.1", -1},
			{"v0.0.0-20210226172049-e18ecbb05110", "0.0.0-20211209124913-491a49abca63", -1}, // pseudo-versions by time
			{"v0.3.6-0.20210101000000-abcdefabcdef", "0.3.5", 1},                            // pseudo-version after v0.3.5 ...
			{"v0.3.6-0.20210101000000-abcdefabcdef", "0.3.6", -1},                           // ... before v0.3.6
			{"v3.2.0+incompatible", "3.2.0", 0},                                             // +incompatible is build metadata
			{"v3.2.0+incompatible", "4.0.0", -1},
			{"v1.6.0", "1.6.3", -1},
			{"go1.21.3", "1.21.3", 0}, // toolchain versions
			{"go1.21rc2", "1.21.0", -1},
			{"go1.21rc2", "1.21.0-rc.2", 0},
			{"go1.20", "1.20.0", 0},
			{"go1.26.8", "v1.26.8", 0},
			{"v1.10.0", "v1.9.0", 1},
		},
		invalid: []string{"", "v1.2.3.4", "latest", "(devel)", "go1", "gox", "v01.2.3", "go1.21xx1", "1.2.3-"},
	},
	{
		name: "pep440",
		cmp:  PEP440{},
		cases: []cmpCase{
			{"1.0.dev1", "1.0a1", -1},
			{"1.0a1.dev1", "1.0a1", -1},
			{"1.0a1", "1.0b1", -1},
			{"1.0b1", "1.0rc1", -1},
			{"1.0rc1", "1.0", -1},
			{"1.0", "1.0.post1", -1},
			{"1.0+local", "1.0", 1},        // a local version sorts after its public version
			{"1.0+local", "1.0.post1", -1}, // ... but before the next post-release
			{"1.0+abc.2", "1.0+abc.1", 1},
			{"1!0.1", "2.0", 1}, // epoch wins
			{"1.0", "1.0.0", 0}, // trailing zeros
			{"v1.0", "1.0", 0},  // normalised "v"
			{"1.0-1", "1.0.post1", 0},
			{"1.0c1", "1.0rc1", 0}, // "c" spells "rc"
			{"2.28.1", "2.31.0", -1},
			{"1.26.12", "1.26.5", 1},
		},
		invalid: []string{"", "abc", "1.0..1", "1.0+", "1.0-beta-x"},
	},
	{
		name: "maven",
		cmp:  Maven{},
		cases: []cmpCase{
			{"1.0-alpha-1", "1.0-beta-1", -1},
			{"1.0-beta-1", "1.0-milestone-1", -1},
			{"1.0-milestone-1", "1.0-rc-1", -1},
			{"1.0-rc-1", "1.0-SNAPSHOT", -1},
			{"1.0-SNAPSHOT", "1.0", -1},
			{"1.0", "1.0-sp-1", -1},
			{"1.0-rc1", "1.0-cr1", 0}, // cr is rc
			{"1.0-a1", "1.0-alpha-1", 0},
			{"1.0", "1", 0}, // trailing zeros
			{"1.0.0", "1", 0},
			{"1.0-ga", "1.0", 0},
			{"1.0-final", "1.0", 0},
			{"1.0-foo", "1.0", 1}, // unknown qualifiers after the release
			{"2.14.0", "2.14.1", -1},
			{"2.12.7.1", "2.12.7", 1},
			{"1.10", "1.9", 1},
		},
		invalid: []string{"", "1.0 beta", "1.0\t"},
	},
	{
		name: "gem",
		cmp:  Gem{},
		cases: []cmpCase{
			{"1.0.0.rc1", "1.0.0", -1}, // a letter makes a pre-release
			{"1.0.0-rc1", "1.0.0", -1},
			{"1.0.0.pre", "1.0.0.rc1", -1},
			{"1.0.0.beta2", "1.0.0.beta10", -1},
			{"1.0.0.a", "1.0.0.b", -1},
			{"1.0", "1.0.0", 0},
			{"5.2.4.3", "5.2.4", 1},
			{"1.10", "1.9", 1},
		},
		invalid: []string{"", "abc", "1.0 0", "1..0", "=1.0"},
	},
	{
		name: "nuget",
		cmp:  NuGet{},
		cases: []cmpCase{
			{"1.0", "1.0.0.0", 0},
			{"1.01", "1.1", 0},
			{"1.0.0.1", "1.0.0", 1}, // fourth part counts
			{"1.0.0-beta", "1.0.0", -1},
			{"1.0.0-Beta", "1.0.0-beta", 0}, // labels are case-insensitive
			{"1.0.0-alpha.2", "1.0.0-alpha.10", -1},
			{"1.0.0-1", "1.0.0-alpha", -1}, // numeric before alphanumeric
			{"1.0.0-alpha", "1.0.0-alpha.1", -1},
			{"1.0.0+meta", "1.0.0", 0},
			{"4.3.0-preview1", "4.3.0", -1},
			{"13.0.1", "9.0.1", 1},
		},
		invalid: []string{"", "1.0.0.0.0", "v1.0", "1.0-", "1.0-be$ta", "a.b", "1.0+", "1..0", "99999999999.0"},
	},
	{
		name: "composer",
		cmp:  Composer{},
		cases: []cmpCase{
			{"v1.0.0", "1.0.0", 0},
			{"1.0", "1.0.0.0", 0},
			{"1.0.0-dev", "1.0.0-alpha1", -1},
			{"1.0.0-alpha1", "1.0.0-beta1", -1},
			{"1.0.0-beta1", "1.0.0-RC1", -1},
			{"1.0.0-RC1", "1.0.0", -1},
			{"1.0.0", "1.0.0-p1", -1},
			{"1.0.0-beta2-dev", "1.0.0-beta2", -1},
			{"1.0.0-beta2", "1.0.0-beta10", -1},
			{"1.0.0-b1", "1.0.0-beta1", 0},
			{"1.0.0-a1", "1.0.0-alpha.1", 0},
			{"1.0.0-patch1", "1.0.0-pl1", 0},
			{"2.4.0", "2.3.99", 1},
			{"1.0.0RC2", "1.0.0-rc.2", 0},
		},
		invalid: []string{"", "dev-master", "1.x-dev", "1.0.0-foo", "1.2.3.4.5", "v", "1.0.0-beta2-x"},
	},
}

func TestCompare(t *testing.T) {
	for _, sc := range schemeCases {
		for _, c := range sc.cases {
			t.Run(fmt.Sprintf("%s/%s_vs_%s", sc.name, c.a, c.b), func(t *testing.T) {
				got, err := sc.cmp.Compare(c.a, c.b)
				if err != nil {
					t.Fatalf("Compare(%q, %q): %v", c.a, c.b, err)
				}
				if got != c.want {
					t.Errorf("Compare(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
				}
				got, err = sc.cmp.Compare(c.b, c.a)
				if err != nil {
					t.Fatalf("Compare(%q, %q): %v", c.b, c.a, err)
				}
				if got != -c.want {
					t.Errorf("Compare(%q, %q) = %d, want %d", c.b, c.a, got, -c.want)
				}
			})
		}
	}
}

func TestInvalid(t *testing.T) {
	for _, sc := range schemeCases {
		good := sc.cases[0].a
		for _, v := range sc.invalid {
			t.Run(fmt.Sprintf("%s/%q", sc.name, v), func(t *testing.T) {
				if err := sc.cmp.Valid(v); !errors.Is(err, ErrInvalidVersion) {
					t.Errorf("Valid(%q) = %v, want ErrInvalidVersion", v, err)
				}
				if _, err := sc.cmp.Compare(v, good); !errors.Is(err, ErrInvalidVersion) {
					t.Errorf("Compare(%q, %q) error = %v, want ErrInvalidVersion", v, good, err)
				}
				if _, err := sc.cmp.Compare(good, v); !errors.Is(err, ErrInvalidVersion) {
					t.Errorf("Compare(%q, %q) error = %v, want ErrInvalidVersion", good, v, err)
				}
			})
		}
		for _, c := range sc.cases {
			if err := sc.cmp.Valid(c.a); err != nil {
				t.Errorf("%s: Valid(%q) = %v", sc.name, c.a, err)
			}
		}
	}
}

func TestForEcosystem(t *testing.T) {
	tests := []struct {
		eco  string
		want Comparator
	}{
		{"Debian:12", Deb{}},
		{"Debian", Deb{}},
		{"Ubuntu:22.04:LTS", Deb{}},
		{"Ubuntu:Pro:18.04:LTS", Deb{}},
		{"Alpine:v3.19", APK{}},
		{"Wolfi", APK{}},
		{"Chainguard", APK{}},
		{"Rocky Linux:9", RPM{}},
		{"AlmaLinux:8", RPM{}},
		{"Red Hat:enterprise_linux:9::appstream", RPM{}},
		{"SUSE:Linux Enterprise Server 15 SP5", RPM{}},
		{"openSUSE:Leap 15.5", RPM{}},
		{"Go", Go{}},
		{"PyPI", PEP440{}},
		{"pypi", PEP440{}},
		{"npm", SemVer{}},
		{"crates.io", SemVer{}},
		{"Hex", SemVer{}},
		{"Pub", SemVer{}},
		{"SwiftURL", SemVer{}},
		{"ConanCenter", SemVer{}},
		{"Maven", Maven{}},
		{"Maven:https://maven.google.com", Maven{}},
		{"RubyGems", Gem{}},
		{"NuGet", NuGet{}},
		{"Packagist", Composer{}},
		{"Packagist:https://packages.drupal.org/8", Composer{}},
	}
	for _, tt := range tests {
		got, err := ForEcosystem(tt.eco)
		if err != nil {
			t.Errorf("ForEcosystem(%q): %v", tt.eco, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ForEcosystem(%q) = %T, want %T", tt.eco, got, tt.want)
		}
	}
	for _, eco := range []string{"", "Hackage", "CRAN", "Linux", "GIT", "Debianish"} {
		if c, err := ForEcosystem(eco); !errors.Is(err, ErrUnsupportedEcosystem) || c != nil {
			t.Errorf("ForEcosystem(%q) = %v, %v; want nil, ErrUnsupportedEcosystem", eco, c, err)
		}
	}
}
