package image

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Image sources, named and ordered as Trivy's --image-src.
const (
	SourceDocker     = "docker"
	SourceContainerd = "containerd"
	SourcePodman     = "podman"
	SourceRemote     = "remote"
)

// DefaultSources is Trivy's default --image-src order.
var DefaultSources = []string{SourceDocker, SourceContainerd, SourcePodman, SourceRemote}

// KnownSources are the names --image-src accepts.
var KnownSources = []string{SourceDocker, SourceContainerd, SourcePodman, SourceRemote}

// Default daemon endpoints.
const (
	DefaultDockerHost   = "unix:///var/run/docker.sock"
	DefaultPodmanSocket = "/run/podman/podman.sock"
)

// errNotHere marks why a source does not have the image (its daemon is
// absent or not built, or it does not know the name): the next source in
// the order is tried.
var errNotHere = errors.New("image not in this source")

// SourcesError is returned when no source in the order has the image. It
// lists every source's reason on one line, as Trivy does.
type SourcesError struct {
	Ref     string
	Sources []string
	Reasons []error // one per source, in order
}

func (e *SourcesError) Error() string {
	parts := make([]string, len(e.Sources))
	for i, s := range e.Sources {
		parts[i] = s + ": " + strings.ReplaceAll(e.Reasons[i].Error(), "\n", " ")
	}
	return fmt.Sprintf("unable to find the specified image %q in [%s]: %s",
		e.Ref, strings.Join(e.Sources, " "), strings.Join(parts, "; "))
}

// Unwrap lets errors.Is see every source's reason (ErrNotFound,
// ErrUnauthorized, …).
func (e *SourcesError) Unwrap() []error { return e.Reasons }

// openFromSources tries each source of opts.Sources in order. A source
// that does not have the image (its daemon is absent, or answers 404)
// passes to the next; once a daemon has said it holds the image, a failure
// to read it is final, so a damaged local image is never silently replaced
// by a registry's. Remote failures always pass on, as in Trivy.
func openFromSources(ctx context.Context, ref string, opts Options) (*Image, error) {
	sources := opts.Sources
	if len(sources) == 0 {
		sources = []string{SourceRemote}
	}
	log := opts.logger()
	var reasons []error
	for _, src := range sources {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var img *Image
		var err error
		switch src {
		case SourceDocker:
			img, err = openEngine(ctx, ref, SourceDocker, dockerEndpoint(opts.DockerHost), opts)
		case SourcePodman:
			img, err = openEngine(ctx, ref, SourcePodman, podmanEndpoint(opts.PodmanHost), opts)
		case SourceContainerd:
			img, err = openContainerd(ctx, ref, opts)
		case SourceRemote:
			img, err = openRemote(ctx, ref, opts)
			if err != nil && ctx.Err() == nil {
				err = fmt.Errorf("%w: %w", errNotHere, err)
			}
		default:
			return nil, fmt.Errorf("image source %q is not one of %s", src, strings.Join(KnownSources, ", "))
		}
		if err == nil {
			log.Debug("image found", "source", src, "image", ref)
			return img, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !errors.Is(err, errNotHere) {
			return nil, err
		}
		log.Debug("image source skipped", "source", src, "image", ref, "reason", reasonOf(err))
		reasons = append(reasons, &reasonError{msg: reasonOf(err), err: err})
	}
	return nil, &SourcesError{Ref: ref, Sources: sources, Reasons: reasons}
}

// reasonOf is err's message without the errNotHere marker.
func reasonOf(err error) string {
	return strings.TrimPrefix(err.Error(), errNotHere.Error()+": ")
}

// reasonError shows a reason without the errNotHere marker but keeps the
// wrapped sentinels (ErrNotFound, ErrUnauthorized) for errors.Is.
type reasonError struct {
	msg string
	err error
}

func (e *reasonError) Error() string { return e.msg }
func (e *reasonError) Unwrap() error { return e.err }

// endpoint is where a Docker-compatible Engine API listens.
type endpoint struct {
	network, address string // "unix" and a socket path, or "tcp" and host:port
	display          string // for messages
	err              error  // set when the host setting cannot be used
}

// dockerEndpoint resolves the Docker Engine address: host (the caller's
// setting), else $DOCKER_HOST, else the default unix socket.
func dockerEndpoint(host string) endpoint {
	if host == "" {
		host = os.Getenv("DOCKER_HOST")
	}
	if host == "" {
		host = DefaultDockerHost
	}
	return parseHost(host)
}

// podmanEndpoint resolves the Podman API socket: host, else the rootless
// socket $XDG_RUNTIME_DIR/podman/podman.sock when it exists (Trivy's only
// place), else the rootful /run/podman/podman.sock.
func podmanEndpoint(host string) endpoint {
	if host != "" {
		return parseHost(host)
	}
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
		p := filepath.Join(dir, "podman", "podman.sock")
		if _, err := os.Stat(p); err == nil {
			return endpoint{network: "unix", address: p, display: "unix://" + p}
		}
	}
	return endpoint{network: "unix", address: DefaultPodmanSocket, display: "unix://" + DefaultPodmanSocket}
}

