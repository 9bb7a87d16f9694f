package misconfig

import "github.com/trawlsec/trawl/internal/parse/cloudformation"

// extendIAMUsers adds iam.users: each AWS::IAM::User with the policies
// given to it directly (its Policies and ManagedPolicyArns entries, and
// the AWS::IAM::Policy/ManagedPolicy resources whose Users Ref it; a
// policy naming a user not in the template is a user of its own).
func (a *cfnAdapter) extendIAMUsers(svc func(string) map[string]any) {
	users := map[string]map[string]any{}
	var out []any
	for _, r := range a.byType["AWS::IAM::User"] {
		p := props(r)
		m := a.object(cfnObj{r: r})
		m["name"] = a.val(p, "UserName", "string", "")
		pols := []any{}
		for _, key := range []string{"Policies", "ManagedPolicyArns"} {
			l, _ := p.m[key].([]any)
			s, e := p.keyLines(key)
			for range l {
				pm := a.object(cfnObj{r: r})
				pm["name"] = withValue(a.meta(p, s, e, true), key)
				pols = append(pols, pm)
			}
		}
		m["policies"] = pols
		users[r.ID] = m
		out = append(out, m)
	}
	for _, typ := range []string{"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"} {
		for _, r := range a.byType[typ] {
			p := props(r)
			l, _ := p.m["Users"].([]any)
			s, e := p.keyLines("Users")
			for _, x := range l {
				pm := a.object(cfnObj{r: r})
				pm["name"] = withValue(a.meta(p, s, e, true), r.ID)
				if u, ok := x.(cloudformation.Unknown); ok && users[u.Ref] != nil {
					users[u.Ref]["policies"] = append(users[u.Ref]["policies"].([]any), pm)
					continue
				}
				m := a.object(cfnObj{r: r})
				m["name"] = withValue(a.meta(p, s, e, true), docConvert(x, "string"))
				m["policies"] = []any{pm}
				out = append(out, m)
			}
		}
	}
	if out == nil {
		out = []any{}
	}
	svc("iam")["users"] = out
}

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
