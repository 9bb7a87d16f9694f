package misconfig

import (
	"encoding/json"
	"math/big"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/trawlsec/trawl/internal/parse/terraform"
)

// CloudInput is the provider-neutral input document ("cloud" checks)
// built from evaluated Terraform resources, in the shape of Trivy's cloud
// state: input.aws.s3.buckets[_], input.aws.ec2.securitygroups[_], … Every
// value is {"value": v, "filepath", "startline", "endline", "resource",
// "explicit", "managed"}; every object carries the same fields under
// "__defsec_metadata". An attribute that is not set has its default value
// and the lines of its block (explicit false); one whose value is unknown
// has value null. docs/misconfig.md documents it.
func CloudInput(cfg *terraform.Config, excludeDownloaded bool) map[string]any {
	b := &cloudBuilder{byType: map[string][]*terraform.Resource{}}
	for _, r := range cfg.Resources {
		if excludeDownloaded && r.Downloaded {
			continue
		}
		b.byType[r.Type] = append(b.byType[r.Type], r)
	}
	return b.extend(b.build())
}

type cloudBuilder struct {
	byType map[string][]*terraform.Resource
}

func meta(r *terraform.Resource, rg terraform.Range, explicit bool) map[string]any {
	return map[string]any{
		"filepath": rg.File, "startline": rg.Start, "endline": rg.End,
		"resource": r.Address, "explicit": explicit, "managed": true,
	}
}

func object(r *terraform.Resource, blk *terraform.Block) map[string]any {
	return map[string]any{"__defsec_metadata": meta(r, blk.Range, true)}
}

// val is attribute name of blk converted to typ, or def when unset.
func val(r *terraform.Resource, blk *terraform.Block, name string, typ cty.Type, def any) map[string]any {
	if blk == nil {
		m := meta(r, r.Range, false)
		m["value"] = def
		return m
	}
	a := blk.Attrs[name]
	if a == nil {
		m := meta(r, blk.Range, false)
		m["value"] = def
		return m
	}
	m := meta(r, a.Range, true)
	m["value"] = goValue(a.Value, typ)
	return m
}

// list is a list attribute as one value per element, each with the
// attribute's lines.
func list(r *terraform.Resource, blk *terraform.Block, names ...string) []any {
	out := []any{}
	for _, name := range names {
		a := blk.Attrs[name]
		if a == nil || !a.Value.IsKnown() || a.Value.IsNull() {
			continue
		}
		v := a.Value
		if v.Type() == cty.String {
			v = cty.TupleVal([]cty.Value{v})
		}
		if !v.CanIterateElements() {
			continue
		}
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			m := meta(r, a.Range, true)
			m["value"] = goValue(e, cty.String)
			out = append(out, m)
		}
	}
	return out
}

// goValue converts a cty value (to typ when not DynamicPseudoType) to
// JSON-like Go values; unknown parts are nil.
func goValue(v cty.Value, typ cty.Type) any {
	if typ != cty.DynamicPseudoType {
		if c, err := convert.Convert(v, typ); err == nil {
			v = c
		}
	}
	if !v.IsKnown() || v.IsNull() {
		return nil
	}
	t := v.Type()
	switch {
	case t == cty.String:
		return v.AsString()
	case t == cty.Bool:
		return v.True()
	case t == cty.Number:
		f, _ := v.AsBigFloat().Float64()
		if i, acc := v.AsBigFloat().Int64(); acc == big.Exact {
			return i
		}
		return f
	case t.IsMapType() || t.IsObjectType():
		out := map[string]any{}
		for k, e := range v.AsValueMap() {
			out[k] = goValue(e, cty.DynamicPseudoType)
		}
		return out
	case v.CanIterateElements():
		out := []any{}
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = append(out, goValue(e, cty.DynamicPseudoType))
		}
		return out
	}
	return nil
}

func first(blks []*terraform.Block) *terraform.Block {
	if len(blks) == 0 {
		return nil
	}
	return blks[0]
}

