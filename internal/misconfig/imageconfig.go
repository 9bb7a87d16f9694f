package misconfig

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// ImageConfigTarget names the Dockerfile rebuilt from an image's config in
// results; it is not a file of the image.
const ImageConfigTarget = "image config (Dockerfile)"

// imageConfig is the part of an image config the Dockerfile is rebuilt
// from.
type imageConfig struct {
	Config struct {
		User        string
		Healthcheck *struct{ Test []string }
	} `json:"config"`
	History []struct {
		CreatedBy string `json:"created_by"`
	} `json:"history"`
}

// instructions are the Dockerfile instructions a history entry may start
// with (BuildKit records them as written).
var instructions = map[string]bool{
	"ADD": true, "ARG": true, "CMD": true, "COPY": true, "ENTRYPOINT": true, "ENV": true, "EXPOSE": true,
	"HEALTHCHECK": true, "LABEL": true, "MAINTAINER": true, "ONBUILD": true, "RUN": true, "SHELL": true,
	"STOPSIGNAL": true, "USER": true, "VOLUME": true, "WORKDIR": true,
}

// exposeMap matches the ports of BuildKit's "EXPOSE map[8080/tcp:{}]".
var exposeMap = regexp.MustCompile(`(\d+(?:/\w+)?):\{\}`)

// ImageConfigDockerfile rebuilds a Dockerfile from an image config (raw
// JSON): one instruction per history entry, as the classic builder
// ("/bin/sh -c #(nop) CMD …", "/bin/sh -c apt-get …") and BuildKit ("RUN
// /bin/sh -c … # buildkit", "EXPOSE map[8080/tcp:{}]") record them, after a
// "FROM scratch"; the config's USER and HEALTHCHECK are added when no history
// entry set them. The Dockerfile checks then judge how the image was built
// (Trivy's image-config misconfiguration scan).
func ImageConfigDockerfile(raw []byte) ([]byte, error) {
	var cfg imageConfig
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return nil, fmt.Errorf("image config: %w", err)
	}
	var b bytes.Buffer
	b.WriteString("FROM scratch\n")
	seen := map[string]bool{}
	for _, h := range cfg.History {
		line := historyInstruction(h.CreatedBy)
		if line == "" {
			continue
		}
		seen[strings.ToUpper(strings.Fields(line)[0])] = true
		// One line per instruction: continuation for embedded newlines.
		b.WriteString(strings.ReplaceAll(line, "\n", " \\\n"))
		b.WriteByte('\n')
	}
	if u := strings.TrimSpace(cfg.Config.User); u != "" && !seen["USER"] {
		fmt.Fprintf(&b, "USER %s\n", u)
	}
	if hc := cfg.Config.Healthcheck; hc != nil && len(hc.Test) > 0 && !seen["HEALTHCHECK"] {
		switch hc.Test[0] {
		case "NONE":
			b.WriteString("HEALTHCHECK NONE\n")
		case "CMD-SHELL":
			fmt.Fprintf(&b, "HEALTHCHECK CMD %s\n", strings.Join(hc.Test[1:], " "))
		default:
			args, _ := json.Marshal(hc.Test[1:])
			fmt.Fprintf(&b, "HEALTHCHECK CMD %s\n", args)
		}
	}
	return b.Bytes(), nil
}

// historyInstruction turns one created_by into a Dockerfile instruction,
// or "" when it holds none.
func historyInstruction(createdBy string) string {
	c := strings.TrimSpace(createdBy)
	c = strings.TrimSpace(strings.TrimSuffix(c, "# buildkit"))
	if c == "" {
		return ""
	}
	// BuildKit's build-arg prefix: "|2 A=1 B=2 /bin/sh -c …".
	if strings.HasPrefix(c, "|") {
		f := strings.Fields(c)
		n := 0
		fmt.Sscanf(strings.TrimPrefix(f[0], "|"), "%d", &n)
		if n >= 0 && len(f) > n+1 {
			c = strings.Join(f[n+1:], " ")
		}
	}
	switch {
	case strings.HasPrefix(c, "/bin/sh -c #(nop) "):
		c = strings.TrimSpace(strings.TrimPrefix(c, "/bin/sh -c #(nop) "))
	case strings.HasPrefix(c, "/bin/sh -c "):
		return "RUN " + strings.TrimPrefix(c, "/bin/sh -c ")
	}
	word, rest, _ := strings.Cut(c, " ")
	switch up := strings.ToUpper(word); {
	case up == "RUN":
		// "RUN /bin/sh -c cmd", "RUN --mount=… /bin/sh -c cmd"
		if i := strings.Index(rest, "/bin/sh -c "); i >= 0 {
			return "RUN " + strings.TrimSpace(rest[:i]+rest[i+len("/bin/sh -c "):])
		}
		return "RUN " + rest
	case up == "EXPOSE" && strings.HasPrefix(rest, "map["):
		var ports []string
		for _, m := range exposeMap.FindAllStringSubmatch(rest, -1) {
			ports = append(ports, m[1])
		}
		if len(ports) == 0 {
			return ""
		}
		return "EXPOSE " + strings.Join(ports, " ")
	case up == "ADD" || up == "COPY":
		return up + " " + copyArgs(rest)
	case instructions[up]:
		return up + " " + rest
	}
	return "RUN " + c
}

// copyArgs turns the classic builder's record of ADD/COPY arguments,
// "file:<digest> in /dest" (sometimes with a trailing "# comment"), into
// Dockerfile form, "file:<digest> /dest".
func copyArgs(rest string) string {
	if i := strings.Index(rest, " # "); i >= 0 {
		rest = rest[:i]
	}
	f := strings.Fields(rest)
	if n := len(f); n >= 3 && f[n-2] == "in" && (strings.HasPrefix(f[0], "file:") || strings.HasPrefix(f[0], "dir:") || strings.HasPrefix(f[0], "multi:")) {
		f = append(f[:n-2], f[n-1])
	}
	return strings.Join(f, " ")
}
