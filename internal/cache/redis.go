package cache

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"

	"github.com/trawlsec/trawl/internal/analyze"
)

// Backends names the accepted --cache-backend values, for messages.
const Backends = "fs, memory, redis://[user:pass@]host:port[/db], rediss://…"

// Options chooses and configures a layer cache (Trivy's cache flags).
type Options struct {
	// Backend is "fs" (or empty), "memory", "redis://[user:pass@]host:port[/db]"
	// or "rediss://…" (TLS).
	Backend string
	// Dir is the file cache's directory (fs only).
	Dir string
	// TTL is how long a Redis entry lives (0: no expiry); fs and memory
	// ignore it, as Trivy's do.
	TTL time.Duration
	// RedisCA, RedisCert and RedisKey (PEM files, all three or none)
	// turn TLS on with that CA and client certificate.
	RedisCA, RedisCert, RedisKey string
	// RedisTLS turns TLS on with the system's CAs (rediss:// does too).
	RedisTLS bool
}

// IsRedis reports whether backend names a Redis server.
func IsRedis(backend string) bool {
	return strings.HasPrefix(backend, "redis://") || strings.HasPrefix(backend, "rediss://")
}

// Check validates o without connecting to anything: the backend's name or
// URL, the TLS options and files, the TTL. Its errors never show a
// password. The CLI calls it to reject bad flags before a scan; Open calls
// it again.
func Check(o Options) error {
	_, _, err := prepare(o)
	return err
}

// Open returns the cache o asks for. A Redis cache does not connect here:
// a server that is down (now or later) makes reads misses and writes
// no-ops, never a failed scan.
func Open(ctx context.Context, o Options, logger *slog.Logger) (Cache, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if IsRedis(o.Backend) {
		c, err := OpenRedis(ctx, o, logger)
		if err != nil {
			return nil, err // not a Cache holding a nil *Redis
		}
		return c, nil
	}
	if err := Check(o); err != nil {
		return nil, err
	}
	if o.Backend == "memory" {
		return NewMemory(), nil
	}
	return OpenFS(o.Dir, logger)
}

// ClearScanCache removes every layer result of the backend o names: the
// file cache in o.Dir always (it may hold entries of earlier scans made
// with fs), and for Redis every key under RedisPrefix.
func ClearScanCache(ctx context.Context, o Options) error {
	if err := Check(o); err != nil {
		return err
	}
	if err := Clear(o.Dir); err != nil {
		return err
	}
	if !IsRedis(o.Backend) {
		return nil
	}
	c, err := OpenRedis(ctx, o, nil)
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.Clear(ctx)
	return err
}

// RedisPrefix starts every key trawl writes to Redis.
const RedisPrefix = "trawl::layer::"

// Timeouts of one Redis operation; a server that does not answer costs a
// scan at most these per layer, never a hang.
const (
	redisDialTimeout  = 3 * time.Second
	redisReadTimeout  = 5 * time.Second
	redisWriteTimeout = 5 * time.Second
)

// Redis stores layer results in Redis, one key per layer (RedisPrefix +
// Key), each value written whole by one SET: the same zstd-compressed wire
// bytes as the file cache. A value that does not decode (garbage, another
// schema version) is a miss. Errors talking to the server are misses
// (Get) or dropped (Put), with one warning per cache.
type Redis struct {
	client   *redis.Client
	where    string // the URL without its password, for messages
	ttl      time.Duration
	logger   *slog.Logger
	warnOnce sync.Once
}

var setRedisLogger sync.Once

// OpenRedis returns a Redis cache for o.Backend (redis:// or rediss://).
// It checks the options and reads the TLS files but does not connect.
func OpenRedis(_ context.Context, o Options, logger *slog.Logger) (*Redis, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	ro, where, err := prepare(o)
	if err != nil {
		return nil, err
	}
	if ro == nil {
		return nil, fmt.Errorf("--cache-backend %s is not a Redis URL", o.Backend)
	}
	// go-redis logs through a process-wide logger; send it to ours, at
	// debug level (the cache warns once itself).
	setRedisLogger.Do(func() { redis.SetLogger(redisLog{logger}) })
	return &Redis{client: redis.NewClient(ro), where: where, ttl: o.TTL, logger: logger}, nil
}

