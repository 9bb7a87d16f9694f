package misconfig

import (
	"encoding/json"
	"strings"

	"github.com/trawlsec/trawl/internal/parse/cloudformation"
)

// The CloudFormation adapters of the AWS services added after the first
// set, in CloudInput's shape (cloud_aws_more.go is the Terraform side).

// extend adds the lists and fields of services that the first set
// already has (see cloudBuilder.extend); the existing adapters emit one
// object per resource of their type, in byType order.
func (a *cfnAdapter) extend(doc map[string]any) map[string]any {
	aws, _ := doc["aws"].(map[string]any)
	if aws == nil {
		return doc
	}
	svc := func(name string) map[string]any { return docService(aws, name) }
	each := func(service, list, typ string, f func(r *cloudformation.Resource, m map[string]any)) {
		eachObject(aws, service, list, a.byType[typ], f)
	}
	clusters := map[string]bool{}
	for _, r := range a.byType["AWS::RDS::DBCluster"] {
		clusters[r.ID] = true
	}
	each("rds", "instances", "AWS::RDS::DBInstance", func(r *cloudformation.Resource, m map[string]any) {
		p := props(r)
		m["engine"] = a.val(p, "Engine", "string", "")
		m["backupretentionperioddays"] = a.val(p, "BackupRetentionPeriod", "number", int64(1))
		if _, member := p.m["DBClusterIdentifier"]; member {
			// A cluster member: its cluster's retention applies.
			m["backupretentionperioddays"].(map[string]any)["value"] = nil
		}
		m["publicaccess"] = a.val(p, "PubliclyAccessible", "bool", false)
		m["iamauthenabled"] = a.val(p, "EnableIAMDatabaseAuthentication", "bool", false)
		m["deletionprotection"] = a.val(p, "DeletionProtection", "bool", false)
		pi := a.object(cfnObj{r: r})
		pi["enabled"] = a.val(p, "EnablePerformanceInsights", "bool", false)
		m["performanceinsights"] = pi
	})
	svc("rds")["clusters"] = a.rdsClusters()

	ec2 := svc("ec2")
	ec2["networkacls"] = a.networkACLs()
	ec2["subnets"] = a.subnets()
	ec2["vpcs"] = a.vpcs()
	ec2["launchconfigurations"] = a.launchConfigurations()
	ec2["launchtemplates"] = a.launchTemplates()

	each("cloudtrail", "trails", "AWS::CloudTrail::Trail", func(r *cloudformation.Resource, m map[string]any) {
		m["kmskeyid"] = a.val(props(r), "KMSKeyId", "string", "")
		m["cloudwatchlogsloggrouparn"] = a.val(props(r), "CloudWatchLogsLogGroupArn", "string", "")
		m["bucketname"] = a.val(props(r), "S3BucketName", "string", "")
	})

	each("ecr", "repositories", "AWS::ECR::Repository", func(r *cloudformation.Resource, m map[string]any) {
		p := props(r)
		ec := p.child("EncryptionConfiguration")
		enc := a.object(ec)
		enc["type"] = a.val(ec, "EncryptionType", "string", "AES256")
		enc["kmskeyid"] = a.val(ec, "KmsKey", "string", "")
		m["encryption"] = enc
		pols := []any{}
		if doc, ok := p.m["RepositoryPolicyText"]; ok {
			s, e := p.keyLines("RepositoryPolicyText")
			pol := a.object(cfnObj{r: r})
			pol["document"] = withValue(a.meta(p, s, e, true), policyJSON(doc))
			pols = append(pols, pol)
		}
		m["policies"] = pols
	})

	each("eks", "clusters", "AWS::EKS::Cluster", func(r *cloudformation.Resource, m map[string]any) {
		p := props(r)
		cl := p.child("Logging").child("ClusterLogging")
		lg := a.object(cl)
		s, e := cl.lines()
		enabled := map[string]map[string]any{}
		l, _ := cl.m["EnabledTypes"].([]any)
		for _, x := range l {
			if tm, ok := x.(map[string]any); ok {
				v := a.val(cfnObj{r: r, m: tm}, "Type", "string", "")
				if t, ok := v["value"].(string); ok {
					enabled[strings.ToLower(t)] = v
				}
			}
		}
		for _, t := range []string{"api", "audit", "authenticator", "controllermanager", "scheduler"} {
			if v, ok := enabled[t]; ok {
				lg[t] = withValue(v, true)
				continue
			}
			lg[t] = withValue(a.meta(cl, s, e, false), false)
		}
		m["logging"] = lg
	})

	perms := map[string][]any{}
	fns := map[string]bool{}
	for _, r := range a.byType["AWS::Lambda::Function"] {
		fns[r.ID] = true
	}
	var orphans []any
	for _, r := range a.byType["AWS::Lambda::Permission"] {
		p := props(r)
		pm := a.object(cfnObj{r: r})
		pm["principal"] = a.val(p, "Principal", "string", "")
		pm["sourcearn"] = a.val(p, "SourceArn", "string", "")
		if u, ok := p.m["FunctionName"].(cloudformation.Unknown); ok && fns[u.Ref] {
			perms[u.Ref] = append(perms[u.Ref], pm)
			continue
		}
		// The permission of a function not in the template: a function
		// of its own with an unknown tracing mode.
		fn := a.object(cfnObj{r: r})
		tr := a.object(cfnObj{r: r})
		tr["mode"] = withValue(a.meta(p, r.StartLine, r.EndLine, false), nil)
		fn["tracing"] = tr
		fn["permissions"] = []any{pm}
		orphans = append(orphans, fn)
	}
	each("lambda", "functions", "AWS::Lambda::Function", func(r *cloudformation.Resource, m map[string]any) {
		ps := perms[r.ID]
		if ps == nil {
			ps = []any{}
		}
		m["permissions"] = ps
	})
	if len(orphans) > 0 {
		l, _ := svc("lambda")["functions"].([]any)
		svc("lambda")["functions"] = append(l, orphans...)
	}
	a.extendSAM(svc)    // cloudformation_sam.go
	a.extendTrails(svc) // cloudformation_aws_cis.go
	a.extendIAMUsers(svc)
	return doc
}

