// Command iacgen writes a tree of realistic configuration files for
// benchmarking the misconfiguration scanner: Dockerfiles (multi-stage
// builds, apt/apk/pip installs, some good and some bad practice) and
// Kubernetes manifests (Deployments, StatefulSets, CronJobs with several
// containers, Services, Roles and bindings, several documents per file),
// spread over nested service folders as in a monorepo.
//
// Usage: go run ./bench/iacgen -out DIR -files 1000 [-seed 1]
//
// Half the files are Dockerfiles, half manifests. The output is
// deterministic for a seed.
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	out := flag.String("out", "", "output folder (created)")
	files := flag.Int("files", 1000, "number of files")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if *out == "" || *files <= 0 {
		log.Fatal("iacgen: -out and a positive -files are required")
	}
	r := rand.New(rand.NewPCG(*seed, *seed^0x9e3779b97f4a7c15))
	var bytes int
	for i := range *files {
		dir := filepath.Join(*out, fmt.Sprintf("team%02d", i%37), fmt.Sprintf("svc%04d", i/2))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			log.Fatal(err)
		}
		var name, body string
		if i%2 == 0 {
			name, body = "Dockerfile", dockerfile(r, i)
		} else {
			name, body = "deploy.yaml", manifests(r, i)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			log.Fatal(err)
		}
		bytes += len(body)
	}
	fmt.Printf("iacgen: %d files, %d bytes under %s\n", *files, bytes, *out)
}

var bases = []string{"debian:12.6", "ubuntu:24.04", "alpine:3.20", "python:3.12-slim", "node:22", "golang:1.23", "eclipse-temurin:21", "nginx", "redis:latest"}

func dockerfile(r *rand.Rand, i int) string {
	var b strings.Builder
	pick := func(p float64) bool { return r.Float64() < p }
	base := bases[r.IntN(len(bases))]
	if pick(0.5) {
		fmt.Fprintf(&b, "ARG VERSION=1.%d\nFROM golang:1.23 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/app ./cmd/app\n\n", i)
	}
	fmt.Fprintf(&b, "FROM %s\n", base)
	if pick(0.3) {
		b.WriteString("MAINTAINER ops@example.com\n")
	}
	fmt.Fprintf(&b, "LABEL org.opencontainers.image.title=svc%d\n", i)
	switch {
	case strings.HasPrefix(base, "alpine"):
		if pick(0.5) {
			b.WriteString("RUN apk add --no-cache ca-certificates curl tzdata\n")
		} else {
			b.WriteString("RUN apk update && apk add ca-certificates curl tzdata\n")
		}
	case strings.HasPrefix(base, "python"):
		b.WriteString("COPY requirements.txt /app/\n")
		if pick(0.5) {
			b.WriteString("RUN pip install --no-cache-dir -r /app/requirements.txt\n")
		} else {
			b.WriteString("RUN pip install -r /app/requirements.txt\n")
		}
	default:
		if pick(0.6) {
			b.WriteString("RUN apt-get update && \\\n    apt-get install -y --no-install-recommends ca-certificates curl libssl3 && \\\n    rm -rf /var/lib/apt/lists/*\n")
		} else {
			b.WriteString("RUN apt-get update\nRUN apt-get install curl wget git\n")
		}
	}
	if pick(0.2) {
		b.WriteString("RUN curl -fsSL https://example.com/install.sh | sh\n")
	}
	if pick(0.2) {
		b.WriteString("ADD https://example.com/tool.tar.gz /opt/\n")
	}
	if pick(0.3) {
		b.WriteString("ENV API_TOKEN=abcdef0123456789\n")
	}
	fmt.Fprintf(&b, "WORKDIR %s\n", []string{"/app", "app", "/srv"}[r.IntN(3)])
	if strings.Contains(b.String(), "AS build") {
		b.WriteString("COPY --from=build /out/app /app/app\n")
	} else {
		b.WriteString("COPY . /app\n")
	}
	fmt.Fprintf(&b, "EXPOSE %d\n", []int{8080, 80, 22, 3000}[r.IntN(4)])
	if pick(0.6) {
		b.WriteString("HEALTHCHECK --interval=30s CMD curl -f http://localhost:8080/healthz || exit 1\n")
	}
	if pick(0.6) {
		b.WriteString("RUN useradd -r -u 10001 app\nUSER app\n")
	}
	b.WriteString(`ENTRYPOINT ["/app/app"]` + "\nCMD [\"--port\", \"8080\"]\n")
	return b.String()
}

