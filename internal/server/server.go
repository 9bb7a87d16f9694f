package server

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/trawlsec/trawl/internal/app"
	"github.com/trawlsec/trawl/internal/cache"
	"github.com/trawlsec/trawl/pkg/inventory"
)

// Defaults (Trivy's where Trivy has the setting).
const (
	DefaultListen      = "localhost:4954"
	DefaultTokenHeader = "Trivy-Token"
	// DefaultMaxBodySize bounds a layer upload or a scan request.
	DefaultMaxBodySize = 64 << 20
	// maxMissingBody bounds a missing-layers request (keys only).
	maxMissingBody = 1 << 20
)

// Paths of the endpoints.
const (
	PathMissing = "/v1/layers/missing"
	PathLayer   = "/v1/layers/"
	PathScan    = "/v1/scan"
	PathHealth  = "/healthz"
	PathVersion = "/version"
	PathMetrics = "/metrics"
)

// Config configures a server.
type Config struct {
	// Cache holds the layers clients upload.
	Cache cache.Cache
	// RecentBytes bounds the in-memory copy of the layers uploaded or
	// asked about last, which serves scans when Cache lost them (a Redis
	// server down or restarted); 0 means DefaultRecentBytes, <0 none.
	RecentBytes int64
	// DB is the vulnerability DB. Scans never update it (updates run on
	// their schedule, RunUpdates); an update replaces the file
	// atomically, so scans in flight keep reading the DB they opened.
	DB app.DBOptions
	// Token, when set, is required in the TokenHeader header of every
	// /v1/ request.
	Token       string
	TokenHeader string
	// MaxBodySize bounds a layer upload or a scan request (413 beyond).
	MaxBodySize int64
	// ScanTimeout bounds one scan (0: none beyond the client's).
	ScanTimeout time.Duration
	// ShutdownTimeout is how long Serve lets requests in flight finish
	// after its context is cancelled.
	ShutdownTimeout time.Duration
	// Version is the binary's version; DBInfo the DB's metadata (nil when
	// there is none), both for GET /version.
	Version string
	DBInfo  func() any
	Logger  *slog.Logger
}

// Server serves the endpoints of Config.
type Server struct {
	cfg      Config
	layers   *recent // cfg.Cache behind the recent layers
	log      *slog.Logger
	handler  http.Handler
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	scanTime prometheus.Histogram
	hits     prometheus.Counter
	misses   prometheus.Counter
	// beforeScan, when set, runs at the start of each scan (tests hold a
	// scan in flight with it).
	beforeScan func()
}