// parseHost reads a DOCKER_HOST-style address: unix:///path, tcp://host:port
// (plain HTTP) or a bare socket path.
func parseHost(host string) endpoint {
	switch {
	case strings.HasPrefix(host, "unix://"):
		p := strings.TrimPrefix(host, "unix://")
		return endpoint{network: "unix", address: p, display: host}
	case strings.HasPrefix(host, "tcp://"), strings.HasPrefix(host, "http://"):
		u, err := url.Parse(host)
		if err != nil || u.Host == "" {
			return endpoint{display: host, err: fmt.Errorf("host %q is not tcp://host:port", host)}
		}
		return endpoint{network: "tcp", address: u.Host, display: host}
	case strings.HasPrefix(host, "/"):
		return endpoint{network: "unix", address: host, display: "unix://" + host}
	default:
		return endpoint{display: host, err: fmt.Errorf("host %q: only unix:// and tcp:// (plain HTTP) are supported", host)}
	}
}

// engineClient talks to a Docker-compatible Engine API (Docker, or
// Podman's compat API) over a unix socket or plain TCP.
type engineClient struct {
	http    *http.Client
	prefix  string // "" or "/v1.41"
	where   string // "docker daemon unix:///var/run/docker.sock"
	maxJSON int64
}

func newEngineClient(ep endpoint, source string, opts Options) (*engineClient, error) {
	where := source + " daemon " + ep.display
	if ep.err != nil {
		return nil, fmt.Errorf("%w: %s: %w", errNotHere, where, ep.err)
	}
	if ep.network == "unix" {
		if _, err := os.Stat(ep.address); err != nil {
			return nil, fmt.Errorf("%w: %s: socket not found: %w", errNotHere, where, err)
		}
	}
	d := &net.Dialer{Timeout: 10 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return d.DialContext(ctx, ep.network, ep.address)
		},
		DisableCompression: true,
		MaxIdleConns:       2,
	}
	return &engineClient{http: &http.Client{Transport: tr}, where: where, maxJSON: opts.maxJSON()}, nil
}

// url builds the request URL of an API path. The host part is ignored by
// the dialer; image names keep their slashes, other characters are escaped.
func (c *engineClient) url(p string) string {
	u := url.URL{Scheme: "http", Host: "docker", Path: c.prefix + p}
	return u.String()
}

func (c *engineClient) get(ctx context.Context, p string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url(p), nil)
	if err != nil {
		return nil, err
	}
	return c.http.Do(req)
}

// negotiate picks the API version prefix: $DOCKER_API_VERSION when set,
// else the version the daemon announces on /_ping, else unversioned paths
// (which a daemon serves at its own version). A daemon that cannot be
// reached is not there.
func (c *engineClient) negotiate(ctx context.Context) error {
	resp, err := c.get(ctx, "/_ping")
	if err != nil {
		return fmt.Errorf("%w: %s: %w", errNotHere, c.where, err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<10))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: %s: /_ping answered %s", errNotHere, c.where, resp.Status)
	}
	v := os.Getenv("DOCKER_API_VERSION")
	if v == "" {
		v = resp.Header.Get("Api-Version")
	}
	if v != "" {
		if !validAPIVersion(v) {
			return fmt.Errorf("%w: %s: API version %q is not N.N", errNotHere, c.where, v)
		}
		c.prefix = "/v" + strings.TrimPrefix(v, "v")
	}
	return nil
}

func validAPIVersion(v string) bool {
	v = strings.TrimPrefix(v, "v")
	major, minor, ok := strings.Cut(v, ".")
	digits := func(s string) bool {
		if s == "" || len(s) > 4 {
			return false
		}
		for _, r := range s {
			if r < '0' || r > '9' {
				return false
			}
		}
		return true
	}
	return ok && digits(major) && digits(minor)
}

// engineInspect is the part of GET /images/{name}/json trawl uses.
type engineInspect struct {
	ID          string `json:"Id"`
	RepoTags    []string
	RepoDigests []string
}

// inspect looks the image up; a 404 means the daemon does not have it.
func (c *engineClient) inspect(ctx context.Context, ref string) (engineInspect, error) {
	resp, err := c.get(ctx, "/images/"+ref+"/json")
	if err != nil {
		return engineInspect{}, fmt.Errorf("%w: %s: %w", errNotHere, c.where, err)
	}
	defer resp.Body.Close()
	body, rerr := readCapped(resp.Body, c.maxJSON, "image inspect response")
	if resp.StatusCode == http.StatusNotFound {
		return engineInspect{}, fmt.Errorf("%w: %s: %w: no such image %s%s", errNotHere, c.where, ErrNotFound, ref, daemonMessage(body))
	}
	if resp.StatusCode != http.StatusOK {
		return engineInspect{}, fmt.Errorf("%w: %s: inspecting %s: %s%s", errNotHere, c.where, ref, resp.Status, daemonMessage(body))
	}
	if rerr != nil {
		return engineInspect{}, fmt.Errorf("%s: %w", c.where, rerr)
	}
	var in engineInspect
	if err := json.Unmarshal(body, &in); err != nil {
		return engineInspect{}, fmt.Errorf("%s: image inspect response: %w: %w", c.where, ErrCorrupt, err)
	}
	return in, nil
}

