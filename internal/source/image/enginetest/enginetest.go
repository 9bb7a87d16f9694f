// Package enginetest is an in-process fake of the Docker Engine API (the
// part trawl uses: /_ping, GET /images/{name}/json and /images/{name}/get)
// on a unix socket, for tests of the docker and podman image sources.
package enginetest

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Image is an image the fake daemon holds.
type Image struct {
	// Names are the names and IDs it answers to.
	Names []string
	// ID, RepoTags and RepoDigests are returned by inspect.
	ID          string
	RepoTags    []string
	RepoDigests []string
	// Data, or the file named by File, is the docker-save tar sent by
	// /images/{name}/get.
	Data []byte
	File string
	// Truncate, when positive, sends only the first Truncate bytes of the
	// tar: as a complete response, or, with CutConnection, after
	// announcing the full length, so that the connection ends early.
	Truncate      int64
	CutConnection bool
}

// Server is a running fake daemon.
type Server struct {
	// Socket is the socket's path, Host the DOCKER_HOST form of it.
	Socket, Host string
	// APIVersion is announced on /_ping; when set, only paths under
	// /v<APIVersion>/ answer, else only unversioned paths do.
	APIVersion string

	images   []Image
	mu       sync.Mutex
	requests []string
}

// SocketPath returns a path for a socket in a new short temporary
// directory (unix socket paths are limited to about 100 bytes, which
// t.TempDir() paths can exceed), removed after the test.
func SocketPath(t testing.TB, name string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "trawl-eng-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return filepath.Join(dir, name)
}

// Start serves images on a unix socket at socket until the test ends.
func Start(t testing.TB, socket, apiVersion string, images ...Image) *Server {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(socket), 0o700); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("unix", socket)
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Socket: socket, Host: "unix://" + socket, APIVersion: apiVersion, images: images}
	srv := &http.Server{Handler: http.HandlerFunc(s.serve)}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

// Requests returns the paths requested so far.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, r.URL.Path)
	s.mu.Unlock()
	p := r.URL.Path
	if s.APIVersion != "" {
		rest, ok := strings.CutPrefix(p, "/v"+s.APIVersion+"/")
		if !ok && p != "/_ping" {
			fail(w, http.StatusBadRequest, "this fake answers only /v"+s.APIVersion+"/ paths, not "+p)
			return
		}
		if ok {
			p = "/" + rest
		}
		w.Header().Set("Api-Version", s.APIVersion)
	} else if strings.HasPrefix(p, "/v1.") {
		fail(w, http.StatusBadRequest, "this fake announced no API version, yet got "+p)
		return
	}
	if r.Method != http.MethodGet {
		fail(w, http.StatusMethodNotAllowed, r.Method)
		return
	}
	if p == "/_ping" {
		io.WriteString(w, "OK")
		return
	}
	rest, ok := strings.CutPrefix(p, "/images/")
	if !ok {
		fail(w, http.StatusNotFound, "page not found")
		return
	}
	var name, op string
	switch {
	case strings.HasSuffix(rest, "/json"):
		name, op = strings.TrimSuffix(rest, "/json"), "json"
	case strings.HasSuffix(rest, "/get"):
		name, op = strings.TrimSuffix(rest, "/get"), "get"
	default:
		fail(w, http.StatusNotFound, "page not found")
		return
	}
	i := slices.IndexFunc(s.images, func(img Image) bool { return slices.Contains(img.Names, name) })
	if i < 0 {
		fail(w, http.StatusNotFound, "No such image: "+name)
		return
	}
	img := s.images[i]
	if op == "json" {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"Id": img.ID, "RepoTags": img.RepoTags, "RepoDigests": img.RepoDigests})
		return
	}
	var body io.Reader
	var size int64
	if img.File != "" {
		f, err := os.Open(img.File)
		if err != nil {
			fail(w, http.StatusInternalServerError, err.Error())
			return
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			fail(w, http.StatusInternalServerError, err.Error())
			return
		}
		body, size = f, fi.Size()
	} else {
		body, size = strings.NewReader(string(img.Data)), int64(len(img.Data))
	}
	w.Header().Set("Content-Type", "application/x-tar")
	if img.Truncate > 0 {
		if img.CutConnection {
			w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
		}
		body = io.LimitReader(body, img.Truncate)
	}
	io.Copy(w, body)
}

func fail(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]string{"message": msg})
}
