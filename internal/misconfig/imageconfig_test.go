package misconfig

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/internal/parse/dockerfile"
)

// TestImageConfigDockerfile: the history of the classic builder and of
// BuildKit, and the config's USER and HEALTHCHECK, become a Dockerfile the
// parser reads.
func TestImageConfigDockerfile(t *testing.T) {
	raw := `{"config": {"User": "app", "Healthcheck": {"Test": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]}},
	  "history": [
	    {"created_by": "/bin/sh -c #(nop) ADD file:abc in / "},
	    {"created_by": "/bin/sh -c #(nop)  CMD [\"/bin/sh\"]", "empty_layer": true},
	    {"created_by": "/bin/sh -c apk add --no-cache curl"},
	    {"created_by": "|2 VERSION=1 DEBUG=0 /bin/sh -c echo $VERSION"},
	    {"created_by": "RUN --mount=type=bind,source=app,target=/ctx/app /bin/sh -c cp -a /ctx/app /app # buildkit"},
	    {"created_by": "ENV NODE_ENV=production"},
	    {"created_by": "EXPOSE map[22/tcp:{} 8080/tcp:{}]"},
	    {"created_by": "COPY /src /dst # buildkit"},
	    {"created_by": "/bin/sh -c #(nop) COPY dir:0f3e in /srv "},
	    {"created_by": "ADD file:rootfs.tar in / # debootstrap --variant=minbase bookworm"},
	    {"created_by": ""},
	    {"created_by": "true && multi\nline"}
	  ]}`
	got, err := ImageConfigDockerfile([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	want := `FROM scratch
ADD file:abc /
CMD ["/bin/sh"]
RUN apk add --no-cache curl
RUN echo $VERSION
RUN --mount=type=bind,source=app,target=/ctx/app cp -a /ctx/app /app
ENV NODE_ENV=production
EXPOSE 22/tcp 8080/tcp
COPY /src /dst
COPY dir:0f3e /srv
ADD file:rootfs.tar /
RUN true && multi \
line
USER app
HEALTHCHECK CMD curl -f http://localhost/ || exit 1
`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := dockerfile.Parse(got); err != nil {
		t.Errorf("the rebuilt Dockerfile does not parse: %v", err)
	}
	if _, err := ImageConfigDockerfile([]byte("{")); err == nil || !strings.Contains(err.Error(), "image config") {
		t.Errorf("broken config: %v", err)
	}
}

// TestImageConfigChecks: an image built without USER and HEALTHCHECK fails
// DS002 and DS026, as the corpus README says of its Debian image.
func TestImageConfigChecks(t *testing.T) {
	df, err := ImageConfigDockerfile([]byte(`{"config": {}, "history": [{"created_by": "/bin/sh -c #(nop) ADD file:x in /"}, {"created_by": "CMD [\"/app\" \"serve\"]"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	e := newEngine(t, Options{})
	r := scan(t, e, string(df))
	var ids []string
	for _, m := range r.Misconfigurations {
		ids = append(ids, m.ID)
	}
	for _, want := range []string{"DS-0002", "DS-0026"} {
		if !strings.Contains(strings.Join(ids, ","), want) {
			t.Errorf("%s not reported: %v", want, ids)
		}
	}
}
