package report

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/trawlsec/trawl/pkg/model"
)

// licenseCount is a result's Licenses column in the summary: the number of
// licences of a licence result, "-" for the others.
func licenseCount(res *model.Result) string {
	if res.Class != model.ClassLicense && res.Class != model.ClassLicenseFile {
		return "-"
	}
	return strconv.Itoa(len(res.Licenses))
}

// licenseResult writes a licence result as Trivy does: the target with
// "(license)", the severity counts and a table of package, licence,
// category and severity (for files: the file instead of the package).
func (t *tableWriter) licenseResult(res *model.Result) {
	title := Printable(res.Target) + " (license)"
	t.printf("\n%s\n%s\n", title, strings.Repeat("=", min(utf8.RuneCountInString(title), t.width)))
	t.printf("%s\n\n", severityCounts(res.Licenses, func(l model.DetectedLicense) string { return l.Severity }))
	if len(res.Licenses) == 0 {
		return
	}
	rows := make([][]string, 0, len(res.Licenses))
	for _, l := range res.Licenses {
		first := l.PkgName
		if res.Class == model.ClassLicenseFile {
			first = l.FilePath
		}
		rows = append(rows, []string{Printable(first), Printable(l.Name), Printable(l.Category), t.sev(l.Severity)})
	}
	first := "Package"
	if res.Class == model.ClassLicenseFile {
		first = "File Location"
	}
	t.table([]string{first, "License", "Classification", "Severity"}, rows, 1)
}
