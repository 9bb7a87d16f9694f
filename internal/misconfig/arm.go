package misconfig

import (
	"strings"

	"github.com/trawlsec/trawl/internal/parse/arm"
	"github.com/trawlsec/trawl/internal/parse/yamlmeta"
)

// ARMInput is the cloud input document (input.azure.*, the shape
// CloudInput builds from azurerm resources) of one ARM template: every
// value carries the template's path, the lines of its property (or of
// the object holding it when it is not set, explicit false) and the
// resource's name as "resource". A value not known offline is null.
// Child resources (containers, secrets, firewall rules, …) belong to the
// parent their name starts with; those whose parent is not in the
// template sit under a parent of their own with "managed": false.
func ARMInput(file string, t *arm.Template) map[string]any {
	a := &armAdapter{file: file, byType: map[string][]*arm.Resource{}}
	for _, r := range t.Resources {
		k := strings.ToLower(r.Type)
		a.byType[k] = append(a.byType[k], r)
	}
	return map[string]any{"azure": map[string]any{
		"storage":    map[string]any{"accounts": a.storageAccounts()},
		"network":    map[string]any{"securitygroups": a.securityGroups()},
		"keyvault":   map[string]any{"vaults": a.vaults()},
		"container":  map[string]any{"kubernetesclusters": a.clusters()},
		"appservice": a.appServices(),
		"database":   a.databases(),
		"compute":    map[string]any{"linuxvirtualmachines": a.linuxVMs(), "manageddisks": a.managedDisks()},
	}}
}

type armAdapter struct {
	file   string
	byType map[string][]*arm.Resource
}

// armObj is one mapping of a resource (m nil: absent; lines are the
// resource's).
type armObj struct {
	r *arm.Resource
	m map[string]any
}

func (o armObj) lines() (int, int) {
	if s, e := yamlmeta.Lines(o.m); s > 0 {
		return s, e
	}
	return o.r.StartLine, o.r.EndLine
}

// get is key of o, matched case-insensitively as ARM does.
func (o armObj) get(key string) (any, string, bool) {
	if v, ok := o.m[key]; ok {
		return v, key, true
	}
	for k, v := range o.m {
		if strings.EqualFold(k, key) && k != arm.MetadataKey {
			return v, k, true
		}
	}
	return nil, "", false
}

func (o armObj) keyLines(key string) (int, int) {
	if s, e, ok := docKeyLines(o.m, key); ok {
		return s, e
	}
	return o.lines()
}

func (o armObj) child(key string) armObj {
	v, _, _ := o.get(key)
	m, _ := v.(map[string]any)
	return armObj{r: o.r, m: m}
}

func (a *armAdapter) meta(o armObj, start, end int, explicit bool) map[string]any {
	return map[string]any{
		"filepath": a.file, "startline": start, "endline": end,
		"resource": o.r.Type + "/" + o.r.Name, "explicit": explicit, "managed": true,
	}
}

func (a *armAdapter) object(o armObj) map[string]any {
	s, e := o.lines()
	return map[string]any{"__defsec_metadata": a.meta(o, s, e, o.m != nil)}
}

// unmanaged is the parent object of a child resource whose parent is
// not in the template.
func (a *armAdapter) unmanaged(r *arm.Resource) map[string]any {
	m := a.meta(armObj{r: r}, r.StartLine, r.EndLine, false)
	m["managed"] = false
	return map[string]any{"__defsec_metadata": m}
}

// val is key of o converted by conv ("string", "bool", "number"), or def
// when unset.
func (a *armAdapter) val(o armObj, key, conv string, def any) map[string]any {
	v, k, ok := o.get(key)
	if !ok {
		s, e := o.lines()
		return withValue(a.meta(o, s, e, false), def)
	}
	s, e := o.keyLines(k)
	return withValue(a.meta(o, s, e, true), docConvert(v, conv))
}

// strs is a string-or-list property as one value per element (null for
// an unknown one), each with the property's lines.
func (a *armAdapter) strs(o armObj, key string) []any {
	out := []any{}
	v, k, ok := o.get(key)
	if !ok {
		return out
	}
	s, e := o.keyLines(k)
	l, isList := v.([]any)
	if !isList {
		l = []any{v}
	}
	for _, x := range l {
		out = append(out, withValue(a.meta(o, s, e, true), docConvert(x, "string")))
	}
	return out
}

func armProps(r *arm.Resource) armObj { return armObj{r: r, m: r.Properties()} }

// parentName is the first segment of a child resource's name ("" when
// the name is not known).
func parentName(r *arm.Resource) string {
	name, _, _ := strings.Cut(r.Name, "/")
	return strings.ToLower(name)
}

