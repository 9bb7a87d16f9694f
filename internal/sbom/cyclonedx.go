package sbom

import (
	"bytes"
	"fmt"

	cdx "github.com/CycloneDX/cyclonedx-go"
)

// decodeCycloneDX reads a CycloneDX BOM, JSON or XML.
func decodeCycloneDX(data []byte, xml bool) (*document, error) {
	format := cdx.BOMFileFormatJSON
	if xml {
		format = cdx.BOMFileFormatXML
	}
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(data), format).Decode(&bom); err != nil {
		return nil, fmt.Errorf("parsing CycloneDX BOM: %w", err)
	}
	d := newDocument()
	if bom.Metadata != nil && bom.Metadata.Component != nil {
		root := bom.Metadata.Component
		d.add(&component{ref: root.BOMRef, kind: kindRoot, name: root.Name})
		if root.Components != nil {
			d.addCDX(*root.Components, root.BOMRef, 0)
		}
	}
	if bom.Components != nil {
		d.addCDX(*bom.Components, "", 0)
	}
	if bom.Dependencies != nil {
		for _, dep := range *bom.Dependencies {
			if dep.Dependencies == nil {
				continue
			}
			from := d.byRef[dep.Ref]
			for _, to := range *dep.Dependencies {
				d.deps[dep.Ref] = append(d.deps[dep.Ref], to)
				if from != nil && (from.kind == kindApp || from.kind == kindOS) {
					d.containers[to] = append(d.containers[to], dep.Ref)
				}
			}
		}
	}
	return d, nil
}

// maxNesting bounds nested components.
const maxNesting = 64

func (d *document) addCDX(comps []cdx.Component, parent string, depth int) {
	if depth > maxNesting {
		d.warnf("components nested deeper than %d levels; the deeper ones are skipped", maxNesting)
		return
	}
	for i := range comps {
		c := &comps[i]
		comp := &component{
			ref:     c.BOMRef,
			bomRef:  c.BOMRef,
			name:    c.Name,
			group:   c.Group,
			version: c.Version,
			purl:    c.PackageURL,
			props:   map[string]string{},
		}
		if c.Properties != nil {
			for _, p := range *c.Properties {
				setProp(comp.props, p.Name, p.Value)
			}
		}
		switch {
		case c.Type == cdx.ComponentTypeOS:
			comp.kind = kindOS
		case c.PackageURL == "" && (comp.props["Type"] != "" || c.Type == cdx.ComponentTypeApplication ||
			c.Type == cdx.ComponentTypeContainer || c.Type == cdx.ComponentTypeFile):
			comp.kind = kindApp
		}
		comp.licenses = cdxLicenses(c.Licenses)
		d.add(comp)
		if parent != "" {
			d.containers[comp.ref] = append(d.containers[comp.ref], parent)
		}
		if c.Components != nil {
			d.addCDX(*c.Components, comp.ref, depth+1)
		}
	}
}

func cdxLicenses(ls *cdx.Licenses) []string {
	if ls == nil {
		return nil
	}
	var out []string
	for _, l := range *ls {
		switch {
		case l.Expression != "":
			out = append(out, l.Expression)
		case l.License != nil && l.License.ID != "":
			out = append(out, l.License.ID)
		case l.License != nil && l.License.Name != "":
			out = append(out, l.License.Name)
		}
	}
	return out
}