// New returns a server for cfg.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.TokenHeader == "" {
		cfg.TokenHeader = DefaultTokenHeader
	}
	if cfg.MaxBodySize <= 0 {
		cfg.MaxBodySize = DefaultMaxBodySize
	}
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = 30 * time.Second
	}
	cfg.DB.SkipUpdate = true
	if cfg.DB.Logger == nil {
		cfg.DB.Logger = cfg.Logger
	}
	if cfg.RecentBytes == 0 {
		cfg.RecentBytes = DefaultRecentBytes
	}
	s := &Server{cfg: cfg, log: cfg.Logger, registry: prometheus.NewRegistry()}
	s.layers = newRecent(cfg.Cache, cfg.RecentBytes)
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "trawl_server_requests_total", Help: "Requests by endpoint and HTTP status code.",
	}, []string{"endpoint", "code"})
	s.scanTime = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "trawl_server_scan_duration_seconds", Help: "Duration of scans (detection on the server).",
		Buckets: prometheus.ExponentialBuckets(0.005, 2, 14),
	})
	s.hits = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "trawl_server_cache_hits_total", Help: "Layers clients asked about that the cache held.",
	})
	s.misses = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "trawl_server_cache_misses_total", Help: "Layers clients asked about that the cache lacked.",
	})
	s.registry.MustRegister(s.requests, s.scanTime, s.hits, s.misses,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	mux := http.NewServeMux()
	mux.Handle("POST "+PathMissing, s.instrument("missing", s.auth(http.HandlerFunc(s.missing))))
	mux.Handle("PUT "+PathLayer+"{key}", s.instrument("layer", s.auth(http.HandlerFunc(s.putLayer))))
	mux.Handle("POST "+PathScan, s.instrument("scan", s.auth(http.HandlerFunc(s.scan))))
	mux.Handle("GET "+PathHealth, s.instrument("healthz", http.HandlerFunc(s.health)))
	mux.Handle("GET "+PathVersion, s.instrument("version", http.HandlerFunc(s.version)))
	mux.Handle("GET "+PathMetrics, s.instrument("metrics", promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{})))
	mux.Handle("/", s.instrument("other", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such endpoint: "+r.Method+" "+r.URL.Path)
	})))
	s.handler = mux
	return s
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Serve serves on ln (TLS when certFile is set) until ctx is cancelled,
// then shuts down gracefully: it stops accepting connections and lets
// requests in flight finish for up to ShutdownTimeout.
func (s *Server) Serve(ctx context.Context, ln net.Listener, certFile, keyFile string) error {
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // a 64 MiB upload on a slow link
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() {
		if certFile != "" {
			errc <- hs.ServeTLS(ln, certFile, keyFile)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down; waiting for requests in flight", "timeout", s.cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		hs.Close()
		<-errc
		return fmt.Errorf("shutdown: requests still in flight after %s were cut off: %w", s.cfg.ShutdownTimeout, err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// RunUpdates updates the DB every interval until ctx is cancelled. A
// failed update is logged; the DB in use stays.
func (s *Server) RunUpdates(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.UpdateDB(ctx)
		}
	}
}

// UpdateDB updates the DB once, logging the outcome.
func (s *Server) UpdateDB(ctx context.Context) {
	o := s.cfg.DB
	o.SkipUpdate = false
	summary, err := app.UpdateDB(ctx, o)
	if err != nil {
		s.log.Warn("vulnerability DB update failed; keeping the DB in use", "err", err)
		return
	}
	s.log.Info(summary)
}

// statusRecorder remembers the status code written.
type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// instrument counts requests by endpoint and code, and turns a panic in
// a handler into a 500 with a logged error instead of a dropped
// connection.
func (s *Server) instrument(endpoint string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("internal error", "endpoint", endpoint, "panic", p)
				if rec.code == 0 {
					writeError(rec, http.StatusInternalServerError, "internal error")
				}
			}
			code := rec.code
			if code == 0 {
				code = http.StatusOK
			}
			s.requests.WithLabelValues(endpoint, strconv.Itoa(code)).Inc()
		}()
		h.ServeHTTP(rec, r)
	})
}

// auth checks the token (in constant time).
func (s *Server) auth(h http.Handler) http.Handler {
	if s.cfg.Token == "" {
		return h
	}
	want := []byte(s.cfg.Token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get(s.cfg.TokenHeader)), want) != 1 {
			writeError(w, http.StatusUnauthorized, "invalid token (header "+s.cfg.TokenHeader+")")
			return
		}
		h.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, ErrorResponse{Error: msg})
}

// readBody reads a request body of at most limit bytes; beyond it writes
// 413 and returns ok=false.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes", limit))
		return nil, false
	case err != nil:
		writeError(w, http.StatusBadRequest, "reading the request body: "+err.Error())
		return nil, false
	}
	return b, true
}