// children attaches the objects child builds from the resources of
// typ (any of types) to the parent named by their name's first segment.
func (a *armAdapter) children(parents map[string]map[string]any, key string, child func(*arm.Resource) map[string]any, orphans *[]any, types ...string) {
	for _, typ := range types {
		for _, r := range a.byType[strings.ToLower(typ)] {
			obj := child(r)
			if obj == nil {
				continue
			}
			if p := parents[parentName(r)]; p != nil && r.Name != "" {
				p[key] = append(p[key].([]any), obj)
				continue
			}
			p := a.unmanaged(r)
			p[key] = []any{obj}
			*orphans = append(*orphans, p)
		}
	}
}

func (a *armAdapter) storageAccounts() []any {
	out := []any{}
	idx := map[string]map[string]any{}
	for _, r := range a.byType["microsoft.storage/storageaccounts"] {
		p := armProps(r)
		m := a.object(armObj{r: r})
		m["enforcehttps"] = a.val(p, "supportsHttpsTrafficOnly", "bool", true)
		// Unset, the API has accepted TLS 1.0 (the service's default
		// before 2024, and Trivy's).
		m["minimumtlsversion"] = a.val(p, "minimumTlsVersion", "string", "TLS1_0")
		rules := []any{}
		if na := p.child("networkAcls"); na.m != nil {
			rule := a.object(na)
			da := a.val(na, "defaultAction", "string", "Allow")
			if v, ok := da["value"].(string); ok {
				da["value"] = strings.EqualFold(v, "Allow")
			}
			rule["allowbydefault"] = da
			bypass := []any{}
			if _, _, ok := na.get("bypass"); ok {
				for _, v := range a.strs(na, "bypass") {
					vm := v.(map[string]any)
					s, ok := vm["value"].(string)
					if !ok {
						bypass = append(bypass, vm)
						continue
					}
					for _, part := range strings.Split(s, ",") {
						cp := map[string]any{}
						for k, x := range vm {
							cp[k] = x
						}
						cp["value"] = strings.TrimSpace(part)
						bypass = append(bypass, cp)
					}
				}
			} else {
				s, e := na.lines()
				bypass = append(bypass, withValue(a.meta(na, s, e, false), "AzureServices"))
			}
			rule["bypass"] = bypass
			rules = append(rules, rule)
		}
		m["networkrules"] = rules
		m["containers"] = []any{}
		if r.Name != "" {
			idx[strings.ToLower(r.Name)] = m
		}
		out = append(out, m)
	}
	a.children(idx, "containers", func(r *arm.Resource) map[string]any {
		p := armProps(r)
		c := a.object(armObj{r: r})
		pa := a.val(p, "publicAccess", "string", "None")
		if v, ok := pa["value"].(string); ok {
			pa["value"] = strings.ToLower(v)
			if strings.EqualFold(v, "None") {
				pa["value"] = "off"
			}
		}
		c["publicaccess"] = pa
		return c
	}, &out, "Microsoft.Storage/storageAccounts/blobServices/containers")
	return out
}

func (a *armAdapter) nsgRule(o armObj) map[string]any {
	m := a.object(o)
	dir := a.val(o, "direction", "string", "Inbound")
	if v, ok := dir["value"].(string); ok {
		dir["value"] = strings.EqualFold(v, "Outbound")
	}
	m["outbound"] = dir
	acc := a.val(o, "access", "string", "Allow")
	if v, ok := acc["value"].(string); ok {
		acc["value"] = strings.EqualFold(v, "Allow")
	}
	m["allow"] = acc
	m["protocol"] = a.val(o, "protocol", "string", "")
	m["sourceaddresses"] = append(a.strs(o, "sourceAddressPrefix"), a.strs(o, "sourceAddressPrefixes")...)
	m["destinationaddresses"] = append(a.strs(o, "destinationAddressPrefix"), a.strs(o, "destinationAddressPrefixes")...)
	m["sourceports"] = portRanges(append(a.strs(o, "sourcePortRange"), a.strs(o, "sourcePortRanges")...))
	m["destinationports"] = portRanges(append(a.strs(o, "destinationPortRange"), a.strs(o, "destinationPortRanges")...))
	return m
}

func (a *armAdapter) securityGroups() []any {
	out := []any{}
	idx := map[string]map[string]any{}
	for _, r := range a.byType["microsoft.network/networksecuritygroups"] {
		m := a.object(armObj{r: r})
		rules := []any{}
		l, _, _ := armProps(r).get("securityRules")
		list, _ := l.([]any)
		for _, x := range list {
			rm, ok := x.(map[string]any)
			if !ok {
				continue
			}
			rules = append(rules, a.nsgRule(armObj{r: r, m: rm}.child("properties")))
		}
		m["rules"] = rules
		if r.Name != "" {
			idx[strings.ToLower(r.Name)] = m
		}
		out = append(out, m)
	}
	a.children(idx, "rules", func(r *arm.Resource) map[string]any { return a.nsgRule(armProps(r)) }, &out,
		"Microsoft.Network/networkSecurityGroups/securityRules")
	return out
}

