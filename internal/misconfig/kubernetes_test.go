package misconfig

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/trawlsec/trawl/pkg/inventory"
	"github.com/trawlsec/trawl/pkg/model"
)

func scanManifest(t *testing.T, e *Engine, content string) *Result {
	t.Helper()
	r, err := e.Scan(context.Background(), inventory.ConfigFile{Type: TypeKubernetes, FilePath: "deploy.yaml", Content: []byte(content)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// goodDeployment passes every built-in Kubernetes check.
const goodDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true
      volumes:
      - name: data
        emptyDir: {}
      containers:
      - name: app
        image: nginx:1.27
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          privileged: false
          runAsUser: 10001
          runAsGroup: 10001
          seccompProfile: {type: RuntimeDefault}
          capabilities:
            drop: ["ALL"]
            add: ["NET_BIND_SERVICE"]
        resources:
          requests: {cpu: 100m, memory: 64Mi}
          limits: {cpu: 500m, memory: 128Mi}
`

// TestKubernetesChecks: each check fails on a Deployment that breaks its
// rule (the rest is good), pointing at the container, the pod spec or the
// volume, and the good one passes all.
func TestKubernetesChecks(t *testing.T) {
	e := newEngine(t, Options{})
	n := countChecks(e, TypeKubernetes)
	r := scanManifest(t, e, goodDeployment)
	if ids := failedIDs(r); len(ids) != 0 || n < 10 || r.Summary.Successes != n {
		t.Fatalf("good Deployment: fails %v, summary %+v for %d checks: %+v", ids, r.Summary, n, r.Misconfigurations)
	}
	podField := func(field string) string {
		return strings.Replace(goodDeployment, "    spec:\n", "    spec:\n      "+field+"\n", 1)
	}
	host := func(field string) string { return podField(field + ": true") }
	podSC := func(field string) string {
		return strings.Replace(goodDeployment, "        runAsNonRoot: true\n", "        runAsNonRoot: true\n        "+field+"\n", 1)
	}
	containerSC := func(field string) string {
		return strings.Replace(goodDeployment, "          privileged: false\n", "          privileged: false\n          "+field+"\n", 1)
	}
	for _, tt := range []struct {
		name, manifest string
		ids            []string
		start, end     int
	}{
		{"KSV-0001", strings.Replace(goodDeployment, "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true", 1), []string{"KSV-0001"}, 15, 29},
		{"KSV001 unset", strings.Replace(goodDeployment, "          allowPrivilegeEscalation: false\n", "", 1), []string{"KSV-0001"}, 15, 28},
		{"KSV003 and KSV106", strings.Replace(goodDeployment, `drop: ["ALL"]`, `drop: ["NET_RAW"]`, 1), []string{"KSV-0003", "KSV-0106"}, 15, 29},
		{"KSV-0008", host("hostIPC"), []string{"KSV-0008"}, 9, 30},
		{"KSV-0009", host("hostNetwork"), []string{"KSV-0009"}, 9, 30},
		{"KSV-0010", host("hostPID"), []string{"KSV-0010"}, 9, 30},
		{"KSV012 pod", strings.Replace(goodDeployment, "runAsNonRoot: true", "runAsNonRoot: false", 1), []string{"KSV-0012"}, 15, 29},
		{"KSV012 container overrides", strings.Replace(goodDeployment, "          privileged: false\n", "          privileged: false\n          runAsNonRoot: false\n", 1), []string{"KSV-0012"}, 15, 30},
		{"KSV-0014", strings.Replace(goodDeployment, "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false", 1), []string{"KSV-0014"}, 15, 29},
		{"KSV014 unset", strings.Replace(goodDeployment, "          readOnlyRootFilesystem: true\n", "", 1), []string{"KSV-0014"}, 15, 28},
		{"KSV014 flow securityContext", strings.Replace(goodDeployment, "      - name: app\n", "      - name: side\n        image: x:1\n        securityContext: {allowPrivilegeEscalation: false, privileged: false, runAsUser: 10001, runAsGroup: 10001, seccompProfile: {type: RuntimeDefault}, capabilities: {drop: [ALL]}}\n        resources: {requests: {cpu: 1m, memory: 1Mi}, limits: {cpu: 1m, memory: 1Mi}}\n      - name: app\n", 1), []string{"KSV-0014"}, 15, 18},
		{"KSV-0017", strings.Replace(goodDeployment, "privileged: false", "privileged: true", 1), []string{"KSV-0017"}, 15, 29},
		{"KSV-0023", strings.Replace(goodDeployment, "emptyDir: {}", "hostPath: {path: /var/run}", 1), []string{"KSV-0023"}, 12, 13},
		{"KSV-0106 with KSV-0005 and KSV-0022", strings.Replace(goodDeployment, `add: ["NET_BIND_SERVICE"]`, `add: ["NET_BIND_SERVICE", "SYS_ADMIN"]`, 1), []string{"KSV-0005", "KSV-0022", "KSV-0106"}, 15, 29},
		{"KSV-0002 annotation", strings.Replace(goodDeployment, "  template:\n", "  template:\n    metadata:\n      annotations:\n        container.apparmor.security.beta.kubernetes.io/app: unconfined\n", 1), []string{"KSV-0002"}, 18, 32},
		{"KSV-0002 container field", containerSC("appArmorProfile: {type: Unconfined}"), []string{"KSV-0002"}, 15, 30},
		{"KSV-0004 with KSV-0003 and KSV-0106", strings.Replace(goodDeployment, "            drop: [\"ALL\"]\n", "", 1), []string{"KSV-0003", "KSV-0004", "KSV-0106"}, 15, 28},
		{"KSV-0006 with KSV-0023", strings.Replace(goodDeployment, "emptyDir: {}", "hostPath: {path: /var/run/docker.sock}", 1), []string{"KSV-0006", "KSV-0023"}, 12, 13},
		{"KSV-0007", podField("hostAliases: [{ip: 10.0.0.1, hostnames: [db]}]"), []string{"KSV-0007"}, 9, 30},
		{"KSV-0011", strings.Replace(goodDeployment, "limits: {cpu: 500m, memory: 128Mi}", "limits: {memory: 128Mi}", 1), []string{"KSV-0011"}, 15, 29},
		{"KSV-0013", strings.Replace(goodDeployment, "nginx:1.27", "nginx:latest", 1), []string{"KSV-0013"}, 15, 29},
		{"KSV-0015", strings.Replace(goodDeployment, "requests: {cpu: 100m, memory: 64Mi}", "requests: {memory: 64Mi}", 1), []string{"KSV-0015"}, 15, 29},
		{"KSV-0016", strings.Replace(goodDeployment, "requests: {cpu: 100m, memory: 64Mi}", "requests: {cpu: 100m}", 1), []string{"KSV-0016"}, 15, 29},
		{"KSV-0018", strings.Replace(goodDeployment, "limits: {cpu: 500m, memory: 128Mi}", "limits: {cpu: 500m}", 1), []string{"KSV-0018"}, 15, 29},
		{"KSV-0020 container overrides pod", strings.Replace(podSC("runAsUser: 20000"), "runAsUser: 10001", "runAsUser: 10000", 1), []string{"KSV-0020"}, 16, 30},
		{"KSV-0021 unset", strings.Replace(goodDeployment, "          runAsGroup: 10001\n", "", 1), []string{"KSV-0021"}, 15, 28},
		{"KSV-0022", strings.Replace(goodDeployment, `add: ["NET_BIND_SERVICE"]`, `add: ["SYS_TIME"]`, 1), []string{"KSV-0022", "KSV-0106"}, 15, 29},
		{"KSV-0024", strings.Replace(goodDeployment, "        image: nginx:1.27\n", "        image: nginx:1.27\n        ports: [{containerPort: 8080, hostPort: 8080}]\n", 1), []string{"KSV-0024"}, 15, 30},
		{"KSV-0025 pod", podSC("seLinuxOptions: {type: spc_t}"), []string{"KSV-0025"}, 9, 30},
		{"KSV-0026", podSC("sysctls: [{name: net.core.somaxconn, value: '1024'}]"), []string{"KSV-0026"}, 9, 30},
		{"KSV-0027", containerSC("procMount: Unmasked"), []string{"KSV-0027"}, 15, 30},
		{"KSV-0028", strings.Replace(goodDeployment, "emptyDir: {}", "nfs: {server: nfs, path: /}", 1), []string{"KSV-0028"}, 12, 13},
		{"KSV-0030 unset", strings.Replace(goodDeployment, "          seccompProfile: {type: RuntimeDefault}\n", "", 1), []string{"KSV-0030"}, 15, 28},
		{"KSV-0030 and KSV-0104 pod", strings.Replace(podSC("seccompProfile: {type: Unconfined}"), "          seccompProfile: {type: RuntimeDefault}\n", "", 1), []string{"KSV-0030", "KSV-0104"}, 9, 29},
		{"KSV-0036", podField("automountServiceAccountToken: true"), []string{"KSV-0036"}, 9, 30},
		{"KSV-0103 container", containerSC("windowsOptions: {hostProcess: true}"), []string{"KSV-0103"}, 15, 30},
		{"KSV-0104 container", strings.Replace(goodDeployment, "seccompProfile: {type: RuntimeDefault}", "seccompProfile: {type: Unconfined}", 1), []string{"KSV-0030", "KSV-0104"}, 15, 29},
		{"KSV-0105 pod", podSC("runAsUser: 0"), []string{"KSV-0105"}, 9, 30},
		{"KSV-0116 pod", podSC("fsGroup: 0"), []string{"KSV-0116"}, 9, 30},
		{"KSV-0117", strings.Replace(goodDeployment, "        image: nginx:1.27\n", "        image: nginx:1.27\n        ports: [{containerPort: 80}]\n", 1), []string{"KSV-0117"}, 15, 30},
		{"KSV-0119", strings.Replace(goodDeployment, `add: ["NET_BIND_SERVICE"]`, `add: ["NET_RAW"]`, 1), []string{"KSV-0022", "KSV-0106", "KSV-0119"}, 15, 29},
		{"KSV-0121", strings.Replace(goodDeployment, "emptyDir: {}", "hostPath: {path: /proc}", 1), []string{"KSV-0023", "KSV-0121"}, 12, 13},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := scanManifest(t, e, tt.manifest)
			if diff := cmp.Diff(tt.ids, failedIDs(r)); diff != "" {
				t.Fatalf("failed checks (-want +got):\n%s\n%s", diff, tt.manifest)
			}
			m := r.Misconfigurations[0]
			if m.CauseMetadata.StartLine != tt.start || m.CauseMetadata.EndLine != tt.end {
				t.Errorf("lines %d-%d, want %d-%d", m.CauseMetadata.StartLine, m.CauseMetadata.EndLine, tt.start, tt.end)
			}
			if len(m.CauseMetadata.Code.Lines) != tt.end-tt.start+1 || m.CauseMetadata.Code.Lines[0].Number != tt.start {
				t.Errorf("code lines %+v", m.CauseMetadata.Code.Lines)
			}
			pkg := "KSV" + strings.TrimPrefix(m.ID, "KSV-0") // KSV-0106 → package KSV106
			if m.AVDID != "AVD-"+m.ID || m.Namespace != "builtin.kubernetes."+pkg || m.Type != "Kubernetes Security Check" ||
				m.Title == "" || m.Description == "" || m.Resolution == "" || !strings.Contains(m.Message, "Deployment 'web'") ||
				m.PrimaryURL != "https://avd.aquasec.com/misconfig/"+strings.ToLower(m.ID) || m.CauseMetadata.Provider != "Kubernetes" || m.CauseMetadata.Service != "general" {
				t.Errorf("entry %+v", m)
			}
			if r.Summary.Successes != n-len(tt.ids) {
				t.Errorf("summary %+v", r.Summary)
			}
		})
	}
}

// TestKubernetesWorkloadKinds: the checks find a privileged container in
// the containers, init containers and ephemeral containers of every
// workload kind, CronJob's job template included, and the pod security
// and resource checks (CPU limit, UID, seccomp) flag it too.
func TestKubernetesWorkloadKinds(t *testing.T) {
	e := newEngine(t, Options{})
	podSpec := func(field string) map[string]any {
		return map[string]any{field: []any{map[string]any{
			"name": "bad", "image": "x:1", "securityContext": map[string]any{"privileged": true},
		}}}
	}
	template := func(spec map[string]any) map[string]any {
		return map[string]any{"template": map[string]any{"spec": spec}}
	}
	for _, kind := range []string{"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "ReplicationController"} {
		for _, field := range []string{"containers", "initContainers", "ephemeralContainers"} {
			t.Run(kind+"/"+field, func(t *testing.T) {
				var spec map[string]any
				switch kind {
				case "Pod":
					spec = podSpec(field)
				case "CronJob":
					spec = map[string]any{"schedule": "@daily", "jobTemplate": map[string]any{"spec": template(podSpec(field))}}
				default:
					spec = template(podSpec(field))
				}
				out, err := yaml.Marshal(map[string]any{"apiVersion": "v1", "kind": kind, "metadata": map[string]any{"name": "w"}, "spec": spec})
				if err != nil {
					t.Fatal(err)
				}
				r := scanManifest(t, e, string(out))
				var found *model.Misconfiguration
				for i, m := range r.Misconfigurations {
					if m.ID == "KSV-0017" {
						found = &r.Misconfigurations[i]
					}
				}
				if found == nil {
					t.Fatalf("no KSV017 in %v\n%s", failedIDs(r), out)
				}
				want := fmt.Sprintf("Container 'bad' of %s 'w'", kind)
				var code []string
				for _, l := range found.CauseMetadata.Code.Lines {
					code = append(code, l.Content)
				}
				if !strings.HasPrefix(found.Message, want) || !strings.Contains(strings.Join(code, "\n"), "privileged: true") {
					t.Errorf("message %q, code %q\n%s", found.Message, code, out)
				}
				// The pod security checks see the same container: it sets
				// no CPU limit, no UID and no seccomp profile, nor does its pod.
				for _, id := range []string{"KSV-0011", "KSV-0020", "KSV-0030"} {
					ok := false
					for _, m := range r.Misconfigurations {
						ok = ok || m.ID == id && strings.HasPrefix(m.Message, want)
					}
					if !ok {
						t.Errorf("no %s for %s in %v", id, want, failedIDs(r))
					}
				}
			})
		}
	}
}

// TestKubernetesDocuments: a multi-document file with a List: findings of
// each resource point at its lines; resources that are not workloads
// (a Service, a CRD object) pass.
func TestKubernetesDocuments(t *testing.T) {
	e := newEngine(t, Options{})
	content := goodDeployment + `---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata:
    name: svc
  spec:
    ports: [{port: 80}]
- apiVersion: v1
  kind: Pod
  metadata:
    name: p
  spec:
    hostNetwork: true
    containers:
    - name: c
      image: x:1
      securityContext: {privileged: true, runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]},
        runAsUser: 10001, runAsGroup: 10001, seccompProfile: {type: RuntimeDefault}}
      resources: {requests: {cpu: 1m, memory: 1Mi}, limits: {cpu: 1m, memory: 1Mi}}
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  containers: "not a list"
`
	r := scanManifest(t, e, content)
	type hit struct {
		ID         string
		Start, End int
	}
	var got []hit
	for _, m := range r.Misconfigurations {
		got = append(got, hit{m.ID, m.CauseMetadata.StartLine, m.CauseMetadata.EndLine})
	}
	want := []hit{{"KSV-0009", 45, 51}, {"KSV-0017", 47, 51}, {"KSV-0110", 43, 43}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	n := countChecks(e, TypeKubernetes)
	if r.Summary.Failures != 3 || r.Summary.Successes != 4*n-3 {
		t.Errorf("summary %+v for 4 resources and %d checks", r.Summary, n)
	}
}

// TestKubernetesInput: the input document is the resource as written
// with line information in every mapping; a user check selecting
// kubernetes reads it and its result.new cause gives the lines.
func TestKubernetesInput(t *testing.T) {
	in, err := KubernetesInputs("k8s/pod.yaml", []byte("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: {app: x}\nspec:\n  containers:\n  - name: c\n    image: x\n"))
	if err != nil || len(in) != 1 {
		t.Fatal(in, err)
	}
	md := in[0]["metadata"].(map[string]any)
	if diff := cmp.Diff(map[string]any{"startline": 4, "endline": 5, "filepath": "k8s/pod.yaml"}, md["__defsec_metadata"]); diff != "" || md["name"] != "a" || in[0]["kind"] != "Pod" {
		t.Errorf("metadata %v (-want +got):\n%s", md, diff)
	}
	if _, err := KubernetesInputs("bad.yaml", []byte("apiVersion: v1\nkind: [\n")); err == nil || !strings.HasPrefix(err.Error(), "bad.yaml: ") {
		t.Errorf("err = %v", err)
	}

	dir := t.TempDir()
	write(t, dir, "labels.rego", `# METADATA
# title: Needs a team label
# custom:
#   id: USR100
#   severity: LOW
#   input:
#     selector:
#     - type: kubernetes
package user.k8s.USR100

deny[res] {
	not input.metadata.labels.team
	res := result.new(sprintf("%s %s has no team label", [input.kind, input.metadata.name]), input.metadata)
}
`)
	e := newEngine(t, Options{CheckPaths: []string{filepath.Join(dir, "labels.rego")}})
	r := scanManifest(t, e, goodDeployment)
	if diff := cmp.Diff([]string{"USR100"}, failedIDs(r)); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	if m := r.Misconfigurations[0]; m.CauseMetadata.StartLine != 4 || m.CauseMetadata.EndLine != 5 || m.Message != "Deployment web has no team label" {
		t.Errorf("entry %+v", m)
	}
}

// TestKubernetesOddShapes: fields of the wrong type are not errors (the
// checks find nothing to flag there); a container without any
// securityContext fails the checks that need one set.
func TestKubernetesOddShapes(t *testing.T) {
	e := newEngine(t, Options{})
	r := scanManifest(t, e, "apiVersion: apps/v1\nkind: Deployment\nmetadata: x\nspec:\n  template:\n    spec:\n      volumes: 3\n      containers: [1, \"a\", [], {name: bare}]\n      initContainers: {a: b}\n")
	if diff := cmp.Diff([]string{"KSV-0001", "KSV-0003", "KSV-0004", "KSV-0011", "KSV-0012", "KSV-0014", "KSV-0015", "KSV-0016",
		"KSV-0018", "KSV-0020", "KSV-0021", "KSV-0030", "KSV-0106", "KSV-0110", "KSV-0118"}, failedIDs(r)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
