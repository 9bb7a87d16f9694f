package app

import (
	"slices"
	"testing"

	"github.com/trawlsec/trawl/pkg/inventory"
	"github.com/trawlsec/trawl/pkg/model"
)

// TestConfigFindings: the image config's red flags, on configs and facts
// made by hand.
func TestConfigFindings(t *testing.T) {
	l1 := model.Layer{DiffID: "sha256:base", CreatedBy: "ADD rootfs.tar /"}
	l2 := model.Layer{DiffID: "sha256:app", CreatedBy: "RUN curl -fsSL https://get.example | sh"}
	layers := []model.Layer{l1, l2}
	history := `"history": [{"created_by": "ADD rootfs.tar /"}, {"created_by": "ENV A=1", "empty_layer": true},
	  {"created_by": "RUN curl -fsSL https://get.example | sh"}]`
	facts := []inventory.ForensicFact{
		{Kind: inventory.FactExecutable, Detail: "elf", FilePath: "usr/bin/bash", Layer: l1, Mode: 0o755, Package: "bash"},
		{Kind: inventory.FactExecutable, Detail: "elf", FilePath: "usr/local/bin/app", Layer: l2, Mode: 0o755, SHA256: "a1"},
		{Kind: inventory.FactExecutable, Detail: "script", FilePath: "opt/run.sh", Layer: l2, Mode: 0o777, SHA256: "r1"},
		{Kind: inventory.FactWorldWritable, FilePath: "opt/run.sh", Layer: l2, Mode: 0o777, SHA256: "r1"},
		// Deleted by a later layer: not what the container starts.
		{Kind: inventory.FactExecutable, Detail: "elf", FilePath: "usr/local/bin/gone", Layer: l2, Mode: 0o755, Deleted: true},
	}
	type got struct{ id, sev, path, layer string }
	for _, tt := range []struct {
		name, config string
		want         []got
	}{
		{
			name:   "clean: a user, no ports, a packaged entrypoint",
			config: `{"config": {"User": "app", "Cmd": ["bash"]}, "history": [{"created_by": "ADD rootfs.tar /"}]}`,
		},
		{
			name:   "root by uid, with a group",
			config: `{"config": {"User": "0:0", "Cmd": ["bash"]}}`,
			want:   []got{{"FOR-CONFIG-ROOT", "MEDIUM", "", ""}},
		},
		{
			name:   "no user; curl piped to sh in a layer's step; admin ports; unowned entrypoint found on PATH",
			config: `{"config": {"ExposedPorts": {"22/tcp": {}, "8080/tcp": {}, "2375/tcp": {}, "5900/udp": {}}, "Env": ["PATH=/usr/local/bin:/usr/bin"], "Entrypoint": ["app", "--serve"]}, ` + history + `}`,
			want: []got{
				{"FOR-CONFIG-ROOT", "MEDIUM", "", ""},
				{"FOR-CONFIG-REMOTE-FETCH", "MEDIUM", "", "sha256:app"},
				{"FOR-CONFIG-ADMIN-PORT", "MEDIUM", "", ""},
				{"FOR-CONFIG-ADMIN-PORT", "HIGH", "", ""},
				{"FOR-CONFIG-ENTRYPOINT-UNOWNED", "LOW", "usr/local/bin/app", "sha256:app"},
			},
		},
		{
			name:   "ADD from a URL in an empty-layer-less history that does not match the layers: command only",
			config: `{"config": {"User": "root", "Entrypoint": ["/opt/run.sh"]}, "history": [{"created_by": "ADD https://example.com/x.tgz /opt/ # buildkit"}]}`,
			want: []got{
				{"FOR-CONFIG-ROOT", "MEDIUM", "", ""},
				{"FOR-CONFIG-REMOTE-FETCH", "MEDIUM", "", ""},
				{"FOR-CONFIG-ENTRYPOINT-WRITABLE", "HIGH", "opt/run.sh", "sha256:app"},
				{"FOR-CONFIG-ENTRYPOINT-UNOWNED", "LOW", "opt/run.sh", "sha256:app"},
			},
		},
		{
			name:   "relative entrypoint under WorkingDir; merged /usr for /bin",
			config: `{"config": {"User": "1000", "WorkingDir": "/usr/local", "Entrypoint": ["bin/app"]}}`,
			want:   []got{{"FOR-CONFIG-ENTRYPOINT-UNOWNED", "LOW", "usr/local/bin/app", "sha256:app"}},
		},
		{
			name:   "an entrypoint a later layer deleted, or unknown to the facts, gives nothing",
			config: `{"config": {"User": "app", "Entrypoint": ["/usr/local/bin/gone"], "Cmd": ["/bin/bash"]}}`,
		},
		{
			name:   "wget piped to bash through sudo",
			config: `{"config": {"User": "app"}, "history": [{"created_by": "/bin/sh -c wget -qO- http://x | sudo -E bash -"}]}`,
			want:   []got{{"FOR-CONFIG-REMOTE-FETCH", "MEDIUM", "", ""}},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			found, err := configFindings([]byte(tt.config), layers, facts)
			if err != nil {
				t.Fatal(err)
			}
			var gotten []got
			for _, f := range found {
				gotten = append(gotten, got{f.ID, f.Severity, f.Path, f.Layer.DiffID})
				if f.Category != forensicConfig || f.Title == "" || f.Message == "" || !slices.Contains(ForensicIDs, f.ID) {
					t.Errorf("finding %+v: category, title, message or ID not set", f)
				}
			}
			if !slices.Equal(gotten, tt.want) {
				t.Errorf("got  %v\nwant %v", gotten, tt.want)
			}
		})
	}
	if _, err := configFindings([]byte(`{"config": []}`), layers, facts); err == nil {
		t.Error("a config that is not one: no error")
	}
}

