package cli

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/trawlsec/trawl/internal/app"
	"github.com/trawlsec/trawl/internal/cache"
	"github.com/trawlsec/trawl/internal/server"
)

// Server flags (Trivy's names where Trivy has them; Trivy's server has no
// TLS of its own).
var (
	flagListen           = flagDef{name: "listen", configName: "server.listen", def: server.DefaultListen, usage: "listen address in server mode"}
	flagTLSCert          = flagDef{name: "tls-cert", configName: "server.tls-cert", def: "", usage: "TLS certificate file (PEM); with --tls-key the server speaks HTTPS"}
	flagTLSKey           = flagDef{name: "tls-key", configName: "server.tls-key", def: "", usage: "TLS private key file (PEM)"}
	flagMaxBodySize      = flagDef{name: "max-body-size", configName: "server.max-body-size", def: "64MiB", usage: "largest layer upload or scan request the server reads (413 beyond)"}
	flagDBUpdateInterval = flagDef{name: "db-update-interval", configName: "server.db-update-interval", def: time.Hour, usage: "how often the server updates the vulnerability DB (unless --skip-db-update)"}
	flagShutdownTimeout  = flagDef{name: "shutdown-timeout", configName: "server.shutdown-timeout", def: 30 * time.Second, usage: "how long scans in flight may finish after SIGTERM/SIGINT"}

	serverFlags = append([]flagDef{flagListen, flagToken, flagTokenHeader, flagTLSCert, flagTLSKey,
		flagMaxBodySize, flagDBUpdateInterval, flagShutdownTimeout}, cacheFlags...)
)

func newServerCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "server [flags]",
		Aliases: []string{"s"},
		Short:   "Serve detection (vulnerability DB and layer cache) to trawl clients (--server)",
		Example: `  # Serve on localhost:4954
  trawl server

  # Listen on every interface, with a token and TLS
  trawl server --listen 0.0.0.0:4954 --token "$TOKEN" --tls-cert cert.pem --tls-key key.pem

  # Scan through it
  trawl image --server http://localhost:4954 --input app.tar`,
		Args: cobra.NoArgs,
		RunE: runServer,
	}
	addFlags(cmd.Flags(), serverFlags)
	addFlags(cmd.Flags(), dbFlags)
	return cmd
}

// openServerCache opens the server's layer cache: the scan commands'
// backends and flags (fs, memory, redis://, rediss://), so a fleet of
// servers can share one Redis.
func openServerCache(cmd *cobra.Command, s *settings) (cache.Cache, error) {
	o, err := cacheOptions(s, s.String(flagCacheDir))
	if err != nil {
		return nil, err
	}
	c, err := cache.Open(cmd.Context(), o, newLogger(cmd, s))
	if err != nil {
		return nil, err
	}
	return c, nil
}

func runServer(cmd *cobra.Command, _ []string) error {
	s, err := loadSettings(cmd)
	if err != nil {
		return err
	}
	var errs [6]error
	var db app.DBOptions
	var maxBody int64
	var interval, shutdown, scanTimeout time.Duration
	db, errs[0] = dbOptions(s, false)
	maxBody, errs[1] = parseSize(flagMaxBodySize.name, s.String(flagMaxBodySize))
	interval, errs[2] = s.Duration(flagDBUpdateInterval)
	shutdown, errs[3] = s.Duration(flagShutdownTimeout)
	scanTimeout, errs[4] = s.Duration(flagTimeout)
	cert, key := s.String(flagTLSCert), s.String(flagTLSKey)
	if (cert == "") != (key == "") {
		errs[5] = errors.New("--tls-cert and --tls-key go together")
	}
	if err := errors.Join(errs[:]...); err != nil {
		return err
	}
	log := newLogger(cmd, s)
	db.Path, db.Logger = dbPath(s), log
	c, err := openServerCache(cmd, s)
	if err != nil {
		return err
	}
	defer c.Close()
	srv := server.New(server.Config{
		Cache: c, DB: db, Token: s.String(flagToken), TokenHeader: s.String(flagTokenHeader),
		MaxBodySize: maxBody, ScanTimeout: scanTimeout, ShutdownTimeout: shutdown,
		Version: version(), Logger: log,
		DBInfo: func() any {
			if info := readDBInfo(db.Path); info != nil {
				return info
			}
			return nil // not a typed nil: "VulnerabilityDB" is left out
		},
	})
	ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if !db.SkipUpdate && !db.Offline {
		srv.UpdateDB(ctx)
		if interval > 0 {
			go srv.RunUpdates(ctx, interval)
		}
	}
	ln, err := net.Listen("tcp", s.String(flagListen))
	if err != nil {
		return fmt.Errorf("--listen %s: %w", s.String(flagListen), err)
	}
	scheme := "http"
	if cert != "" {
		scheme = "https"
	}
	log.Info("trawl server listening", "address", scheme+"://"+ln.Addr().String(), "db", db.Path)
	return srv.Serve(ctx, ln, cert, key)
}

// remoteClient returns the server client of a scan (--server), or nil.
func remoteClient(s *settings) (app.Remote, error) {
	addr := s.String(flagServer)
	if addr == "" {
		return nil, nil
	}
	headers := http.Header{}
	for _, h := range s.Strings(flagCustomHeaders) {
		name, value, ok := strings.Cut(h, ":")
		if !ok || strings.TrimSpace(name) == "" {
			return nil, fmt.Errorf("--custom-headers %q: want Name:value", h)
		}
		headers.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	insecure, err := s.Bool(flagInsecure)
	if err != nil {
		return nil, err
	}
	hc := &http.Client{Timeout: 10 * time.Minute}
	if insecure {
		hc.Transport = insecureTransport()
	}
	c, err := server.NewClient(server.ClientOptions{
		URL: addr, Token: s.String(flagToken), TokenHeader: s.String(flagTokenHeader),
		Headers: headers, HTTPClient: hc,
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// insecureTransport skips TLS verification (--insecure).
func insecureTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // --insecure asked for it
	return t
}
