package misconfig

import (
	"maps"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/trawlsec/trawl/internal/parse/terraform"
)

// google is input.google: the google_* resources of the module in the
// shape of the cloud input (docs/misconfig.md, "The google input
// document").
func (b *cloudBuilder) google() map[string]any {
	return map[string]any{
		"storage":  map[string]any{"buckets": b.gcsBuckets()},
		"bigquery": map[string]any{"datasets": b.bqDatasets()},
		"dns":      map[string]any{"managedzones": b.dnsZones()},
		"kms":      map[string]any{"keyrings": b.kmsKeyRings()},
		"compute": map[string]any{
			"disks": b.gceDisks(), "instances": b.gceInstances(), "networks": b.gceNetworks(),
			"sslpolicies": b.gceSSLPolicies(), "projectmetadata": b.gceProjectMetadata(),
		},
		"gke": map[string]any{"clusters": b.gkeClusters()},
		"sql": map[string]any{"instances": b.sqlInstances()},
		"iam": b.gcpIAM(),
	}
}

// gStr is a string attribute (def when unset).
func gStr(r *terraform.Resource, blk *terraform.Block, name, def string) map[string]any {
	return val(r, blk, name, cty.String, def)
}

func gBool(r *terraform.Resource, blk *terraform.Block, name string, def bool) map[string]any {
	return val(r, blk, name, cty.Bool, def)
}

// refersTo tells whether attribute name of blk refers to an object of
// a resource or data type ("data.google_compute_default_service_account").
func refersTo(blk *terraform.Block, name, prefix string) bool {
	if blk == nil || blk.Attrs[name] == nil {
		return false
	}
	for _, ref := range blk.Attrs[name].Refs {
		if strings.HasPrefix(ref, prefix+".") {
			return true
		}
	}
	return false
}

// metadataKey is key of the map attribute attr of blk (instance or node
// metadata) as a lower-case string: "" when absent, null when unknown.
func metadataKey(r *terraform.Resource, blk *terraform.Block, attr, key string) map[string]any {
	if blk == nil || blk.Attrs[attr] == nil {
		return val(r, blk, attr, cty.String, "")
	}
	a := blk.Attrs[attr]
	m := meta(r, a.Range, true)
	m["value"] = ""
	if !a.Value.IsKnown() {
		m["value"] = nil
		return m
	}
	if a.Value.IsNull() || !(a.Value.Type().IsMapType() || a.Value.Type().IsObjectType()) {
		return m
	}
	mv := a.Value.AsValueMap()
	v, ok := mv[key]
	if !ok {
		return m
	}
	switch g := goValue(v, cty.String).(type) {
	case string:
		m["value"] = strings.ToLower(g)
	default:
		m["value"] = nil
	}
	return m
}

// isDefaultSA tells whether a service account email is a default one
// (Compute Engine's or App Engine's); null when unknown.
func isDefaultSA(r *terraform.Resource, blk *terraform.Block, attr string, emptyIsDefault bool) map[string]any {
	v := gStr(r, blk, attr, "")
	out := withValue(maps.Clone(v), nil)
	switch {
	case refersTo(blk, attr, "data.google_compute_default_service_account"):
		out["value"] = true
	case v["value"] == nil:
		out["value"] = nil
	default:
		s := strings.TrimPrefix(v["value"].(string), "serviceAccount:")
		out["value"] = (s == "" && emptyIsDefault) || strings.HasSuffix(s, "-compute@developer.gserviceaccount.com") || strings.HasSuffix(s, "@appspot.gserviceaccount.com")
	}
	return out
}

func (b *cloudBuilder) gcsBuckets() []any {
	out := []any{}
	idx := map[*terraform.Resource]map[string]any{}
	for _, r := range b.byType["google_storage_bucket"] {
		m := object(r, r.Block)
		m["name"] = gStr(r, r.Block, "name", "")
		m["enableuniformbucketlevelaccess"] = gBool(r, r.Block, "uniform_bucket_level_access", false)
		eb := first(r.Children("encryption"))
		enc := nested(r, eb)
		enc["defaultkmskeyname"] = gStr(r, eb, "default_kms_key_name", "")
		m["encryption"] = enc
		m["bindings"], m["members"] = []any{}, []any{}
		idx[r] = m
		out = append(out, m)
	}
	// IAM of a bucket: joined to it, or a bucket object of its own
	// (bindings and members only) when the bucket is not in the module.
	for _, typ := range []string{"google_storage_bucket_iam_binding", "google_storage_bucket_iam_member"} {
		for _, s := range b.byType[typ] {
			entry := iamEntry(s)
			key := "bindings"
			if strings.HasSuffix(typ, "_member") {
				key = "members"
			}
			targets := b.linked(s, "bucket", "google_storage_bucket", "name")
			if len(targets) == 0 {
				m := object(s, s.Block)
				m["bindings"], m["members"] = []any{}, []any{}
				m[key] = []any{entry}
				out = append(out, m)
				continue
			}
			for _, t := range targets {
				idx[t][key] = append(idx[t][key].([]any), entry)
			}
		}
	}
	return out
}

