package misconfig

import (
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/trawlsec/trawl/internal/parse/terraform"
)

// The Terraform adapters of the AWS services added after the first set
// (load balancers, CloudFront, DynamoDB, ElastiCache, Redshift, EFS,
// Elasticsearch/OpenSearch, CloudWatch, API Gateway, Secrets Manager,
// Kinesis) and the fields they add to the first set's services. Each
// builder reads one service; docs/misconfig.md documents the input.

// extend adds to doc (build's document) the lists and fields of
// services that build's first set already has: RDS clusters and the
// instances' backup/public/monitoring settings, EC2 network ACLs,
// subnets, VPCs, launch configurations and templates, the trails' key
// and CloudWatch group, the ECR repositories' encryption and policies,
// EKS control plane logging, Lambda permissions. The existing builders
// emit one object per resource of their type, in byType order: the
// objects are matched to their resources by position.
// docService is the map of service in a provider's part of an input
// document, added when missing.
func docService(provider map[string]any, service string) map[string]any {
	m, _ := provider[service].(map[string]any)
	if m == nil {
		m = map[string]any{}
		provider[service] = m
	}
	return m
}

// eachObject calls f with each of rs and the object built for it: the
// one at the same position in service's list (the builders emit one
// object per resource, in order). Nothing is called when the counts
// differ.
func eachObject[R any](provider map[string]any, service, list string, rs []R, f func(R, map[string]any)) {
	objs, _ := docService(provider, service)[list].([]any)
	if len(objs) != len(rs) {
		return
	}
	for i, r := range rs {
		if m, ok := objs[i].(map[string]any); ok {
			f(r, m)
		}
	}
}

func (b *cloudBuilder) extend(doc map[string]any) map[string]any {
	aws, _ := doc["aws"].(map[string]any)
	if aws == nil {
		return doc
	}
	svc := func(name string) map[string]any { return docService(aws, name) }
	each := func(service, list, typ string, f func(r *terraform.Resource, m map[string]any)) {
		eachObject(aws, service, list, b.byType[typ], f)
	}

	each("rds", "instances", "aws_db_instance", b.rdsInstanceMore)
	svc("rds")["clusters"] = b.rdsClusters()

	ec2 := svc("ec2")
	ec2["networkacls"] = b.networkACLs()
	ec2["subnets"] = b.subnets()
	ec2["vpcs"] = b.vpcs()
	ec2["launchconfigurations"] = b.launchConfigurations()
	ec2["launchtemplates"] = b.launchTemplates()

	each("cloudtrail", "trails", "aws_cloudtrail", func(r *terraform.Resource, m map[string]any) {
		m["kmskeyid"] = val(r, r.Block, "kms_key_id", cty.String, "")
		m["cloudwatchlogsloggrouparn"] = val(r, r.Block, "cloud_watch_logs_group_arn", cty.String, "")
		// The bucket's name, also when s3_bucket_name refers to a bucket
		// of the module whose name is known.
		bn := val(r, r.Block, "s3_bucket_name", cty.String, "")
		for _, bk := range b.linked(r, "s3_bucket_name", "aws_s3_bucket", "bucket") {
			if n := bk.Attrs["bucket"]; n != nil && n.Value.IsKnown() && !n.Value.IsNull() && n.Value.Type() == cty.String {
				bn["value"] = n.Value.AsString()
			}
		}
		m["bucketname"] = bn
	})

	policies, _ := b.sides([]string{"aws_ecr_repository_policy"}, "repository", []string{"aws_ecr_repository"}, "name")
	each("ecr", "repositories", "aws_ecr_repository", func(r *terraform.Resource, m map[string]any) {
		ec := first(r.Children("encryption_configuration"))
		enc := nested(r, ec)
		enc["type"] = val(r, ec, "encryption_type", cty.String, "AES256")
		enc["kmskeyid"] = val(r, ec, "kms_key", cty.String, "")
		m["encryption"] = enc
		pols := []any{}
		for _, p := range policies[r] {
			pols = append(pols, policyDocument(p, p.Attrs["policy"]))
		}
		m["policies"] = pols
	})

	each("eks", "clusters", "aws_eks_cluster", func(r *terraform.Resource, m map[string]any) {
		lg := object(r, r.Block)
		a := r.Attrs["enabled_cluster_log_types"]
		for _, t := range []string{"api", "audit", "authenticator", "controllerManager", "scheduler"} {
			v := withValue(meta(r, r.Range, false), false)
			if a != nil {
				v = meta(r, a.Range, true)
				v["value"] = false
				if !a.Value.IsWhollyKnown() {
					v["value"] = nil
				}
				for _, e := range list(r, r.Block, "enabled_cluster_log_types") {
					if e.(map[string]any)["value"] == t {
						v["value"] = true
					}
				}
			}
			lg[strings.ToLower(t)] = v
		}
		m["logging"] = lg
	})

	perms, orphans := b.sides([]string{"aws_lambda_permission"}, "function_name", []string{"aws_lambda_function"}, "function_name")
	each("lambda", "functions", "aws_lambda_function", func(r *terraform.Resource, m map[string]any) {
		m["permissions"] = lambdaPermissions(perms[r])
	})
	if len(orphans) > 0 {
		// Permissions of functions not in the folder: one function of
		// their own each, with an unknown tracing mode.
		fns, _ := svc("lambda")["functions"].([]any)
		for _, p := range orphans {
			m := object(p, p.Block)
			tr := object(p, p.Block)
			tr["mode"] = withValue(meta(p, p.Range, false), nil)
			m["tracing"] = tr
			m["permissions"] = lambdaPermissions([]*terraform.Resource{p})
			fns = append(fns, m)
		}
		svc("lambda")["functions"] = fns
	}
	b.extendAccount(aws) // cloud_aws_account.go
	return doc
}