// linked are the resources of typ that attribute attr of r refers to (by
// reference, same module), or whose nameAttr equals its known value.
func (b *cloudBuilder) linked(r *terraform.Resource, attr, typ, nameAttr string) []*terraform.Resource {
	a := r.Attrs[attr]
	if a == nil {
		return nil
	}
	var out []*terraform.Resource
	for _, ref := range a.Refs {
		for _, c := range b.byType[typ] {
			if c.Local == ref && c.Module == r.Module {
				out = append(out, c)
			}
		}
	}
	if len(out) > 1 {
		// Instances: keep the one with the same key when there is one.
		key := strings.TrimPrefix(r.Address, r.Module+r.Local)
		for _, c := range out {
			if strings.TrimPrefix(c.Address, c.Module+c.Local) == key {
				return []*terraform.Resource{c}
			}
		}
	}
	if len(out) > 0 || !a.Value.IsKnown() || a.Value.IsNull() || a.Value.Type() != cty.String {
		return out
	}
	for _, c := range b.byType[typ] {
		if n := c.Attrs[nameAttr]; n != nil && n.Value.IsKnown() && !n.Value.IsNull() && n.Value.Type() == cty.String && n.Value.AsString() == a.Value.AsString() {
			out = append(out, c)
		}
	}
	return out
}

func (b *cloudBuilder) build() map[string]any {
	return map[string]any{"aws": map[string]any{
		// Services of cloud_aws_more.go / cloudformation_aws_more.go.
		"elb":           map[string]any{"loadbalancers": b.loadBalancers()},
		"cloudfront":    map[string]any{"distributions": b.distributions()},
		"dynamodb":      map[string]any{"daxclusters": b.daxClusters(), "tables": b.dynamoTables()},
		"elasticache":   map[string]any{"replicationgroups": b.replicationGroups(), "clusters": b.cacheClusters()},
		"redshift":      map[string]any{"clusters": b.redshiftClusters()},
		"efs":           map[string]any{"filesystems": b.efsFileSystems()},
		"elasticsearch": map[string]any{"domains": b.searchDomains()},
		"cloudwatch":    map[string]any{"loggroups": b.logGroups()},
		"apigateway":    b.apiGateway(),
		"ssm":           map[string]any{"secrets": b.secrets()},
		"kinesis":       map[string]any{"streams": b.kinesisStreams()},
		"documentdb":    map[string]any{"clusters": b.docdbClusters()},
		"neptune":       map[string]any{"clusters": b.neptuneClusters()},
		"mq":            map[string]any{"brokers": b.mqBrokers()},

		"s3":         map[string]any{"buckets": b.buckets()},
		"ec2":        map[string]any{"securitygroups": b.securityGroups(), "volumes": b.volumes(), "instances": b.instances()},
		"rds":        map[string]any{"instances": b.rdsInstances()},
		"iam":        map[string]any{"policies": b.policies()},
		"cloudtrail": map[string]any{"trails": b.trails()},
		"kms":        map[string]any{"keys": b.kmsKeys()},
		"ecr":        map[string]any{"repositories": b.ecrRepositories()},
		"sns":        map[string]any{"topics": b.snsTopics()},
		"sqs":        map[string]any{"queues": b.sqsQueues()},
		"lambda":     map[string]any{"functions": b.lambdaFunctions()},
		"eks":        map[string]any{"clusters": b.eksClusters()},
	},
		"google": b.google(),
		"azure":  b.azure(),
	}
}

