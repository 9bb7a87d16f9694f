package conda

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseEnvironment(t *testing.T) {
	const doc = `name: test-env
channels:
  - defaults
dependencies:
  - blas=1.0=openblas
  - _openmp_mutex
  - ld_impl_linux-aarch64=2.40.*
  - libblas>=3.9
  - libexpat==2.6.2
  - libffi==3.4.2=h3557bc0_5
  - libgcc-ng 13.2|13.3
  - libgomp 13.2.0 hf8544c7_5
  - liblapack=3.9.*=22_linuxaarch64_openblas
  - "=="
  - pip:
      - asgiref==3.8.1
      - Django==5.0.6
      - requests>=2
prefix: /opt/conda/envs/test-env
`
	env, err := ParseEnvironment(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	var conda, pipPkgs []string
	for _, p := range env.Conda {
		conda = append(conda, p.ID)
	}
	for _, p := range env.Pip {
		pipPkgs = append(pipPkgs, p.Name+"@"+p.Version)
	}
	if diff := cmp.Diff([]string{"blas@1.0", "libexpat@2.6.2", "libffi@3.4.2", "libgomp@13.2.0"}, conda); diff != "" {
		t.Errorf("conda (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"asgiref@3.8.1", "Django@5.0.6"}, pipPkgs); diff != "" {
		t.Errorf("pip (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"_openmp_mutex", "ld_impl_linux-aarch64", "libblas", "libgcc-ng", "liblapack"}, env.Unpinned); diff != "" {
		t.Errorf("unpinned (-want +got):\n%s", diff)
	}
	if env.Conda[0].Locations[0].StartLine != 5 {
		t.Errorf("blas line = %d", env.Conda[0].Locations[0].StartLine)
	}
}

func TestParseEnvironmentErrors(t *testing.T) {
	for name, doc := range map[string]string{
		"not yaml":          "dependencies: [",
		"number":            "dependencies:\n  - 1\n",
		"pip not a list":    "dependencies:\n  - pip: asgiref==3.8.1\n",
		"nested wrong type": "dependencies:\n  - pip:\n    - wrongType:\n      - asgiref==3.8.1\n",
		"unknown section":   "dependencies:\n  - npm:\n    - left-pad\n",
	} {
		if _, err := ParseEnvironment(strings.NewReader(doc)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	env, err := ParseEnvironment(strings.NewReader(""))
	if err != nil || len(env.Conda) != 0 {
		t.Errorf("empty file: %v %+v", err, env)
	}
}

func FuzzParseEnvironment(f *testing.F) {
	f.Add([]byte("dependencies:\n  - numpy=1.26.4\n  - pip:\n      - django==5.0.6\n"))
	f.Add([]byte("dependencies:\n  - 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		env, err := ParseEnvironment(strings.NewReader(string(data)))
		if err == nil {
			for _, p := range env.Conda {
				if p.Name == "" || p.Version == "" {
					t.Fatalf("package without name or version: %+v", p)
				}
			}
		}
	})
}