// refTo is the logical ID a property Refs (or GetAtts), "" otherwise.
func refTo(o cfnObj, key string) string {
	u, _ := o.m[key].(cloudformation.Unknown)
	return u.Ref
}

// unknownVal is an unknown value with the lines of o's resource.
func (a *cfnAdapter) unknownVal(o cfnObj) map[string]any {
	return withValue(a.meta(o, o.r.StartLine, o.r.EndLine, false), nil)
}

func (a *cfnAdapter) rdsClusters() []any {
	members := map[string][]any{}
	idx := map[string]bool{}
	for _, r := range a.byType["AWS::RDS::DBCluster"] {
		idx[r.ID] = true
	}
	for _, r := range a.byType["AWS::RDS::DBInstance"] {
		p := props(r)
		if _, ok := p.m["DBClusterIdentifier"]; !ok {
			continue
		}
		inst := a.object(cfnObj{r: r})
		inst["publicaccess"] = a.val(p, "PubliclyAccessible", "bool", false)
		pi := a.object(cfnObj{r: r})
		pi["enabled"] = a.val(p, "EnablePerformanceInsights", "bool", false)
		inst["performanceinsights"] = pi
		ci := a.object(cfnObj{r: r})
		ci["instance"] = inst
		// A member of a cluster outside the template is only read as
		// an instance.
		if id := refTo(p, "DBClusterIdentifier"); idx[id] {
			members[id] = append(members[id], ci)
		}
	}
	out := []any{}
	for _, r := range a.byType["AWS::RDS::DBCluster"] {
		p := props(r)
		m := a.object(cfnObj{r: r})
		enc := a.object(cfnObj{r: r})
		enc["encryptstorage"] = a.val(p, "StorageEncrypted", "bool", false)
		enc["kmskeyid"] = a.val(p, "KmsKeyId", "string", "")
		m["encryption"] = enc
		m["backupretentionperioddays"] = a.val(p, "BackupRetentionPeriod", "number", int64(1))
		m["replicationsourcearn"] = a.val(p, "ReplicationSourceIdentifier", "string", "")
		ms := members[r.ID]
		if ms == nil {
			ms = []any{}
		}
		m["instances"] = ms
		out = append(out, m)
	}
	return out
}

