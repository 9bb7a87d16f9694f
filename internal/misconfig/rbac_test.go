package misconfig

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRBACChecks: RBAC findings point at the offending rule of a Role
// or ClusterRole (its lines, not the resource's) and name the resource;
// a "*" resource is reported by the wildcard-resource checks only, not
// by every check about one resource; rules of the wrong shape are
// skipped without an error.
func TestRBACChecks(t *testing.T) {
	e := newEngine(t, Options{})
	type hit struct {
		ID         string
		Start, End int
	}
	for _, tt := range []struct {
		name, manifest string
		want           []hit
		message        string
	}{
		{
			name: "second rule",
			manifest: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ops
rules:
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list"]
- apiGroups: [""]
  resources: ["secrets", "configmaps"]
  verbs: ["get", "update"]
`,
			want:    []hit{{"KSV-0041", 9, 11}, {"KSV-0049", 9, 11}},
			message: "ClusterRole 'ops' should not grant access to secrets (resources secrets, verbs get, update)",
		},
		{
			name: "wildcard verb expands",
			manifest: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: exec
  namespace: apps
rules:
- apiGroups: [""]
  resources: ["pods/exec"]
  verbs: ["*"]
`,
			want:    []hit{{"KSV-0053", 7, 9}},
			message: "Role 'exec' should not allow exec into pods (resources pods/exec, verbs create, delete, deletecollection, patch, update)",
		},
		{
			name: "wildcard resource reported once",
			manifest: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
rules:
- apiGroups: [""]
  resources: ["*"]
  verbs: ["get", "list", "watch"]
`,
			want:    []hit{{"KSV-0046", 6, 8}},
			message: "ClusterRole 'reader' should not grant access to all resources (verbs get, list, watch)",
		},
		{
			name: "binding points at roleRef",
			manifest: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ops-admin
subjects:
- kind: Group
  name: ops
roleRef:
  kind: ClusterRole
  name: cluster-admin
  apiGroup: rbac.authorization.k8s.io
`,
			want:    []hit{{"KSV-0111", 9, 11}},
			message: "ClusterRoleBinding 'ops-admin' should not bind the role 'cluster-admin'",
		},
		{
			name: "odd shapes",
			manifest: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: x
rules: ["get", 3, {verbs: "*", resources: "*"}, {verbs: [1, "get"], resources: [null, "secrets"]}]
`,
			want:    []hit{{"KSV-0113", 4, 4}},
			message: "Role '' should not grant access to the secrets of its namespace (resources secrets, verbs get)",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := scanManifest(t, e, tt.manifest)
			var got []hit
			for _, m := range r.Misconfigurations {
				got = append(got, hit{m.ID, m.CauseMetadata.StartLine, m.CauseMetadata.EndLine})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
			if m := r.Misconfigurations[0]; m.Message != tt.message || !strings.HasPrefix(m.PrimaryURL, "https://avd.aquasec.com/misconfig/ksv-0") {
				t.Errorf("message %q, url %q", m.Message, m.PrimaryURL)
			}
		})
	}
}
