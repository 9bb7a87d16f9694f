package image

import (
	"fmt"
	"slices"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// platform is an "os/arch[/variant]" triple.
type platform struct {
	os, arch, variant string
}

func parsePlatform(s string) (platform, error) {
	parts := strings.Split(s, "/")
	if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" || (len(parts) == 3 && parts[2] == "") {
		return platform{}, fmt.Errorf("trawl/image: invalid platform %q: want os/arch[/variant]", s)
	}
	p := platform{os: parts[0], arch: parts[1]}
	if len(parts) == 3 {
		p.variant = parts[2]
	}
	return p, nil
}

func fromV1(p *v1.Platform) platform {
	if p == nil {
		return platform{}
	}
	return platform{os: p.OS, arch: p.Architecture, variant: p.Variant}
}

func (p platform) String() string {
	s := p.os + "/" + p.arch
	if p.variant != "" {
		s += "/" + p.variant
	}
	return s
}

// normVariant applies the defaults registries use: arm64 means arm64/v8,
// arm means arm/v7.
func normVariant(arch, variant string) string {
	switch {
	case arch == "arm64" && variant == "v8":
		return ""
	case arch == "arm" && variant == "":
		return "v7"
	}
	return variant
}

// matchScore says how well have satisfies want: 0 no match, 1 match with any
// variant (want has none), 2 exact match.
func matchScore(want, have platform) int {
	if want.os != have.os || want.arch != have.arch {
		return 0
	}
	wv, hv := normVariant(want.arch, want.variant), normVariant(have.arch, have.variant)
	if wv == hv {
		return 2
	}
	if want.variant == "" {
		return 1
	}
	return 0
}

// candidate is an image manifest reachable from an index.
type candidate struct {
	desc v1.Descriptor
	plat *platform // nil when the descriptor records none
}

// isAttestation reports buildkit attestation manifests, which are listed in
// indexes with platform unknown/unknown and are not runnable images.
func isAttestation(d v1.Descriptor) bool {
	if d.Annotations["vnd.docker.reference.type"] == "attestation-manifest" {
		return true
	}
	return d.Platform != nil && d.Platform.OS == "unknown"
}

// choose picks the image for the requested platform (empty: the default)
// among the candidates found in an index. where names the source in errors.
func choose(cands []candidate, want string, where string) (v1.Descriptor, error) {
	var usable []candidate
	for _, c := range cands {
		if !isAttestation(c.desc) {
			usable = append(usable, c)
		}
	}
	if len(usable) == 0 {
		return v1.Descriptor{}, fmt.Errorf("%s: %w: the index lists no image manifests", where, ErrNotImage)
	}
	if want == "" {
		want = DefaultPlatform
	}
	wp, err := parsePlatform(want)
	if err != nil {
		return v1.Descriptor{}, err
	}
	if len(usable) == 1 && usable[0].plat == nil {
		return usable[0].desc, nil
	}
	best, bestScore := -1, 0
	var available []string
	for i, c := range usable {
		if c.plat == nil {
			continue
		}
		if s := c.plat.String(); !slices.Contains(available, s) {
			available = append(available, s)
		}
		if sc := matchScore(wp, *c.plat); sc > bestScore {
			best, bestScore = i, sc
		}
	}
	if best >= 0 {
		return usable[best].desc, nil
	}
	if len(available) == 0 {
		var names []string
		for _, c := range usable {
			n := c.desc.Annotations[refNameAnnotation]
			if n == "" {
				n = c.desc.Digest.String()
			}
			names = append(names, n)
		}
		return v1.Descriptor{}, fmt.Errorf("%s: %w: it holds %d images; select one as path:tag or path@sha256:… (%s)",
			where, ErrNotImage, len(usable), strings.Join(names, ", "))
	}
	return v1.Descriptor{}, fmt.Errorf("%s: %w", where, &PlatformError{Want: wp.String(), Available: available})
}