// sides groups the resources of sideTypes by the resource of typs their
// attribute attr links to (by reference, or by nameAttr); orphans link to
// none in the module.
func (b *cloudBuilder) sides(sideTypes []string, attr string, typs []string, nameAttr string) (map[*terraform.Resource][]*terraform.Resource, []*terraform.Resource) {
	out := map[*terraform.Resource][]*terraform.Resource{}
	var orphans []*terraform.Resource
	for _, st := range sideTypes {
		for _, s := range b.byType[st] {
			found := false
			for _, typ := range typs {
				for _, t := range b.linked(s, attr, typ, nameAttr) {
					out[t] = append(out[t], s)
					found = true
				}
			}
			if !found {
				orphans = append(orphans, s)
			}
		}
	}
	return out, orphans
}

// policyDocument is a JSON policy attribute as Trivy's
// {"document": {"value": text}} (value null when unknown).
func policyDocument(r *terraform.Resource, a *terraform.Attribute) map[string]any {
	m := object(r, r.Block)
	if a == nil {
		m["document"] = withValue(meta(r, r.Range, false), nil)
		return m
	}
	m["document"] = withValue(meta(r, a.Range, true), goValue(a.Value, cty.String))
	return m
}

func lambdaPermissions(rs []*terraform.Resource) []any {
	out := []any{}
	for _, p := range rs {
		m := object(p, p.Block)
		m["principal"] = val(p, p.Block, "principal", cty.String, "")
		m["sourcearn"] = val(p, p.Block, "source_arn", cty.String, "")
		out = append(out, m)
	}
	return out
}

func (b *cloudBuilder) rdsInstanceMore(r *terraform.Resource, m map[string]any) {
	m["engine"] = val(r, r.Block, "engine", cty.String, "")
	m["backupretentionperioddays"] = val(r, r.Block, "backup_retention_period", cty.Number, int64(0))
	m["publicaccess"] = val(r, r.Block, "publicly_accessible", cty.Bool, false)
	m["iamauthenabled"] = val(r, r.Block, "iam_database_authentication_enabled", cty.Bool, false)
	m["deletionprotection"] = val(r, r.Block, "deletion_protection", cty.Bool, false)
	pi := object(r, r.Block)
	pi["enabled"] = val(r, r.Block, "performance_insights_enabled", cty.Bool, false)
	m["performanceinsights"] = pi
}