// iamEntry is an IAM member (member attribute) or binding (members).
func iamEntry(r *terraform.Resource) map[string]any {
	m := object(r, r.Block)
	m["role"] = gStr(r, r.Block, "role", "")
	if r.Attrs["members"] != nil {
		m["members"] = list(r, r.Block, "members")
		m["includesdefaultserviceaccount"] = withValue(meta(r, r.Attrs["members"].Range, true), false)
		for _, v := range m["members"].([]any) {
			s, _ := v.(map[string]any)["value"].(string)
			s = strings.TrimPrefix(s, "serviceAccount:")
			if strings.HasSuffix(s, "-compute@developer.gserviceaccount.com") || strings.HasSuffix(s, "@appspot.gserviceaccount.com") {
				m["includesdefaultserviceaccount"].(map[string]any)["value"] = true
			}
		}
		if refersTo(r.Block, "members", "data.google_compute_default_service_account") {
			m["includesdefaultserviceaccount"].(map[string]any)["value"] = true
		}
		return m
	}
	m["member"] = gStr(r, r.Block, "member", "")
	m["defaultserviceaccount"] = isDefaultSA(r, r.Block, "member", false)
	return m
}

func (b *cloudBuilder) bqDatasets() []any {
	out := []any{}
	for _, r := range b.byType["google_bigquery_dataset"] {
		m := object(r, r.Block)
		m["id"] = gStr(r, r.Block, "dataset_id", "")
		grants := []any{}
		for _, blk := range r.Children("access") {
			g := object(r, blk)
			g["role"] = gStr(r, blk, "role", "")
			g["domain"] = gStr(r, blk, "domain", "")
			g["specialgroup"] = gStr(r, blk, "special_group", "")
			grants = append(grants, g)
		}
		m["accessgrants"] = grants
		out = append(out, m)
	}
	return out
}

func (b *cloudBuilder) dnsZones() []any {
	out := []any{}
	for _, r := range b.byType["google_dns_managed_zone"] {
		m := object(r, r.Block)
		m["visibility"] = gStr(r, r.Block, "visibility", "public")
		dc := first(r.Children("dnssec_config"))
		d := nested(r, dc)
		state := gStr(r, dc, "state", "off")
		if s, ok := state["value"].(string); ok {
			state["value"] = s == "on"
		}
		d["enabled"] = state
		specs := []any{}
		if dc != nil {
			for _, ks := range dc.Children("default_key_specs") {
				k := object(r, ks)
				k["algorithm"] = gStr(r, ks, "algorithm", "")
				k["keytype"] = gStr(r, ks, "key_type", "")
				specs = append(specs, k)
			}
		}
		d["defaultkeyspecs"] = specs
		m["dnssec"] = d
		out = append(out, m)
	}
	return out
}

// kmsKeyRings are the google_kms_key_ring resources with their
// google_kms_crypto_key keys (a key whose ring is not in the module is
// a ring of its own). rotationperiodseconds is -1 without rotation.
func (b *cloudBuilder) kmsKeyRings() []any {
	out := []any{}
	idx := map[*terraform.Resource]map[string]any{}
	for _, r := range b.byType["google_kms_key_ring"] {
		m := object(r, r.Block)
		m["keys"] = []any{}
		idx[r] = m
		out = append(out, m)
	}
	for _, k := range b.byType["google_kms_crypto_key"] {
		key := object(k, k.Block)
		rp := gStr(k, k.Block, "rotation_period", "")
		secs := withValue(meta(k, k.Range, false), int64(-1))
		if a := k.Attrs["rotation_period"]; a != nil {
			secs = meta(k, a.Range, true)
			secs["value"] = nil
			if s, ok := rp["value"].(string); ok {
				secs["value"] = durationSeconds(s)
			}
		}
		key["rotationperiodseconds"] = secs
		rings := b.linked(k, "key_ring", "google_kms_key_ring", "id")
		if len(rings) == 0 {
			m := object(k, k.Block)
			m["keys"] = []any{key}
			out = append(out, m)
			continue
		}
		for _, ring := range rings {
			idx[ring]["keys"] = append(idx[ring]["keys"].([]any), key)
		}
	}
	return out
}

