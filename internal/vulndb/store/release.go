package store

import "slices"

// ReleaseEcosystems returns every ecosystem the database holds advisories
// in for the OS release family/version (see InRelease): the ones of
// OSEcosystems first, in their order, then the others by name. When it
// holds none it returns the most specific ecosystem of the release (nil
// for an unknown family) and false.
func (s *Store) ReleaseEcosystems(family, version string) ([]string, bool) {
	var out []string
	for _, e := range OSEcosystems(family, version) {
		if s.HasEcosystem(e) {
			out = append(out, e)
		}
	}
	var more []string
	for e, n := range s.meta.Ecosystems {
		if n > 0 && !slices.Contains(out, e) && InRelease(family, version, e) {
			more = append(more, e)
		}
	}
	slices.Sort(more)
	out = append(out, more...)
	if len(out) > 0 {
		return out, true
	}
	if c := OSEcosystems(family, version); len(c) > 0 {
		return c[:1], false
	}
	return nil, false
}
