package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/trawlsec/trawl/internal/analyze"
	"github.com/trawlsec/trawl/internal/app"
	"github.com/trawlsec/trawl/internal/cache"
	"github.com/trawlsec/trawl/pkg/inventory"
	"github.com/trawlsec/trawl/pkg/model"
)

// ClientOptions configure a client of a trawl server.
type ClientOptions struct {
	// URL is the server's base URL (http://host:4954).
	URL         string
	Token       string
	TokenHeader string
	// Headers are sent with every request (--custom-headers).
	Headers http.Header
	// HTTPClient defaults to one with a 10 minute timeout.
	HTTPClient *http.Client
	// Attempts bounds the tries of one request on transient errors
	// (connection refused, 502, 503, 504); Backoff is the first wait,
	// doubled after each try.
	Attempts int
	Backoff  time.Duration
}

// Client talks to a trawl server. It implements app.Remote: analysis
// runs locally against the server's layer cache, detection on the server.
type Client struct {
	o    ClientOptions
	base *url.URL

	mu      sync.Mutex
	present map[string]bool
	// Uploaded counts the layers this client uploaded.
	Uploaded atomic.Int64
	// uploadErr is the first failed upload: the scan then fails naming it.
	uploadErr error
}

// NewClient returns a client of the server at o.URL.
func NewClient(o ClientOptions) (*Client, error) {
	u, err := url.Parse(o.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--server %q: want http(s)://host:port", o.URL)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	if o.TokenHeader == "" {
		o.TokenHeader = DefaultTokenHeader
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 10 * time.Minute}
	}
	if o.Attempts <= 0 {
		o.Attempts = 5
	}
	if o.Backoff <= 0 {
		o.Backoff = 200 * time.Millisecond
	}
	return &Client{o: o, base: u, present: map[string]bool{}}, nil
}

// ServerError is a non-2xx answer of the server.
type ServerError struct {
	Code    int
	Message string
	// Missing names the layers a 422 answer to a scan says the server
	// lacks.
	Missing []string
}

// Is makes a 422 naming missing layers app.ErrLayerMissing, which the
// scan answers by analysing and uploading those layers again.
func (e *ServerError) Is(target error) bool {
	return target == app.ErrLayerMissing && e.Code == http.StatusUnprocessableEntity && len(e.Missing) > 0
}

func (e *ServerError) Error() string {
	return fmt.Sprintf("server answered %d %s: %s", e.Code, http.StatusText(e.Code), e.Message)
}

func transient(code int) bool {
	return code == http.StatusBadGateway || code == http.StatusServiceUnavailable || code == http.StatusGatewayTimeout
}

// do sends one request, retrying transient failures with backoff, and
// decodes a JSON answer into out (when not nil).
func (c *Client) do(ctx context.Context, method, path string, body []byte, out any) error {
	wait := c.o.Backoff
	var last error
	for attempt := 1; ; attempt++ {
		retry, err := c.once(ctx, method, path, body, out)
		if err == nil {
			return nil
		}
		last = err
		if !retry || attempt >= c.o.Attempts || ctx.Err() != nil {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("server %s: %w", c.base.Redacted(), ctx.Err())
		case <-time.After(wait):
		}
		wait *= 2
	}
	return fmt.Errorf("server %s %s %s: %w", c.base.Redacted(), method, path, last)
}

