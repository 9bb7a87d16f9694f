package misconfig

import (
	"fmt"

	"github.com/trawlsec/trawl/internal/parse/compose"
	"github.com/trawlsec/trawl/internal/parse/dockerfile"
	"github.com/trawlsec/trawl/internal/parse/kubernetes"
)

// document is one input document and, when it is one resource of a
// file, its lines (the default cause of its findings).
type document struct {
	input      map[string]any
	start, end int
}

// DockerfileInput is the input document of a Dockerfile, in Trivy's shape:
//
//	{"Stages": [{"Name": "golang:1.22 AS build", "Commands": [{"Cmd": "from",
//	  "SubCmd": "", "Flags": [], "Value": ["golang:1.22", "AS", "build"],
//	  "Original": "FROM golang:1.22 AS build", "JSON": false, "Stage": 0,
//	  "Path": "Dockerfile", "StartLine": 1, "EndLine": 1}]}],
//	 "MetaArgs": [ …ARG commands before the first FROM… ]}
//
// docs/misconfig.md documents it.
func DockerfileInput(path string, content []byte) (map[string]any, error) {
	f, err := dockerfile.Parse(content)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	cmd := func(in dockerfile.Instruction, stage int) map[string]any {
		flags := make([]any, len(in.Flags))
		for i, fl := range in.Flags {
			flags[i] = fl
		}
		vals := make([]any, len(in.Value))
		for i, v := range in.Value {
			vals[i] = v
		}
		return map[string]any{
			"Cmd": in.Cmd, "SubCmd": in.SubCmd, "Flags": flags, "Value": vals,
			"Original": in.Original, "JSON": in.JSON, "Stage": stage, "Path": path,
			"StartLine": in.StartLine, "EndLine": in.EndLine,
		}
	}
	stages := make([]any, 0, len(f.Stages))
	for _, s := range f.Stages {
		cmds := make([]any, 0, len(s.Instructions))
		for _, in := range s.Instructions {
			cmds = append(cmds, cmd(in, s.Index))
		}
		stages = append(stages, map[string]any{"Name": s.Name, "Commands": cmds})
	}
	meta := make([]any, 0, len(f.MetaArgs))
	for _, in := range f.MetaArgs {
		meta = append(meta, cmd(in, -1))
	}
	return map[string]any{"Stages": stages, "MetaArgs": meta}, nil
}

// KubernetesInputs are the input documents of a Kubernetes manifest, one
// per resource ("kind: List" items expanded), in Trivy's shape: the
// resource as written (apiVersion, kind, metadata, spec, …), every
// mapping carrying "__defsec_metadata" {"startline", "endline",
// "filepath"}. docs/misconfig.md documents it.
func KubernetesInputs(path string, content []byte) ([]map[string]any, error) {
	return inputsOf(kubernetesInputs(path, content))
}

func kubernetesInputs(path string, content []byte) ([]document, error) {
	rs, err := kubernetes.Parse(content)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make([]document, 0, len(rs))
	for _, r := range rs {
		addPath(r.Object, path)
		out = append(out, document{input: r.Object, start: r.StartLine, end: r.EndLine})
	}
	return out, nil
}

// ComposeInputs are the input documents of a Compose file, one per YAML
// document (usually one): the file as written (services, networks,
// volumes, secrets, …; no interpolation or merging), every mapping
// carrying "__defsec_metadata" {"startline", "endline", "filepath"}.
// docs/misconfig.md documents it.
func ComposeInputs(path string, content []byte) ([]map[string]any, error) {
	return inputsOf(composeInputs(path, content))
}

// inputsOf drops the line ranges of the documents.
func inputsOf(docs []document, err error) ([]map[string]any, error) {
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(docs))
	for i, d := range docs {
		out[i] = d.input
	}
	return out, nil
}

func composeInputs(path string, content []byte) ([]document, error) {
	fs, err := compose.Parse(content)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make([]document, 0, len(fs))
	for _, f := range fs {
		addPath(f.Object, path)
		out = append(out, document{input: f.Object, start: f.StartLine, end: f.EndLine})
	}
	return out, nil
}

// addPath sets "filepath" in the line information of every mapping.
func addPath(v any, path string) {
	switch v := v.(type) {
	case map[string]any:
		if md, ok := v[kubernetes.MetadataKey].(map[string]any); ok {
			md["filepath"] = path
		}
		for k, x := range v {
			if k != kubernetes.MetadataKey {
				addPath(x, path)
			}
		}
	case []any:
		for _, x := range v {
			addPath(x, path)
		}
	}
}
