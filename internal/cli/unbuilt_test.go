package cli

import (
	"strings"
	"testing"
)

// TestUnbuiltIsRefused: a scanner or option trawl accepts by name but does
// not run fails the command, instead of a warning and a clean report that
// a pipeline would take for a passed check.
func TestUnbuiltIsRefused(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"fs", "--scanners", "secret,license", dir}, "--scanners license: this scanner is not built yet"},
		{[]string{"rootfs", "--scanners", "license", dir}, "--scanners license: this scanner is not built yet"},
		{[]string{"image", "--input", dir, "--sbom-sources", "oci"}, "--sbom-sources oci: remote SBOM discovery is not built yet"},
		{[]string{"image", "--input", dir, "--image-config-scanners", "misconfig"}, "--image-config-scanners misconfig"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, errOut, code := run(t, tc.args...)
			if code == 0 || !strings.Contains(errOut, tc.want) {
				t.Fatalf("exit %d, stderr %q; want an error containing %q", code, errOut, tc.want)
			}
		})
	}
}