// daemonMessage is the daemon's {"message": …} error, for messages.
func daemonMessage(body []byte) string {
	var m struct{ Message string }
	if json.Unmarshal(body, &m) == nil && m.Message != "" {
		return " (" + strings.TrimSpace(strings.ReplaceAll(m.Message, "\n", " ")) + ")"
	}
	return ""
}

// openEngine reads an image from a Docker-compatible daemon: inspect for
// its tags and digests, then GET /images/{name}/get, a docker-save tar,
// spilled to a temporary file under opts.TempDir (bounded by
// MaxArchiveSize, removed by Close) and read as a docker-save archive.
func openEngine(ctx context.Context, ref, source string, ep endpoint, opts Options) (*Image, error) {
	if !engineName(ref) {
		return nil, fmt.Errorf("%w: %q is not an image name or ID", errNotHere, ref)
	}
	c, err := newEngineClient(ep, source, opts)
	if err != nil {
		return nil, err
	}
	defer c.http.CloseIdleConnections()
	if err := c.negotiate(ctx); err != nil {
		return nil, err
	}
	in, err := c.inspect(ctx, ref)
	if err != nil {
		return nil, err
	}
	// From here on the daemon holds the image: failures are final.
	where := source + " image " + ref
	tmp, err := c.export(ctx, ref, where, opts)
	if err != nil {
		return nil, err
	}
	img, err := openExport(ctx, tmp, where, ref, opts)
	if err != nil {
		return nil, err
	}
	if in.ID != "" && in.ID != img.id {
		// Docker's containerd image store reports the manifest or index
		// digest as the Id; the image ID trawl reports is the config's.
		opts.logger().Debug("daemon image Id is not the config digest", "source", source, "image", ref, "id", in.ID, "config", img.id)
	}
	img.repoTags = append([]string(nil), in.RepoTags...)
	img.repoDigests = append([]string(nil), in.RepoDigests...)
	return img, nil
}

// engineName reports whether ref can be put in an Engine API path: a
// reference or image ID, without path tricks, queries or control characters.
func engineName(ref string) bool {
	if ref == "" || len(ref) > 4096 || strings.HasPrefix(ref, "/") || strings.Contains("/"+ref+"/", "/../") || strings.Contains("/"+ref+"/", "/./") {
		return false
	}
	for _, r := range ref {
		if r <= ' ' || r == 0x7f || r == '?' || r == '#' || r == '%' || r == '\\' {
			return false
		}
	}
	return true
}

// export streams GET /images/{name}/get into a temporary file and returns
// its name. The copy is bounded by MaxArchiveSize; a stream cut short is
// an error naming the image.
func (c *engineClient) export(ctx context.Context, ref, where string, opts Options) (_ string, err error) {
	resp, err := c.get(ctx, "/images/"+ref+"/get")
	if err != nil {
		return "", fmt.Errorf("%s: export: %w", where, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := readCapped(resp.Body, 64<<10, "export response")
		return "", fmt.Errorf("%s: export: %s%s", where, resp.Status, daemonMessage(body))
	}
	dir := opts.TempDir
	if dir == "" {
		dir = os.TempDir()
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("%s: export: temporary directory: %w", where, err)
	}
	removeStaleTemps(dir, opts.logger())
	tmp, err := os.CreateTemp(dir, tempPrefix())
	if err != nil {
		return "", fmt.Errorf("%s: export: %w", where, err)
	}
	defer func() {
		if cerr := tmp.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("%s: export: writing the temporary copy in %s: %w", where, dir, cerr)
		}
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	limit := opts.maxArchive()
	src := &readErr{r: io.LimitReader(ctxReader{ctx, resp.Body}, limit+1)}
	n, err := io.Copy(tmp, src)
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		if src.err == nil {
			return "", fmt.Errorf("%s: export: writing the temporary copy in %s: %w", where, dir, err)
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return "", fmt.Errorf("%s: export: %w: truncated stream: %w", where, ErrCorrupt, err)
		}
		return "", fmt.Errorf("%s: export: %w: %w", where, ErrCorrupt, err)
	}
	if n > limit {
		return "", fmt.Errorf("%s: export: %w: more than %d bytes", where, ErrTooLarge, limit)
	}
	return tmp.Name(), nil
}

// openExport opens a daemon's export spilled to tmp (a docker-save or OCI
// archive) as the image ref; tmp is removed when the image is closed, or
// now on failure.
func openExport(ctx context.Context, tmp, where, ref string, opts Options) (*Image, error) {
	f, err := os.Open(tmp)
	if err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	st, err := openArchiveFile(ctx, f, where, tmp, opts)
	if err != nil {
		return nil, err
	}
	img, err := openStore(ctx, st, ref, selector{}, opts)
	if err != nil {
		st.close()
		return nil, err
	}
	img.closers = append(img.closers, st.close)
	return img, nil
}
