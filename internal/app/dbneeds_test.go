package app

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/vulndb/update"
	"github.com/trawlsec/trawl/pkg/model"
)

// recordingMirror serves one small archive for each of ecosystems (the
// others are 404) and records the archives it sent (304s not counted).
type recordingMirror struct {
	*httptest.Server
	mu   sync.Mutex
	sent []string
	asks []string
}

func newRecordingMirror(t *testing.T, ecosystems ...string) *recordingMirror {
	t.Helper()
	archives := map[string][]byte{}
	for _, eco := range ecosystems {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("REC-1.json")
		recEco := eco
		if eco == "Debian" {
			recEco = "Debian:12"
		}
		fmt.Fprintf(w, `{"id": "%s-1", "modified": "2099-01-01T00:00:00Z", "summary": "x",
 "affected": [{"package": {"ecosystem": %q, "name": "foo"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0"}]}]}]}`, strings.ToUpper(eco), recEco)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		archives[eco] = buf.Bytes()
	}
	m := &recordingMirror{}
	m.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		eco, ok := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, "/"), "/all.zip")
		if !ok {
			http.NotFound(w, r)
			return
		}
		m.mu.Lock()
		m.asks = append(m.asks, eco)
		m.mu.Unlock()
		b, ok := archives[eco]
		switch {
		case !ok:
			http.NotFound(w, r)
		case r.Header.Get("If-None-Match") == `"v1"`:
			w.WriteHeader(http.StatusNotModified)
		default:
			m.mu.Lock()
			m.sent = append(m.sent, eco)
			m.mu.Unlock()
			w.Header().Set("ETag", `"v1"`)
			w.Write(b)
		}
	}))
	t.Cleanup(m.Close)
	return m
}

// take returns and forgets what was sent and asked for.
func (m *recordingMirror) take() (sent, asked []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	sent, asked = m.sent, m.asks
	m.sent, m.asks = nil, nil
	slices.Sort(sent)
	slices.Sort(asked)
	return sent, asked
}

// TestOpenDBDownloadsWhatTheScanNeeds: a first scan downloads only the
// archives its packages need, a later scan adds what it needs next (and
// refreshes nothing it does not have to), an archive the mirror lacks is
// not asked for again until the DB is due, and a stale DB is refreshed with
// everything it holds.
func TestOpenDBDownloadsWhatTheScanNeeds(t *testing.T) {
	m := newRecordingMirror(t, "Debian", "npm", "PyPI", "Go")
	o := DBOptions{Path: filepath.Join(t.TempDir(), "db", "trawl.db"), Repositories: []string{m.URL}, MaxAge: 24 * time.Hour,
		Logger: slog.New(slog.DiscardHandler)}
	ctx := context.Background()
	now := time.Now()
	open := func(needed ...string) {
		t.Helper()
		s, err := openDB(ctx, o, now, needed)
		if err != nil {
			t.Fatalf("openDB(%v): %v", needed, err)
		}
		if s != nil {
			s.Close()
		}
	}
	check := func(step string, wantSent, wantAsked []string) {
		t.Helper()
		sent, asked := m.take()
		if diff := cmp.Diff(wantSent, sent); diff != "" {
			t.Errorf("%s: archives downloaded (-want +got):\n%s", step, diff)
		}
		if diff := cmp.Diff(wantAsked, asked); diff != "" {
			t.Errorf("%s: archives asked for (-want +got):\n%s", step, diff)
		}
	}

	open() // no packages, no DB: nothing to match, nothing downloaded
	check("no packages", nil, nil)

	open("Debian", "Go")
	check("first scan", []string{"Debian", "Go"}, []string{"Debian", "Go"})
	held, err := update.Held(o.Path)
	if err != nil || !held["Debian"] || !held["Go"] || held["npm"] {
		t.Fatalf("held after the first scan: %v %v", held, err)
	}

	open("Go")
	check("same needs, fresh DB", nil, nil)

	open("Go", "npm")
	check("adds npm", []string{"npm"}, []string{"Debian", "Go", "npm"})

	open("Julia") // the mirror has none: asked once, then remembered
	check("missing archive", nil, []string{"Debian", "Go", "Julia", "npm"})
	open("Julia")
	check("missing archive again", nil, nil)

	now = now.Add(48 * time.Hour) // stale: refresh what it holds, nothing more
	open("Go")
	check("stale", nil, []string{"Debian", "Go", "npm"})

	// Updates off: nothing is asked for, whatever is missing.
	off := o
	off.SkipUpdate = true
	if s, err := openDB(ctx, off, now, []string{"PyPI"}); err != nil {
		t.Fatal(err)
	} else {
		s.Close()
	}
	check("updates off", nil, nil)
}

// TestNeededArchives: the archive of the OS release and of each language
// result with packages.
func TestNeededArchives(t *testing.T) {
	rep := &model.Report{
		Metadata: model.Metadata{OS: &model.OS{Family: "debian", Name: "12.15"}},
		Results: []model.Result{
			{Class: model.ClassOSPkg, Packages: []model.Package{{Name: "bash"}}},
			{Class: model.ClassLangPkg, Type: model.TypeNodePkg, Packages: []model.Package{{Name: "a"}}},
			{Class: model.ClassLangPkg, Type: model.TypeGoBinary, Packages: []model.Package{{Name: "b"}}},
			{Class: model.ClassLangPkg, Type: model.TypePip}, // no packages
			{Class: model.ClassSecret},
			// Pods are matched in SwiftURL, by repository.
			{Class: model.ClassLangPkg, Type: model.TypeCocoaPods, Packages: []model.Package{{Name: "Alamofire"}}},
		},
	}
	if diff := cmp.Diff([]string{"Debian", "Go", "SwiftURL", "npm"}, neededArchives(rep)); diff != "" {
		t.Error(diff)
	}
}