// rdsClusters are the aws_rds_cluster resources with their
// aws_rds_cluster_instance members (joined by cluster_identifier);
// members of a cluster not in the folder form a cluster of their own
// whose settings are unknown.
func (b *cloudBuilder) rdsClusters() []any {
	members, orphans := b.sides([]string{"aws_rds_cluster_instance"}, "cluster_identifier", []string{"aws_rds_cluster"}, "cluster_identifier")
	instances := func(rs []*terraform.Resource) []any {
		out := []any{}
		for _, i := range rs {
			inst := object(i, i.Block)
			inst["publicaccess"] = val(i, i.Block, "publicly_accessible", cty.Bool, false)
			pi := object(i, i.Block)
			pi["enabled"] = val(i, i.Block, "performance_insights_enabled", cty.Bool, false)
			inst["performanceinsights"] = pi
			out = append(out, map[string]any{"__defsec_metadata": meta(i, i.Range, true), "instance": inst})
		}
		return out
	}
	out := []any{}
	for _, r := range b.byType["aws_rds_cluster"] {
		m := object(r, r.Block)
		enc := object(r, r.Block)
		enc["encryptstorage"] = val(r, r.Block, "storage_encrypted", cty.Bool, false)
		enc["kmskeyid"] = val(r, r.Block, "kms_key_id", cty.String, "")
		m["encryption"] = enc
		m["backupretentionperioddays"] = val(r, r.Block, "backup_retention_period", cty.Number, int64(1))
		m["replicationsourcearn"] = val(r, r.Block, "replication_source_identifier", cty.String, "")
		m["instances"] = instances(members[r])
		out = append(out, m)
	}
	for _, i := range orphans {
		m := object(i, i.Block)
		unknown := func() map[string]any { return withValue(meta(i, i.Range, false), nil) }
		m["encryption"] = map[string]any{"__defsec_metadata": meta(i, i.Range, false), "encryptstorage": unknown(), "kmskeyid": unknown()}
		m["backupretentionperioddays"] = unknown()
		m["replicationsourcearn"] = unknown()
		m["instances"] = instances([]*terraform.Resource{i})
		out = append(out, m)
	}
	return out
}

// naclRule is one network ACL rule: typ "ingress"/"egress", action
// "allow"/"deny", protocol as written ("-1", "all", "tcp", "6").
func naclRule(r *terraform.Resource, blk *terraform.Block, typ map[string]any, actionAttr string) map[string]any {
	m := object(r, blk)
	m["type"] = typ
	m["action"] = val(r, blk, actionAttr, cty.String, "")
	m["protocol"] = val(r, blk, "protocol", cty.String, "")
	m["cidrs"] = list(r, blk, "cidr_block", "ipv6_cidr_block")
	return m
}

// networkACLs: aws_network_acl with its inline ingress/egress blocks and
// the aws_network_acl_rule resources joined by network_acl_id (a rule of
// an ACL not in the folder forms an ACL of its own).
func (b *cloudBuilder) networkACLs() []any {
	rules, orphans := b.sides([]string{"aws_network_acl_rule"}, "network_acl_id", []string{"aws_network_acl"}, "id")
	standalone := func(s *terraform.Resource) map[string]any {
		typ := val(s, s.Block, "egress", cty.Bool, false)
		switch typ["value"] {
		case true:
			typ["value"] = "egress"
		case false:
			typ["value"] = "ingress"
		}
		return naclRule(s, s.Block, typ, "rule_action")
	}
	out := []any{}
	for _, r := range b.byType["aws_network_acl"] {
		m := object(r, r.Block)
		rs := []any{}
		for _, dir := range []string{"ingress", "egress"} {
			for _, blk := range r.Children(dir) {
				rs = append(rs, naclRule(r, blk, withValue(meta(r, blk.Range, true), dir), "action"))
			}
		}
		for _, s := range rules[r] {
			rs = append(rs, standalone(s))
		}
		m["rules"] = rs
		out = append(out, m)
	}
	for _, s := range orphans {
		m := object(s, s.Block)
		m["rules"] = []any{standalone(s)}
		out = append(out, m)
	}
	return out
}

