package match

import "strings"

// isModularBuild reports whether an RPM version is the build of a module
// stream ("1:18.19.0-1.module+el9.3.0+20773+d8e7d9d8", AlmaLinux's and
// Rocky's "….module_el8.9.0+…"): the release names the module build.
func isModularBuild(v string) bool {
	return strings.Contains(v, ".module+") || strings.Contains(v, ".module_")
}

// moduleMismatch reports whether a matched RPM entry fixed in fixed
// belongs to the other kind of build than the installed version: Red Hat,
// AlmaLinux and Rocky publish the fix of a module stream's package under
// the plain package name (the stream is dropped from the OSV record), so a
// fix built for a module stream does not apply to the non-modular package
// of the same name, nor a non-modular fix to a module's package. An entry
// without a fixed version says nothing about the build and always applies.
func moduleMismatch(installed string, fixed []string) bool {
	if len(fixed) == 0 {
		return false
	}
	modular := isModularBuild(installed)
	for _, f := range fixed {
		if isModularBuild(f) == modular {
			return false
		}
	}
	return true
}
