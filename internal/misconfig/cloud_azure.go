package misconfig

import (
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/trawlsec/trawl/internal/parse/terraform"
)

// azure is the input.azure document of the azurerm resources (the same
// shape ARMInput builds from ARM templates; docs/misconfig.md lists it).
// A child resource (a container, a key vault secret, a firewall rule)
// whose parent is not in the module sits under a parent of its own whose
// metadata has "managed": false, so checks on the parent skip it.
func (b *cloudBuilder) azure() map[string]any {
	return map[string]any{
		"storage":    map[string]any{"accounts": b.azStorageAccounts()},
		"network":    map[string]any{"securitygroups": b.azSecurityGroups()},
		"keyvault":   map[string]any{"vaults": b.azVaults()},
		"container":  map[string]any{"kubernetesclusters": b.azClusters()},
		"appservice": map[string]any{"services": b.azAppServices(), "functionapps": b.azFunctionApps()},
		"database":   b.azDatabases(),
		"compute":    map[string]any{"linuxvirtualmachines": b.azLinuxVMs(), "manageddisks": b.azManagedDisks()},
	}
}

// valFirst is the first of names set in blk (val of the first name when
// none is).
func valFirst(r *terraform.Resource, blk *terraform.Block, typ cty.Type, def any, names ...string) map[string]any {
	if blk != nil {
		for _, n := range names {
			if blk.Attrs[n] != nil {
				return val(r, blk, n, typ, def)
			}
		}
	}
	return val(r, blk, names[0], typ, def)
}

// unmanagedParent is the object of a parent resource not in the module.
func unmanagedParent(r *terraform.Resource) map[string]any {
	m := meta(r, r.Range, false)
	m["managed"] = false
	return map[string]any{"__defsec_metadata": m}
}

func (b *cloudBuilder) azStorageAccounts() []any {
	var out []any
	idx := map[*terraform.Resource]map[string]any{}
	for _, r := range b.byType["azurerm_storage_account"] {
		m := object(r, r.Block)
		m["enforcehttps"] = valFirst(r, r.Block, cty.Bool, true, "https_traffic_only_enabled", "enable_https_traffic_only")
		m["minimumtlsversion"] = val(r, r.Block, "min_tls_version", cty.String, "TLS1_2")
		rules := []any{}
		if nr := first(r.Children("network_rules")); nr != nil {
			rules = append(rules, azStorageRule(r, nr))
		}
		m["networkrules"] = rules
		m["containers"] = []any{}
		idx[r] = m
		out = append(out, m)
	}
	b.azChildren(idx, []string{"azurerm_storage_account"}, "azurerm_storage_account_network_rules", "networkrules", []string{"storage_account_id", "storage_account_name"},
		func(s *terraform.Resource) map[string]any { return azStorageRule(s, s.Block) }, &out)
	b.azChildren(idx, []string{"azurerm_storage_account"}, "azurerm_storage_container", "containers", []string{"storage_account_name", "storage_account_id"},
		func(s *terraform.Resource) map[string]any {
			c := object(s, s.Block)
			pa := val(s, s.Block, "container_access_type", cty.String, "private")
			if v, ok := pa["value"].(string); ok && v == "private" {
				pa["value"] = "off"
			}
			c["publicaccess"] = pa
			return c
		}, &out)
	if out == nil {
		out = []any{}
	}
	return out
}

// azStorageRule is a network_rules block (inline, or the body of
// azurerm_storage_account_network_rules).
func azStorageRule(r *terraform.Resource, blk *terraform.Block) map[string]any {
	m := object(r, blk)
	da := val(r, blk, "default_action", cty.String, "Allow")
	if v, ok := da["value"].(string); ok {
		da["value"] = strings.EqualFold(v, "Allow")
	}
	m["allowbydefault"] = da
	if blk.Attrs["bypass"] != nil {
		m["bypass"] = list(r, blk, "bypass")
	} else {
		m["bypass"] = []any{withValue(meta(r, blk.Range, false), "AzureServices")}
	}
	return m
}

func (b *cloudBuilder) azSecurityGroups() []any {
	var out []any
	idx := map[*terraform.Resource]map[string]any{}
	for _, r := range b.byType["azurerm_network_security_group"] {
		m := object(r, r.Block)
		rules := []any{}
		for _, blk := range r.Children("security_rule") {
			rules = append(rules, azNSGRule(r, blk))
		}
		m["rules"] = rules
		idx[r] = m
		out = append(out, m)
	}
	b.azChildren(idx, []string{"azurerm_network_security_group"}, "azurerm_network_security_rule", "rules", []string{"network_security_group_name"},
		func(s *terraform.Resource) map[string]any { return azNSGRule(s, s.Block) }, &out)
	if out == nil {
		out = []any{}
	}
	return out
}