func (b *cloudBuilder) buckets() []any {
	type bucket struct {
		r *terraform.Resource
		m map[string]any
	}
	var list []*bucket
	idx := map[*terraform.Resource]*bucket{}
	for _, r := range b.byType["aws_s3_bucket"] {
		m := object(r, r.Block)
		m["name"] = val(r, r.Block, "bucket", cty.String, "")
		m["acl"] = val(r, r.Block, "acl", cty.String, "private")
		m["encryption"] = encryption(r, r.Block, first(r.Children("server_side_encryption_configuration")))
		v := first(r.Children("versioning"))
		ver := map[string]any{"__defsec_metadata": meta(r, r.Range, false)}
		if v != nil {
			ver = object(r, v)
		}
		ver["enabled"] = val(r, v, "enabled", cty.Bool, false)
		ver["mfadelete"] = val(r, v, "mfa_delete", cty.Bool, false)
		m["versioning"] = ver
		lg := first(r.Children("logging"))
		logging := map[string]any{"__defsec_metadata": meta(r, r.Range, false)}
		if lg != nil {
			logging = object(r, lg)
		}
		logging["enabled"] = withValue(meta(r, r.Range, lg != nil), lg != nil)
		logging["targetbucket"] = val(r, lg, "target_bucket", cty.String, "")
		m["logging"] = logging
		bk := &bucket{r: r, m: m}
		list = append(list, bk)
		idx[r] = bk
	}
	attach := func(typ string, f func(bk *bucket, side *terraform.Resource)) {
		for _, side := range b.byType[typ] {
			for _, br := range b.linked(side, "bucket", "aws_s3_bucket", "bucket") {
				f(idx[br], side)
			}
		}
	}
	attach("aws_s3_bucket_public_access_block", func(bk *bucket, s *terraform.Resource) {
		p := object(s, s.Block)
		p["blockpublicacls"] = val(s, s.Block, "block_public_acls", cty.Bool, false)
		p["blockpublicpolicy"] = val(s, s.Block, "block_public_policy", cty.Bool, false)
		p["ignorepublicacls"] = val(s, s.Block, "ignore_public_acls", cty.Bool, false)
		p["restrictpublicbuckets"] = val(s, s.Block, "restrict_public_buckets", cty.Bool, false)
		bk.m["publicaccessblock"] = p
	})
	attach("aws_s3_bucket_server_side_encryption_configuration", func(bk *bucket, s *terraform.Resource) {
		bk.m["encryption"] = encryption(s, s.Block, s.Block)
	})
	attach("aws_s3_bucket_versioning", func(bk *bucket, s *terraform.Resource) {
		vc := first(s.Children("versioning_configuration"))
		ver := object(s, s.Block)
		st := val(s, vc, "status", cty.String, "")
		st["value"] = st["value"] == "Enabled"
		ver["enabled"] = st
		mfa := val(s, vc, "mfa_delete", cty.String, "")
		mfa["value"] = mfa["value"] == "Enabled"
		ver["mfadelete"] = mfa
		bk.m["versioning"] = ver
	})
	attach("aws_s3_bucket_logging", func(bk *bucket, s *terraform.Resource) {
		lg := object(s, s.Block)
		lg["enabled"] = withValue(meta(s, s.Range, true), true)
		lg["targetbucket"] = val(s, s.Block, "target_bucket", cty.String, "")
		bk.m["logging"] = lg
	})
	attach("aws_s3_bucket_acl", func(bk *bucket, s *terraform.Resource) {
		bk.m["acl"] = val(s, s.Block, "acl", cty.String, "private")
	})
	out := make([]any, 0, len(list))
	for _, bk := range list {
		out = append(out, bk.m)
	}
	return out
}

func withValue(m map[string]any, v any) map[string]any {
	m["value"] = v
	return m
}

// encryption reads a server_side_encryption_configuration block (inline,
// or the body of the separate resource): rule { apply_server_side_
// encryption_by_default { sse_algorithm, kms_master_key_id } }.
func encryption(r *terraform.Resource, owner, sse *terraform.Block) map[string]any {
	var def *terraform.Block
	if sse != nil {
		if rule := first(sse.Children("rule")); rule != nil {
			def = first(rule.Children("apply_server_side_encryption_by_default"))
		}
	}
	enc := map[string]any{"__defsec_metadata": meta(r, owner.Range, false)}
	if def != nil {
		enc = object(r, def)
	}
	alg := val(r, def, "sse_algorithm", cty.String, "")
	enabled := meta(r, owner.Range, false)
	if def != nil {
		enabled = meta(r, def.Range, true)
	}
	switch v := alg["value"].(type) {
	case nil:
		enabled["value"] = nil // unknown
	case string:
		enabled["value"] = v != ""
	}
	enc["enabled"] = enabled
	enc["algorithm"] = alg
	enc["kmskeyid"] = val(r, def, "kms_master_key_id", cty.String, "")
	return enc
}

