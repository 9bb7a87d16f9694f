package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/trawlsec/trawl/internal/apply"
	"github.com/trawlsec/trawl/internal/attest"
	"github.com/trawlsec/trawl/internal/filter"
	"github.com/trawlsec/trawl/internal/report"
	"github.com/trawlsec/trawl/internal/sbom"
	"github.com/trawlsec/trawl/internal/source/image"
	"github.com/trawlsec/trawl/pkg/model"
)

// Remote sources named on the command line.
const (
	// SBOMSourceOCI (--sbom-sources oci) scans an SBOM attached to a
	// registry image as an OCI referrer instead of its layers.
	SBOMSourceOCI = "oci"
	// VEXSourceOCI (--vex oci) applies the OpenVEX documents attached to
	// a registry image as OCI referrers.
	VEXSourceOCI = "oci"
)

// imageReferrers does what the referrer options ask once the image is
// open: it returns the inventory of an SBOM referrer when
// --sbom-sources oci finds one (the layers are then not analysed, as
// Trivy does), keeps the VEX referrers for filtering, and keeps the
// image for --push-sbom. Referrers that cannot be used are logged and
// skipped: the scan goes on without them.
func (o *Options) imageReferrers(ctx context.Context, img *image.Image, log *slog.Logger) *apply.Inventory {
	remote := img.Subject() != ""
	if !remote && (len(o.SBOMSources) > 0 || o.VEXOCI || o.PushSBOM) {
		log.Warn("--sbom-sources oci, --vex oci and --push-sbom apply to registry images only; ignored", "image", img.Name())
		return nil
	}
	if o.VEXOCI {
		found, refused := img.Referrers(ctx, []string{image.ArtifactTypeOpenVEX})
		logRefused(log, refused)
		o.ociVEX = append(o.ociVEX, found...)
	}
	if o.PushSBOM {
		o.pushTo = img
	}
	if !slices.Contains(o.SBOMSources, SBOMSourceOCI) {
		return nil
	}
	if o.Attestation.Enabled() {
		return o.attestedSBOMReferrer(ctx, img, log)
	}
	found, refused := img.Referrers(ctx, image.SBOMArtifactTypes)
	logRefused(log, refused)
	for _, r := range found {
		where := "OCI referrer " + r.Digest
		inv, _, err := sbom.Decode(bytes.NewReader(r.Content), where)
		if err != nil {
			log.Warn("SBOM referrer skipped", "err", err)
			continue
		}
		log.Info("scanning the SBOM attached to the image instead of its layers", "referrer", r.Digest, "type", r.ArtifactType)
		apply.Identify(inv)
		return inv
	}
	log.Debug("no SBOM referrer found; analysing the layers", "image", img.Name())
	return nil
}

// attestedSBOMReferrer returns the inventory of the first Sigstore bundle
// referrer that verifies with the --key/--trusted-root options, is about
// the manifest it refers to (the image, or its index) and carries an SBOM.
// Unsigned SBOM referrers are not read: with a key, only a verified SBOM
// replaces the layers.
func (o *Options) attestedSBOMReferrer(ctx context.Context, img *image.Image, log *slog.Logger) *apply.Inventory {
	found, refused := img.Referrers(ctx, []string{image.ArtifactTypeSigstoreBundle})
	logRefused(log, refused)
	for _, r := range found {
		where := "OCI referrer " + r.Digest
		ao := o.Attestation
		ao.SubjectDigest = r.Subject
		a, err := attest.Verify(ctx, r.Content, ao)
		if errors.Is(err, attest.ErrNotSBOM) {
			log.Debug("attestation referrer skipped", "referrer", r.Digest, "err", err)
			continue
		}
		if err != nil {
			log.Warn("attestation referrer skipped", "err", fmt.Errorf("%s: %w", where, err))
			continue
		}
		inv, format, err := sbom.Decode(bytes.NewReader(a.SBOM), where)
		if err == nil && !strings.HasPrefix(string(format), a.Format()) {
			err = fmt.Errorf("%s: the predicate type names a %s SBOM but the predicate is a %s document", where, a.Format(), format)
		}
		if err != nil {
			log.Warn("attestation referrer skipped", "err", err)
			continue
		}
		log.Info("scanning the verified SBOM attestation attached to the image instead of its layers", "referrer", r.Digest, "predicateType", a.PredicateType, "signer", a.Signer)
		apply.Identify(inv)
		return inv
	}
	log.Warn("no SBOM attestation referrer verified; analysing the layers", "image", img.Name())
	return nil
}

func logRefused(log *slog.Logger, refused []error) {
	for _, err := range refused {
		log.Warn("referrer skipped", "err", err)
	}
}

// withReferrerVEX adds the VEX referrers found by the scan to f.
func (o *Options) withReferrerVEX(f *filter.Filter) *filter.Filter {
	for _, r := range o.ociVEX {
		g, err := f.WithVEX("OCI referrer "+r.Digest, r.Content)
		if err != nil {
			o.Logger.Warn("VEX referrer skipped", "err", err)
			continue
		}
		f = g
	}
	return f
}

// pushSBOM attaches the CycloneDX SBOM of rep to the scanned registry
// image (--push-sbom).
func (o *Options) pushSBOM(ctx context.Context, rep *model.Report) error {
	if o.pushTo == nil {
		return nil
	}
	var buf bytes.Buffer
	ro := o.Report
	ro.ListAllPkgs = true
	ro.CycloneDXXML = false
	ro.Scanners = o.Scanners
	if err := report.Write(&buf, "cyclonedx", rep, ro); err != nil {
		return fmt.Errorf("--push-sbom: %w", err)
	}
	d, err := o.pushTo.Attach(ctx, image.ArtifactTypeCycloneDX, buf.Bytes(), map[string]string{
		"org.opencontainers.image.created": o.Now().UTC().Format("2006-01-02T15:04:05Z"),
		"created-by":                       "trawl",
	})
	if err != nil {
		return fmt.Errorf("--push-sbom: %w", err)
	}
	o.Logger.Info("SBOM attached to the image", "referrer", d)
	return nil
}