// TestDeletedFiles: a file a layer after the base added and a later layer
// deleted is reported (ELF and keys MEDIUM, others LOW), with its size
// and hash; not when a package owns the path in the final filesystem, nor
// for the base layer's files, nor for files still there.
func TestDeletedFiles(t *testing.T) {
	l1 := model.Layer{DiffID: "sha256:base"}
	l2 := model.Layer{DiffID: "sha256:tools", CreatedBy: "RUN fetch-tools"}
	l3 := model.Layer{DiffID: "sha256:clean", CreatedBy: "RUN rm -rf /root/*"}
	f := func(kind, detail, p string, l model.Layer, deleted bool, pkg string) inventory.ForensicFact {
		return inventory.ForensicFact{Kind: kind, Detail: detail, FilePath: p, Layer: l, Deleted: deleted, Package: pkg,
			Mode: 0o644, Size: 42, SHA256: "h-" + p}
	}
	facts := []inventory.ForensicFact{
		f(inventory.FactExecutable, "elf", "usr/bin/old", l1, true, ""),                  // base: removed cleanup
		f(inventory.FactExecutable, "elf", "root/scanner", l2, true, ""),                 // attacker tool
		f(inventory.FactArtifact, "archive", "root/loot.tar.gz", l2, true, ""),           // archive
		f(inventory.FactArtifact, "key", "root/.ssh/id_rsa", l2, true, ""),               // key
		f(inventory.FactArtifact, "script", "root/x.sh", l2, true, ""),                   // script
		f(inventory.FactExecutable, "elf", "usr/bin/curl", l2, true, "curl"),             // upgraded by the package
		f(inventory.FactArtifact, "archive", "opt/app.zip", l2, false, ""),               // still there
		f(inventory.FactExecutable, "elf", "usr/local/bin/t", l3, false, ""),             // still there
		f(inventory.FactExecutable, "script", "opt/setup", l2, true, ""),                 // executable script
		{Kind: inventory.FactWorldWritable, FilePath: "opt/w", Layer: l2, Deleted: true}, // not a kind kept
	}
	var got []string
	for _, ff := range forensicFindings(facts, []string{l1.DiffID, l2.DiffID, l3.DiffID}) {
		if ff.ID != "FOR-DELETED-FILE" {
			continue
		}
		if !ff.Deleted || ff.Size != 42 || ff.SHA256 != "h-"+ff.Path || ff.Layer != l2 || ff.Package != "none" {
			t.Errorf("%s: evidence %+v", ff.Path, ff)
		}
		got = append(got, ff.Severity+" "+ff.Path)
	}
	want := []string{"MEDIUM root/.ssh/id_rsa", "LOW root/loot.tar.gz", "MEDIUM root/scanner", "LOW root/x.sh", "LOW opt/setup"}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("FOR-DELETED-FILE on %v, want %v", got, want)
	}
}
