package acceptance

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/source/image/enginetest"
)

// TestImageFromDockerDaemon: the Debian corpus image served by a fake
// Docker Engine on a unix socket (as `docker save` would stream it) gives
// the same JSON report as scanning the archive with --input; the metadata
// carries the daemon's image ID, tags and digests.
func TestImageFromDockerDaemon(t *testing.T) {
	tarPath := corpus(t, "images", "debian12-app.tar")
	saved := readDockerSave(t, tarPath)
	const ref = "debian12-app:latest"
	if !slices.Contains(saved.repoTags, ref) {
		t.Fatalf("corpus image tags %v lack %s", saved.repoTags, ref)
	}
	digest := "debian12-app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	eng := enginetest.Start(t, enginetest.SocketPath(t, "docker.sock"), "1.43", enginetest.Image{
		Names: []string{ref}, ID: saved.configDigest,
		RepoTags: saved.repoTags, RepoDigests: []string{digest},
		File: tarPath,
	})
	t.Setenv("DOCKER_HOST", eng.Host)

	fromArchive := scanJSON(t, "image", "--input", tarPath, ref)
	fromDaemon := scanJSON(t, "image", "--image-src", "docker", ref)
	if fromDaemon.Metadata.ImageID != saved.configDigest || !slices.Equal(fromDaemon.Metadata.RepoTags, saved.repoTags) ||
		!slices.Equal(fromDaemon.Metadata.RepoDigests, []string{digest}) {
		t.Errorf("daemon metadata: ImageID %s RepoTags %v RepoDigests %v; want %s %v [%s]",
			fromDaemon.Metadata.ImageID, fromDaemon.Metadata.RepoTags, fromDaemon.Metadata.RepoDigests, saved.configDigest, saved.repoTags, digest)
	}
	for _, r := range []*struct {
		CreatedAt *time.Time
		ReportID  *string
	}{{&fromArchive.CreatedAt, &fromArchive.ReportID}, {&fromDaemon.CreatedAt, &fromDaemon.ReportID}} {
		*r.CreatedAt, *r.ReportID = time.Time{}, ""
	}
	fromDaemon.Metadata.RepoDigests = fromArchive.Metadata.RepoDigests
	if d := cmp.Diff(fromArchive, fromDaemon); d != "" {
		t.Errorf("report from the daemon differs from the archive's (-archive +daemon):\n%s", d)
	}
	var vulns int
	for _, res := range fromArchive.Results {
		vulns += len(res.Vulnerabilities)
	}
	if vulns == 0 {
		t.Error("the report has no vulnerabilities: the comparison proves little")
	}
	if !slices.Contains(eng.Requests(), "/v1.43/images/"+ref+"/get") {
		t.Errorf("the image was not exported from the daemon: %v", eng.Requests())
	}
}