// networkACLs: every AWS::EC2::NetworkAcl with the
// AWS::EC2::NetworkAclEntry resources that Ref it (an entry of an ACL
// not in the template forms an ACL of its own).
func (a *cfnAdapter) networkACLs() []any {
	rules := map[string][]any{}
	idx := map[string]bool{}
	for _, r := range a.byType["AWS::EC2::NetworkAcl"] {
		idx[r.ID] = true
	}
	var orphans []any
	for _, r := range a.byType["AWS::EC2::NetworkAclEntry"] {
		p := props(r)
		rule := a.object(cfnObj{r: r})
		typ := a.val(p, "Egress", "bool", false)
		switch typ["value"] {
		case true:
			typ["value"] = "egress"
		case false:
			typ["value"] = "ingress"
		}
		rule["type"] = typ
		rule["action"] = a.val(p, "RuleAction", "string", "")
		rule["protocol"] = a.val(p, "Protocol", "string", "")
		cidrs := []any{}
		for _, k := range []string{"CidrBlock", "Ipv6CidrBlock"} {
			if c := a.val(p, k, "string", nil); c["explicit"] == true && c["value"] != nil {
				cidrs = append(cidrs, c)
			}
		}
		rule["cidrs"] = cidrs
		if id := refTo(p, "NetworkAclId"); idx[id] {
			rules[id] = append(rules[id], rule)
			continue
		}
		acl := a.object(cfnObj{r: r})
		acl["rules"] = []any{rule}
		orphans = append(orphans, acl)
	}
	out := []any{}
	for _, r := range a.byType["AWS::EC2::NetworkAcl"] {
		m := a.object(cfnObj{r: r})
		rs := rules[r.ID]
		if rs == nil {
			rs = []any{}
		}
		m["rules"] = rs
		out = append(out, m)
	}
	return append(out, orphans...)
}

func (a *cfnAdapter) subnets() []any {
	out := []any{}
	for _, r := range a.byType["AWS::EC2::Subnet"] {
		m := a.object(cfnObj{r: r})
		m["mappubliciponlaunch"] = a.val(props(r), "MapPublicIpOnLaunch", "bool", false)
		out = append(out, m)
	}
	return out
}

// vpcs: AWS::EC2::VPC, flow logs enabled when an AWS::EC2::FlowLog's
// ResourceId Refs it (unknown for all when a flow log's resource is
// unknown and not a resource of the template).
func (a *cfnAdapter) vpcs() []any {
	logs := map[string]*cloudformation.Resource{}
	unknown := false
	for _, r := range a.byType["AWS::EC2::FlowLog"] {
		p := props(r)
		if id := refTo(p, "ResourceId"); id != "" {
			logs[id] = r
		} else if _, ok := p.m["ResourceId"].(cloudformation.Unknown); ok {
			unknown = true
		}
	}
	out := []any{}
	for _, r := range a.byType["AWS::EC2::VPC"] {
		m := a.object(cfnObj{r: r})
		fl := withValue(a.meta(cfnObj{r: r}, r.StartLine, r.EndLine, false), false)
		if l := logs[r.ID]; l != nil {
			fl = withValue(a.meta(cfnObj{r: l}, l.StartLine, l.EndLine, true), true)
		} else if unknown {
			fl["value"] = nil
		}
		m["flowlogsenabled"] = fl
		out = append(out, m)
	}
	return out
}

func (a *cfnAdapter) metadataOptions(owner, mo cfnObj) map[string]any {
	if mo.m == nil {
		s, e := owner.lines()
		opts := a.object(cfnObj{r: owner.r})
		opts["httptokens"] = withValue(a.meta(owner, s, e, false), "optional")
		opts["httpendpoint"] = withValue(a.meta(owner, s, e, false), "enabled")
		return opts
	}
	opts := a.object(mo)
	opts["httptokens"] = a.val(mo, "HttpTokens", "string", "optional")
	opts["httpendpoint"] = a.val(mo, "HttpEndpoint", "string", "enabled")
	return opts
}