func (b *cloudBuilder) securityGroups() []any {
	type group struct {
		r *terraform.Resource
		m map[string]any
	}
	var groups []*group
	idx := map[*terraform.Resource]*group{}
	rule := func(r *terraform.Resource, blk *terraform.Block, cidrAttrs ...string) map[string]any {
		m := object(r, blk)
		m["description"] = val(r, blk, "description", cty.String, "")
		m["cidrs"] = list(r, blk, cidrAttrs...)
		m["fromport"] = val(r, blk, "from_port", cty.Number, -1)
		m["toport"] = val(r, blk, "to_port", cty.Number, -1)
		m["protocol"] = val(r, blk, "protocol", cty.String, "")
		return m
	}
	for _, r := range b.byType["aws_security_group"] {
		m := object(r, r.Block)
		m["description"] = val(r, r.Block, "description", cty.String, "Managed by Terraform")
		in, eg := []any{}, []any{}
		for _, blk := range r.Children("ingress") {
			in = append(in, rule(r, blk, "cidr_blocks", "ipv6_cidr_blocks"))
		}
		for _, blk := range r.Children("egress") {
			eg = append(eg, rule(r, blk, "cidr_blocks", "ipv6_cidr_blocks"))
		}
		m["ingressrules"], m["egressrules"] = in, eg
		g := &group{r: r, m: m}
		groups = append(groups, g)
		idx[r] = g
	}
	add := func(s *terraform.Resource, dir string, ruleObj map[string]any) {
		key := dir + "rules"
		targets := b.linked(s, "security_group_id", "aws_security_group", "id")
		if len(targets) == 0 {
			// A rule of a group defined elsewhere: a group of its own.
			m := object(s, s.Block)
			m["description"] = val(s, nil, "description", cty.String, "")
			m["ingressrules"], m["egressrules"] = []any{}, []any{}
			m[key] = []any{ruleObj}
			groups = append(groups, &group{r: s, m: m})
			return
		}
		for _, t := range targets {
			g := idx[t]
			g.m[key] = append(g.m[key].([]any), ruleObj)
		}
	}
	for _, s := range b.byType["aws_security_group_rule"] {
		t := s.Attrs["type"]
		if t == nil || !t.Value.IsKnown() || t.Value.IsNull() || t.Value.Type() != cty.String {
			continue
		}
		dir := t.Value.AsString()
		if dir != "ingress" && dir != "egress" {
			continue
		}
		add(s, dir, rule(s, s.Block, "cidr_blocks", "ipv6_cidr_blocks"))
	}
	for _, dir := range []string{"ingress", "egress"} {
		for _, s := range b.byType["aws_vpc_security_group_"+dir+"_rule"] {
			m := rule(s, s.Block, "cidr_ipv4", "cidr_ipv6")
			m["protocol"] = val(s, s.Block, "ip_protocol", cty.String, "")
			add(s, dir, m)
		}
	}
	out := make([]any, 0, len(groups))
	for _, g := range groups {
		out = append(out, g.m)
	}
	return out
}

func (b *cloudBuilder) volumes() []any {
	out := []any{}
	for _, r := range b.byType["aws_ebs_volume"] {
		m := object(r, r.Block)
		enc := object(r, r.Block)
		enc["enabled"] = val(r, r.Block, "encrypted", cty.Bool, false)
		enc["kmskeyid"] = val(r, r.Block, "kms_key_id", cty.String, "")
		m["encryption"] = enc
		out = append(out, m)
	}
	return out
}

func (b *cloudBuilder) rdsInstances() []any {
	out := []any{}
	for _, r := range b.byType["aws_db_instance"] {
		m := object(r, r.Block)
		enc := object(r, r.Block)
		enc["encryptstorage"] = val(r, r.Block, "storage_encrypted", cty.Bool, false)
		enc["kmskeyid"] = val(r, r.Block, "kms_key_id", cty.String, "")
		m["encryption"] = enc
		m["replicationsourcearn"] = val(r, r.Block, "replicate_source_db", cty.String, "")
		out = append(out, m)
	}
	return out
}

func (b *cloudBuilder) trails() []any {
	out := []any{}
	for _, r := range b.byType["aws_cloudtrail"] {
		m := object(r, r.Block)
		m["name"] = val(r, r.Block, "name", cty.String, "")
		m["ismultiregion"] = val(r, r.Block, "is_multi_region_trail", cty.Bool, false)
		m["enablelogfilevalidation"] = val(r, r.Block, "enable_log_file_validation", cty.Bool, false)
		out = append(out, m)
	}
	return out
}

