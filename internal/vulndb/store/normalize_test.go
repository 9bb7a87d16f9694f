package store

import "testing"

func TestInRelease(t *testing.T) {
	tests := []struct {
		family, version, eco string
		want                 bool
	}{
		{"debian", "12.7", "Debian:12", true},
		{"debian", "12.7", "Debian:11", false},
		{"ubuntu", "22.04", "Ubuntu:22.04:LTS", true},
		{"ubuntu", "22.04", "Ubuntu:24.04:LTS", false},
		{"ubuntu", "22.04", "Ubuntu:Pro:22.04:LTS", false},
		{"alpine", "3.19.1", "Alpine:v3.19", true},
		{"alpine", "3.19.1", "Alpine:v3.1", false},
		{"redhat", "9.3", "Red Hat:enterprise_linux:9::appstream", true},
		{"redhat", "9.3", "Red Hat:enterprise_linux:9::baseos", true},
		{"redhat", "9.3", "Red Hat:enterprise_linux:9", true},
		{"redhat", "10.1", "Red Hat:enterprise_linux:10.0", true},
		{"redhat", "9.3", "Red Hat:enterprise_linux:8::appstream", false},
		{"redhat", "9.3", "Red Hat:enterprise_linux:90::appstream", false},
		{"redhat", "9.3", "Red Hat:rhel_eus:9.2::appstream", false},
		{"centos", "7.9.2009", "Red Hat:enterprise_linux:7::server", true},
		{"alma", "9.3", "AlmaLinux:9", true},
		{"alma", "9.3", "AlmaLinux:8", false},
		{"rocky", "8.9", "Rocky Linux:9", false},
		{"suse linux enterprise server", "15.5", "SUSE:Linux Enterprise Server 15 SP5", true},
		{"suse linux enterprise server", "15.5", "SUSE:Linux Enterprise Module for Basesystem 15 SP5", true},
		{"suse linux enterprise server", "15.5", "SUSE:Linux Enterprise Server 15 SP5-LTSS", false},
		{"suse linux enterprise server", "15.5", "SUSE:Linux Enterprise Server 15 SP4", false},
		{"suse linux enterprise server", "15.5", "SUSE:Linux Enterprise Micro 5.5", false},
		{"suse linux enterprise server", "15", "SUSE:Linux Enterprise Server 15", true},
		{"opensuse-leap", "15.5", "openSUSE:Leap 15.5", true},
		{"opensuse-leap", "15.5", "openSUSE:Tumbleweed", false},
		{"wolfi", "20230201", "Chainguard", false},
		{"chainguard", "20230201", "Wolfi", false},
	}
	for _, tt := range tests {
		if got := InRelease(tt.family, tt.version, tt.eco); got != tt.want {
			t.Errorf("InRelease(%q, %q, %q) = %v, want %v", tt.family, tt.version, tt.eco, got, tt.want)
		}
	}
}
