package cli

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/trawlsec/trawl/internal/source/image/containerdtest"
	"github.com/trawlsec/trawl/pkg/model"
)

// TestImageFromContainerd: an image imported into a real containerd (no
// unpacking) and read with --image-src containerd gives the same report as
// its docker-save archive, with containerd's names as RepoTags and
// RepoDigests; in another namespace it is not found.
func TestImageFromContainerd(t *testing.T) {
	noDaemons(t)
	archive, _ := daemonFixture(t)
	d := containerdtest.Start(t)
	if names := d.Import(t, "trawl-cli", archive); !slices.Contains(names, "example.com/app:1.0") {
		t.Fatalf("containerd named the import %v", names)
	}
	target := d.Target(t, "trawl-cli", "example.com/app:1.0")
	t.Setenv("CONTAINERD_ADDRESS", d.Address)
	t.Setenv("CONTAINERD_NAMESPACE", "trawl-cli")

	var out string
	scan := func(args ...string) model.Report {
		t.Helper()
		var errOut string
		var code int
		out, errOut, code = run(t, append(append([]string{"image"}, args...), scanArgs(t)...)...)
		if code != 0 {
			t.Fatalf("trawl image %v: exit %d: %s", args, code, errOut)
		}
		r := decode(t, out)
		r.CreatedAt, r.ReportID = time.Time{}, ""
		return r
	}
	fromArchive := scan("--input", archive, "example.com/app:1.0")
	fromContainerd := scan("--image-src", "containerd", "example.com/app:1.0")

	// A docker-save archive does not name its layers' stored digests; the
	// OCI export does: each must be the digest of that layer's blob.
	blobOf := layerBlobs(t, archive)
	var doc any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	seen := 0
	forEachLayer(doc, func(diffID, dgst string) {
		seen++
		if dgst != blobOf[diffID] {
			t.Errorf("layer %s: Digest %q, want its blob's %q", diffID, dgst, blobOf[diffID])
		}
	})
	if seen == 0 {
		t.Error("no layer in the report from containerd")
	}
	wantDigests := []string{"example.com/app@" + target.String()}
	if !slices.Equal(fromContainerd.Metadata.RepoDigests, wantDigests) {
		t.Errorf("RepoDigests %v, want containerd's %v", fromContainerd.Metadata.RepoDigests, wantDigests)
	}
	fromContainerd.Metadata.RepoDigests = fromArchive.Metadata.RepoDigests
	if d := cmp.Diff(fromArchive, fromContainerd, cmpopts.IgnoreFields(model.Layer{}, "Digest")); d != "" {
		t.Errorf("report from containerd differs from the archive's (-archive +containerd):\n%s", d)
	}
	if len(fromArchive.Results) == 0 {
		t.Error("the report has no results: the comparison proves little")
	}

	t.Setenv("CONTAINERD_NAMESPACE", "default")
	_, errOut, code := run(t, append([]string{"image", "--image-src", "containerd", "example.com/app:1.0"}, scanArgs(t)...)...)
	want := `trawl: error: unable to find the specified image "example.com/app:1.0" in [containerd]: containerd: containerd unix://` +
		d.Address + ` (namespace default): trawl/image: not found: no such image example.com/app:1.0`
	if code != 1 || errOut != want+"\n" {
		t.Errorf("exit %d, stderr %q; want %q", code, errOut, want)
	}
}

// layerBlobs maps the diff IDs of a docker-save archive's image to the
// digests of its stored layer blobs.
func layerBlobs(t *testing.T, archive string) map[string]string {
	t.Helper()
	img, err := tarball.ImageFromPath(archive, nil)
	if err != nil {
		t.Fatal(err)
	}
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, l := range layers {
		d, err := l.Digest()
		if err != nil {
			t.Fatal(err)
		}
		id, err := l.DiffID()
		if err != nil {
			t.Fatal(err)
		}
		m[id.String()] = d.String()
	}
	return m
}

// forEachLayer calls fn for every JSON object with a DiffID in v.
func forEachLayer(v any, fn func(diffID, digest string)) {
	switch v := v.(type) {
	case map[string]any:
		if id, ok := v["DiffID"].(string); ok {
			d, _ := v["Digest"].(string)
			fn(id, d)
		}
		for _, e := range v {
			forEachLayer(e, fn)
		}
	case []any:
		for _, e := range v {
			forEachLayer(e, fn)
		}
	}
}