func (a *cfnAdapter) launchConfigurations() []any {
	out := []any{}
	for _, r := range a.byType["AWS::AutoScaling::LaunchConfiguration"] {
		p := props(r)
		m := a.object(cfnObj{r: r})
		m["associatepublicip"] = a.val(p, "AssociatePublicIpAddress", "bool", false)
		m["metadataoptions"] = a.metadataOptions(p, p.child("MetadataOptions"))
		out = append(out, m)
	}
	return out
}

func (a *cfnAdapter) launchTemplates() []any {
	out := []any{}
	for _, r := range a.byType["AWS::EC2::LaunchTemplate"] {
		p := props(r)
		m := a.object(cfnObj{r: r})
		inst := a.object(cfnObj{r: r})
		data := p.child("LaunchTemplateData")
		owner := data
		if data.m == nil {
			owner = p
		}
		inst["metadataoptions"] = a.metadataOptions(owner, data.child("MetadataOptions"))
		m["instance"] = inst
		out = append(out, m)
	}
	return out
}

// loadBalancers: AWS::ElasticLoadBalancingV2::LoadBalancer (Type,
// Scheme, the drop-invalid-headers attribute) with the
// AWS::ElasticLoadBalancingV2::Listener resources whose LoadBalancerArn
// Refs it; a listener of a load balancer not in the template belongs to
// one of unknown type.
func (a *cfnAdapter) loadBalancers() []any {
	idx := map[string]bool{}
	for _, r := range a.byType["AWS::ElasticLoadBalancingV2::LoadBalancer"] {
		idx[r.ID] = true
	}
	listeners := map[string][]any{}
	var orphans []any
	for _, r := range a.byType["AWS::ElasticLoadBalancingV2::Listener"] {
		p := props(r)
		l := a.object(cfnObj{r: r})
		l["protocol"] = a.val(p, "Protocol", "string", "")
		l["tlspolicy"] = a.val(p, "SslPolicy", "string", "")
		acts := []any{}
		da, _ := p.m["DefaultActions"].([]any)
		for _, x := range da {
			if am, ok := x.(map[string]any); ok {
				ao := cfnObj{r: r, m: am}
				act := a.object(ao)
				act["type"] = a.val(ao, "Type", "string", "")
				acts = append(acts, act)
			}
		}
		l["defaultactions"] = acts
		if id := refTo(p, "LoadBalancerArn"); idx[id] {
			listeners[id] = append(listeners[id], l)
			continue
		}
		lb := a.object(cfnObj{r: r})
		for _, k := range []string{"type", "internal", "dropinvalidheaderfields"} {
			lb[k] = a.unknownVal(p)
		}
		lb["listeners"] = []any{l}
		orphans = append(orphans, lb)
	}
	out := []any{}
	for _, r := range a.byType["AWS::ElasticLoadBalancingV2::LoadBalancer"] {
		p := props(r)
		m := a.object(cfnObj{r: r})
		m["type"] = a.val(p, "Type", "string", "application")
		internal := a.val(p, "Scheme", "string", "internet-facing")
		if s, ok := internal["value"].(string); ok {
			internal["value"] = s == "internal"
		}
		m["internal"] = internal
		drop := withValue(a.meta(p, r.StartLine, r.EndLine, false), false)
		attrs, _ := p.m["LoadBalancerAttributes"].([]any)
		for _, x := range attrs {
			am, ok := x.(map[string]any)
			if !ok || am["Key"] != "routing.http.drop_invalid_header_fields.enabled" {
				continue
			}
			drop = a.val(cfnObj{r: r, m: am}, "Value", "bool", false)
		}
		m["dropinvalidheaderfields"] = drop
		ls := listeners[r.ID]
		if ls == nil {
			ls = []any{}
		}
		m["listeners"] = ls
		out = append(out, m)
	}
	return append(out, orphans...)
}