func (s *Server) missing(w http.ResponseWriter, r *http.Request) {
	b, ok := readBody(w, r, maxMissingBody)
	if !ok {
		return
	}
	var req MissingRequest
	if err := json.Unmarshal(b, &req); err != nil {
		writeError(w, http.StatusBadRequest, "decoding the request: "+err.Error())
		return
	}
	if len(req.Keys) > maxLayers {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("%d keys: at most %d", len(req.Keys), maxLayers))
		return
	}
	resp := MissingResponse{Missing: []string{}}
	for _, k := range req.Keys {
		if !ValidKey(k) {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("layer key %q is not sha256:<64 hex digits>", k))
			return
		}
		_, ok, err := s.layers.Get(r.Context(), k)
		if err != nil {
			s.log.Warn("layer cache unreadable", "key", k, "err", err)
		}
		if ok {
			s.hits.Inc()
		} else {
			s.misses.Inc()
			resp.Missing = append(resp.Missing, k)
		}
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) putLayer(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	if !ValidKey(key) {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("layer key %q is not sha256:<64 hex digits>", key))
		return
	}
	b, ok := readBody(w, r, s.cfg.MaxBodySize)
	if !ok {
		return
	}
	// Decoded and schema-checked before anything is stored: the cache
	// keeps what it re-encodes, never the client's bytes.
	res, err := inventory.DecodeLayer(b)
	if err != nil {
		writeError(w, http.StatusBadRequest, "layer "+key+": "+err.Error())
		return
	}
	// A key is stored once: an upload never replaces a cached result
	// (clients upload only what missing-layers reported missing, so this
	// stops only a replacement of a result other scans already read).
	if _, held, err := s.layers.Get(r.Context(), key); err == nil && held {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if err := s.layers.Put(r.Context(), key, res); err != nil {
		s.log.Error("layer cache write failed", "key", key, "err", err)
		writeError(w, http.StatusInternalServerError, "storing layer "+key+" failed")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) scan(w http.ResponseWriter, r *http.Request) {
	if s.beforeScan != nil {
		s.beforeScan()
	}
	start := time.Now()
	ctx := r.Context()
	if s.cfg.ScanTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.cfg.ScanTimeout)
		defer cancel()
	}
	b, ok := readBody(w, r, s.cfg.MaxBodySize)
	if !ok {
		return
	}
	var req ScanRequest
	if err := json.Unmarshal(b, &req); err != nil {
		writeError(w, http.StatusBadRequest, "decoding the scan request: "+err.Error())
		return
	}
	o, a, parts, err := req.decode()
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if len(a.Layers) > 0 {
		if a.Inventory, err = app.Rebuild(ctx, s.layers, a.Layers, parts); err != nil {
			// Never a report of the layers found: the client re-uploads
			// the missing ones (named in "missing") and asks again.
			var miss *app.MissingLayersError
			if errors.As(err, &miss) {
				resp := ErrorResponse{Error: err.Error()}
				for _, l := range miss.Layers {
					resp.Missing = append(resp.Missing, l.Key)
				}
				writeJSON(w, http.StatusUnprocessableEntity, resp)
				return
			}
			writeError(w, http.StatusInternalServerError, err.Error())
			return
		}
	}
	o.DB = s.cfg.DB
	o.Logger = s.log
	if created := a.Report.CreatedAt; !created.IsZero() {
		o.Now = func() time.Time { return created } // end of life as of the client's scan
	}
	a.Report.Results = nil
	rep, err := app.Detect(ctx, o, a)
	if err != nil {
		code := http.StatusInternalServerError
		if ctx.Err() != nil {
			code = http.StatusServiceUnavailable
		}
		writeError(w, code, "scan: "+err.Error())
		return
	}
	s.scanTime.Observe(time.Since(start).Seconds())
	writeJSON(w, http.StatusOK, rep)
}

func (s *Server) health(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	io.WriteString(w, "ok\n")
}

// VersionResponse is the body of GET /version.
type VersionResponse struct {
	Version         string
	VulnerabilityDB any `json:",omitempty"`
}

func (s *Server) version(w http.ResponseWriter, _ *http.Request) {
	v := VersionResponse{Version: s.cfg.Version}
	if s.cfg.DBInfo != nil {
		v.VulnerabilityDB = s.cfg.DBInfo()
	}
	writeJSON(w, http.StatusOK, v)
}
