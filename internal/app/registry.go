package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/trawlsec/trawl/internal/cache"
	"github.com/trawlsec/trawl/internal/filter"
	"github.com/trawlsec/trawl/internal/report"
	"github.com/trawlsec/trawl/internal/source/image"
)

// RepositoryOptions select the tags of a registry scan (trawl registry
// scan).
type RepositoryOptions struct {
	// Repository is "registry.example.com/team/app", without a tag.
	Repository string
	// TagRegex, when set, keeps the tags it matches (anywhere in the tag:
	// anchor it with ^…$).
	TagRegex *regexp.Regexp
	// Limit, when positive, stops after this many images were scanned.
	Limit int
	// Since, when set, keeps images whose config records a creation date
	// at or after it; images without one are skipped.
	Since time.Time
}

// ScanRepository scans every selected tag of a registry repository, in
// the registry's order, and writes one compact JSON report per image, one
// per line (JSON Lines), to o.Output or stdout. The layer cache is shared
// by all the images, so a layer that several tags hold is analysed once.
// A tag that fails is logged and skipped; the error at the end counts
// them. The exit code is o.ExitCode when an image has findings.
func ScanRepository(ctx context.Context, o Options, ro RepositoryOptions) (int, error) {
	if o.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.Timeout)
		defer cancel()
	}
	o.defaults()
	o.Target = TargetImage
	filters, err := filter.Load(filter.Options{
		Severities: o.Severities, IgnoreUnfixed: o.IgnoreUnfixed, IgnoreStatuses: o.IgnoreStatuses,
		IgnoreFile: o.IgnoreFile, IgnoreFileExplicit: o.IgnoreFileExplicit,
		VEXFiles: o.VEXFiles, Baseline: o.Baseline, ShowSuppressed: o.ShowSuppressed, Now: o.Now(),
	})
	if err != nil {
		return 1, err
	}
	if o.has(ScannerVuln) {
		if err := precheckDB(o.DB, o.Now()); err != nil {
			return 1, err
		}
	}
	iopts := image.Options{Insecure: o.Insecure, Username: o.Username, Password: o.Password, RegistryToken: o.RegistryToken,
		Platform: o.Platform, Logger: o.Logger}
	tags, err := image.ListTags(ctx, ro.Repository, iopts)
	if err != nil {
		return 1, err
	}
	if ro.TagRegex != nil {
		tags = slices.DeleteFunc(tags, func(t string) bool { return !ro.TagRegex.MatchString(t) })
	}
	if o.LayerCache == nil {
		// One cache for the run (the scan commands' backend: fs, memory,
		// Redis), so layers the tags share are analysed once.
		if c, err := cache.Open(ctx, o.CacheOptions(), o.Logger); err != nil {
			o.Logger.Warn("scanning without the layer cache; layers shared by tags are analysed for each", "err", err)
			o.LayerCache = cache.NewMemory()
		} else {
			defer c.Close()
			o.LayerCache = c
		}
	}
	// Each report is written as soon as its tag is scanned: memory does
	// not grow with the number of tags.
	scanned, failed, findings := 0, 0, false
	var scanErr error
	err = writeTo(o.Output, o.Stdout, func(w io.Writer, _ bool) error {
		for _, tag := range tags {
			if ro.Limit > 0 && scanned >= ro.Limit {
				break
			}
			if err := ctx.Err(); err != nil {
				scanErr = scanError(err, o.Timeout)
				return scanErr
			}
			ref := ro.Repository + ":" + tag
			if !ro.Since.IsZero() {
				keep, err := createdSince(ctx, ref, iopts, ro.Since)
				if err != nil {
					o.Logger.Warn("tag skipped", "tag", tag, "err", err)
					failed++
					continue
				}
				if !keep {
					o.Logger.Debug("tag older than --since, or without a creation date; skipped", "tag", tag)
					continue
				}
			}
			scanned++
			line, found, err := scanTag(ctx, o, ref, filters)
			if err != nil {
				o.Logger.Warn("tag not scanned", "tag", tag, "err", err)
				failed++
				continue
			}
			findings = findings || found
			if _, err := w.Write(append(line, '\n')); err != nil {
				return err
			}
		}
		return nil
	})
	if scanErr != nil {
		return 1, scanErr
	}
	if err != nil {
		return 1, err
	}
	if failed > 0 {
		return 1, fmt.Errorf("registry repository %s: %d of %d tags could not be scanned (see the warnings)", ro.Repository, failed, scanned+failed)
	}
	if o.ExitCode != 0 && findings {
		return o.ExitCode, nil
	}
	return 0, nil
}

// scanTag scans one image and returns its report as one line of JSON.
func scanTag(ctx context.Context, o Options, ref string, filters *filter.Filter) ([]byte, bool, error) {
	o.Arg = ref
	o.ociVEX, o.pushTo = nil, nil
	a, err := Analyze(ctx, &o)
	if err != nil {
		return nil, false, scanError(err, o.Timeout)
	}
	rep, err := Detect(ctx, &o, a)
	if err != nil {
		return nil, false, scanError(err, o.Timeout)
	}
	for _, w := range o.withReferrerVEX(filters).Apply(rep) {
		o.Logger.Warn(w.String(), "image", ref)
	}
	if err := o.pushSBOM(ctx, rep); err != nil {
		return nil, false, err
	}
	var buf, line bytes.Buffer
	ropts := o.Report
	ropts.ListAllPkgs = o.ListAllPkgs
	ropts.Scanners = o.Scanners
	if err := report.Write(&buf, "json", rep, ropts); err != nil {
		return nil, false, err
	}
	if err := json.Compact(&line, buf.Bytes()); err != nil {
		return nil, false, err
	}
	return line.Bytes(), hasFindings(rep), nil
}

// createdSince reports whether the image's config records a creation
// date at or after since.
func createdSince(ctx context.Context, ref string, opts image.Options, since time.Time) (bool, error) {
	img, err := image.Open(ctx, ref, opts)
	if err != nil {
		return false, err
	}
	defer img.Close()
	created := img.ConfigFile().Created.Time
	return !created.IsZero() && !created.Before(since), nil
}

// ParseSince reads --since: a duration before now ("72h") or a date
// ("2024-05-01", RFC 3339).
func ParseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("--since %q is neither a duration (72h) nor a date (2024-05-01, or RFC 3339)", s)
}
