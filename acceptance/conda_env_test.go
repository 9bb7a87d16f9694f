package acceptance

import (
	"os"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/parse/conda"
)

// TestCondaEnvironment reads the corpus environment files. Expected sets read
// by hand from happy.yaml: of its 15 conda specs, the ones pinning one exact
// version are blas=1.0, ca-certificates=2024.2, libexpat==2.6.2,
// libffi==3.4.2, libgomp 13.2.0, libnsl=2.0.1 and bzip2=1.0.8 (wildcards,
// ranges, alternatives and bare names pin nothing); its pip: section pins
// asgiref 3.8.1 and django 5.0.6.
func TestCondaEnvironment(t *testing.T) {
	dir := corpus(t, "projects", "trivy-parser-testdata", "conda", "environment", "testdata")
	f, err := os.Open(dir + "/happy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	env, err := conda.ParseEnvironment(f)
	if err != nil {
		t.Fatal(err)
	}
	var gotConda, gotPip []string
	for _, p := range env.Conda {
		gotConda = append(gotConda, p.ID)
	}
	for _, p := range env.Pip {
		gotPip = append(gotPip, p.Name+"@"+p.Version)
	}
	sort.Strings(gotConda)
	want := []string{"blas@1.0", "bzip2@1.0.8", "ca-certificates@2024.2", "libexpat@2.6.2", "libffi@3.4.2", "libgomp@13.2.0", "libnsl@2.0.1"}
	if diff := cmp.Diff(want, gotConda); diff != "" {
		t.Errorf("conda (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"asgiref@3.8.1", "django@5.0.6"}, gotPip); diff != "" {
		t.Errorf("pip (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"invalid.yaml", "wrong-deps-type.yaml", "wrong-nested-dep-type.yaml", "wrong-nested-type.yaml"} {
		f, err := os.Open(dir + "/" + bad)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conda.ParseEnvironment(f); err == nil {
			t.Errorf("%s: no error", bad)
		}
		f.Close()
	}
}
