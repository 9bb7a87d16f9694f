package license

// The alias tables: what packages write that the SPDX list does not spell.
// Keys are lower case with blanks collapsed (see key). The SPDX list itself
// (any case), the GNU licences with a version (GPL-2, GPLv2+, LGPL-2.1+,
// GPL-2.0, GFDL-1.3…), "X-N" for the SPDX "X-N.0" (Apache-2, MPL-2) and a
// trailing "+" need no entry. TestAliasTargets checks that every target is
// valid SPDX.

// aliasLicense maps a licence name to its SPDX identifier.
var aliasLicense = map[string]string{
	// MIT: Debian calls it Expat; "MIT/X11" is Debian's and Fedora's MIT.
	"expat":           "MIT",
	"mit/x11":         "MIT",
	"mit license":     "MIT",
	"the mit license": "MIT",
	"mit-license":     "MIT",

	// Apache: rpm's ASL, PyPI and Maven names.
	"apache":                      "Apache-2.0",
	"apache 2":                    "Apache-2.0",
	"apache 2.0":                  "Apache-2.0",
	"apache2":                     "Apache-2.0",
	"apache-2":                    "Apache-2.0",
	"apache license 2.0":          "Apache-2.0",
	"apache license, version 2.0": "Apache-2.0",
	"apache license version 2.0":  "Apache-2.0",
	"apache software license":     "Apache-2.0",
	"apache software license 2.0": "Apache-2.0",
	"the apache software license, version 2.0": "Apache-2.0",
	"asl 2.0": "Apache-2.0",
	"asl-2.0": "Apache-2.0",
	"asl 1.1": "Apache-1.1",

	// BSD: an unnumbered BSD is taken as the 3-clause licence, as Trivy does.
	"bsd":            "BSD-3-Clause",
	"new bsd":        "BSD-3-Clause",
	"bsd license":    "BSD-3-Clause",
	"modified bsd":   "BSD-3-Clause",
	"simplified bsd": "BSD-2-Clause",
	"bsd 2-clause":   "BSD-2-Clause",
	"bsd 3-clause":   "BSD-3-Clause",

	// The GNU licences without a version mean any version: "or later" of
	// the first one.
	"gpl":                                "GPL-1.0-or-later",
	"gpl+":                               "GPL-1.0-or-later",
	"lgpl":                               "LGPL-2.0-or-later",
	"gfdl":                               "GFDL-1.1-or-later",
	"agpl":                               "AGPL-3.0-or-later",
	"gnu general public license":         "GPL-1.0-or-later",
	"gnu lesser general public license":  "LGPL-2.0-or-later",
	"gnu library general public license": "LGPL-2.0-or-later",
	"gnu gpl":                            "GPL-1.0-or-later",
	"gnu lgpl":                           "LGPL-2.0-or-later",
	"gfdl-niv-1.3":                       "GFDL-1.3-no-invariants-only",
	"gfdl-niv-1.3+":                      "GFDL-1.3-no-invariants-or-later",
	"gfdl-1.3+-no-invariant":             "GFDL-1.3-no-invariants-or-later",
	"gfdl-1.2+":                          "GFDL-1.2-or-later",
	"gfdl-1.3+":                          "GFDL-1.3-or-later",
	"lgplv2":                             "LGPL-2.0-only",
	"lgplv2+":                            "LGPL-2.0-or-later",

	// Others.
	"artistic":                           "Artistic-1.0-Perl", // Debian's common-licenses/Artistic is Perl's
	"artistic 2.0":                       "Artistic-2.0",
	"cc0":                                "CC0-1.0",
	"mpl":                                "MPL-2.0",
	"mpl 2.0":                            "MPL-2.0",
	"mpl 1.1":                            "MPL-1.1",
	"mpl2":                               "MPL-2.0",
	"psf":                                "PSF-2.0",
	"python":                             "Python-2.0",
	"python software foundation license": "PSF-2.0",
	"isc license":                        "ISC",
	"zlib/libpng":                        "Zlib",
	"ruby":                               "Ruby",
	"boost":                              "BSL-1.0",
	"eclipse public license 1.0":         "EPL-1.0",
	"eclipse public license 2.0":         "EPL-2.0",
	"epl":                                "EPL-1.0",
	"cddl":                               "CDDL-1.0",
	"unlicense":                          "Unlicense",
	"wtfpl":                              "WTFPL",
	"public domain":                      "LicenseRef-Public-Domain",
	"public-domain":                      "LicenseRef-Public-Domain",
}

// aliasExpr maps a whole string to an SPDX expression, for names with a
// comma or an exception written in words.
var aliasExpr = map[string]string{
	"apache license, version 2.0":              "Apache-2.0",
	"the apache software license, version 2.0": "Apache-2.0",
}

// exceptionAlias is an exception name in words; gpl3 is its GPL-3 form
// when that differs.
type exceptionAlias struct{ id, gpl3 string }

// aliasException maps the words of "X with WORDS exception" ("exception"
// removed, lower case) to SPDX exceptions.
var aliasException = map[string]exceptionAlias{
	"autoconf":           {"Autoconf-exception-2.0", "Autoconf-exception-3.0"},
	"bison":              {"Bison-exception-2.2", ""},
	"bison-2.2":          {"Bison-exception-2.2", ""},
	"texinfo":            {"Texinfo-exception", ""},
	"libtool":            {"Libtool-exception", ""},
	"classpath":          {"Classpath-exception-2.0", ""},
	"gcc":                {"GCC-exception-2.0", "GCC-exception-3.1"},
	"font":               {"Font-exception-2.0", ""},
	"linux-syscall-note": {"Linux-syscall-note", ""},
}
