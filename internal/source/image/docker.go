package image

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// dockerManifest is one entry of a docker-save manifest.json.
type dockerManifest struct {
	Config   string
	RepoTags []string
	Layers   []string
}

// openDockerSave reads a docker-save archive (modern layout with
// "<hex>.tar[.gz]" layers and "blobs/sha256/…", or the legacy one with
// "<id>/layer.tar"). If manifest.json holds several images, the one with a
// RepoTag equal to display is chosen, else the first.
func openDockerSave(ctx context.Context, st store, display, ref string, opts Options) (*Image, error) {
	where := st.describe()
	raw, err := readFile(st, "manifest.json", opts.maxJSON())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	var ms []dockerManifest
	if err := json.Unmarshal(raw, &ms); err != nil {
		return nil, fmt.Errorf("%s: manifest.json: %w: %w", where, ErrNotImage, err)
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("%s: manifest.json: %w: no images listed", where, ErrNotImage)
	}
	m := ms[0]
	if ref != "" {
		found := false
		var tags []string
		for _, c := range ms {
			tags = append(tags, c.RepoTags...)
			if !found && slices.ContainsFunc(c.RepoTags, func(t string) bool { return refMatches(t, ref) }) {
				m, found = c, true
			}
		}
		if !found {
			return nil, fmt.Errorf("%s: %w: no image named %q in the archive (it holds: %s); drop the name to scan the archive's image", where, ErrNotFound, ref, strings.Join(tags, ", "))
		}
	}
	if m.Config == "" {
		return nil, fmt.Errorf("%s: manifest.json: %w: no Config", where, ErrNotImage)
	}
	cfgName, ok := cleanName(m.Config)
	if !ok {
		return nil, fmt.Errorf("%s: manifest.json: %w: config path %q", where, ErrUnsafePath, m.Config)
	}
	rawConfig, err := readFile(st, cfgName, opts.maxJSON())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	blobs := make([]layerBlob, 0, len(m.Layers))
	for _, lp := range m.Layers {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		name, ok := cleanName(lp)
		if !ok {
			return nil, fmt.Errorf("%s: manifest.json: %w: layer path %q", where, ErrUnsafePath, lp)
		}
		rc, size, err := st.open(name)
		if err != nil {
			return nil, fmt.Errorf("%s: manifest.json references layer %s: %w", where, lp, err)
		}
		rc.Close()
		blobs = append(blobs, layerBlob{
			name:  name,
			size:  size,
			check: dockerBlobCheck(name, size),
			open: func() (io.ReadCloser, error) {
				rc, _, err := st.open(name)
				return rc, err
			},
		})
	}
	img, err := newImage(display, where, rawConfig, blobs)
	if err != nil {
		return nil, err
	}
	img.repoTags = append([]string(nil), m.RepoTags...)
	return img, nil
}

// readFile reads a small (JSON) file from a store, capped at limit bytes.
func readFile(st store, name string, limit int64) ([]byte, error) {
	rc, size, err := st.open(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer rc.Close()
	if size > limit {
		return nil, fmt.Errorf("%s: %w: %d bytes, limit %d", name, ErrTooLarge, size, limit)
	}
	return readCapped(rc, limit, name)
}

// dockerBlobCheck verifies a docker-save layer stored under its digest
// ("blobs/sha256/<hex>", as Docker 25+ writes them) against that digest;
// older layouts name layers by id and only the diffID is checked.
func dockerBlobCheck(name string, size int64) blobCheck {
	if rest, ok := strings.CutPrefix(name, "blobs/"); ok {
		if alg, hexPart, ok := strings.Cut(rest, "/"); ok {
			if _, _, ok := cutDigest(alg + ":" + hexPart); ok {
				return blobCheck{digest: alg + ":" + hexPart, size: size}
			}
		}
	}
	return blobCheck{size: size}
}

// refMatches reports whether a name recorded in an archive or layout
// ("app:1.0", "docker.io/library/app:1.0", or only "1.0" in an OCI
// layout's ref.name) names the image reference the user gave.
func refMatches(recorded, ref string) bool {
	if recorded == "" || ref == "" {
		return false
	}
	return recorded == ref || strings.HasSuffix(recorded, "/"+ref) || strings.HasSuffix(recorded, ":"+ref) ||
		strings.HasSuffix(ref, "/"+recorded)
}