func (a *armAdapter) vaults() []any {
	out := []any{}
	idx := map[string]map[string]any{}
	for _, r := range a.byType["microsoft.keyvault/vaults"] {
		p := armProps(r)
		m := a.object(armObj{r: r})
		m["enablepurgeprotection"] = a.val(p, "enablePurgeProtection", "bool", false)
		m["softdeleteretentiondays"] = a.val(p, "softDeleteRetentionInDays", "number", int64(90))
		na := p.child("networkAcls")
		acls := a.object(na)
		acls["defaultaction"] = a.val(na, "defaultAction", "string", "")
		m["networkacls"] = acls
		m["secrets"], m["keys"] = []any{}, []any{}
		if r.Name != "" {
			idx[strings.ToLower(r.Name)] = m
		}
		out = append(out, m)
	}
	// attributes.exp is the expiry in seconds since the epoch.
	expiry := func(r *arm.Resource) map[string]any {
		at := armProps(r).child("attributes")
		e := a.val(at, "exp", "number", "")
		if e["explicit"] == false {
			e["value"] = ""
		}
		return e
	}
	a.children(idx, "secrets", func(r *arm.Resource) map[string]any {
		m := a.object(armObj{r: r})
		m["contenttype"] = a.val(armProps(r), "contentType", "string", "")
		m["expirydate"] = expiry(r)
		return m
	}, &out, "Microsoft.KeyVault/vaults/secrets")
	a.children(idx, "keys", func(r *arm.Resource) map[string]any {
		m := a.object(armObj{r: r})
		m["expirydate"] = expiry(r)
		return m
	}, &out, "Microsoft.KeyVault/vaults/keys")
	return out
}

func (a *armAdapter) clusters() []any {
	out := []any{}
	for _, r := range a.byType["microsoft.containerservice/managedclusters"] {
		p := armProps(r)
		m := a.object(armObj{r: r})
		np := p.child("networkProfile")
		prof := a.object(np)
		prof["networkpolicy"] = a.val(np, "networkPolicy", "string", "")
		m["networkprofile"] = prof
		ap := p.child("apiServerAccessProfile")
		m["enableprivatecluster"] = a.val(ap, "enablePrivateCluster", "bool", false)
		m["apiserverauthorizedipranges"] = a.strs(ap, "authorizedIPRanges")
		addons := p.child("addonProfiles")
		oms := addons.child("omsagent")
		addon := a.object(addons)
		omsObj := a.object(oms)
		omsObj["enabled"] = a.val(oms, "enabled", "bool", false)
		addon["omsagent"] = omsObj
		m["addonprofile"] = addon
		rbac := a.object(armObj{r: r})
		rbac["enabled"] = a.val(p, "enableRBAC", "bool", true)
		m["rolebasedaccesscontrol"] = rbac
		out = append(out, m)
	}
	return out
}

// appServices are the Microsoft.Web/sites: function apps (kind
// containing "functionapp") and the others; authentication is the
// sites/config "authsettings" (properties.enabled) or "authsettingsV2"
// (properties.platform.enabled) child.
func (a *armAdapter) appServices() map[string]any {
	services, functions := []any{}, []any{}
	idx := map[string]map[string]any{}
	for _, r := range a.byType["microsoft.web/sites"] {
		p := armProps(r)
		top := armObj{r: r, m: r.Object}
		m := a.object(armObj{r: r})
		m["httpsonly"] = a.val(p, "httpsOnly", "bool", false)
		if kind, _ := top.m["kind"].(string); strings.Contains(strings.ToLower(kind), "functionapp") {
			functions = append(functions, m)
			continue
		}
		m["enableclientcert"] = a.val(p, "clientCertEnabled", "bool", false)
		id := top.child("identity")
		ident := a.object(id)
		ident["type"] = a.val(id, "type", "string", "")
		m["identity"] = ident
		auth := a.object(armObj{r: r})
		auth["enabled"] = withValue(a.meta(armObj{r: r}, r.StartLine, r.EndLine, false), false)
		m["authentication"] = auth
		sc := p.child("siteConfig")
		site := a.object(sc)
		site["enablehttp2"] = a.val(sc, "http20Enabled", "bool", false)
		site["minimumtlsversion"] = a.val(sc, "minTlsVersion", "string", "1.2")
		m["site"] = site
		if r.Name != "" {
			idx[strings.ToLower(r.Name)] = m
		}
		services = append(services, m)
	}
	for _, r := range a.byType["microsoft.web/sites/config"] {
		_, setting, _ := strings.Cut(r.Name, "/")
		var enabled map[string]any
		switch strings.ToLower(setting) {
		case "authsettings":
			enabled = a.val(armProps(r), "enabled", "bool", false)
		case "authsettingsv2":
			enabled = a.val(armProps(r).child("platform"), "enabled", "bool", false)
		default:
			continue
		}
		if s := idx[parentName(r)]; s != nil {
			auth := a.object(armProps(r))
			auth["enabled"] = enabled
			s["authentication"] = auth
		}
	}
	return map[string]any{"services": services, "functionapps": functions}
}

