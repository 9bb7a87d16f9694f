package filter

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/trawlsec/trawl/pkg/model"
)

// MaxBaselineFileSize is the largest baseline report Load reads.
const MaxBaselineFileSize = 256 << 20

// baselineStatement is the Statement of a finding the baseline suppressed.
const baselineStatement = "in the baseline report"

// baseline is the set of findings of an earlier JSON report (trawl's or
// Trivy's) of the same artifact, by kind, under keys that survive what
// changes between two scans of one artifact: package versions, line
// numbers, layer digests.
type baseline struct {
	source   string // "baseline:<file>"
	file     string
	artifact string
	keys     map[string]bool
}

// baselineReport is the part of a trawl or Trivy JSON report the baseline
// reads; both write the same field names. Only the fields the keys use are
// decoded (a large report's descriptions, references and scores are not).
type baselineReport struct {
	SchemaVersion int
	ArtifactName  string
	Results       []struct {
		Target          string
		Class           string
		Type            string
		Vulnerabilities []struct {
			VulnerabilityID string
			PkgName         string
		}
		Secrets []struct {
			RuleID string
			Match  string
		}
		Misconfigurations []struct {
			ID, AVDID, Status string
			CauseMetadata     struct {
				Resource string
				Code     struct{ Lines []model.Line }
			}
		}
		Findings []struct {
			ID      string
			Path    string
			Message string
		}
	}
}

// parseBaseline reads a JSON report. A report that is not one (another
// schema, trailing data) is an error naming the file.
func parseBaseline(file string, data []byte) (*baseline, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var rep baselineReport
	if err := dec.Decode(&rep); err != nil {
		return nil, fmt.Errorf("baseline report %s: not a JSON report: %w", file, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("baseline report %s: data after the JSON report", file)
	}
	if rep.SchemaVersion != model.SchemaVersion {
		return nil, fmt.Errorf("baseline report %s: SchemaVersion %d, want %d (a trawl or Trivy JSON report, -f json)", file, rep.SchemaVersion, model.SchemaVersion)
	}
	b := &baseline{
		source:   "baseline:" + filepath.ToSlash(filepath.Clean(file)),
		file:     file,
		artifact: rep.ArtifactName,
		keys:     make(map[string]bool),
	}
	for _, res := range rep.Results {
		for _, v := range res.Vulnerabilities {
			b.keys[vulnKey(res.Class, res.Type, v.VulnerabilityID, v.PkgName)] = true
		}
		for _, s := range res.Secrets {
			b.keys[secretKey(res.Target, s.RuleID, s.Match)] = true
		}
		for _, m := range res.Misconfigurations {
			for _, k := range misconfKeys(res.Target, m.ID, m.AVDID, m.Status, m.CauseMetadata.Resource, m.CauseMetadata.Code.Lines) {
				b.keys[k] = true
			}
		}
		for _, f := range res.Findings {
			b.keys[forensicKey(f.ID, f.Path, f.Message)] = true
		}
	}
	return b, nil
}

// vulnKey: the vulnerability and the package's name in its class and type
// of result (a Debian package, an npm package), not its version nor its
// target: a vulnerability still there after an upgrade is not new, and an
// OS result's target names the OS release.
func vulnKey(class, typ, id, pkgName string) string {
	return join("vuln", class, typ, id, pkgName)
}

// secretKey: the rule, the file and a hash of the (censored) match, not
// the line.
func secretKey(target, rule, match string) string {
	h := sha256.Sum256([]byte(match))
	return join("secret", target, rule, hex.EncodeToString(h[:]))
}

// misconfKeys: one key per form of the check's ID (DS-0002, AVD-DS-0002,
// DS002 are the same check), with the target, the status, the resource and
// the content of the cause lines, not their numbers.
func misconfKeys(target, id, avdID, status, resource string, lines []model.Line) []string {
	var cause strings.Builder
	for _, l := range lines {
		if l.IsCause {
			cause.WriteString(strings.TrimSpace(l.Content))
			cause.WriteByte('\n')
		}
	}
	// The cause lines are hashed: a baseline of many findings keeps a key
	// of a fixed size for each, not the lines.
	h := sha256.Sum256([]byte(cause.String()))
	var keys []string
	for _, id := range []string{id, avdID} {
		if c := canonicalCheckID(id); c != "" {
			keys = append(keys, join("misconf", target, c, strings.ToUpper(status), resource, hex.EncodeToString(h[:])))
		}
	}
	return keys
}

// canonicalCheckID is the short form of a check ID: AVD-DS-0002, DS-0002
// and DS002 are all DS002.
func canonicalCheckID(id string) string {
	id = strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(id)), "AVD-")
	if s := model.ShortCheckID(id); s != "" {
		return s
	}
	return id
}

// forensicKey: the finding and its file; findings about no file (the image
// config's) by their message.
func forensicKey(id, path, message string) string {
	if path == "" {
		return join("forensics", id, "", message)
	}
	return join("forensics", id, path)
}

func join(parts ...string) string { return strings.Join(parts, "\x00") }

func (b *baseline) hasVuln(res *model.Result, v model.Vulnerability) bool {
	return b.keys[vulnKey(res.Class, res.Type, v.VulnerabilityID, v.PkgName)]
}

func (b *baseline) hasSecret(res *model.Result, s model.Secret) bool {
	return b.keys[secretKey(res.Target, s.RuleID, s.Match)]
}

func (b *baseline) hasMisconf(res *model.Result, m model.Misconfiguration) bool {
	for _, k := range misconfKeys(res.Target, m.ID, m.AVDID, m.Status, m.CauseMetadata.Resource, m.CauseMetadata.Code.Lines) {
		if b.keys[k] {
			return true
		}
	}
	return false
}

func (b *baseline) hasForensic(f model.ForensicFinding) bool {
	return b.keys[forensicKey(f.ID, f.Path, f.Message)]
}

// modified is the record of a finding the baseline suppressed.
func (b *baseline) modified(typ string, finding any) model.ModifiedFinding {
	return model.ModifiedFinding{
		Type: typ, Status: model.FindingStatusIgnored,
		Statement: baselineStatement, Source: b.source, Finding: finding,
	}
}

// artifactWarning warns when the baseline is a report of another artifact;
// it is applied all the same (an image renamed, a checkout moved).
func (b *baseline) artifactWarning(r *model.Report) []Warning {
	if b.artifact == "" || r.ArtifactName == "" || b.artifact == r.ArtifactName {
		return nil
	}
	return []Warning{{File: b.file, Message: fmt.Sprintf("baseline is a report of %q, not of %q; applied anyway", b.artifact, r.ArtifactName)}}
}