func container(r *rand.Rand, name string, indent string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s- name: %s\n%s  image: registry.example.com/%s:%s\n", indent, name, indent, name, []string{"1.4.2", "latest", "2.0"}[r.IntN(3)])
	fmt.Fprintf(&b, "%s  ports:\n%s  - containerPort: %d\n", indent, indent, []int{8080, 80, 9090}[r.IntN(3)])
	fmt.Fprintf(&b, "%s  env:\n%s  - name: LOG_LEVEL\n%s    value: info\n%s  - name: DB_PASSWORD\n%s    valueFrom: {secretKeyRef: {name: db, key: password}}\n", indent, indent, indent, indent, indent)
	if r.Float64() < 0.6 {
		fmt.Fprintf(&b, "%s  securityContext:\n%s    allowPrivilegeEscalation: false\n%s    readOnlyRootFilesystem: true\n%s    runAsNonRoot: true\n%s    runAsUser: 10001\n%s    capabilities: {drop: [ALL]}\n%s    seccompProfile: {type: RuntimeDefault}\n",
			indent, indent, indent, indent, indent, indent, indent)
	} else if r.Float64() < 0.3 {
		fmt.Fprintf(&b, "%s  securityContext:\n%s    privileged: true\n", indent, indent)
	}
	if r.Float64() < 0.7 {
		fmt.Fprintf(&b, "%s  resources:\n%s    requests: {cpu: 100m, memory: 128Mi}\n%s    limits: {cpu: \"1\", memory: 512Mi}\n", indent, indent, indent)
	}
	fmt.Fprintf(&b, "%s  livenessProbe:\n%s    httpGet: {path: /healthz, port: 8080}\n%s  volumeMounts:\n%s  - {name: data, mountPath: /data}\n", indent, indent, indent, indent)
	return b.String()
}

func manifests(r *rand.Rand, i int) string {
	var b strings.Builder
	name := fmt.Sprintf("svc%d", i)
	ns := []string{"apps", "default", "payments", "kube-system"}[r.IntN(4)]
	kind := []string{"Deployment", "StatefulSet", "DaemonSet", "CronJob"}[r.IntN(4)]
	indent := "      "
	fmt.Fprintf(&b, "apiVersion: apps/v1\nkind: %s\nmetadata:\n  name: %s\n  namespace: %s\n  labels: {app: %s, team: t%d}\nspec:\n", kind, name, ns, name, i%37)
	if kind == "CronJob" {
		b.WriteString("  schedule: \"*/5 * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n")
		indent = "          "
	} else {
		fmt.Fprintf(&b, "  replicas: %d\n  selector: {matchLabels: {app: %s}}\n  template:\n    metadata:\n      labels: {app: %s}\n    spec:\n", 1+r.IntN(5), name, name)
		indent = "      "
	}
	if r.Float64() < 0.15 {
		fmt.Fprintf(&b, "%shostNetwork: true\n", indent)
	}
	fmt.Fprintf(&b, "%sserviceAccountName: %s\n%svolumes:\n", indent, name, indent)
	if r.Float64() < 0.1 {
		fmt.Fprintf(&b, "%s- name: data\n%s  hostPath: {path: /var/run/docker.sock}\n", indent, indent)
	} else {
		fmt.Fprintf(&b, "%s- name: data\n%s  emptyDir: {}\n", indent, indent)
	}
	fmt.Fprintf(&b, "%scontainers:\n", indent)
	for c := range 1 + r.IntN(3) {
		b.WriteString(container(r, fmt.Sprintf("%s-c%d", name, c), indent))
	}
	if r.Float64() < 0.3 {
		fmt.Fprintf(&b, "%sinitContainers:\n", indent)
		b.WriteString(container(r, name+"-init", indent))
	}
	fmt.Fprintf(&b, "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: %s\n  namespace: %s\nspec:\n  type: %s\n  selector: {app: %s}\n  ports:\n  - {port: 80, targetPort: 8080}\n",
		name, ns, []string{"ClusterIP", "NodePort", "LoadBalancer"}[r.IntN(3)], name)
	if r.Float64() < 0.4 {
		verbs := []string{`["get", "list", "watch"]`, `["*"]`, `["create", "update", "delete"]`}[r.IntN(3)]
		res := []string{`["pods", "configmaps"]`, `["secrets"]`, `["*"]`}[r.IntN(3)]
		fmt.Fprintf(&b, "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: %s\n  namespace: %s\nrules:\n- apiGroups: [\"\"]\n  resources: %s\n  verbs: %s\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: %s\n  namespace: %s\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: %s}\nsubjects:\n- {kind: ServiceAccount, name: %s, namespace: %s}\n",
			name, ns, res, verbs, name, ns, name, name, ns)
	}
	return b.String()
}