func (a *armAdapter) databases() map[string]any {
	firewall := func(r *arm.Resource) map[string]any {
		p := armProps(r)
		m := a.object(armObj{r: r})
		m["startip"] = a.val(p, "startIpAddress", "string", "")
		m["endip"] = a.val(p, "endIpAddress", "string", "")
		return m
	}
	publicAccess := func(p armObj) map[string]any {
		v := a.val(p, "publicNetworkAccess", "string", "Enabled")
		if s, ok := v["value"].(string); ok {
			v["value"] = strings.EqualFold(s, "Enabled")
		}
		return v
	}
	out := map[string]any{}
	mssql := []any{}
	idx := map[string]map[string]any{}
	for _, r := range a.byType["microsoft.sql/servers"] {
		p := armProps(r)
		m := a.object(armObj{r: r})
		m["minimumtlsversion"] = a.val(p, "minimalTlsVersion", "string", "")
		m["enablepublicnetworkaccess"] = publicAccess(p)
		m["firewallrules"] = []any{}
		m["extendedauditingpolicies"] = []any{}
		if r.Name != "" {
			idx[strings.ToLower(r.Name)] = m
		}
		mssql = append(mssql, m)
	}
	a.children(idx, "firewallrules", firewall, &mssql, "Microsoft.Sql/servers/firewallRules")
	a.children(idx, "extendedauditingpolicies", func(r *arm.Resource) map[string]any {
		p := armProps(r)
		if st, ok := a.val(p, "state", "string", "")["value"].(string); ok && !strings.EqualFold(st, "Enabled") {
			return nil // a disabled policy audits nothing
		}
		m := a.object(armObj{r: r})
		m["retentionindays"] = a.val(p, "retentionDays", "number", int64(0))
		return m
	}, &mssql, "Microsoft.Sql/servers/auditingSettings", "Microsoft.Sql/servers/extendedAuditingSettings")
	out["mssqlservers"] = mssql
	for kind, typ := range map[string]string{"mysql": "Microsoft.DBforMySQL/servers", "postgresql": "Microsoft.DBforPostgreSQL/servers", "mariadb": "Microsoft.DBforMariaDB/servers"} {
		servers := []any{}
		idx := map[string]map[string]any{}
		for _, r := range a.byType[strings.ToLower(typ)] {
			p := armProps(r)
			m := a.object(armObj{r: r})
			ssl := a.val(p, "sslEnforcement", "string", "Enabled")
			if s, ok := ssl["value"].(string); ok {
				ssl["value"] = strings.EqualFold(s, "Enabled")
			}
			m["enablesslenforcement"] = ssl
			m["minimumtlsversion"] = a.val(p, "minimalTlsVersion", "string", "TLSEnforcementDisabled")
			m["enablepublicnetworkaccess"] = publicAccess(p)
			m["firewallrules"] = []any{}
			if r.Name != "" {
				idx[strings.ToLower(r.Name)] = m
			}
			servers = append(servers, m)
		}
		a.children(idx, "firewallrules", firewall, &servers, typ+"/firewallRules")
		out[kind+"servers"] = servers
	}
	return out
}

// linuxVMs are the Microsoft.Compute/virtualMachines with an
// osProfile.linuxConfiguration.
func (a *armAdapter) linuxVMs() []any {
	out := []any{}
	for _, r := range a.byType["microsoft.compute/virtualmachines"] {
		lc := armProps(r).child("osProfile").child("linuxConfiguration")
		if lc.m == nil {
			continue
		}
		m := a.object(armObj{r: r})
		cfg := a.object(lc)
		cfg["disablepasswordauthentication"] = a.val(lc, "disablePasswordAuthentication", "bool", false)
		m["osprofilelinuxconfig"] = cfg
		out = append(out, m)
	}
	return out
}

func (a *armAdapter) managedDisks() []any {
	out := []any{}
	for _, r := range a.byType["microsoft.compute/disks"] {
		m := a.object(armObj{r: r})
		es := armProps(r).child("encryptionSettingsCollection")
		enc := a.object(es)
		enc["enabled"] = a.val(es, "enabled", "bool", true)
		m["encryption"] = enc
		out = append(out, m)
	}
	return out
}