func (c *Client) once(ctx context.Context, method, path string, body []byte, out any) (retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base.String()+path, bytes.NewReader(body))
	if err != nil {
		return false, err
	}
	for k, vs := range c.o.Headers {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if c.o.Token != "" {
		req.Header.Set(c.o.TokenHeader, c.o.Token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.o.HTTPClient.Do(req)
	if err != nil {
		// Connection refused, reset, DNS: the server may be starting.
		return ctx.Err() == nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		var e ErrorResponse
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		if json.Unmarshal(b, &e) != nil || e.Error == "" {
			e.Error = strings.TrimSpace(string(b))
		}
		return transient(resp.StatusCode), &ServerError{Code: resp.StatusCode, Message: e.Error, Missing: e.Missing}
	}
	if out == nil {
		return false, nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return false, fmt.Errorf("decoding the answer: %w", err)
	}
	return false, nil
}

// Missing returns the keys the server lacks.
func (c *Client) Missing(ctx context.Context, keys []string) ([]string, error) {
	b, err := json.Marshal(MissingRequest{Keys: keys})
	if err != nil {
		return nil, err
	}
	var resp MissingResponse
	if err := c.do(ctx, http.MethodPost, PathMissing, b, &resp); err != nil {
		return nil, err
	}
	return resp.Missing, nil
}

// PutLayer uploads a layer's analysis.
func (c *Client) PutLayer(ctx context.Context, key string, r *analyze.LayerResult) error {
	b, err := inventory.EncodeLayer(r)
	if err != nil {
		return fmt.Errorf("encoding layer %s: %w", key, err)
	}
	return c.do(ctx, http.MethodPut, PathLayer+url.PathEscape(key), b, nil)
}

// Scan sends a scan request and returns the server's report.
func (c *Client) Scan(ctx context.Context, req *ScanRequest) (*model.Report, error) {
	b, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("encoding the scan request: %w", err)
	}
	var rep model.Report
	if err := c.do(ctx, http.MethodPost, PathScan, b, &rep); err != nil {
		return nil, err
	}
	return &rep, nil
}

// Expect implements app.Remote: one request finds the layers the server
// lacks; the others are reported present by the layer cache.
func (c *Client) Expect(ctx context.Context, keys []string) error {
	var ask []string
	for _, k := range keys {
		if k != "" {
			ask = append(ask, k)
		}
	}
	if len(ask) == 0 {
		return nil
	}
	missing, err := c.Missing(ctx, ask)
	if err != nil {
		return err
	}
	lacks := map[string]bool{}
	for _, k := range missing {
		lacks[k] = true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range ask {
		c.present[k] = !lacks[k]
	}
	return nil
}

// LayerCache implements app.Remote.
func (c *Client) LayerCache() cache.Cache { return remoteCache{c} }

// Detect implements app.Remote.
func (c *Client) Detect(ctx context.Context, o *app.Options, a *app.Analysis) (*model.Report, error) {
	c.mu.Lock()
	uerr := c.uploadErr
	c.mu.Unlock()
	if uerr != nil {
		return nil, uerr
	}
	req, err := newScanRequest(o, a)
	if err != nil {
		return nil, err
	}
	rep, err := c.Scan(ctx, req)
	var serr *ServerError
	if errors.As(err, &serr) && errors.Is(serr, app.ErrLayerMissing) {
		// The server lost layers it had, or dropped uploads (its cache
		// was down): they are no longer present for the next analysis.
		c.mu.Lock()
		for _, k := range serr.Missing {
			delete(c.present, k)
		}
		c.mu.Unlock()
	}
	return rep, err
}

// remoteCache is the server's layer cache as analysis sees it.
type remoteCache struct{ c *Client }

// Get reports a layer the server holds as present, with an empty
// result: its analysis stays on the server, which merges it.
func (rc remoteCache) Get(_ context.Context, key string) (*analyze.LayerResult, bool, error) {
	rc.c.mu.Lock()
	defer rc.c.mu.Unlock()
	if rc.c.present[key] {
		return &analyze.LayerResult{}, true, nil
	}
	return nil, false, nil
}

// Put uploads a layer analysed here. A failure fails the scan (the server
// could not merge the layer), with the upload's error.
func (rc remoteCache) Put(ctx context.Context, key string, r *analyze.LayerResult) error {
	err := rc.c.PutLayer(ctx, key, r)
	rc.c.mu.Lock()
	defer rc.c.mu.Unlock()
	if err != nil {
		if rc.c.uploadErr == nil {
			rc.c.uploadErr = err
		}
		return err
	}
	rc.c.Uploaded.Add(1)
	rc.c.present[key] = true
	return nil
}

func (remoteCache) Close() error { return nil }