// policies are the IAM policy documents: the policy attribute of
// aws_iam_policy and the inline role/user/group policies when its JSON
// is known, and aws_iam_policy_document data sources.
func (b *cloudBuilder) policies() []any {
	out := []any{}
	for _, typ := range []string{"aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"} {
		for _, r := range b.byType[typ] {
			a := r.Attrs["policy"]
			if a == nil || !a.Value.IsKnown() || a.Value.IsNull() || a.Value.Type() != cty.String {
				continue
			}
			var doc struct{ Statement json.RawMessage }
			if json.Unmarshal([]byte(a.Value.AsString()), &doc) != nil {
				continue
			}
			var stmts []map[string]any
			if json.Unmarshal(doc.Statement, &stmts) != nil {
				var one map[string]any
				if json.Unmarshal(doc.Statement, &one) != nil {
					continue
				}
				stmts = []map[string]any{one}
			}
			var statements []any
			for _, s := range stmts {
				st := map[string]any{"__defsec_metadata": meta(r, a.Range, true)}
				eff, _ := s["Effect"].(string)
				st["effect"] = withValue(meta(r, a.Range, true), eff)
				st["actions"] = jsonStrings(r, a.Range, s["Action"])
				st["resources"] = jsonStrings(r, a.Range, s["Resource"])
				statements = append(statements, st)
			}
			m := object(r, r.Block)
			m["name"] = val(r, r.Block, "name", cty.String, "")
			doc2 := map[string]any{"__defsec_metadata": meta(r, a.Range, true), "statements": statements}
			m["document"] = doc2
			out = append(out, m)
		}
	}
	for _, r := range b.byType["aws_iam_policy_document"] {
		if r.Mode != "data" {
			continue
		}
		statements := []any{}
		for _, s := range r.Children("statement") {
			st := object(r, s)
			st["effect"] = val(r, s, "effect", cty.String, "Allow")
			st["actions"] = list(r, s, "actions")
			st["resources"] = list(r, s, "resources")
			statements = append(statements, st)
		}
		m := object(r, r.Block)
		m["name"] = withValue(meta(r, r.Range, false), r.Address)
		m["document"] = map[string]any{"__defsec_metadata": meta(r, r.Range, true), "statements": statements}
		out = append(out, m)
	}
	return out
}

func jsonStrings(r *terraform.Resource, rg terraform.Range, v any) []any {
	out := []any{}
	switch v := v.(type) {
	case string:
		out = append(out, withValue(meta(r, rg, true), v))
	case []any:
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, withValue(meta(r, rg, true), s))
			}
		}
	}
	return out
}

// nested is the object of block blk of r (the resource's lines, explicit
// false, when blk is nil).
func nested(r *terraform.Resource, blk *terraform.Block) map[string]any {
	if blk == nil {
		return map[string]any{"__defsec_metadata": meta(r, r.Range, false)}
	}
	return object(r, blk)
}

// instances are the aws_instance resources: metadata_options and the
// encryption of root_block_device and each ebs_block_device.
func (b *cloudBuilder) instances() []any {
	out := []any{}
	for _, r := range b.byType["aws_instance"] {
		m := object(r, r.Block)
		mo := first(r.Children("metadata_options"))
		opts := nested(r, mo)
		opts["httptokens"] = val(r, mo, "http_tokens", cty.String, "optional")
		opts["httpendpoint"] = val(r, mo, "http_endpoint", cty.String, "enabled")
		m["metadataoptions"] = opts
		rb := first(r.Children("root_block_device"))
		root := nested(r, rb)
		root["encrypted"] = val(r, rb, "encrypted", cty.Bool, false)
		m["rootblockdevice"] = root
		ebs := []any{}
		for _, blk := range r.Children("ebs_block_device") {
			d := object(r, blk)
			d["encrypted"] = val(r, blk, "encrypted", cty.Bool, false)
			ebs = append(ebs, d)
		}
		m["ebsblockdevices"] = ebs
		out = append(out, m)
	}
	return out
}

