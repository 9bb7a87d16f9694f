package pypi

import "testing"

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"Flask":             "flask",
		"zope.interface":    "zope-interface",
		"typing_extensions": "typing-extensions",
		"A--B__C..D":        "a-b-c-d",
		"  Django ":         "django",
		"ruamel.yaml.clib":  "ruamel-yaml-clib",
		"-leading":          "-leading",
		"trailing__":        "trailing-",
		"":                  "",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}
