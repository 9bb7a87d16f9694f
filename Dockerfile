# The trawl container image: a static binary on an empty base, running as
# an unprivileged user. Build: docker build -t trawl .
# Run:   docker run --rm -v "$PWD:/src" trawl fs /src
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/trawlsec/trawl/internal/cli.Version=${VERSION}" -o /out/trawl ./cmd/trawl \
 && mkdir -p /out/etc /out/home/trawl/.cache \
 && echo 'trawl:x:65532:65532:trawl:/home/trawl:/sbin/nologin' > /out/etc/passwd \
 && echo 'trawl:x:65532:' > /out/etc/group

FROM scratch
ARG VERSION=dev
LABEL org.opencontainers.image.title="trawl" \
      org.opencontainers.image.description="Trivy-compatible security scanner: vulnerabilities, secrets, misconfigurations, licences, forensics" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}"
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/etc/passwd /out/etc/group /etc/
COPY --from=build --chown=65532:65532 /out/home/trawl /home/trawl
COPY --from=build /out/trawl /usr/local/bin/trawl
ENV HOME=/home/trawl
USER 65532:65532
WORKDIR /home/trawl
# A command-line tool, not a service: nothing to probe.
HEALTHCHECK NONE
ENTRYPOINT ["/usr/local/bin/trawl"]
CMD ["--help"]