func (b *cloudBuilder) subnets() []any {
	out := []any{}
	for _, r := range b.byType["aws_subnet"] {
		m := object(r, r.Block)
		m["mappubliciponlaunch"] = val(r, r.Block, "map_public_ip_on_launch", cty.Bool, false)
		out = append(out, m)
	}
	return out
}

// vpcs: aws_vpc, with flow logs enabled when an aws_flow_log's vpc_id
// names it (unknown for all when a flow log's VPC is unknown).
func (b *cloudBuilder) vpcs() []any {
	logs, orphans := b.sides([]string{"aws_flow_log"}, "vpc_id", []string{"aws_vpc"}, "id")
	unknown := false
	for _, o := range orphans {
		if a := o.Attrs["vpc_id"]; a != nil && !a.Value.IsKnown() {
			unknown = true
		}
	}
	out := []any{}
	for _, r := range b.byType["aws_vpc"] {
		m := object(r, r.Block)
		fl := withValue(meta(r, r.Range, false), len(logs[r]) > 0)
		if len(logs[r]) > 0 {
			fl = withValue(meta(logs[r][0], logs[r][0].Range, true), true)
		} else if unknown {
			fl["value"] = nil
		}
		m["flowlogsenabled"] = fl
		out = append(out, m)
	}
	return out
}

func metadataOptions(r *terraform.Resource, mo *terraform.Block) map[string]any {
	opts := nested(r, mo)
	opts["httptokens"] = val(r, mo, "http_tokens", cty.String, "optional")
	opts["httpendpoint"] = val(r, mo, "http_endpoint", cty.String, "enabled")
	return opts
}

func (b *cloudBuilder) launchConfigurations() []any {
	out := []any{}
	for _, r := range b.byType["aws_launch_configuration"] {
		m := object(r, r.Block)
		m["associatepublicip"] = val(r, r.Block, "associate_public_ip_address", cty.Bool, false)
		m["metadataoptions"] = metadataOptions(r, first(r.Children("metadata_options")))
		out = append(out, m)
	}
	return out
}

func (b *cloudBuilder) launchTemplates() []any {
	out := []any{}
	for _, r := range b.byType["aws_launch_template"] {
		m := object(r, r.Block)
		inst := object(r, r.Block)
		inst["metadataoptions"] = metadataOptions(r, first(r.Children("metadata_options")))
		m["instance"] = inst
		out = append(out, m)
	}
	return out
}

// loadBalancers: aws_lb/aws_alb with their aws_lb_listener/
// aws_alb_listener (joined by load_balancer_arn; listeners of a load
// balancer not in the folder belong to one of unknown type).
func (b *cloudBuilder) loadBalancers() []any {
	lbTypes := []string{"aws_lb", "aws_alb"}
	listeners, orphans := b.sides([]string{"aws_lb_listener", "aws_alb_listener"}, "load_balancer_arn", lbTypes, "arn")
	ls := func(rs []*terraform.Resource) []any {
		out := []any{}
		for _, l := range rs {
			m := object(l, l.Block)
			m["protocol"] = val(l, l.Block, "protocol", cty.String, "HTTP")
			m["tlspolicy"] = val(l, l.Block, "ssl_policy", cty.String, "")
			acts := []any{}
			for _, blk := range l.Children("default_action") {
				a := object(l, blk)
				a["type"] = val(l, blk, "type", cty.String, "")
				acts = append(acts, a)
			}
			m["defaultactions"] = acts
			out = append(out, m)
		}
		return out
	}
	out := []any{}
	for _, typ := range lbTypes {
		for _, r := range b.byType[typ] {
			m := object(r, r.Block)
			m["type"] = val(r, r.Block, "load_balancer_type", cty.String, "application")
			m["internal"] = val(r, r.Block, "internal", cty.Bool, false)
			m["dropinvalidheaderfields"] = val(r, r.Block, "drop_invalid_header_fields", cty.Bool, false)
			m["listeners"] = ls(listeners[r])
			out = append(out, m)
		}
	}
	for _, l := range orphans {
		m := object(l, l.Block)
		for _, k := range []string{"type", "internal", "dropinvalidheaderfields"} {
			m[k] = withValue(meta(l, l.Range, false), nil)
		}
		m["listeners"] = ls([]*terraform.Resource{l})
		out = append(out, m)
	}
	return out
}

