package acceptance

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/trawlsec/trawl/internal/source/image/containerdtest"
	"github.com/trawlsec/trawl/pkg/model"
)

// TestImageFromContainerd: the Debian corpus image imported into a real
// containerd (no unpacking, namespace "acceptance") and read with
// --image-src containerd gives the same JSON report as scanning the archive
// with --input, except that the OCI export names each layer's stored
// digest, which a docker-save archive does not.
func TestImageFromContainerd(t *testing.T) {
	tarPath := corpus(t, "images", "debian12-app.tar")
	saved := readDockerSave(t, tarPath)
	const ref = "debian12-app:latest"
	if !slices.Contains(saved.repoTags, ref) {
		t.Fatalf("corpus image tags %v lack %s", saved.repoTags, ref)
	}
	d := containerdtest.Start(t)
	if names := d.Import(t, "acceptance", tarPath); !slices.Contains(names, "docker.io/library/"+ref) {
		t.Fatalf("containerd named the import %v", names)
	}
	t.Setenv("CONTAINERD_ADDRESS", d.Address)
	t.Setenv("CONTAINERD_NAMESPACE", "acceptance")

	fromArchive := scanJSON(t, "image", "--input", tarPath, ref)
	fromContainerd := scanJSON(t, "image", "--image-src", "containerd", ref)
	for _, r := range []*model.Report{&fromArchive, &fromContainerd} {
		r.CreatedAt, r.ReportID = time.Time{}, ""
	}
	target := d.Target(t, "acceptance", "docker.io/library/"+ref)
	if fromContainerd.Metadata.ImageID != saved.configDigest ||
		!slices.Equal(fromContainerd.Metadata.RepoDigests, []string{"debian12-app@" + target.String()}) {
		t.Errorf("containerd metadata: ImageID %s RepoDigests %v; want %s [debian12-app@%s]",
			fromContainerd.Metadata.ImageID, fromContainerd.Metadata.RepoDigests, saved.configDigest, target)
	}
	fromContainerd.Metadata.RepoDigests = fromArchive.Metadata.RepoDigests
	if d := cmp.Diff(fromArchive, fromContainerd, cmpopts.IgnoreFields(model.Layer{}, "Digest")); d != "" {
		t.Errorf("report from containerd differs from the archive's (-archive +containerd):\n%s", d)
	}
	var vulns int
	for _, res := range fromArchive.Results {
		vulns += len(res.Vulnerabilities)
	}
	for _, res := range fromContainerd.Results {
		for _, v := range res.Vulnerabilities {
			if !strings.HasPrefix(v.Layer.Digest, "sha256:") {
				t.Fatalf("%s in %s: layer %+v has no stored digest from the OCI export", v.VulnerabilityID, v.PkgName, v.Layer)
			}
		}
	}
	if vulns == 0 {
		t.Error("the report has no vulnerabilities: the comparison proves little")
	}
}
