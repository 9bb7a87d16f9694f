package filter

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type stmtSummary struct {
	IDs       []string
	Status    string
	Statement string
	Products  []string // "purl|purl > sub|sub"
	TS        string
}

func summarizeDoc(d *vexDocument) []stmtSummary {
	var out []stmtSummary
	comp := func(c vexComponent) string {
		var parts []string
		for _, p := range c.purls {
			parts = append(parts, p.String())
		}
		for _, id := range c.ids {
			if !strings.HasPrefix(id, "pkg:") {
				parts = append(parts, "id:"+id)
			}
		}
		return strings.Join(parts, "|")
	}
	for _, s := range d.stmts {
		ss := stmtSummary{IDs: s.vulnIDs, Status: s.status, Statement: s.statement}
		if !s.ts.IsZero() {
			ss.TS = s.ts.Format("2006-01-02")
		}
		for _, p := range s.products {
			str := comp(p.product)
			for _, sub := range p.subs {
				str += " > " + comp(sub)
			}
			ss.Products = append(ss.Products, str)
		}
		out = append(out, ss)
	}
	return out
}

func TestParseVEX(t *testing.T) {
	tests := []struct {
		file    string
		format  string
		want    []stmtSummary
		wantErr string
	}{
		{file: "openvex.json", format: FormatOpenVEX, want: []stmtSummary{
			{IDs: []string{"CVE-2023-1000", "GHSA-aaaa-bbbb-cccc"}, Status: "not_affected", Statement: "vulnerable_code_not_in_execute_path",
				Products: []string{"pkg:golang/github.com/example/lib@v1.2.3"}, TS: "2024-01-01"},
			{IDs: []string{"CVE-2023-3000"}, Status: "fixed", Statement: "patched in our build",
				Products: []string{"pkg:oci/app@sha256:1111111111111111111111111111111111111111111111111111111111111111 > pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64"}, TS: "2024-01-01"},
			{IDs: []string{"CVE-2023-4000"}, Status: "not_affected", Statement: "component_not_present",
				Products: []string{"pkg:pypi/requests|id:https://example.com/product"}, TS: "2024-01-01"},
			{IDs: []string{"CVE-2023-5000"}, Status: "not_affected", Statement: "vulnerable_code_cannot_be_controlled_by_adversary",
				Products: []string{"pkg:npm/app@1.0.0 > pkg:npm/minimist@1.2.5"}, TS: "2024-01-01"},
			// Sorted by timestamp: the later "affected" comes last and wins.
			{IDs: []string{"CVE-2023-2000"}, Status: "not_affected", Statement: "inline_mitigations_already_exist",
				Products: []string{"pkg:npm/lodash@4.17.20"}, TS: "2024-02-01"},
			{IDs: []string{"CVE-2023-2000"}, Status: "affected", Products: []string{"pkg:npm/lodash@4.17.20"}, TS: "2024-03-01"},
		}},
		{file: "openvex-v001.json", format: FormatOpenVEX, want: []stmtSummary{
			{IDs: []string{"CVE-2022-0001"}, Status: "not_affected", Statement: "vulnerable_code_not_present",
				Products: []string{"pkg:apk/alpine/busybox@1.36.1-r2"}, TS: "2023-01-08"},
		}},
		{file: "cyclonedx.json", format: FormatCycloneDX, want: []stmtSummary{
			{IDs: []string{"CVE-2020-25649"}, Status: "not_affected", Statement: "code_not_reachable",
				Products: []string{"pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.8.0|id:jackson"}, TS: "2024-01-01"},
			{IDs: []string{"CVE-2021-0002"}, Status: "under_investigation", Products: []string{"pkg:npm/express@4.17.1"}, TS: "2024-01-01"},
			{IDs: []string{"CVE-2021-0004"}, Status: "not_affected", Products: []string{"id:my-bom-ref-7"}, TS: "2024-01-01"},
			{IDs: []string{"CVE-2021-0001"}, Status: "affected", Products: []string{"pkg:npm/express@4.17.1"}, TS: "2024-01-15"},
			{IDs: []string{"CVE-2021-0001"}, Status: "fixed", Statement: "backported", Products: []string{"pkg:npm/express@4.17.1"}, TS: "2024-02-01"},
		}},
		{file: "csaf.json", format: FormatCSAF, want: []stmtSummary{
			{IDs: []string{"CVE-2024-1111"}, Status: "not_affected", Statement: "libfoo does not call the vulnerable function",
				Products: []string{"pkg:golang/example.com/libfoo@v1.0.0"}, TS: "2024-01-01"},
			{IDs: []string{"CVE-2024-2222"}, Status: "not_affected", Statement: "vulnerable_code_not_present",
				Products: []string{"pkg:npm/app@2.0.0 > pkg:npm/zlib@1.0.0"}, TS: "2024-01-01"},
			{IDs: []string{"GHSA-xxxx-yyyy-zzzz"}, Status: "fixed", Products: []string{"pkg:pypi/bar@2.0"}, TS: "2024-01-01"},
		}},
		{file: "openvex-bad-status.json", wantErr: `statement 1: unknown status "not_affetced"`},
		{file: "openvex-bad-purl.json", wantErr: `statement 1: product: invalid purl "pkg:"`},
		{file: "openvex-no-vuln.json", wantErr: "statement 1: vulnerability without a name"},
		{file: "cyclonedx-bad-state.json", wantErr: `vulnerability CVE-1 (#1): unknown analysis.state "notaffected"`},
		{file: "cyclonedx-no-affects.json", wantErr: "analysis without affects refs"},
		{file: "csaf-bad-purl.json", wantErr: `product P: invalid purl "pkg:/nope"`},
		{file: "truncated.json", wantErr: "line 1: unexpected end of JSON input"},
		{file: "unknown.json", wantErr: "not an OpenVEX, CycloneDX or CSAF VEX document"},
		{file: "array.json", wantErr: "line 1: json: cannot unmarshal array"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			src := "vex/" + tt.file
			doc, err := parseVEX(src, readFixture(t, src))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), src) {
					t.Fatalf("err = %v, want %q naming %s", err, tt.wantErr, src)
				}
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("error is not one line: %q", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if doc.format != tt.format {
				t.Errorf("format = %q, want %q", doc.format, tt.format)
			}
			if diff := cmp.Diff(tt.want, summarizeDoc(doc)); diff != "" {
				t.Errorf("statements (-want +got):\n%s", diff)
			}
		})
	}
}