// distributions: AWS::CloudFront::Distribution's DistributionConfig.
// Without ViewerCertificate the distribution uses CloudFront's default
// certificate.
func (a *cfnAdapter) distributions() []any {
	out := []any{}
	for _, r := range a.byType["AWS::CloudFront::Distribution"] {
		dc := props(r).child("DistributionConfig")
		if dc.m == nil {
			dc = cfnObj{r: r, top: true}
		}
		m := a.object(cfnObj{r: r})
		m["wafid"] = a.val(dc, "WebACLId", "string", "")
		lc := dc.child("Logging")
		lg := a.object(lc)
		lg["bucket"] = a.val(lc, "Bucket", "string", "")
		m["logging"] = lg
		behaviour := func(o cfnObj) map[string]any {
			b := a.object(o)
			b["viewerprotocolpolicy"] = a.val(o, "ViewerProtocolPolicy", "string", "allow-all")
			return b
		}
		m["defaultcachebehaviour"] = behaviour(dc.child("DefaultCacheBehavior"))
		ordered := []any{}
		cbs, _ := dc.m["CacheBehaviors"].([]any)
		for _, x := range cbs {
			if bm, ok := x.(map[string]any); ok {
				ordered = append(ordered, behaviour(cfnObj{r: r, m: bm}))
			}
		}
		m["orderercachebehaviours"] = ordered
		vc := dc.child("ViewerCertificate")
		cert := a.object(vc)
		cert["cloudfrontdefaultcertificate"] = a.val(vc, "CloudFrontDefaultCertificate", "bool", vc.m == nil)
		cert["minimumprotocolversion"] = a.val(vc, "MinimumProtocolVersion", "string", "TLSv1")
		m["viewercertificate"] = cert
		out = append(out, m)
	}
	return out
}

func (a *cfnAdapter) daxClusters() []any {
	out := []any{}
	for _, r := range a.byType["AWS::DAX::Cluster"] {
		m := a.object(cfnObj{r: r})
		sse := props(r).child("SSESpecification")
		enc := a.object(sse)
		enc["enabled"] = a.val(sse, "SSEEnabled", "bool", false)
		m["serversideencryption"] = enc
		out = append(out, m)
	}
	return out
}

func (a *cfnAdapter) dynamoTables() []any {
	out := []any{}
	for _, r := range a.byType["AWS::DynamoDB::Table"] {
		p := props(r)
		m := a.object(cfnObj{r: r})
		m["pointintimerecovery"] = a.val(p.child("PointInTimeRecoverySpecification"), "PointInTimeRecoveryEnabled", "bool", false)
		sse := p.child("SSESpecification")
		enc := a.object(sse)
		enc["enabled"] = a.val(sse, "SSEEnabled", "bool", false)
		enc["kmskeyid"] = a.val(sse, "KMSMasterKeyId", "string", "")
		m["serversideencryption"] = enc
		out = append(out, m)
	}
	return out
}

func (a *cfnAdapter) replicationGroups() []any {
	out := []any{}
	for _, r := range a.byType["AWS::ElastiCache::ReplicationGroup"] {
		p := props(r)
		m := a.object(cfnObj{r: r})
		m["atrestencryptionenabled"] = a.val(p, "AtRestEncryptionEnabled", "bool", false)
		m["transitencryptionenabled"] = a.val(p, "TransitEncryptionEnabled", "bool", false)
		out = append(out, m)
	}
	return out
}

func (a *cfnAdapter) cacheClusters() []any {
	out := []any{}
	for _, r := range a.byType["AWS::ElastiCache::CacheCluster"] {
		p := props(r)
		m := a.object(cfnObj{r: r})
		m["engine"] = a.val(p, "Engine", "string", "")
		m["nodetype"] = a.val(p, "CacheNodeType", "string", "")
		m["snapshotretentionlimit"] = a.val(p, "SnapshotRetentionLimit", "number", int64(0))
		out = append(out, m)
	}
	return out
}

func (a *cfnAdapter) redshiftClusters() []any {
	out := []any{}
	for _, r := range a.byType["AWS::Redshift::Cluster"] {
		p := props(r)
		m := a.object(cfnObj{r: r})
		enc := a.object(cfnObj{r: r})
		enc["enabled"] = a.val(p, "Encrypted", "bool", false)
		enc["kmskeyid"] = a.val(p, "KmsKeyId", "string", "")
		m["encryption"] = enc
		m["subnetgroupname"] = a.val(p, "ClusterSubnetGroupName", "string", "")
		out = append(out, m)
	}
	return out
}

