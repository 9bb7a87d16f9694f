package version

import "testing"

// chains lists, per comparator, versions in strictly ascending order; every
// pair is checked, which also exercises transitivity across hard cases.
var chains = []struct {
	name  string
	cmp   Comparator
	chain []string
}{
	{"deb", Deb{}, []string{"1.0~~", "1.0~", "1.0~rc1", "1.0", "1.0-1", "1.0-1+deb12u1", "1.0-1+deb12u10", "1.0-2", "1.0a", "1.0+dfsg", "1.0.1", "1:0.1"}},
	{"rpm", RPM{}, []string{"1.0~rc1", "1.0", "1.0-1", "1.0-1.el8", "1.0-2", "1.0^git1", "1.0a", "1.0.1", "1.10", "1:0.1"}},
	{"apk", APK{}, []string{"1.0_alpha", "1.0_alpha2", "1.0_beta", "1.0_pre1", "1.0_rc1", "1.0", "1.0-r1", "1.0-r10", "1.0_p1", "1.0.01", "1.0.1", "1.0.1a", "1.0.1b_rc1", "1.0.1b", "1.1"}},
	{"semver", SemVer{}, []string{"0.9.9", "1.0.0-0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.10.0", "2.0.0"}},
	{"go", Go{}, []string{"0.0.0-20200101000000-aaaaaaaaaaaa", "v0.0.0-20210101000000-aaaaaaaaaaaa", "0.1.0", "v1.0.0-rc.1", "go1.0", "v1.0.1-0.20200101000000-aaaaaaaaaaaa", "1.0.1", "go1.21rc1", "go1.21.0", "v2.0.0+incompatible"}},
	{"pep440", PEP440{}, []string{"0.9", "1.0.dev1", "1.0a1.dev1", "1.0a1", "1.0a2", "1.0b1", "1.0rc1", "1.0", "1.0+local", "1.0.post1.dev1", "1.0.post1", "1.0.1", "1!0.1"}},
	{"maven", Maven{}, []string{"1.0-alpha-1", "1.0-alpha-2", "1.0-beta-1", "1.0-milestone-1", "1.0-rc-1", "1.0-SNAPSHOT", "1.0", "1.0-sp-1", "1.0.1", "1.1"}},
	{"gem", Gem{}, []string{"1.0.0.a", "1.0.0.beta2", "1.0.0.beta10", "1.0.0.pre", "1.0.0.rc1", "1.0.0", "1.0.0.1", "1.0.1", "1.10"}},
	{"nuget", NuGet{}, []string{"1.0.0-1", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.10", "1.0.0-beta", "1.0.0", "1.0.0.1", "1.0.1", "1.10"}},
	{"composer", Composer{}, []string{"1.0.0-dev", "1.0.0-alpha1", "1.0.0-beta1-dev", "1.0.0-beta1", "1.0.0-beta2", "1.0.0-RC1", "1.0.0", "1.0.0-p1", "1.0.0.1", "1.0.1"}},
}

func TestChains(t *testing.T) {
	for _, c := range chains {
		for i := range c.chain {
			for j := range c.chain {
				want := sign(i - j)
				got, err := c.cmp.Compare(c.chain[i], c.chain[j])
				if err != nil {
					t.Errorf("%s: Compare(%q, %q): %v", c.name, c.chain[i], c.chain[j], err)
					continue
				}
				if got != want {
					t.Errorf("%s: Compare(%q, %q) = %d, want %d", c.name, c.chain[i], c.chain[j], got, want)
				}
			}
		}
	}
}