func azNSGRule(r *terraform.Resource, blk *terraform.Block) map[string]any {
	m := object(r, blk)
	dir := val(r, blk, "direction", cty.String, "Inbound")
	if v, ok := dir["value"].(string); ok {
		dir["value"] = strings.EqualFold(v, "Outbound")
	}
	m["outbound"] = dir
	acc := val(r, blk, "access", cty.String, "Allow")
	if v, ok := acc["value"].(string); ok {
		acc["value"] = strings.EqualFold(v, "Allow")
	}
	m["allow"] = acc
	m["protocol"] = val(r, blk, "protocol", cty.String, "")
	m["sourceaddresses"] = list(r, blk, "source_address_prefix", "source_address_prefixes")
	m["destinationaddresses"] = list(r, blk, "destination_address_prefix", "destination_address_prefixes")
	m["sourceports"] = portRanges(list(r, blk, "source_port_range", "source_port_ranges"))
	m["destinationports"] = portRanges(list(r, blk, "destination_port_range", "destination_port_ranges"))
	return m
}

// portRanges turns port values ("22", "1000-2000", "*") into
// {"start", "end"} objects with the value's lines.
func portRanges(vals []any) []any {
	out := []any{}
	for _, v := range vals {
		vm := v.(map[string]any)
		s, ok := vm["value"].(string)
		if !ok {
			continue
		}
		start, end, ok := parsePortRange(s)
		if !ok {
			continue
		}
		md := map[string]any{}
		for k, x := range vm {
			if k != "value" {
				md[k] = x
			}
		}
		cp := func(n int64) map[string]any {
			m := map[string]any{}
			for k, x := range md {
				m[k] = x
			}
			m["value"] = n
			return m
		}
		out = append(out, map[string]any{"__defsec_metadata": md, "start": cp(start), "end": cp(end)})
	}
	return out
}

func parsePortRange(s string) (int64, int64, bool) {
	s = strings.TrimSpace(s)
	if s == "*" {
		return 0, 65535, true
	}
	a, b, isRange := strings.Cut(s, "-")
	start, ok := atoiPort(a)
	if !ok {
		return 0, 0, false
	}
	if !isRange {
		return start, start, true
	}
	end, ok := atoiPort(b)
	return start, end, ok
}