func (b *cloudBuilder) distributions() []any {
	out := []any{}
	behaviour := func(r *terraform.Resource, blk *terraform.Block) map[string]any {
		m := nested(r, blk)
		m["viewerprotocolpolicy"] = val(r, blk, "viewer_protocol_policy", cty.String, "allow-all")
		return m
	}
	for _, r := range b.byType["aws_cloudfront_distribution"] {
		m := object(r, r.Block)
		m["wafid"] = val(r, r.Block, "web_acl_id", cty.String, "")
		lc := first(r.Children("logging_config"))
		lg := nested(r, lc)
		lg["bucket"] = val(r, lc, "bucket", cty.String, "")
		m["logging"] = lg
		m["defaultcachebehaviour"] = behaviour(r, first(r.Children("default_cache_behavior")))
		ordered := []any{}
		for _, blk := range r.Children("ordered_cache_behavior") {
			ordered = append(ordered, behaviour(r, blk))
		}
		m["orderercachebehaviours"] = ordered
		vc := first(r.Children("viewer_certificate"))
		cert := nested(r, vc)
		cert["cloudfrontdefaultcertificate"] = val(r, vc, "cloudfront_default_certificate", cty.Bool, false)
		cert["minimumprotocolversion"] = val(r, vc, "minimum_protocol_version", cty.String, "TLSv1")
		m["viewercertificate"] = cert
		out = append(out, m)
	}
	return out
}

func (b *cloudBuilder) daxClusters() []any {
	out := []any{}
	for _, r := range b.byType["aws_dax_cluster"] {
		m := object(r, r.Block)
		sse := first(r.Children("server_side_encryption"))
		enc := nested(r, sse)
		enc["enabled"] = val(r, sse, "enabled", cty.Bool, false)
		m["serversideencryption"] = enc
		out = append(out, m)
	}
	return out
}

func (b *cloudBuilder) dynamoTables() []any {
	out := []any{}
	for _, r := range b.byType["aws_dynamodb_table"] {
		m := object(r, r.Block)
		pitr := first(r.Children("point_in_time_recovery"))
		m["pointintimerecovery"] = val(r, pitr, "enabled", cty.Bool, false)
		sse := first(r.Children("server_side_encryption"))
		enc := nested(r, sse)
		enc["enabled"] = val(r, sse, "enabled", cty.Bool, false)
		enc["kmskeyid"] = val(r, sse, "kms_key_arn", cty.String, "")
		m["serversideencryption"] = enc
		out = append(out, m)
	}
	return out
}

func (b *cloudBuilder) replicationGroups() []any {
	out := []any{}
	for _, r := range b.byType["aws_elasticache_replication_group"] {
		m := object(r, r.Block)
		m["atrestencryptionenabled"] = val(r, r.Block, "at_rest_encryption_enabled", cty.Bool, false)
		m["transitencryptionenabled"] = val(r, r.Block, "transit_encryption_enabled", cty.Bool, false)
		out = append(out, m)
	}
	return out
}

func (b *cloudBuilder) cacheClusters() []any {
	out := []any{}
	for _, r := range b.byType["aws_elasticache_cluster"] {
		m := object(r, r.Block)
		m["engine"] = val(r, r.Block, "engine", cty.String, "")
		m["nodetype"] = val(r, r.Block, "node_type", cty.String, "")
		m["snapshotretentionlimit"] = val(r, r.Block, "snapshot_retention_limit", cty.Number, int64(0))
		out = append(out, m)
	}
	return out
}