func (a *cfnAdapter) efsFileSystems() []any {
	out := []any{}
	for _, r := range a.byType["AWS::EFS::FileSystem"] {
		m := a.object(cfnObj{r: r})
		m["encrypted"] = a.val(props(r), "Encrypted", "bool", false)
		out = append(out, m)
	}
	return out
}

// searchDomains: AWS::Elasticsearch::Domain and
// AWS::OpenSearchService::Domain.
func (a *cfnAdapter) searchDomains() []any {
	out := []any{}
	for _, typ := range []string{"AWS::Elasticsearch::Domain", "AWS::OpenSearchService::Domain"} {
		for _, r := range a.byType[typ] {
			p := props(r)
			m := a.object(cfnObj{r: r})
			lpo := p.child("LogPublishingOptions")
			lp := a.object(lpo)
			audit := lpo.child("AUDIT_LOGS")
			if audit.m == nil {
				s, e := lpo.lines()
				lp["auditenabled"] = withValue(a.meta(lpo, s, e, false), false)
			} else {
				lp["auditenabled"] = a.val(audit, "Enabled", "bool", false)
			}
			m["logpublishing"] = lp
			n2n := p.child("NodeToNodeEncryptionOptions")
			te := a.object(n2n)
			te["enabled"] = a.val(n2n, "Enabled", "bool", false)
			m["transitencryption"] = te
			ear := p.child("EncryptionAtRestOptions")
			ae := a.object(ear)
			ae["enabled"] = a.val(ear, "Enabled", "bool", false)
			m["atrestencryption"] = ae
			deo := p.child("DomainEndpointOptions")
			ep := a.object(deo)
			ep["enforcehttps"] = a.val(deo, "EnforceHTTPS", "bool", false)
			ep["tlspolicy"] = a.val(deo, "TLSSecurityPolicy", "string", "Policy-Min-TLS-1-0-2019-07")
			m["endpoint"] = ep
			out = append(out, m)
		}
	}
	return out
}

func (a *cfnAdapter) logGroups() []any {
	out := []any{}
	for _, r := range a.byType["AWS::Logs::LogGroup"] {
		m := a.object(cfnObj{r: r})
		m["kmskeyid"] = a.val(props(r), "KmsKeyId", "string", "")
		out = append(out, m)
	}
	return out
}

// apiGateway: the stages of AWS::ApiGateway::Stage (AccessLogSetting)
// and AWS::ApiGatewayV2::Stage (AccessLogSettings), grouped under the
// API their RestApiId/ApiId Refs (an API of their own otherwise).
func (a *cfnAdapter) apiGateway() map[string]any {
	apis := func(apiTyp, stageTyp, idKey, logKey string) []any {
		idx := map[string]bool{}
		for _, r := range a.byType[apiTyp] {
			idx[r.ID] = true
		}
		stages := map[string][]any{}
		var orphans []any
		for _, r := range a.byType[stageTyp] {
			p := props(r)
			st := a.object(cfnObj{r: r})
			als := p.child(logKey)
			al := a.object(als)
			al["cloudwatchloggrouparn"] = a.val(als, "DestinationArn", "string", "")
			st["accesslogging"] = al
			if id := refTo(p, idKey); idx[id] {
				stages[id] = append(stages[id], st)
				continue
			}
			api := a.object(cfnObj{r: r})
			api["stages"] = []any{st}
			orphans = append(orphans, api)
		}
		out := []any{}
		for _, r := range a.byType[apiTyp] {
			api := a.object(cfnObj{r: r})
			ss := stages[r.ID]
			if ss == nil {
				ss = []any{}
			}
			api["stages"] = ss
			out = append(out, api)
		}
		return append(out, orphans...)
	}
	return map[string]any{
		"v1": map[string]any{"apis": apis("AWS::ApiGateway::RestApi", "AWS::ApiGateway::Stage", "RestApiId", "AccessLogSetting")},
		"v2": map[string]any{"apis": apis("AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Stage", "ApiId", "AccessLogSettings")},
	}
}

func (a *cfnAdapter) secrets() []any {
	out := []any{}
	for _, r := range a.byType["AWS::SecretsManager::Secret"] {
		m := a.object(cfnObj{r: r})
		m["kmskeyid"] = a.val(props(r), "KmsKeyId", "string", "")
		out = append(out, m)
	}
	return out
}