func (b *cloudBuilder) kmsKeys() []any {
	out := []any{}
	for _, r := range b.byType["aws_kms_key"] {
		m := object(r, r.Block)
		m["usage"] = val(r, r.Block, "key_usage", cty.String, "ENCRYPT_DECRYPT")
		m["rotationenabled"] = val(r, r.Block, "enable_key_rotation", cty.Bool, false)
		out = append(out, m)
	}
	return out
}

func (b *cloudBuilder) ecrRepositories() []any {
	out := []any{}
	for _, r := range b.byType["aws_ecr_repository"] {
		m := object(r, r.Block)
		isc := first(r.Children("image_scanning_configuration"))
		scan := nested(r, isc)
		scan["scanonpush"] = val(r, isc, "scan_on_push", cty.Bool, false)
		m["imagescanning"] = scan
		mut := val(r, r.Block, "image_tag_mutability", cty.String, "MUTABLE")
		if s, ok := mut["value"].(string); ok {
			mut["value"] = strings.HasPrefix(s, "IMMUTABLE")
		}
		m["imagetagsimmutable"] = mut
		out = append(out, m)
	}
	return out
}

func (b *cloudBuilder) snsTopics() []any {
	out := []any{}
	for _, r := range b.byType["aws_sns_topic"] {
		m := object(r, r.Block)
		enc := object(r, r.Block)
		enc["kmskeyid"] = val(r, r.Block, "kms_master_key_id", cty.String, "")
		m["encryption"] = enc
		out = append(out, m)
	}
	return out
}

func (b *cloudBuilder) sqsQueues() []any {
	out := []any{}
	for _, r := range b.byType["aws_sqs_queue"] {
		m := object(r, r.Block)
		enc := object(r, r.Block)
		enc["kmskeyid"] = val(r, r.Block, "kms_master_key_id", cty.String, "")
		enc["managedencryption"] = val(r, r.Block, "sqs_managed_sse_enabled", cty.Bool, false)
		m["encryption"] = enc
		out = append(out, m)
	}
	return out
}

func (b *cloudBuilder) lambdaFunctions() []any {
	out := []any{}
	for _, r := range b.byType["aws_lambda_function"] {
		m := object(r, r.Block)
		tc := first(r.Children("tracing_config"))
		tr := nested(r, tc)
		tr["mode"] = val(r, tc, "mode", cty.String, "PassThrough")
		m["tracing"] = tr
		out = append(out, m)
	}
	return out
}

// eksClusters are the aws_eks_cluster resources: whether an
// encryption_config covers "secrets" (and its key), and the public
// endpoint of vpc_config (enabled, open to 0.0.0.0/0 by default).
func (b *cloudBuilder) eksClusters() []any {
	out := []any{}
	for _, r := range b.byType["aws_eks_cluster"] {
		m := object(r, r.Block)
		ec := first(r.Children("encryption_config"))
		enc := nested(r, ec)
		secrets := withValue(meta(r, r.Range, false), false)
		if ec != nil {
			if a := ec.Attrs["resources"]; a != nil {
				secrets = meta(r, a.Range, true)
				secrets["value"] = false
				if !a.Value.IsWhollyKnown() {
					secrets["value"] = nil
				}
				for _, v := range list(r, ec, "resources") {
					if v.(map[string]any)["value"] == "secrets" {
						secrets["value"] = true
					}
				}
			}
		}
		enc["secrets"] = secrets
		var prov *terraform.Block
		if ec != nil {
			prov = first(ec.Children("provider"))
		}
		enc["kmskeyid"] = val(r, prov, "key_arn", cty.String, "")
		m["encryption"] = enc
		vc := first(r.Children("vpc_config"))
		m["publicaccessenabled"] = val(r, vc, "endpoint_public_access", cty.Bool, true)
		var cidrs []any
		if vc != nil && vc.Attrs["public_access_cidrs"] != nil {
			cidrs = list(r, vc, "public_access_cidrs")
		} else {
			rg := r.Range
			if vc != nil {
				rg = vc.Range
			}
			cidrs = []any{withValue(meta(r, rg, false), "0.0.0.0/0")}
		}
		m["publicaccesscidrs"] = cidrs
		out = append(out, m)
	}
	return out
}
