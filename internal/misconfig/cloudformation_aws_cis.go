package misconfig

// extendTrails adds each AWS::CloudTrail::Trail's EventSelectors
// (ReadWriteType, default All; DataResources Type and Values) as
// cloudtrail.trails[_].eventselectors.
func (a *cfnAdapter) extendTrails(svc func(string) map[string]any) {
	trails, _ := svc("cloudtrail")["trails"].([]any)
	rs := a.byType["AWS::CloudTrail::Trail"]
	if len(rs) != len(trails) {
		return
	}
	for i, r := range rs {
		m, ok := trails[i].(map[string]any)
		if !ok {
			continue
		}
		sels := []any{}
		l, _ := props(r).m["EventSelectors"].([]any)
		for _, x := range l {
			sm, ok := x.(map[string]any)
			if !ok {
				continue
			}
			so := cfnObj{r: r, m: sm}
			sel := a.object(so)
			sel["readwritetype"] = a.val(so, "ReadWriteType", "string", "All")
			drs := []any{}
			dl, _ := sm["DataResources"].([]any)
			for _, y := range dl {
				dm, ok := y.(map[string]any)
				if !ok {
					continue
				}
				do := cfnObj{r: r, m: dm}
				d := a.object(do)
				d["type"] = a.val(do, "Type", "string", "")
				values := a.strings(do, "Values")
				if !knownStrings(dm["Values"]) {
					// Not known offline: may cover any bucket.
					s, e := do.keyLines("Values")
					values = append(values, withValue(a.meta(do, s, e, true), nil))
				}
				d["values"] = values
				drs = append(drs, d)
			}
			sel["dataresources"] = drs
			sels = append(sels, sel)
		}
		m["eventselectors"] = sels
	}
}

// knownStrings reports whether v is absent or a list of strings.
func knownStrings(v any) bool {
	if v == nil {
		return true
	}
	l, ok := v.([]any)
	if !ok {
		return false
	}
	for _, x := range l {
		if _, ok := x.(string); !ok {
			return false
		}
	}
	return true
}