// durationSeconds reads "7776000s" (Google's duration format); -1 when
// it does not parse.
func durationSeconds(s string) int64 {
	s = strings.TrimSuffix(strings.TrimSpace(s), "s")
	if i := strings.IndexByte(s, '.'); i >= 0 {
		s = s[:i]
	}
	var n int64
	if s == "" {
		return -1
	}
	for _, c := range s {
		if c < '0' || c > '9' || n > 1<<50 {
			return -1
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

func (b *cloudBuilder) gceDisks() []any {
	out := []any{}
	for _, r := range b.byType["google_compute_disk"] {
		m := object(r, r.Block)
		m["name"] = gStr(r, r.Block, "name", "")
		dek := first(r.Children("disk_encryption_key"))
		enc := nested(r, dek)
		enc["rawkey"] = gStr(r, dek, "raw_key", "")
		enc["kmskeylink"] = gStr(r, dek, "kms_key_self_link", "")
		m["encryption"] = enc
		out = append(out, m)
	}
	return out
}

func (b *cloudBuilder) gceInstances() []any {
	out := []any{}
	for _, r := range b.byType["google_compute_instance"] {
		m := object(r, r.Block)
		m["name"] = gStr(r, r.Block, "name", "")
		sc := first(r.Children("shielded_instance_config"))
		sv := nested(r, sc)
		sv["securebootenabled"] = gBool(r, sc, "enable_secure_boot", false)
		sv["integritymonitoringenabled"] = gBool(r, sc, "enable_integrity_monitoring", true)
		sv["vtpmenabled"] = gBool(r, sc, "enable_vtpm", true)
		m["shieldedvm"] = sv
		if sa := first(r.Children("service_account")); sa != nil {
			s := object(r, sa)
			s["email"] = gStr(r, sa, "email", "")
			s["isdefault"] = isDefaultSA(r, sa, "email", true)
			m["serviceaccount"] = s
		}
		m["canipforward"] = gBool(r, r.Block, "can_ip_forward", false)
		m["osloginoverride"] = metadataKey(r, r.Block, "metadata", "enable-oslogin")
		m["serialport"] = metadataKey(r, r.Block, "metadata", "serial-port-enable")
		m["blockprojectsshkeys"] = metadataKey(r, r.Block, "metadata", "block-project-ssh-keys")
		nis := []any{}
		for _, ni := range r.Children("network_interface") {
			n := object(r, ni)
			ac := first(ni.Children("access_config"))
			pub := withValue(meta(r, ni.Range, false), false)
			if ac != nil {
				pub = withValue(meta(r, ac.Range, true), true)
			}
			n["haspublicip"] = pub
			nis = append(nis, n)
		}
		m["networkinterfaces"] = nis
		var disks []any
		if bd := first(r.Children("boot_disk")); bd != nil {
			disks = append(disks, instanceDisk(r, bd))
		}
		m["bootdisks"] = disks
		att := []any{}
		for _, ad := range r.Children("attached_disk") {
			att = append(att, instanceDisk(r, ad))
		}
		m["attacheddisks"] = att
		out = append(out, m)
	}
	return out
}

func instanceDisk(r *terraform.Resource, blk *terraform.Block) map[string]any {
	d := object(r, blk)
	enc := object(r, blk)
	enc["rawkey"] = gStr(r, blk, "disk_encryption_key_raw", "")
	enc["kmskeylink"] = gStr(r, blk, "kms_key_self_link", "")
	d["encryption"] = enc
	return d
}

// gceNetworks are the google_compute_network resources with their
// firewall rules and subnetworks (joined by the network attribute; those
// of a network not in the module are a network of their own).
func (b *cloudBuilder) gceNetworks() []any {
	out := []any{}
	idx := map[*terraform.Resource]map[string]any{}
	newNet := func(r *terraform.Resource) map[string]any {
		m := object(r, r.Block)
		m["firewall"] = map[string]any{"__defsec_metadata": meta(r, r.Range, false), "ingressrules": []any{}, "egressrules": []any{}}
		m["subnetworks"] = []any{}
		return m
	}
	for _, r := range b.byType["google_compute_network"] {
		m := newNet(r)
		idx[r] = m
		out = append(out, m)
	}
	attach := func(s *terraform.Resource, f func(net map[string]any)) {
		targets := b.linked(s, "network", "google_compute_network", "name")
		if len(targets) == 0 {
			m := newNet(s)
			out = append(out, m)
			f(m)
			return
		}
		for _, t := range targets {
			f(idx[t])
		}
	}
	for _, r := range b.byType["google_compute_firewall"] {
		dir := gStr(r, r.Block, "direction", "INGRESS")
		d, _ := dir["value"].(string)
		rule := object(r, r.Block)
		rule["isallow"] = withValue(meta(r, r.Range, true), len(r.Children("allow")) > 0)
		en := gBool(r, r.Block, "disabled", false)
		if v, ok := en["value"].(bool); ok {
			en["value"] = !v
		}
		rule["enforced"] = en
		key := "ingressrules"
		switch strings.ToUpper(d) {
		case "EGRESS":
			key = "egressrules"
			rule["destinationranges"] = list(r, r.Block, "destination_ranges")
		case "INGRESS":
			rule["sourceranges"] = list(r, r.Block, "source_ranges")
		default:
			continue // unknown direction
		}
		attach(r, func(net map[string]any) {
			fw := net["firewall"].(map[string]any)
			fw[key] = append(fw[key].([]any), rule)
		})
	}
	for _, r := range b.byType["google_compute_subnetwork"] {
		sn := object(r, r.Block)
		sn["name"] = gStr(r, r.Block, "name", "")
		sn["purpose"] = gStr(r, r.Block, "purpose", "PRIVATE")
		fl := gBool(r, r.Block, "enable_flow_logs", false)
		if lc := first(r.Children("log_config")); lc != nil {
			fl = withValue(meta(r, lc.Range, true), true)
		}
		sn["enableflowlogs"] = fl
		attach(r, func(net map[string]any) {
			net["subnetworks"] = append(net["subnetworks"].([]any), sn)
		})
	}
	return out
}

func (b *cloudBuilder) gceSSLPolicies() []any {
	out := []any{}
	for _, r := range b.byType["google_compute_ssl_policy"] {
		m := object(r, r.Block)
		m["name"] = gStr(r, r.Block, "name", "")
		m["minimumtlsversion"] = gStr(r, r.Block, "min_tls_version", "TLS_1_0")
		out = append(out, m)
	}
	return out
}

// gceProjectMetadata is the project-wide metadata of the module
// (google_compute_project_metadata, or a google_compute_project_
// metadata_item for enable-oslogin); absent when neither is declared.
func (b *cloudBuilder) gceProjectMetadata() []any {
	out := []any{}
	for _, r := range b.byType["google_compute_project_metadata"] {
		m := object(r, r.Block)
		m["enableoslogin"] = metadataKey(r, r.Block, "metadata", "enable-oslogin")
		out = append(out, m)
	}
	for _, r := range b.byType["google_compute_project_metadata_item"] {
		k := gStr(r, r.Block, "key", "")
		if k["value"] != "enable-oslogin" {
			continue
		}
		m := object(r, r.Block)
		v := gStr(r, r.Block, "value", "")
		if s, ok := v["value"].(string); ok {
			v["value"] = strings.ToLower(s)
		}
		m["enableoslogin"] = v
		out = append(out, m)
	}
	return out
}

// nodeConfig is a node_config block of a cluster or node pool.
func nodeConfig(r *terraform.Resource, owner, nc *terraform.Block) map[string]any {
	c := nested(r, nc)
	if nc == nil {
		c = map[string]any{"__defsec_metadata": meta(r, owner.Range, false)}
	}
	c["imagetype"] = gStr(r, nc, "image_type", "COS_CONTAINERD")
	c["serviceaccount"] = gStr(r, nc, "service_account", "")
	c["legacyendpoints"] = metadataKey(r, nc, "metadata", "disable-legacy-endpoints")
	var wmc *terraform.Block
	if nc != nil {
		wmc = first(nc.Children("workload_metadata_config"))
	}
	w := nested(r, wmc)
	w["nodemetadata"] = gStr(r, wmc, "node_metadata", "")
	w["mode"] = gStr(r, wmc, "mode", "")
	c["workloadmetadataconfig"] = w
	return c
}

// nodePool is an inline node_pool block or a google_container_node_pool.
func nodePool(r *terraform.Resource, blk *terraform.Block) map[string]any {
	p := object(r, blk)
	mg := first(blk.Children("management"))
	man := nested(r, mg)
	if mg == nil {
		man = map[string]any{"__defsec_metadata": meta(r, blk.Range, false)}
	}
	man["enableautorepair"] = gBool(r, mg, "auto_repair", true)
	man["enableautoupgrade"] = gBool(r, mg, "auto_upgrade", true)
	p["management"] = man
	p["nodeconfig"] = nodeConfig(r, blk, first(blk.Children("node_config")))
	return p
}

func (b *cloudBuilder) gkeClusters() []any {
	out := []any{}
	idx := map[*terraform.Resource]map[string]any{}
	for _, r := range b.byType["google_container_cluster"] {
		m := object(r, r.Block)
		m["name"] = gStr(r, r.Block, "name", "")
		m["enableautopilot"] = gBool(r, r.Block, "enable_autopilot", false)
		m["removedefaultnodepool"] = gBool(r, r.Block, "remove_default_node_pool", false)
		m["nodeconfig"] = nodeConfig(r, r.Block, first(r.Children("node_config")))
		pools := []any{}
		for _, blk := range r.Children("node_pool") {
			pools = append(pools, nodePool(r, blk))
		}
		m["nodepools"] = pools
		ipa := first(r.Children("ip_allocation_policy"))
		ip := nested(r, ipa)
		ipOn := withValue(meta(r, r.Range, false), false)
		if ipa != nil {
			ipOn = withValue(meta(r, ipa.Range, true), true)
		}
		nm := gStr(r, r.Block, "networking_mode", "")
		if nm["value"] == "VPC_NATIVE" {
			ipOn = withValue(nm, true)
		}
		ip["enabled"] = ipOn
		m["ipallocationpolicy"] = ip
		man := first(r.Children("master_authorized_networks_config"))
		mn := nested(r, man)
		mnOn := withValue(meta(r, r.Range, false), false)
		cidrs := []any{}
		if man != nil {
			mnOn = withValue(meta(r, man.Range, true), true)
			for _, cb := range man.Children("cidr_blocks") {
				cidrs = append(cidrs, gStr(r, cb, "cidr_block", ""))
			}
		}
		mn["enabled"], mn["cidrs"] = mnOn, cidrs
		m["masterauthorizednetworks"] = mn
		np := first(r.Children("network_policy"))
		pol := nested(r, np)
		pol["enabled"] = gBool(r, np, "enabled", false)
		m["networkpolicy"] = pol
		m["datapathprovider"] = gStr(r, r.Block, "datapath_provider", "")
		pc := first(r.Children("private_cluster_config"))
		priv := nested(r, pc)
		priv["enableprivatenodes"] = gBool(r, pc, "enable_private_nodes", false)
		m["privatecluster"] = priv
		m["loggingservice"] = gStr(r, r.Block, "logging_service", "logging.googleapis.com/kubernetes")
		m["monitoringservice"] = gStr(r, r.Block, "monitoring_service", "monitoring.googleapis.com/kubernetes")
		ma := first(r.Children("master_auth"))
		auth := nested(r, ma)
		auth["username"] = gStr(r, ma, "username", "")
		var ccc *terraform.Block
		if ma != nil {
			ccc = first(ma.Children("client_certificate_config"))
		}
		cc := nested(r, ccc)
		cc["issuecertificate"] = gBool(r, ccc, "issue_client_certificate", false)
		auth["clientcertificate"] = cc
		m["masterauth"] = auth
		m["enableshieldednodes"] = gBool(r, r.Block, "enable_shielded_nodes", true)
		m["enablelegacyabac"] = gBool(r, r.Block, "enable_legacy_abac", false)
		labels := val(r, r.Block, "resource_labels", cty.Map(cty.String), map[string]any{})
		m["resourcelabels"] = labels
		idx[r] = m
		out = append(out, m)
	}
	for _, s := range b.byType["google_container_node_pool"] {
		p := nodePool(s, s.Block)
		targets := b.linked(s, "cluster", "google_container_cluster", "name")
		if len(targets) == 0 {
			// A pool of a cluster declared elsewhere: a cluster object
			// holding only the pool.
			m := object(s, s.Block)
			m["nodepools"] = []any{p}
			out = append(out, m)
			continue
		}
		for _, t := range targets {
			idx[t]["nodepools"] = append(idx[t]["nodepools"].([]any), p)
		}
	}
	return out
}

// sqlFlags are the database_flags of settings the checks read, by name
// without underscores; a flag not set is absent.
func sqlFlags(r *terraform.Resource, st *terraform.Block) map[string]any {
	flags := map[string]any{"__defsec_metadata": meta(r, r.Range, false)}
	if st == nil {
		return flags
	}
	flags["__defsec_metadata"] = meta(r, st.Range, false)
	for _, f := range st.Children("database_flags") {
		n, _ := gStr(r, f, "name", "")["value"].(string)
		if n == "" {
			continue
		}
		v := gStr(r, f, "value", "")
		if s, ok := v["value"].(string); ok {
			v["value"] = strings.ToLower(s)
		}
		flags[strings.ReplaceAll(strings.ToLower(n), "_", "")] = v
	}
	return flags
}

func (b *cloudBuilder) sqlInstances() []any {
	out := []any{}
	for _, r := range b.byType["google_sql_database_instance"] {
		m := object(r, r.Block)
		m["name"] = gStr(r, r.Block, "name", "")
		m["databaseversion"] = gStr(r, r.Block, "database_version", "")
		mi := gStr(r, r.Block, "master_instance_name", "")
		rep := withValue(mi, mi["value"] != "")
		m["isreplica"] = rep
		st := first(r.Children("settings"))
		set := nested(r, st)
		set["flags"] = sqlFlags(r, st)
		var bc, ipc *terraform.Block
		if st != nil {
			bc = first(st.Children("backup_configuration"))
			ipc = first(st.Children("ip_configuration"))
		}
		backup := nested(r, bc)
		if bc == nil && st != nil {
			backup = map[string]any{"__defsec_metadata": meta(r, st.Range, false)}
		}
		backup["enabled"] = gBool(r, bc, "enabled", false)
		set["backupconfiguration"] = backup
		ipo := nested(r, ipc)
		if ipc == nil && st != nil {
			ipo = map[string]any{"__defsec_metadata": meta(r, st.Range, false)}
		}
		ipo["requiretls"] = gBool(r, ipc, "require_ssl", false)
		ipo["sslmode"] = gStr(r, ipc, "ssl_mode", "")
		ipo["enableipv4"] = gBool(r, ipc, "ipv4_enabled", true)
		nets := []any{}
		if ipc != nil {
			for _, an := range ipc.Children("authorized_networks") {
				n := object(r, an)
				n["name"] = gStr(r, an, "name", "")
				n["cidr"] = gStr(r, an, "value", "")
				nets = append(nets, n)
			}
		}
		ipo["authorizednetworks"] = nets
		set["ipconfiguration"] = ipo
		m["settings"] = set
		out = append(out, m)
	}
	return out
}

// gcpIAM is input.google.iam: the IAM members and bindings of projects,
// folders and organizations (one object per resource), the projects
// (auto_create_network) and the workload identity pool providers.
func (b *cloudBuilder) gcpIAM() map[string]any {
	level := func(scope string) []any {
		out := []any{}
		for _, kind := range []string{"member", "binding"} {
			for _, r := range b.byType["google_"+scope+"_iam_"+kind] {
				m := object(r, r.Block)
				m["members"], m["bindings"] = []any{}, []any{}
				m[kind+"s"] = []any{iamEntry(r)}
				out = append(out, m)
			}
		}
		return out
	}
	projects := level("project")
	for _, r := range b.byType["google_project"] {
		m := object(r, r.Block)
		m["members"], m["bindings"] = []any{}, []any{}
		m["autocreatenetwork"] = gBool(r, r.Block, "auto_create_network", true)
		projects = append(projects, m)
	}
	wip := []any{}
	for _, r := range b.byType["google_iam_workload_identity_pool_provider"] {
		m := object(r, r.Block)
		m["attributecondition"] = gStr(r, r.Block, "attribute_condition", "")
		wip = append(wip, m)
	}
	return map[string]any{
		"projects": projects, "folders": level("folder"), "organizations": level("organization"),
		"workloadidentitypoolproviders": wip,
	}
}