func (b *cloudBuilder) redshiftClusters() []any {
	out := []any{}
	for _, r := range b.byType["aws_redshift_cluster"] {
		m := object(r, r.Block)
		enc := object(r, r.Block)
		enc["enabled"] = val(r, r.Block, "encrypted", cty.Bool, false)
		enc["kmskeyid"] = val(r, r.Block, "kms_key_id", cty.String, "")
		m["encryption"] = enc
		m["subnetgroupname"] = val(r, r.Block, "cluster_subnet_group_name", cty.String, "")
		out = append(out, m)
	}
	return out
}

func (b *cloudBuilder) efsFileSystems() []any {
	out := []any{}
	for _, r := range b.byType["aws_efs_file_system"] {
		m := object(r, r.Block)
		m["encrypted"] = val(r, r.Block, "encrypted", cty.Bool, false)
		out = append(out, m)
	}
	return out
}

// searchDomains: aws_elasticsearch_domain and aws_opensearch_domain.
// Audit logging is on when a log_publishing_options block has log_type
// AUDIT_LOGS and is not disabled; domain_endpoint_options.enforce_https
// defaults to true in the block, false without it; the TLS policy
// defaults to AWS's Policy-Min-TLS-1-0-2019-07.
func (b *cloudBuilder) searchDomains() []any {
	out := []any{}
	for _, typ := range []string{"aws_elasticsearch_domain", "aws_opensearch_domain"} {
		for _, r := range b.byType[typ] {
			m := object(r, r.Block)
			lp := object(r, r.Block)
			audit := withValue(meta(r, r.Range, false), false)
			for _, blk := range r.Children("log_publishing_options") {
				t := val(r, blk, "log_type", cty.String, "")
				if t["value"] == nil && audit["value"] == false {
					audit = withValue(meta(r, blk.Range, true), nil)
				}
				if t["value"] == "AUDIT_LOGS" {
					audit = val(r, blk, "enabled", cty.Bool, true)
				}
			}
			lp["auditenabled"] = audit
			m["logpublishing"] = lp
			n2n := first(r.Children("node_to_node_encryption"))
			te := nested(r, n2n)
			te["enabled"] = val(r, n2n, "enabled", cty.Bool, false)
			m["transitencryption"] = te
			ear := first(r.Children("encrypt_at_rest"))
			ae := nested(r, ear)
			ae["enabled"] = val(r, ear, "enabled", cty.Bool, false)
			m["atrestencryption"] = ae
			deo := first(r.Children("domain_endpoint_options"))
			ep := nested(r, deo)
			ep["enforcehttps"] = val(r, deo, "enforce_https", cty.Bool, deo != nil)
			ep["tlspolicy"] = val(r, deo, "tls_security_policy", cty.String, "Policy-Min-TLS-1-0-2019-07")
			m["endpoint"] = ep
			out = append(out, m)
		}
	}
	return out
}

func (b *cloudBuilder) logGroups() []any {
	out := []any{}
	for _, r := range b.byType["aws_cloudwatch_log_group"] {
		m := object(r, r.Block)
		m["kmskeyid"] = val(r, r.Block, "kms_key_id", cty.String, "")
		out = append(out, m)
	}
	return out
}

// apiGateway: REST APIs (aws_api_gateway_rest_api with their
// aws_api_gateway_stage by rest_api_id) and HTTP/WebSocket APIs
// (aws_apigatewayv2_api with aws_apigatewayv2_stage by api_id); stages of
// an API not in the folder belong to an API of their own.
func (b *cloudBuilder) apiGateway() map[string]any {
	apis := func(apiTyp, stageTyp, attr, logBlock string) []any {
		stages, orphans := b.sides([]string{stageTyp}, attr, []string{apiTyp}, "id")
		st := func(rs []*terraform.Resource) []any {
			out := []any{}
			for _, s := range rs {
				m := object(s, s.Block)
				als := first(s.Children(logBlock))
				al := nested(s, als)
				al["cloudwatchloggrouparn"] = val(s, als, "destination_arn", cty.String, "")
				m["accesslogging"] = al
				out = append(out, m)
			}
			return out
		}
		out := []any{}
		for _, r := range b.byType[apiTyp] {
			m := object(r, r.Block)
			m["stages"] = st(stages[r])
			out = append(out, m)
		}
		for _, s := range orphans {
			m := object(s, s.Block)
			m["stages"] = st([]*terraform.Resource{s})
			out = append(out, m)
		}
		return out
	}
	return map[string]any{
		"v1": map[string]any{"apis": apis("aws_api_gateway_rest_api", "aws_api_gateway_stage", "rest_api_id", "access_log_settings")},
		"v2": map[string]any{"apis": apis("aws_apigatewayv2_api", "aws_apigatewayv2_stage", "api_id", "access_log_settings")},
	}
}

