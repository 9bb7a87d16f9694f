package sbom

import (
	"strings"
	"testing"
	"time"
)

func TestDecodeLargeInputsStayFast(t *testing.T) {
	inputs := map[string]string{
		"unterminated-text": "SPDXVersion: SPDX-2.3\nPackageName: a\nPackageComment: <text>x\n" + strings.Repeat("line of text\n", 200000),
		"many-packages":     "SPDXVersion: SPDX-2.3\n" + strings.Repeat("PackageName: a\nSPDXID: SPDXRef-a\nExternalRef: PACKAGE-MANAGER purl pkg:npm/a@1\n", 20000),
		"many-annotations": "SPDXVersion: SPDX-2.3\n" + strings.Repeat("PackageName: a\nSPDXID: SPDXRef-a\n", 2000) +
			strings.Repeat("SPDXREF: SPDXRef-a\nAnnotationComment: Type: npm\n", 2000),
		"deep-xml": "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"><components>" +
			strings.Repeat("<component type=\"library\"><name>x</name><components>", 5000) + "</components></bom>",
	}
	for name, in := range inputs {
		start := time.Now()
		_, _, _ = Decode(strings.NewReader(in), name)
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s took %v", name, d)
		}
		t.Logf("%s: %v", name, time.Since(start))
	}
}
