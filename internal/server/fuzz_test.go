package server

import (
	"net/http"
	"strings"
	"testing"
)

// FuzzPutLayer: any body for a layer upload is 204, 400 or 413; never a
// panic (the handler's recover would turn one into a 500).
func FuzzPutLayer(f *testing.F) {
	f.Add(layerBody(f))
	f.Add([]byte(`{"schema":"trawl.inventory.layer/1","data":{"OSPackages":[{"Packages":[null]}]}}`))
	f.Add([]byte(`{"schema":"trawl.inventory.layer/1","data":null}`))
	f.Add([]byte(`{"schema":"trawl.inventory.layer/2","data":{}}`))
	f.Add([]byte(`[]`))
	s := newTestServer(f, Config{MaxBodySize: 1 << 16})
	h := s.Handler()
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := do(h, "PUT", PathLayer+testKey, body)
		switch rec.Code {
		case http.StatusNoContent, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("%d %s for %q", rec.Code, rec.Body, body)
		}
	})
}

// FuzzScan: any scan request is answered 200, 400, 413 or 422; never a
// panic. The layer of testKey is uploaded first, so fuzzed requests
// that name it reach detection.
func FuzzScan(f *testing.F) {
	f.Add(scanBody(f, testKey))
	f.Add([]byte(`{"schema":"trawl.scan/1","options":{"Target":"fs","Scanners":["vuln","secret","license","misconfig","forensics"]},"inventory":{"schema":"trawl.inventory/1","data":{"OS":{"Family":"alpine"},"OSPackages":[{"Name":"musl"}]}}}`))
	f.Add([]byte(`{"schema":"trawl.scan/1","options":{"Target":"image"},"layers":[{"Key":"` + testKey + `"}],"config_parts":{"schema":"trawl.inventory/1","data":{"ConfigSecrets":[{}]}}}`))
	f.Add([]byte(`{"schema":"trawl.scan/1","options":{"Target":"sbom","Scanners":["vuln"]},"inventory":{"schema":"trawl.inventory/1","data":null}}`))
	s := newTestServer(f, Config{MaxBodySize: 1 << 16})
	h := s.Handler()
	if rec := do(h, "PUT", PathLayer+testKey, layerBody(f)); rec.Code != http.StatusNoContent {
		f.Fatalf("put: %d", rec.Code)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := do(h, "POST", PathScan, body)
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
		default:
			t.Fatalf("%d %s for %q", rec.Code, rec.Body, body)
		}
		if rec.Code != http.StatusOK && strings.Count(strings.TrimSpace(rec.Body.String()), "\n") != 0 {
			t.Fatalf("error is not one line: %q", rec.Body)
		}
	})
}