// prepare checks o and, for a Redis backend, returns the client options
// and the URL with its password masked.
func prepare(o Options) (*redis.Options, string, error) {
	if o.TTL < 0 {
		return nil, "", fmt.Errorf("--cache-ttl %s: must not be negative", o.TTL)
	}
	tlsFiles := o.RedisCA != "" || o.RedisCert != "" || o.RedisKey != ""
	if !IsRedis(o.Backend) {
		if o.Backend != "" && o.Backend != "fs" && o.Backend != "memory" {
			return nil, "", fmt.Errorf("--cache-backend %q is not a backend (%s)", o.Backend, Backends)
		}
		if tlsFiles || o.RedisTLS {
			return nil, "", errors.New("--redis-ca, --redis-cert, --redis-key and --redis-tls need a redis:// or rediss:// --cache-backend")
		}
		return nil, "", nil
	}
	u, err := url.Parse(o.Backend)
	if err != nil {
		// url's error quotes the whole URL, password included.
		return nil, "", errors.New("--cache-backend: not a valid Redis URL (redis://[user:pass@]host:port[/db])")
	}
	where := u.Redacted()
	pass, _ := u.User.Password()
	ro, err := redis.ParseURL(o.Backend)
	if err != nil {
		return nil, "", fmt.Errorf("--cache-backend %s: %s", where, scrub(err.Error(), pass))
	}
	if o.RedisTLS && ro.TLSConfig == nil {
		ro.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, ServerName: u.Hostname()}
	}
	if tlsFiles {
		if o.RedisCA == "" || o.RedisCert == "" || o.RedisKey == "" {
			return nil, "", errors.New("--redis-ca, --redis-cert and --redis-key go together: give all three (or --redis-tls for the system's CAs)")
		}
		pem, err := os.ReadFile(o.RedisCA)
		if err != nil {
			return nil, "", fmt.Errorf("--redis-ca: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, "", fmt.Errorf("--redis-ca %s: no PEM certificate in it", o.RedisCA)
		}
		pair, err := tls.LoadX509KeyPair(o.RedisCert, o.RedisKey)
		if err != nil {
			return nil, "", fmt.Errorf("--redis-cert %s, --redis-key %s: %w", o.RedisCert, o.RedisKey, err)
		}
		if ro.TLSConfig == nil {
			ro.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, ServerName: u.Hostname()}
		}
		ro.TLSConfig.RootCAs = pool
		ro.TLSConfig.Certificates = []tls.Certificate{pair}
	}
	if ro.DialTimeout == 0 {
		ro.DialTimeout = redisDialTimeout
	}
	if ro.ReadTimeout == 0 {
		ro.ReadTimeout = redisReadTimeout
	}
	if ro.WriteTimeout == 0 {
		ro.WriteTimeout = redisWriteTimeout
	}
	// One retry (a connection the server closed when it restarted), one
	// dial each: a server that is down costs each layer two refused dials,
	// not go-redis's default five with backoff.
	ro.MaxRetries = 1
	ro.DialerRetries = 1
	ro.ContextTimeoutEnabled = true
	ro.Protocol = 2           // plain GET/SET need nothing of RESP3
	ro.DisableIdentity = true // no CLIENT SETINFO (older servers refuse it)
	ro.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	return ro, where, nil
}

// scrub removes the password from a message.
func scrub(msg, pass string) string {
	if pass == "" {
		return msg
	}
	return strings.ReplaceAll(msg, pass, "xxxxx")
}

// unavailable warns, once per cache, that the server could not be used.
func (c *Redis) unavailable(op string, err error) {
	msg := scrub(err.Error(), c.password())
	c.logger.Debug("redis scan cache "+op+" failed", "backend", c.where, "err", msg)
	c.warnOnce.Do(func() {
		c.logger.Warn("the Redis scan cache is unavailable; layers it cannot serve are analysed again", "backend", c.where, "err", msg)
	})
}

func (c *Redis) password() string { return c.client.Options().Password }

// Get implements Cache: a missing, unreadable or undecodable value is a
// miss (nil error); only a cancelled context is an error.
func (c *Redis) Get(ctx context.Context, key string) (*analyze.LayerResult, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	b, err := c.client.Get(ctx, RedisPrefix+key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, false, ctx.Err()
		}
		c.unavailable("read", err)
		return nil, false, nil
	}
	r, err := decode(b)
	if err != nil {
		// Garbage or another schema version: the next Put replaces it.
		c.logger.Debug("ignoring an undecodable Redis scan cache entry", "key", key, "err", err)
		return nil, false, nil
	}
	return r, true, nil
}

// Put implements Cache: one SET of the whole value, with the TTL (0: no
// expiry). A server error is logged and dropped.
func (c *Redis) Put(ctx context.Context, key string, r *analyze.LayerResult) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b, err := encode(r)
	if err != nil {
		return fmt.Errorf("encoding layer result: %w", err)
	}
	if err := c.client.Set(ctx, RedisPrefix+key, b, c.ttl).Err(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		c.unavailable("write", err)
	}
	return nil
}

// redisClearBatch is the SCAN COUNT hint, and so about the size of each DEL.
const redisClearBatch = 500

// Clear deletes every key under RedisPrefix (SCAN and DEL in batches, not
// KEYS, so a large server is not blocked) and returns how many it deleted.
// Unlike Get and Put, it reports a server that cannot be reached.
func (c *Redis) Clear(ctx context.Context) (int, error) {
	var cursor uint64
	n := 0
	for {
		keys, next, err := c.client.Scan(ctx, cursor, RedisPrefix+"*", redisClearBatch).Result()
		if err != nil {
			return n, fmt.Errorf("clearing the Redis scan cache %s: %s", c.where, scrub(err.Error(), c.password()))
		}
		if len(keys) > 0 {
			d, err := c.client.Del(ctx, keys...).Result()
			if err != nil {
				return n, fmt.Errorf("clearing the Redis scan cache %s: %s", c.where, scrub(err.Error(), c.password()))
			}
			n += int(d)
		}
		if next == 0 {
			return n, nil
		}
		cursor = next
	}
}

// Close implements Cache.
func (c *Redis) Close() error { return c.client.Close() }

// redisLog sends go-redis's own messages to slog at debug level.
type redisLog struct{ l *slog.Logger }

func (r redisLog) Printf(ctx context.Context, format string, v ...any) {
	r.l.DebugContext(ctx, "redis: "+fmt.Sprintf(format, v...))
}
