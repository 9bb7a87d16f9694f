// Package redistest runs a throwaway redis-server on a loopback port for
// tests. Tests skip when redis-server is not on PATH, unless
// TRAWL_REQUIRE_REDIS=1 (as in CI), which makes them fail instead.
package redistest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Server is a running redis-server with no persistence, in a temp dir.
type Server struct {
	// Port is the plain TCP port (0 when the server listens on TLS only).
	Port int
	// TLSPort is the TLS port (0 without TLS).
	TLSPort int
	dir     string
	args    []string
	proc    *os.Process
	exited  chan error
	t       testing.TB
}

// TLS names the PEM files of a server's TLS port; clients must present a
// certificate signed by CA.
type TLS struct{ Cert, Key, CA string }

// Binary returns redis-server's path, or skips t (fails it when
// TRAWL_REQUIRE_REDIS=1).
func Binary(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("TRAWL_REQUIRE_REDIS") == "1" {
			t.Fatalf("redis-server is not on PATH and TRAWL_REQUIRE_REDIS=1: %v", err)
		}
		t.Skip("redis-server is not on PATH (apt-get install redis-server); set TRAWL_REQUIRE_REDIS=1 to make this a failure")
	}
	return p
}

// Start runs a server on a free loopback port and stops it when the test
// ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s, err := start(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// ErrNoTLS is the start error of a redis-server built without TLS.
var ErrNoTLS = errors.New("redis-server has no TLS support")

// StartTLS runs a server listening on a TLS port only; it returns ErrNoTLS
// (instead of failing t) when the installed redis-server lacks TLS.
func StartTLS(t testing.TB, tls TLS) (*Server, error) {
	t.Helper()
	s, err := start(t, &tls)
	if err != nil && noTLS(err.Error()) {
		return nil, fmt.Errorf("%w: %v", ErrNoTLS, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return s, nil
}

// noTLS recognises the start error of a redis-server built without TLS
// (an unknown tls-* directive), not a TLS setup that failed.
func noTLS(msg string) bool {
	msg = strings.ToLower(msg)
	if !strings.Contains(msg, "tls") {
		return false
	}
	for _, s := range []string{"bad directive", "not available", "not supported", "not built", "unknown"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

func start(t testing.TB, tls *TLS) (*Server, error) {
	t.Helper()
	bin := Binary(t)
	s := &Server{dir: t.TempDir(), t: t}
	port := freePort(t)
	args := []string{bin, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", s.dir, "--logfile", filepath.Join(s.dir, "redis.log")}
	if tls == nil {
		s.Port = port
		args = append(args, "--port", strconv.Itoa(port))
	} else {
		s.TLSPort = port
		args = append(args, "--port", "0", "--tls-port", strconv.Itoa(port),
			"--tls-cert-file", tls.Cert, "--tls-key-file", tls.Key, "--tls-ca-cert-file", tls.CA)
	}
	s.args = args
	if err := s.start(); err != nil {
		return nil, err
	}
	t.Cleanup(s.Stop)
	return s, nil
}

// Addr is the server's loopback address (its TLS one for a TLS server).
func (s *Server) Addr() string {
	p := s.Port
	if p == 0 {
		p = s.TLSPort
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(p))
}

// Stop kills the server (as a crash would) and waits for it to exit.
func (s *Server) Stop() {
	if s.proc == nil {
		return
	}
	_ = s.proc.Kill()
	<-s.exited
	s.proc = nil
}

// Restart starts the stopped server again on the same port, empty.
func (s *Server) Restart() {
	s.t.Helper()
	if err := s.start(); err != nil {
		s.t.Fatal(err)
	}
}

// start runs the server and waits until its port accepts connections
// (or the process exits, or 20 s pass: a readiness bound, not a timed
// assertion).
func (s *Server) start() error {
	cmd := exec.Command(s.args[0], s.args[1:]...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting redis-server: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		select {
		case err := <-exited:
			log, _ := os.ReadFile(filepath.Join(s.dir, "redis.log"))
			return fmt.Errorf("redis-server exited (%v): %s%s", err, out.String(), log)
		default:
		}
		if c, err := net.DialTimeout("tcp", s.Addr(), time.Second); err == nil {
			c.Close()
			s.proc, s.exited = cmd.Process, exited
			return nil
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-exited
			return fmt.Errorf("redis-server did not listen on %s: %s", s.Addr(), out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