func (a *cfnAdapter) kinesisStreams() []any {
	out := []any{}
	for _, r := range a.byType["AWS::Kinesis::Stream"] {
		se := props(r).child("StreamEncryption")
		m := a.object(cfnObj{r: r})
		enc := a.object(se)
		enc["type"] = a.val(se, "EncryptionType", "string", "NONE")
		enc["kmskeyid"] = a.val(se, "KeyId", "string", "")
		m["encryption"] = enc
		out = append(out, m)
	}
	return out
}

// policyJSON is a policy property (a mapping, or JSON text) as JSON text
// without the parser's line information; nil when a part of it is not
// known offline.
func policyJSON(v any) any {
	if s, ok := v.(string); ok {
		return s
	}
	known := true
	var strip func(v any) any
	strip = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			out := map[string]any{}
			for k, e := range x {
				if k != cloudformation.MetadataKey {
					out[k] = strip(e)
				}
			}
			return out
		case []any:
			out := make([]any, len(x))
			for i, e := range x {
				out[i] = strip(e)
			}
			return out
		case cloudformation.Unknown:
			known = false
		}
		return v
	}
	s := strip(v)
	b, err := json.Marshal(s)
	if err != nil || !known {
		return nil
	}
	return string(b)
}

// logExports is a list property of log types as one value per known
// string (one null value when the property is not a known list).
func (a *cfnAdapter) logExports(o cfnObj, key string) []any {
	v, ok := o.m[key]
	if !ok {
		return []any{}
	}
	if _, list := v.([]any); !list {
		s, e := o.keyLines(key)
		return []any{withValue(a.meta(o, s, e, true), nil)}
	}
	out := a.strings(o, key)
	for _, x := range v.([]any) {
		if _, ok := x.(string); !ok {
			s, e := o.keyLines(key)
			out = append(out, withValue(a.meta(o, s, e, true), nil))
		}
	}
	return out
}

func (a *cfnAdapter) docdbClusters() []any {
	out := []any{}
	for _, r := range a.byType["AWS::DocDB::DBCluster"] {
		p := props(r)
		m := a.object(cfnObj{r: r})
		m["enabledlogexports"] = a.logExports(p, "EnableCloudwatchLogsExports")
		m["storageencrypted"] = a.val(p, "StorageEncrypted", "bool", false)
		m["kmskeyid"] = a.val(p, "KmsKeyId", "string", "")
		out = append(out, m)
	}
	return out
}

func (a *cfnAdapter) neptuneClusters() []any {
	out := []any{}
	for _, r := range a.byType["AWS::Neptune::DBCluster"] {
		p := props(r)
		m := a.object(cfnObj{r: r})
		lg := a.object(cfnObj{r: r})
		audit := withValue(a.meta(p, r.StartLine, r.EndLine, false), false)
		if _, ok := p.m["EnableCloudwatchLogsExports"]; ok {
			s, e := p.keyLines("EnableCloudwatchLogsExports")
			audit = withValue(a.meta(p, s, e, true), false)
			for _, x := range a.logExports(p, "EnableCloudwatchLogsExports") {
				switch x.(map[string]any)["value"] {
				case nil:
					audit["value"] = nil
				case "audit":
					if audit["value"] != nil {
						audit["value"] = true
					}
				}
			}
		}
		lg["audit"] = audit
		m["logging"] = lg
		m["storageencrypted"] = a.val(p, "StorageEncrypted", "bool", false)
		m["kmskeyid"] = a.val(p, "KmsKeyId", "string", "")
		out = append(out, m)
	}
	return out
}

func (a *cfnAdapter) mqBrokers() []any {
	out := []any{}
	for _, r := range a.byType["AWS::AmazonMQ::Broker"] {
		p := props(r)
		m := a.object(cfnObj{r: r})
		m["engine"] = a.val(p, "EngineType", "string", "")
		m["publicaccess"] = a.val(p, "PubliclyAccessible", "bool", false)
		logs := p.child("Logs")
		lg := a.object(logs)
		lg["audit"] = a.val(logs, "Audit", "bool", false)
		lg["general"] = a.val(logs, "General", "bool", false)
		m["logging"] = lg
		out = append(out, m)
	}
	return out
}
