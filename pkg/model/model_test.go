package model

import "testing"

func TestFullVersion(t *testing.T) {
	tests := []struct {
		p    Package
		want string
		src  string
	}{
		{Package{Version: "1.2.3"}, "1.2.3", ""},
		{Package{Version: "2.36", Release: "9+deb12u10", SrcVersion: "2.36", SrcRelease: "9+deb12u10"}, "2.36-9+deb12u10", "2.36-9+deb12u10"},
		{Package{Epoch: 1, Version: "4.13+dfsg1", Release: "1+deb12u2", SrcEpoch: 1, SrcVersion: "4.13+dfsg1", SrcRelease: "1"}, "1:4.13+dfsg1-1+deb12u2", "1:4.13+dfsg1-1"},
	}
	for _, tt := range tests {
		if got := tt.p.FullVersion(); got != tt.want {
			t.Errorf("FullVersion(%+v) = %q, want %q", tt.p, got, tt.want)
		}
		if got := tt.p.FullSrcVersion(); got != tt.src {
			t.Errorf("FullSrcVersion(%+v) = %q, want %q", tt.p, got, tt.src)
		}
	}
	var nilOS *OS
	if nilOS.Detected() || (&OS{}).Detected() || !(&OS{Family: "alpine"}).Detected() {
		t.Error("Detected")
	}
}

func TestPackageTypeClasses(t *testing.T) {
	for typ, want := range map[string]string{
		TypeNodePkg: "Node.js", TypePythonPkg: "Python", TypeGemSpec: "Ruby", TypeJar: "Java", TypeConda: "Conda",
		TypeNpm: "", TypeGoBinary: "", TypeDpkg: "",
	} {
		if got := AggregatedTarget(typ); got != want || IsAggregated(typ) != (want != "") {
			t.Errorf("AggregatedTarget(%q) = %q, want %q", typ, got, want)
		}
	}
	for typ, want := range map[string]bool{TypeDpkg: true, TypeApk: true, TypeRPM: true, TypeNpm: false, TypeJar: false} {
		if IsOSType(typ) != want {
			t.Errorf("IsOSType(%q) != %v", typ, want)
		}
	}
}
