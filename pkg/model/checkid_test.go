package model

import "testing"

func TestShortCheckID(t *testing.T) {
	for id, want := range map[string]string{
		"DS-0002": "DS002", "KSV-0106": "KSV106", "AWS-0086": "AWS086", "KSV-1234": "KSV1234",
		"TRL-DS-0001": "", "DS002": "", "DS-002": "", "ds-0002": "", "DS-00a2": "", "-0002": "", "": "",
	} {
		if got := ShortCheckID(id); got != want {
			t.Errorf("ShortCheckID(%q) = %q, want %q", id, got, want)
		}
	}
}
