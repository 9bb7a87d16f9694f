package report

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/trawlsec/trawl/pkg/model"
)

// SARIF 2.1.0 constants.
const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifBaseID  = "ROOTPATH"
)

type sarifLog struct {
	Version string     `json:"version"`
	Schema  string     `json:"$schema"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                        `json:"tool"`
	Results            []sarifResult                    `json:"results"`
	ColumnKind         string                           `json:"columnKind"`
	OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds"`
	Properties         *sarifRunProperties              `json:"properties,omitempty"`
}

type sarifRunProperties struct {
	ImageName   string   `json:"imageName,omitempty"`
	ImageID     string   `json:"imageID,omitempty"`
	RepoTags    []string `json:"repoTags,omitempty"`
	RepoDigests []string `json:"repoDigests,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	FullName       string      `json:"fullName"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifMultiformat struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name"`
	ShortDescription     sarifText          `json:"shortDescription"`
	FullDescription      sarifText          `json:"fullDescription"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
	HelpURI              string             `json:"helpUri,omitempty"`
	Help                 sarifMultiformat   `json:"help"`
	Properties           sarifRuleProps     `json:"properties"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Precision        string   `json:"precision"`
	SecuritySeverity string   `json:"security-severity"`
	Tags             []string `json:"tags"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	Message          *sarifText            `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           sarifRegion           `json:"region"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

// sarifLevel maps a Trivy severity to a SARIF result level.
func sarifLevel(sev string) string {
	switch strings.ToUpper(sev) {
	case "CRITICAL", "HIGH":
		return "error"
	case "MEDIUM":
		return "warning"
	}
	return "note"
}

// WriteSARIF writes the report as a SARIF 2.1.0 log with one run. Each
// vulnerability ID, secret rule, misconfiguration check (FAIL entries
// only), forensics finding ID and licence name becomes one rule; each
// finding one result
// located at a repository-relative URI.
func WriteSARIF(w io.Writer, r *model.Report, opts Options) error {
	b := &sarifBuilder{image: r.ArtifactType == model.ArtifactContainerImage, artifact: r.ArtifactName, index: map[string]int{}}
	for i := range r.Results {
		res := &r.Results[i]
		for j := range res.Vulnerabilities {
			b.vuln(res, &res.Vulnerabilities[j])
		}
		for j := range res.Secrets {
			b.secret(res, &res.Secrets[j])
		}
		for j := range res.Misconfigurations {
			if res.Misconfigurations[j].Status == model.MisconfStatusFail {
				b.misconfig(res, &res.Misconfigurations[j])
			}
		}
		for j := range res.Findings {
			b.forensic(res, &res.Findings[j])
		}
		for j := range res.Licenses {
			b.license(res, &res.Licenses[j])
		}
	}
	rules, results := b.finish()

	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           toolName,
			FullName:       "trawl security scanner",
			Version:        appVersion(opts),
			InformationURI: toolInfoURI,
			Rules:          rules,
		}},
		Results:            results,
		ColumnKind:         "utf16CodeUnits",
		OriginalURIBaseIDs: map[string]sarifArtifactLocation{sarifBaseID: {URI: "file:///"}},
	}
	if b.image {
		tags := append([]string(nil), r.Metadata.RepoTags...)
		digests := append([]string(nil), r.Metadata.RepoDigests...)
		sort.Strings(tags)
		sort.Strings(digests)
		run.Properties = &sarifRunProperties{
			ImageName:   r.ArtifactName,
			ImageID:     r.Metadata.ImageID,
			RepoTags:    tags,
			RepoDigests: digests,
		}
	}
	return writeIndentedJSON(w, sarifLog{Version: sarifVersion, Schema: sarifSchema, Runs: []sarifRun{run}}, "SARIF report")
}

type sarifBuilder struct {
	image    bool
	artifact string
	rules    []sarifRule
	index    map[string]int // rule ID → position in rules
	results  []sarifResult
}

func (b *sarifBuilder) addRule(rule sarifRule) {
	if _, ok := b.index[rule.ID]; ok {
		return
	}
	b.index[rule.ID] = len(b.rules)
	b.rules = append(b.rules, rule)
}

// uri returns the artifact URI of a result target.
func (b *sarifBuilder) uri(res *model.Result) string {
	if res.Class == model.ClassOSPkg {
		return osTargetPath(res.Target, b.image)
	}
	if b.image && strings.HasPrefix(res.Target, "image config (") {
		// The image config is no file: point at the image, as OS
		// packages do.
		return osTargetPath(b.artifact, true)
	}
	return repoRelative(res.Target)
}

func (b *sarifBuilder) vuln(res *model.Result, v *model.Vulnerability) {
	sev := sarifSeverity(v.Severity)
	score, ok := cvssScore(v)
	if !ok {
		score = severityScore(sev)
	}
	name := "LanguageSpecificPackageVulnerability"
	if res.Class == model.ClassOSPkg {
		name = "OsPackageVulnerability"
	}
	short := v.Title
	if short == "" {
		short = v.VulnerabilityID
	}
	full := v.Description
	if full == "" {
		full = short
	}
	fixed := v.FixedVersion
	link := v.PrimaryURL
	b.addRule(sarifRule{
		ID:                   v.VulnerabilityID,
		Name:                 name,
		ShortDescription:     sarifText{Text: short},
		FullDescription:      sarifText{Text: full},
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(sev)},
		HelpURI:              link,
		Help: sarifMultiformat{
			Text: fmt.Sprintf("Vulnerability %s\nSeverity: %s\nPackage: %s\nFixed Version: %s\nLink: [%s](%s)\n%s",
				v.VulnerabilityID, sev, v.PkgName, fixed, v.VulnerabilityID, link, v.Description),
			Markdown: fmt.Sprintf("**Vulnerability %s**\n| Severity | Package | Fixed Version | Link |\n| --- | --- | --- | --- |\n|%s|%s|%s|[%s](%s)|\n\n%s",
				v.VulnerabilityID, sev, v.PkgName, fixed, v.VulnerabilityID, link, v.Description),
		},
		Properties: sarifRuleProps{
			Precision:        "very-high",
			SecuritySeverity: strconv.FormatFloat(score, 'f', 1, 64),
			Tags:             []string{"vulnerability", "security", sev},
		},
	})

	uri := b.uri(res)
	var locs []sarifLocation
	msg := fmt.Sprintf("%s: %s@%s", res.Target, v.PkgName, v.InstalledVersion)
	for _, l := range pkgLocations(res, v) {
		locs = append(locs, location(uri, region(l.StartLine, l.EndLine), msg))
	}
	b.results = append(b.results, sarifResult{
		RuleID: v.VulnerabilityID,
		Level:  sarifLevel(sev),
		Message: sarifText{Text: fmt.Sprintf("Package: %s\nInstalled Version: %s\nVulnerability %s\nSeverity: %s\nFixed Version: %s\nLink: [%s](%s)",
			v.PkgName, v.InstalledVersion, v.VulnerabilityID, sev, fixed, v.VulnerabilityID, link)},
		Locations: locs,
	})
}

// pkgLocations returns the line ranges of the package v is in, or line 1.
func pkgLocations(res *model.Result, v *model.Vulnerability) []model.Location {
	for i := range res.Packages {
		p := &res.Packages[i]
		match := (v.PkgID != "" && p.ID == v.PkgID) ||
			(v.PkgID == "" && p.Name == v.PkgName && (v.InstalledVersion == "" || p.FullVersion() == v.InstalledVersion || p.Version == v.InstalledVersion))
		if match && len(p.Locations) > 0 {
			locs := append([]model.Location(nil), p.Locations...)
			sort.Slice(locs, func(a, b int) bool {
				if locs[a].StartLine != locs[b].StartLine {
					return locs[a].StartLine < locs[b].StartLine
				}
				return locs[a].EndLine < locs[b].EndLine
			})
			return locs
		}
	}
	return []model.Location{{StartLine: 1, EndLine: 1}}
}

// sarifSeverity is a finding's severity in upper case, UNKNOWN when empty.
func sarifSeverity(s string) string {
	if s == "" {
		return "UNKNOWN"
	}
	return strings.ToUpper(s)
}

// location is one physical location under ROOTPATH with its message.
func location(uri string, r sarifRegion, msg string) sarifLocation {
	return sarifLocation{
		PhysicalLocation: sarifPhysicalLocation{
			ArtifactLocation: sarifArtifactLocation{URI: uri, URIBaseID: sarifBaseID},
			Region:           r,
		},
		Message: &sarifText{Text: msg},
	}
}

// region returns a SARIF region; lines are 1-based and never inverted.
func region(start, end int) sarifRegion {
	if start < 1 {
		start = 1
	}
	if end < start {
		end = start
	}
	return sarifRegion{StartLine: start, StartColumn: 1, EndLine: end, EndColumn: 1}
}

func (b *sarifBuilder) secret(res *model.Result, s *model.Secret) {
	sev := sarifSeverity(s.Severity)
	title := s.Title
	if title == "" {
		title = s.RuleID
	}
	b.addRule(sarifRule{
		ID:                   s.RuleID,
		Name:                 "Secret",
		ShortDescription:     sarifText{Text: title},
		FullDescription:      sarifText{Text: title},
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(sev)},
		Help: sarifMultiformat{
			Text: fmt.Sprintf("Secret %s\nSeverity: %s\nCategory: %s\nRule: %s", title, sev, s.Category, s.RuleID),
			Markdown: fmt.Sprintf("**Secret %s**\n| Severity | Category | Rule |\n| --- | --- | --- |\n|%s|%s|%s|",
				title, sev, s.Category, s.RuleID),
		},
		Properties: sarifRuleProps{
			Precision:        "very-high",
			SecuritySeverity: strconv.FormatFloat(severityScore(sev), 'f', 1, 64),
			Tags:             []string{"secret", "security", sev},
		},
	})
	b.results = append(b.results, sarifResult{
		RuleID: s.RuleID,
		Level:  sarifLevel(sev),
		Message: sarifText{Text: fmt.Sprintf("Artifact: %s\nType: %s\nSecret %s\nSeverity: %s\nMatch: %s",
			res.Target, s.Category, title, sev, s.Match)},
		Locations: []sarifLocation{location(b.uri(res), region(s.StartLine, s.EndLine), res.Target)},
	})
}

func (b *sarifBuilder) misconfig(res *model.Result, m *model.Misconfiguration) {
	sev := sarifSeverity(m.Severity)
	title := m.Title
	if title == "" {
		title = m.ID
	}
	full := m.Description
	if full == "" {
		full = title
	}
	b.addRule(sarifRule{
		ID:                   m.ID,
		Name:                 "Misconfiguration",
		ShortDescription:     sarifText{Text: title},
		FullDescription:      sarifText{Text: full},
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(sev)},
		HelpURI:              m.PrimaryURL,
		Help: sarifMultiformat{
			Text: fmt.Sprintf("Misconfiguration %s\nType: %s\nSeverity: %s\nCheck: %s\nMessage: %s\nLink: [%s](%s)\n%s",
				m.ID, m.Type, sev, title, m.Message, m.ID, m.PrimaryURL, m.Description),
			Markdown: fmt.Sprintf("**Misconfiguration %s**\n| Type | Severity | Check | Message | Link |\n| --- | --- | --- | --- | --- |\n|%s|%s|%s|%s|[%s](%s)|\n\n%s",
				m.ID, m.Type, sev, title, m.Message, m.ID, m.PrimaryURL, m.Description),
		},
		Properties: sarifRuleProps{
			Precision:        "very-high",
			SecuritySeverity: strconv.FormatFloat(severityScore(sev), 'f', 1, 64),
			Tags:             []string{"misconfiguration", "security", sev},
		},
	})
	b.results = append(b.results, sarifResult{
		RuleID: m.ID,
		Level:  sarifLevel(sev),
		Message: sarifText{Text: fmt.Sprintf("Artifact: %s\nType: %s\nVulnerability %s\nSeverity: %s\nMessage: %s\nLink: [%s](%s)",
			res.Target, res.Type, m.ID, sev, m.Message, m.ID, m.PrimaryURL)},
		Locations: []sarifLocation{location(b.uri(res), region(m.CauseMetadata.StartLine, m.CauseMetadata.EndLine), res.Target)},
	})
}

func (b *sarifBuilder) forensic(res *model.Result, f *model.ForensicFinding) {
	sev := sarifSeverity(f.Severity)
	b.addRule(sarifRule{
		ID:                   f.ID,
		Name:                 "Forensics",
		ShortDescription:     sarifText{Text: f.Title},
		FullDescription:      sarifText{Text: f.Title},
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(sev)},
		Help: sarifMultiformat{
			Text:     fmt.Sprintf("Forensics %s\nCategory: %s\nSeverity: %s\n%s", f.ID, f.Category, sev, f.Title),
			Markdown: fmt.Sprintf("**Forensics %s**\n| Category | Severity |\n| --- | --- |\n|%s|%s|\n\n%s", f.ID, f.Category, sev, f.Title),
		},
		Properties: sarifRuleProps{
			Precision:        "high",
			SecuritySeverity: strconv.FormatFloat(severityScore(sev), 'f', 1, 64),
			Tags:             []string{"forensics", "security", sev, f.Category},
		},
	})
	where := f.Path
	if where == "" {
		where = osTargetPath(b.artifact, b.image)
	}
	msg := fmt.Sprintf("Artifact: %s\nFinding %s\nSeverity: %s\nMessage: %s", res.Target, f.ID, sev, f.Message)
	if f.Layer.DiffID != "" {
		msg += fmt.Sprintf("\nLayer: %s (%s)", f.Layer.DiffID, f.Layer.CreatedBy)
	}
	if f.Deleted {
		msg += "\nDeleted by a later layer (still in the image)"
	}
	b.results = append(b.results, sarifResult{
		RuleID:    f.ID,
		Level:     sarifLevel(sev),
		Message:   sarifText{Text: msg},
		Locations: []sarifLocation{location(repoRelative(where), region(1, 1), where)},
	})
}

// license adds a licence finding: the rule is the licence (its SPDX
// expression, or the name as written), the result the package or file that
// has it, located at the package's or licence file's path (the image or
// the OS target for OS packages).
func (b *sarifBuilder) license(res *model.Result, l *model.DetectedLicense) {
	sev := sarifSeverity(l.Severity)
	b.addRule(sarifRule{
		ID:                   l.Name,
		Name:                 "License",
		ShortDescription:     sarifText{Text: "License " + l.Name},
		FullDescription:      sarifText{Text: fmt.Sprintf("License %s (%s)", l.Name, l.Category)},
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(sev)},
		HelpURI:              l.Link,
		Help: sarifMultiformat{
			Text:     fmt.Sprintf("License %s\nClassification: %s\nSeverity: %s", l.Name, l.Category, sev),
			Markdown: fmt.Sprintf("**License %s**\n| Classification | Severity |\n| --- | --- |\n|%s|%s|", l.Name, l.Category, sev),
		},
		Properties: sarifRuleProps{
			Precision:        "very-high",
			SecuritySeverity: strconv.FormatFloat(severityScore(sev), 'f', 1, 64),
			Tags:             []string{"license", sev, l.Category},
		},
	})
	where := l.FilePath
	switch {
	case where != "":
	case res.Class == model.ClassLicenseFile:
		where = res.Target
	default:
		where = osTargetPath(b.artifact, b.image)
	}
	what := "PkgName: " + l.PkgName
	if l.PkgName == "" {
		what = "File: " + where
	}
	b.results = append(b.results, sarifResult{
		RuleID: l.Name,
		Level:  sarifLevel(sev),
		Message: sarifText{Text: fmt.Sprintf("Artifact: %s\nLicense %s\n%s\nClassification: %s\nSeverity: %s\nConfidence: %s",
			res.Target, l.Name, what, l.Category, sev, strconv.FormatFloat(l.Confidence, 'f', -1, 64))},
		Locations: []sarifLocation{location(repoRelative(where), region(1, 1), where)},
	})
}

// finish sorts rules by ID and results by location, rule and message, and
// fixes up rule indexes.
func (b *sarifBuilder) finish() ([]sarifRule, []sarifResult) {
	rules := append([]sarifRule{}, b.rules...)
	sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
	pos := make(map[string]int, len(rules))
	for i, rule := range rules {
		pos[rule.ID] = i
	}
	results := append([]sarifResult{}, b.results...)
	for i := range results {
		results[i].RuleIndex = pos[results[i].RuleID]
	}
	key := func(r *sarifResult) (string, int) {
		if len(r.Locations) == 0 {
			return "", 0
		}
		l := r.Locations[0].PhysicalLocation
		return l.ArtifactLocation.URI, l.Region.StartLine
	}
	sort.SliceStable(results, func(i, j int) bool {
		ui, li := key(&results[i])
		uj, lj := key(&results[j])
		if ui != uj {
			return ui < uj
		}
		if li != lj {
			return li < lj
		}
		if results[i].RuleID != results[j].RuleID {
			return results[i].RuleID < results[j].RuleID
		}
		return results[i].Message.Text < results[j].Message.Text
	})
	return rules, results
}
