package image_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/trawlsec/trawl/internal/source/image"
)

// referrersRegistry starts a registry with or without the referrers API;
// blobs whose digest is in tamper are served with their first byte
// changed.
func referrersRegistry(t *testing.T, api bool, tamper map[string]bool) string {
	t.Helper()
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)), registry.WithReferrersSupport(api))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if i := strings.LastIndex(r.URL.Path, "/blobs/"); i >= 0 && r.Method == http.MethodGet && tamper[r.URL.Path[i+len("/blobs/"):]] {
			rec := httptest.NewRecorder()
			reg.ServeHTTP(rec, r)
			b := rec.Body.Bytes()
			if len(b) > 0 {
				b[0] ^= 0xff
			}
			w.WriteHeader(rec.Code)
			w.Write(b)
			return
		}
		reg.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

func digestOf(b []byte) string {
	s := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(s[:])
}

const (
	cdxDoc  = `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[]}`
	spdxDoc = `{"spdxVersion":"SPDX-2.3","packages":[]}`
)

func TestReferrers(t *testing.T) {
	ctx := context.Background()
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	for _, api := range []bool{true, false} {
		t.Run(fmt.Sprintf("referrers API %v", api), func(t *testing.T) {
			host := referrersRegistry(t, api, nil)
			ref := host + "/team/app:1.0"
			push(t, ref, threeLayers(t))
			img, err := image.Open(ctx, ref, image.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer img.Close()
			if found, refused := img.Referrers(ctx, image.SBOMArtifactTypes); len(found) != 0 || len(refused) != 0 {
				t.Fatalf("before attaching: found %d, refused %v", len(found), refused)
			}
			// SPDX first: CycloneDX must still come first in the result.
			for _, a := range []struct{ typ, doc string }{{image.ArtifactTypeSPDX, spdxDoc}, {image.ArtifactTypeCycloneDX, cdxDoc}, {"application/vnd.example+json", "{}"}} {
				if _, err := img.Attach(ctx, a.typ, []byte(a.doc), nil); err != nil {
					t.Fatal(err)
				}
			}
			if !api {
				// Without the API the fallback tag lists them.
				tag := strings.Replace(img.Subject(), ":", "-", 1)
				if _, err := remote.Head(mustRef(t, host+"/team/app:"+tag)); err != nil {
					t.Fatalf("fallback tag %s: %v", tag, err)
				}
			}
			found, refused := img.Referrers(ctx, image.SBOMArtifactTypes)
			if len(refused) != 0 {
				t.Fatalf("refused: %v", refused)
			}
			if len(found) != 2 || found[0].ArtifactType != image.ArtifactTypeCycloneDX || string(found[0].Content) != cdxDoc ||
				found[1].ArtifactType != image.ArtifactTypeSPDX || string(found[1].Content) != spdxDoc {
				t.Fatalf("found %+v", found)
			}
		})
	}
}

func mustRef(t *testing.T, s string) name.Reference {
	t.Helper()
	r, err := name.ParseReference(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// rawManifest is a manifest pushed as given, lies included.
type rawManifest struct {
	raw []byte
	mt  types.MediaType
}

func (m rawManifest) RawManifest() ([]byte, error)        { return m.raw, nil }
func (m rawManifest) MediaType() (types.MediaType, error) { return m.mt, nil }
func (m rawManifest) Digest() (v1.Hash, error)            { return v1.NewHash(digestOf(m.raw)) }
func (m rawManifest) Size() (int64, error)                { return int64(len(m.raw)), nil }
func (m rawManifest) descriptor(at string) map[string]any { return descriptor(m.mt, m.raw, at) }
func descriptor(mt types.MediaType, raw []byte, at string) map[string]any {
	return map[string]any{"mediaType": mt, "digest": digestOf(raw), "size": len(raw), "artifactType": at}
}

// TestReferrersHostile: referrers that lie about their size or content are
// refused, one line each, and the good one is still found.
func TestReferrersHostile(t *testing.T) {
	ctx := context.Background()
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	tamper := map[string]bool{}
	host := referrersRegistry(t, false, tamper) // fallback tag: its index is whatever was pushed
	ref := host + "/team/app:1.0"
	push(t, ref, threeLayers(t))
	img, err := image.Open(ctx, ref, image.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	subject, err := remote.Head(mustRef(t, host+"/team/app@"+img.Subject()))
	if err != nil {
		t.Fatal(err)
	}
	repo := mustRef(t, ref).Context()

	// An artifact manifest (with its blob uploaded) whose layer says size.
	artifact := func(content string, size int) rawManifest {
		blob := []byte(content)
		if err := remote.WriteLayer(repo, static.NewLayer(blob, types.MediaType(image.ArtifactTypeCycloneDX))); err != nil {
			t.Fatal(err)
		}
		m := map[string]any{
			"schemaVersion": 2, "mediaType": types.OCIManifestSchema1, "artifactType": image.ArtifactTypeCycloneDX,
			"config":  map[string]any{"mediaType": "application/vnd.oci.empty.v1+json", "digest": digestOf([]byte("{}")), "size": 2},
			"layers":  []any{map[string]any{"mediaType": image.ArtifactTypeCycloneDX, "digest": digestOf(blob), "size": size}},
			"subject": map[string]any{"mediaType": subject.MediaType, "digest": subject.Digest.String(), "size": subject.Size},
		}
		raw := mustJSON(t, m)
		rm := rawManifest{raw: raw, mt: types.OCIManifestSchema1}
		if err := remote.Put(repo.Digest(digestOf(raw)), rm); err != nil {
			t.Fatal(err)
		}
		return rm
	}
	good := artifact(cdxDoc, len(cdxDoc))
	hugeBlob := artifact(`{"bomFormat":"CycloneDX","huge":1}`, 1<<40)
	forged := artifact(`{"bomFormat":"CycloneDX","forged":1}`, len(`{"bomFormat":"CycloneDX","forged":1}`))
	tamper[digestOf([]byte(`{"bomFormat":"CycloneDX","forged":1}`))] = true
	hugeManifest := good.descriptor(image.ArtifactTypeCycloneDX) // the good one's digest, a lying size
	hugeManifest["size"] = int64(1 << 40)

	idx := mustJSON(t, map[string]any{
		"schemaVersion": 2, "mediaType": types.OCIImageIndex,
		"manifests": []any{hugeManifest, hugeBlob.descriptor(image.ArtifactTypeCycloneDX), forged.descriptor(image.ArtifactTypeCycloneDX), good.descriptor(image.ArtifactTypeCycloneDX)},
	})
	fallback := host + "/team/app:" + strings.Replace(img.Subject(), ":", "-", 1)
	if err := remote.Put(mustRef(t, fallback), rawManifest{raw: idx, mt: types.OCIImageIndex}); err != nil {
		t.Fatal(err)
	}

	found, refused := img.Referrers(ctx, image.SBOMArtifactTypes)
	if len(found) != 1 || string(found[0].Content) != cdxDoc {
		t.Errorf("found %+v, want only the good referrer", found)
	}
	wants := []string{
		"manifest size 1099511627776 is not between 1 and",
		"blob size 1099511627776 is not between 1 and",
		"checksum", // go-containerregistry's digest check of the blob as it is read
	}
	if len(refused) != len(wants) {
		t.Fatalf("refused = %v, want %d errors", refused, len(wants))
	}
	for i, w := range wants {
		msg := refused[i].Error()
		if !strings.Contains(msg, w) || strings.Contains(msg, "\n") || !strings.Contains(msg, "referrer sha256:") {
			t.Errorf("refused[%d] = %q, want one line naming the referrer and %q", i, msg, w)
		}
	}
}

func TestReferrersNotRegistry(t *testing.T) {
	img, err := image.Open(context.Background(), "", image.Options{Input: writeFile(t, t.TempDir(), "img.tar", writeDockerSave(t, "app:1", threeLayers(t)))})
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	if img.Subject() != "" {
		t.Errorf("Subject() = %q for an archive", img.Subject())
	}
	_, refused := img.Referrers(context.Background(), image.SBOMArtifactTypes)
	if len(refused) != 1 || !strings.Contains(refused[0].Error(), "referrers exist only for registry images") {
		t.Errorf("refused = %v", refused)
	}
	if _, err := img.Attach(context.Background(), image.ArtifactTypeCycloneDX, []byte("{}"), nil); err == nil {
		t.Error("Attach to an archive succeeded")
	}
}