func (b *cloudBuilder) secrets() []any {
	out := []any{}
	for _, r := range b.byType["aws_secretsmanager_secret"] {
		m := object(r, r.Block)
		m["kmskeyid"] = val(r, r.Block, "kms_key_id", cty.String, "")
		out = append(out, m)
	}
	return out
}

func (b *cloudBuilder) kinesisStreams() []any {
	out := []any{}
	for _, r := range b.byType["aws_kinesis_stream"] {
		m := object(r, r.Block)
		enc := object(r, r.Block)
		enc["type"] = val(r, r.Block, "encryption_type", cty.String, "NONE")
		enc["kmskeyid"] = val(r, r.Block, "kms_key_id", cty.String, "")
		m["encryption"] = enc
		out = append(out, m)
	}
	return out
}

// logExports is a list attribute of log types as one value per entry, or
// one null value when the list is not known.
func logExports(r *terraform.Resource, attr string) []any {
	a := r.Attrs[attr]
	if a != nil && !a.Value.IsWhollyKnown() {
		return []any{withValue(meta(r, a.Range, true), nil)}
	}
	return list(r, r.Block, attr)
}

// exported is whether the known list of log types of r's attr has typ
// (null when the list is not known).
func exported(r *terraform.Resource, attr, typ string) map[string]any {
	a := r.Attrs[attr]
	if a == nil {
		return withValue(meta(r, r.Range, false), false)
	}
	v := withValue(meta(r, a.Range, true), false)
	for _, e := range logExports(r, attr) {
		switch e.(map[string]any)["value"] {
		case nil:
			v["value"] = nil
			return v
		case typ:
			v["value"] = true
		}
	}
	return v
}

func (b *cloudBuilder) docdbClusters() []any {
	out := []any{}
	for _, r := range b.byType["aws_docdb_cluster"] {
		m := object(r, r.Block)
		m["enabledlogexports"] = logExports(r, "enabled_cloudwatch_logs_exports")
		m["storageencrypted"] = val(r, r.Block, "storage_encrypted", cty.Bool, false)
		m["kmskeyid"] = val(r, r.Block, "kms_key_id", cty.String, "")
		out = append(out, m)
	}
	return out
}

func (b *cloudBuilder) neptuneClusters() []any {
	out := []any{}
	for _, r := range b.byType["aws_neptune_cluster"] {
		m := object(r, r.Block)
		lg := object(r, r.Block)
		lg["audit"] = exported(r, "enable_cloudwatch_logs_exports", "audit")
		m["logging"] = lg
		m["storageencrypted"] = val(r, r.Block, "storage_encrypted", cty.Bool, false)
		m["kmskeyid"] = val(r, r.Block, "kms_key_arn", cty.String, "")
		out = append(out, m)
	}
	return out
}

func (b *cloudBuilder) mqBrokers() []any {
	out := []any{}
	for _, r := range b.byType["aws_mq_broker"] {
		m := object(r, r.Block)
		m["engine"] = val(r, r.Block, "engine_type", cty.String, "")
		m["publicaccess"] = val(r, r.Block, "publicly_accessible", cty.Bool, false)
		logs := first(r.Children("logs"))
		lg := nested(r, logs)
		lg["audit"] = val(r, logs, "audit", cty.Bool, false)
		lg["general"] = val(r, logs, "general", cty.Bool, false)
		m["logging"] = lg
		out = append(out, m)
	}
	return out
}