func atoiPort(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 5 {
		return 0, false
	}
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

func (b *cloudBuilder) azVaults() []any {
	var out []any
	idx := map[*terraform.Resource]map[string]any{}
	for _, r := range b.byType["azurerm_key_vault"] {
		m := object(r, r.Block)
		m["enablepurgeprotection"] = val(r, r.Block, "purge_protection_enabled", cty.Bool, false)
		m["softdeleteretentiondays"] = val(r, r.Block, "soft_delete_retention_days", cty.Number, int64(90))
		na := first(r.Children("network_acls"))
		acls := nested(r, na)
		acls["defaultaction"] = val(r, na, "default_action", cty.String, "")
		m["networkacls"] = acls
		m["secrets"], m["keys"] = []any{}, []any{}
		idx[r] = m
		out = append(out, m)
	}
	b.azChildren(idx, []string{"azurerm_key_vault"}, "azurerm_key_vault_secret", "secrets", []string{"key_vault_id"},
		func(s *terraform.Resource) map[string]any {
			m := object(s, s.Block)
			m["contenttype"] = val(s, s.Block, "content_type", cty.String, "")
			m["expirydate"] = val(s, s.Block, "expiration_date", cty.String, "")
			return m
		}, &out)
	b.azChildren(idx, []string{"azurerm_key_vault"}, "azurerm_key_vault_key", "keys", []string{"key_vault_id"},
		func(s *terraform.Resource) map[string]any {
			m := object(s, s.Block)
			m["expirydate"] = val(s, s.Block, "expiration_date", cty.String, "")
			return m
		}, &out)
	if out == nil {
		out = []any{}
	}
	return out
}

func (b *cloudBuilder) azClusters() []any {
	out := []any{}
	for _, r := range b.byType["azurerm_kubernetes_cluster"] {
		m := object(r, r.Block)
		np := first(r.Children("network_profile"))
		prof := nested(r, np)
		prof["networkpolicy"] = val(r, np, "network_policy", cty.String, "")
		m["networkprofile"] = prof
		m["enableprivatecluster"] = val(r, r.Block, "private_cluster_enabled", cty.Bool, false)
		ips := list(r, r.Block, "api_server_authorized_ip_ranges")
		if ap := first(r.Children("api_server_access_profile")); ap != nil {
			ips = append(ips, list(r, ap, "authorized_ip_ranges")...)
		}
		m["apiserverauthorizedipranges"] = ips
		// oms_agent (azurerm 3+) or addon_profile { oms_agent { enabled } }.
		oms := withValue(meta(r, r.Range, false), false)
		omsObj := nested(r, nil)
		if blk := first(r.Children("oms_agent")); blk != nil {
			omsObj = object(r, blk)
			oms = withValue(meta(r, blk.Range, true), true)
		}
		if ap := first(r.Children("addon_profile")); ap != nil {
			if blk := first(ap.Children("oms_agent")); blk != nil {
				omsObj = object(r, blk)
				oms = val(r, blk, "enabled", cty.Bool, false)
			}
		}
		omsObj["enabled"] = oms
		addon := nested(r, nil)
		addon["omsagent"] = omsObj
		m["addonprofile"] = addon
		// role_based_access_control_enabled (azurerm 3+, default true) or
		// role_based_access_control { enabled }.
		rbac := nested(r, nil)
		rbac["enabled"] = val(r, r.Block, "role_based_access_control_enabled", cty.Bool, true)
		if blk := first(r.Children("role_based_access_control")); blk != nil {
			rbac = object(r, blk)
			rbac["enabled"] = val(r, blk, "enabled", cty.Bool, false)
		}
		m["rolebasedaccesscontrol"] = rbac
		out = append(out, m)
	}
	return out
}

// azAppServices are azurerm_app_service, azurerm_linux_web_app and
// azurerm_windows_web_app.
func (b *cloudBuilder) azAppServices() []any {
	out := []any{}
	for _, typ := range []string{"azurerm_app_service", "azurerm_linux_web_app", "azurerm_windows_web_app"} {
		for _, r := range b.byType[typ] {
			m := object(r, r.Block)
			m["enableclientcert"] = valFirst(r, r.Block, cty.Bool, false, "client_certificate_enabled", "client_cert_enabled")
			m["httpsonly"] = val(r, r.Block, "https_only", cty.Bool, false)
			id := first(r.Children("identity"))
			ident := nested(r, id)
			ident["type"] = val(r, id, "type", cty.String, "")
			m["identity"] = ident
			auth := nested(r, nil)
			auth["enabled"] = withValue(meta(r, r.Range, false), false)
			if blk := first(r.Children("auth_settings")); blk != nil {
				auth = object(r, blk)
				auth["enabled"] = val(r, blk, "enabled", cty.Bool, false)
			}
			if blk := first(r.Children("auth_settings_v2")); blk != nil {
				auth = object(r, blk)
				auth["enabled"] = val(r, blk, "auth_enabled", cty.Bool, false)
			}
			m["authentication"] = auth
			sc := first(r.Children("site_config"))
			site := nested(r, sc)
			site["enablehttp2"] = val(r, sc, "http2_enabled", cty.Bool, false)
			site["minimumtlsversion"] = valFirst(r, sc, cty.String, "1.2", "minimum_tls_version", "min_tls_version")
			m["site"] = site
			out = append(out, m)
		}
	}
	return out
}

func (b *cloudBuilder) azFunctionApps() []any {
	out := []any{}
	for _, typ := range []string{"azurerm_function_app", "azurerm_linux_function_app", "azurerm_windows_function_app"} {
		for _, r := range b.byType[typ] {
			m := object(r, r.Block)
			m["httpsonly"] = val(r, r.Block, "https_only", cty.Bool, false)
			out = append(out, m)
		}
	}
	return out
}

func (b *cloudBuilder) azDatabases() map[string]any {
	firewall := func(s *terraform.Resource) map[string]any {
		m := object(s, s.Block)
		m["startip"] = val(s, s.Block, "start_ip_address", cty.String, "")
		m["endip"] = val(s, s.Block, "end_ip_address", cty.String, "")
		return m
	}
	publicAccess := func(r *terraform.Resource) map[string]any {
		return val(r, r.Block, "public_network_access_enabled", cty.Bool, true)
	}
	// MSSQL: azurerm_mssql_server and the older azurerm_sql_server.
	var mssql []any
	idx := map[*terraform.Resource]map[string]any{}
	for _, typ := range []string{"azurerm_mssql_server", "azurerm_sql_server"} {
		for _, r := range b.byType[typ] {
			m := object(r, r.Block)
			m["minimumtlsversion"] = val(r, r.Block, "minimum_tls_version", cty.String, "1.2")
			m["enablepublicnetworkaccess"] = publicAccess(r)
			m["firewallrules"] = []any{}
			policies := []any{}
			if blk := first(r.Children("extended_auditing_policy")); blk != nil {
				p := object(r, blk)
				p["retentionindays"] = val(r, blk, "retention_in_days", cty.Number, int64(0))
				policies = append(policies, p)
			}
			m["extendedauditingpolicies"] = policies
			idx[r] = m
			mssql = append(mssql, m)
		}
	}
	for _, typ := range []string{"azurerm_mssql_firewall_rule", "azurerm_sql_firewall_rule"} {
		b.azChildren(idx, []string{"azurerm_mssql_server", "azurerm_sql_server"}, typ, "firewallrules", []string{"server_id", "server_name"}, firewall, &mssql)
	}
	b.azChildren(idx, []string{"azurerm_mssql_server"}, "azurerm_mssql_server_extended_auditing_policy", "extendedauditingpolicies", []string{"server_id"},
		func(s *terraform.Resource) map[string]any {
			p := object(s, s.Block)
			p["retentionindays"] = val(s, s.Block, "retention_in_days", cty.Number, int64(0))
			return p
		}, &mssql)
	if mssql == nil {
		mssql = []any{}
	}
	out := map[string]any{"mssqlservers": mssql}
	for _, kind := range []string{"mysql", "postgresql", "mariadb"} {
		var servers []any
		idx := map[*terraform.Resource]map[string]any{}
		for _, r := range b.byType["azurerm_"+kind+"_server"] {
			m := object(r, r.Block)
			ssl := val(r, r.Block, "ssl_enforcement_enabled", cty.Bool, false)
			if r.Attrs["ssl_enforcement_enabled"] == nil && r.Attrs["ssl_enforcement"] != nil {
				ssl = val(r, r.Block, "ssl_enforcement", cty.String, "")
				if v, ok := ssl["value"].(string); ok {
					ssl["value"] = strings.EqualFold(v, "Enabled")
				}
			}
			m["enablesslenforcement"] = ssl
			m["minimumtlsversion"] = val(r, r.Block, "ssl_minimal_tls_version_enforced", cty.String, "TLS1_2")
			m["enablepublicnetworkaccess"] = publicAccess(r)
			m["firewallrules"] = []any{}
			idx[r] = m
			servers = append(servers, m)
		}
		b.azChildren(idx, []string{"azurerm_" + kind + "_server"}, "azurerm_"+kind+"_firewall_rule", "firewallrules", []string{"server_name"}, firewall, &servers)
		if servers == nil {
			servers = []any{}
		}
		out[kind+"servers"] = servers
	}
	return out
}

// azChildren attaches the objects child builds from the resources of typ
// to their parent of parentTypes (the first one attribute attrs names, by
// reference or by the parent's name) under key; a child whose parent is
// not in the module gets a parent of its own (unmanagedParent), appended
// to *orphans.
func (b *cloudBuilder) azChildren(parents map[*terraform.Resource]map[string]any, parentTypes []string, typ, key string, attrs []string, child func(*terraform.Resource) map[string]any, orphans *[]any) {
	for _, c := range b.byType[typ] {
		obj := child(c)
		var found []*terraform.Resource
		for _, pt := range parentTypes {
			for _, a := range attrs {
				found = append(found, b.linked(c, a, pt, "name")...)
			}
		}
		placed := false
		for _, f := range found {
			if pm := parents[f]; pm != nil && !placed {
				pm[key] = append(pm[key].([]any), obj)
				placed = true
			}
		}
		if !placed {
			p := unmanagedParent(c)
			p[key] = []any{obj}
			*orphans = append(*orphans, p)
		}
	}
}

// azLinuxVMs are azurerm_linux_virtual_machine and the
// azurerm_virtual_machine resources with an os_profile_linux_config.
func (b *cloudBuilder) azLinuxVMs() []any {
	out := []any{}
	for _, r := range b.byType["azurerm_linux_virtual_machine"] {
		m := object(r, r.Block)
		cfg := nested(r, nil)
		cfg["disablepasswordauthentication"] = val(r, r.Block, "disable_password_authentication", cty.Bool, true)
		m["osprofilelinuxconfig"] = cfg
		out = append(out, m)
	}
	for _, r := range b.byType["azurerm_virtual_machine"] {
		blk := first(r.Children("os_profile_linux_config"))
		if blk == nil {
			continue
		}
		m := object(r, r.Block)
		cfg := object(r, blk)
		cfg["disablepasswordauthentication"] = val(r, blk, "disable_password_authentication", cty.Bool, false)
		m["osprofilelinuxconfig"] = cfg
		out = append(out, m)
	}
	return out
}

func (b *cloudBuilder) azManagedDisks() []any {
	out := []any{}
	for _, r := range b.byType["azurerm_managed_disk"] {
		m := object(r, r.Block)
		es := first(r.Children("encryption_settings"))
		enc := nested(r, es)
		enc["enabled"] = val(r, es, "enabled", cty.Bool, true)
		m["encryption"] = enc
		out = append(out, m)
	}
	return out
}
