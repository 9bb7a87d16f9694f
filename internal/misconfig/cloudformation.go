package misconfig

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/trawlsec/trawl/internal/parse/cloudformation"
	"github.com/trawlsec/trawl/internal/parse/yamlmeta"
)

// CloudFormationInput is the cloud input document (CloudInput's shape:
// input.aws.s3.buckets[_], …) of one CloudFormation template: every
// value carries the template's path, the lines of its property (or of
// the mapping holding it when it is not set, explicit false) and the
// logical ID as "resource". A value that is not known offline is null.
func CloudFormationInput(file string, t *cloudformation.Template) map[string]any {
	a := &cfnAdapter{file: file, byType: map[string][]*cloudformation.Resource{}}
	a.globals = t.Globals // SAM: cloudformation_sam.go
	for _, r := range t.Resources {
		a.byType[r.Type] = append(a.byType[r.Type], r)
	}
	return a.extend(map[string]any{"aws": map[string]any{
		// Services of cloud_aws_more.go / cloudformation_aws_more.go.
		"elb":           map[string]any{"loadbalancers": a.loadBalancers()},
		"cloudfront":    map[string]any{"distributions": a.distributions()},
		"dynamodb":      map[string]any{"daxclusters": a.daxClusters(), "tables": a.dynamoTables()},
		"elasticache":   map[string]any{"replicationgroups": a.replicationGroups(), "clusters": a.cacheClusters()},
		"redshift":      map[string]any{"clusters": a.redshiftClusters()},
		"efs":           map[string]any{"filesystems": a.efsFileSystems()},
		"elasticsearch": map[string]any{"domains": a.searchDomains()},
		"cloudwatch":    map[string]any{"loggroups": a.logGroups()},
		"apigateway":    a.apiGateway(),
		"ssm":           map[string]any{"secrets": a.secrets()},
		"kinesis":       map[string]any{"streams": a.kinesisStreams()},
		"documentdb":    map[string]any{"clusters": a.docdbClusters()},
		"neptune":       map[string]any{"clusters": a.neptuneClusters()},
		"mq":            map[string]any{"brokers": a.mqBrokers()},

		"s3":         map[string]any{"buckets": a.buckets()},
		"ec2":        map[string]any{"securitygroups": a.securityGroups(), "volumes": a.volumes(), "instances": a.instances()},
		"rds":        map[string]any{"instances": a.rdsInstances()},
		"iam":        map[string]any{"policies": a.policies()},
		"cloudtrail": map[string]any{"trails": a.trails()},
		"kms":        map[string]any{"keys": a.kmsKeys()},
		"ecr":        map[string]any{"repositories": a.ecrRepositories()},
		"sns":        map[string]any{"topics": a.snsTopics()},
		"sqs":        map[string]any{"queues": a.sqsQueues()},
		"lambda":     map[string]any{"functions": a.lambdaFunctions()},
		"eks":        map[string]any{"clusters": a.eksClusters()},
	}})
}

type cfnAdapter struct {
	file    string
	byType  map[string][]*cloudformation.Resource
	globals map[string]any
}

// cfnObj is one mapping of a resource's properties (m nil: the resource
// has no such mapping; lines are the resource's). top marks the
// Properties mapping itself: its unset values have the resource's lines.
type cfnObj struct {
	r   *cloudformation.Resource
	m   map[string]any
	top bool
}

func (a *cfnAdapter) meta(o cfnObj, start, end int, explicit bool) map[string]any {
	return map[string]any{
		"filepath": a.file, "startline": start, "endline": end,
		"resource": o.r.ID, "explicit": explicit, "managed": true,
	}
}

func (o cfnObj) lines() (int, int) {
	if o.top {
		return o.r.StartLine, o.r.EndLine
	}
	if s, e := yamlmeta.Lines(o.m); s > 0 {
		return s, e
	}
	return o.r.StartLine, o.r.EndLine
}

// keyLines are the lines of key in o, or o's.
func (o cfnObj) keyLines(key string) (int, int) {
	if s, e, ok := docKeyLines(o.m, key); ok {
		return s, e
	}
	return o.lines()
}

func (a *cfnAdapter) object(o cfnObj) map[string]any {
	s, e := o.lines()
	return map[string]any{"__defsec_metadata": a.meta(o, s, e, o.m != nil)}
}

// child is the mapping under key (m nil when absent).
func (o cfnObj) child(key string) cfnObj {
	m, _ := o.m[key].(map[string]any)
	return cfnObj{r: o.r, m: m}
}

// val is key of o converted by conv (string, bool or number), or def.
func (a *cfnAdapter) val(o cfnObj, key, conv string, def any) map[string]any {
	v, ok := o.m[key]
	if !ok {
		s, e := o.lines()
		return withValue(a.meta(o, s, e, false), def)
	}
	s, e := o.keyLines(key)
	return withValue(a.meta(o, s, e, true), docConvert(v, conv))
}

// docConvert converts a resolved value of a template document
// (CloudFormation, ARM) to conv ("string", "bool" or "number"); unknown or
// mistyped values are nil. Booleans may be written as strings in any case
// ("True", "false"), as both services accept.
func docConvert(v any, conv string) any {
	switch conv {
	case "bool":
		switch x := v.(type) {
		case bool:
			return x
		case string:
			if b, err := strconv.ParseBool(strings.ToLower(x)); err == nil {
				return b
			}
		}
	case "number":
		switch x := v.(type) {
		case int:
			return int64(x)
		case float64:
			if x == math.Trunc(x) {
				return int64(x)
			}
			return x
		case string:
			if n, err := strconv.ParseInt(x, 10, 64); err == nil {
				return n
			}
		}
	default:
		switch x := v.(type) {
		case string:
			return x
		case int:
			return strconv.Itoa(x)
		case float64:
			return strconv.FormatFloat(x, 'f', -1, 64)
		case bool:
			return strconv.FormatBool(x)
		}
	}
	return nil
}

// docKeyLines are the lines yamlmeta recorded for key of the mapping m.
func docKeyLines(m map[string]any, key string) (start, end int, ok bool) {
	md, _ := m[yamlmeta.MetadataKey].(map[string]any)
	kl, _ := md["keylines"].(map[string]any)
	if l, ok := kl[key].([]any); ok && len(l) == 2 {
		s, _ := l[0].(int)
		e, _ := l[1].(int)
		return s, e, true
	}
	return 0, 0, false
}

func props(r *cloudformation.Resource) cfnObj { return cfnObj{r: r, m: r.Properties, top: true} }

// cannedACL is CloudFormation's AccessControl as the canned ACL name
// ("PublicRead" → "public-read").
func cannedACL(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	var b strings.Builder
	for i, c := range s {
		if unicode.IsUpper(c) && i > 0 {
			b.WriteByte('-')
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}

func (a *cfnAdapter) buckets() []any {
	out := []any{}
	for _, r := range a.byType["AWS::S3::Bucket"] {
		p := props(r)
		m := a.object(cfnObj{r: r})
		m["name"] = a.val(p, "BucketName", "string", "")
		acl := a.val(p, "AccessControl", "string", "private")
		acl["value"] = cannedACL(acl["value"])
		m["acl"] = acl

		// BucketEncryption.ServerSideEncryptionConfiguration[0].
		// ServerSideEncryptionByDefault.
		be := p.child("BucketEncryption")
		def := cfnObj{r: r}
		if rules, ok := be.m["ServerSideEncryptionConfiguration"].([]any); ok && len(rules) > 0 {
			if rule, ok := rules[0].(map[string]any); ok {
				def = cfnObj{r: r, m: rule}.child("ServerSideEncryptionByDefault")
			}
		}
		owner := p
		if be.m != nil {
			owner = be
		}
		enc := a.object(owner)
		alg := a.val(def, "SSEAlgorithm", "string", "")
		if def.m != nil {
			enc = a.object(def)
		} else {
			s, e := owner.lines()
			alg = withValue(a.meta(owner, s, e, false), "")
		}
		var enabled map[string]any
		if def.m != nil {
			s, e := def.lines()
			enabled = a.meta(def, s, e, true)
		} else {
			s, e := owner.lines()
			enabled = a.meta(owner, s, e, false)
		}
		if alg, ok := alg["value"].(string); ok {
			enabled["value"] = alg != ""
		} else {
			enabled["value"] = nil
		}
		enc["enabled"] = enabled
		enc["algorithm"] = alg
		enc["kmskeyid"] = a.val(def, "KMSMasterKeyID", "string", "")
		m["encryption"] = enc

		vc := p.child("VersioningConfiguration")
		ver := a.object(vc)
		st := a.val(vc, "Status", "string", "")
		if s, ok := st["value"].(string); ok {
			st["value"] = s == "Enabled"
		}
		ver["enabled"] = st
		vs, ve := vc.lines()
		// MFA delete is set by the root user through the API, never by a
		// template: unknown.
		ver["mfadelete"] = withValue(a.meta(vc, vs, ve, false), nil)
		m["versioning"] = ver

		lc := p.child("LoggingConfiguration")
		lg := a.object(lc)
		s, e := lc.lines()
		lg["enabled"] = withValue(a.meta(lc, s, e, lc.m != nil), lc.m != nil)
		lg["targetbucket"] = a.val(lc, "DestinationBucketName", "string", "")
		m["logging"] = lg

		if pab := p.child("PublicAccessBlockConfiguration"); pab.m != nil {
			pb := a.object(pab)
			pb["blockpublicacls"] = a.val(pab, "BlockPublicAcls", "bool", false)
			pb["blockpublicpolicy"] = a.val(pab, "BlockPublicPolicy", "bool", false)
			pb["ignorepublicacls"] = a.val(pab, "IgnorePublicAcls", "bool", false)
			pb["restrictpublicbuckets"] = a.val(pab, "RestrictPublicBuckets", "bool", false)
			m["publicaccessblock"] = pb
		}
		out = append(out, m)
	}
	return out
}

// sgRule is one rule mapping (inline, or the properties of an
// AWS::EC2::SecurityGroupIngress/Egress resource).
func (a *cfnAdapter) sgRule(o cfnObj) map[string]any {
	m := a.object(o)
	m["description"] = a.val(o, "Description", "string", "")
	cidrs := []any{}
	for _, k := range []string{"CidrIp", "CidrIpv6"} {
		if c := a.val(o, k, "string", nil); c["value"] != nil && c["explicit"] == true {
			cidrs = append(cidrs, c)
		}
	}
	m["cidrs"] = cidrs
	m["fromport"] = a.val(o, "FromPort", "number", int64(-1))
	m["toport"] = a.val(o, "ToPort", "number", int64(-1))
	m["protocol"] = a.val(o, "IpProtocol", "string", "")
	return m
}

func (a *cfnAdapter) securityGroups() []any {
	var out []any
	idx := map[string]map[string]any{}
	for _, r := range a.byType["AWS::EC2::SecurityGroup"] {
		p := props(r)
		m := a.object(cfnObj{r: r})
		m["description"] = a.val(p, "GroupDescription", "string", "")
		for key, prop := range map[string]string{"ingressrules": "SecurityGroupIngress", "egressrules": "SecurityGroupEgress"} {
			rules := []any{}
			l, _ := p.m[prop].([]any)
			for _, x := range l {
				if rm, ok := x.(map[string]any); ok {
					rules = append(rules, a.sgRule(cfnObj{r: r, m: rm}))
				}
			}
			m[key] = rules
		}
		idx[r.ID] = m
		out = append(out, m)
	}
	for typ, key := range map[string]string{"AWS::EC2::SecurityGroupIngress": "ingressrules", "AWS::EC2::SecurityGroupEgress": "egressrules"} {
		for _, r := range a.byType[typ] {
			p := props(r)
			rule := a.sgRule(p)
			var g map[string]any
			for _, k := range []string{"GroupId", "GroupName"} {
				if u, ok := p.m[k].(cloudformation.Unknown); ok && idx[u.Ref] != nil {
					g = idx[u.Ref]
				}
			}
			if g == nil {
				// A rule of a group defined elsewhere: a group of its own.
				g = a.object(cfnObj{r: r})
				g["description"] = withValue(a.meta(cfnObj{r: r}, r.StartLine, r.EndLine, false), "")
				g["ingressrules"], g["egressrules"] = []any{}, []any{}
				out = append(out, g)
			}
			g[key] = append(g[key].([]any), rule)
		}
	}
	if out == nil {
		out = []any{}
	}
	return out
}

func (a *cfnAdapter) volumes() []any {
	out := []any{}
	for _, r := range a.byType["AWS::EC2::Volume"] {
		p := props(r)
		m := a.object(cfnObj{r: r})
		enc := a.object(cfnObj{r: r})
		enc["enabled"] = a.val(p, "Encrypted", "bool", false)
		enc["kmskeyid"] = a.val(p, "KmsKeyId", "string", "")
		m["encryption"] = enc
		out = append(out, m)
	}
	return out
}

func (a *cfnAdapter) rdsInstances() []any {
	out := []any{}
	for _, r := range a.byType["AWS::RDS::DBInstance"] {
		p := props(r)
		m := a.object(cfnObj{r: r})
		enc := a.object(cfnObj{r: r})
		enc["encryptstorage"] = a.val(p, "StorageEncrypted", "bool", false)
		enc["kmskeyid"] = a.val(p, "KmsKeyId", "string", "")
		m["encryption"] = enc
		m["replicationsourcearn"] = a.val(p, "SourceDBInstanceIdentifier", "string", "")
		out = append(out, m)
	}
	return out
}

func (a *cfnAdapter) trails() []any {
	out := []any{}
	for _, r := range a.byType["AWS::CloudTrail::Trail"] {
		p := props(r)
		m := a.object(cfnObj{r: r})
		m["name"] = a.val(p, "TrailName", "string", "")
		m["ismultiregion"] = a.val(p, "IsMultiRegionTrail", "bool", false)
		m["enablelogfilevalidation"] = a.val(p, "EnableLogFileValidation", "bool", false)
		out = append(out, m)
	}
	return out
}

// policies are the documents of AWS::IAM::Policy and ManagedPolicy
// (PolicyDocument) and the inline Policies of roles, users and groups.
func (a *cfnAdapter) policies() []any {
	out := []any{}
	add := func(owner cfnObj, nameKey string) {
		doc := owner.m["PolicyDocument"]
		docObj := owner.child("PolicyDocument")
		if s, ok := doc.(string); ok {
			// A document given as JSON text: its statements have the
			// property's lines.
			var m map[string]any
			if json.Unmarshal([]byte(s), &m) != nil {
				return
			}
			st, e := owner.keyLines("PolicyDocument")
			md := map[string]any{"startline": st, "endline": e}
			m[cloudformation.MetadataKey] = md
			switch x := m["Statement"].(type) {
			case map[string]any:
				x[cloudformation.MetadataKey] = md
			case []any:
				for _, y := range x {
					if ym, ok := y.(map[string]any); ok {
						ym[cloudformation.MetadataKey] = md
					}
				}
			}
			docObj = cfnObj{r: owner.r, m: m}
		}
		if docObj.m == nil {
			return
		}
		var stmts []any
		switch x := docObj.m["Statement"].(type) {
		case map[string]any:
			stmts = []any{x}
		case []any:
			stmts = x
		}
		statements := []any{}
		for _, x := range stmts {
			sm, ok := x.(map[string]any)
			if !ok {
				continue
			}
			so := cfnObj{r: owner.r, m: sm}
			st := a.object(so)
			st["effect"] = a.val(so, "Effect", "string", "")
			st["actions"] = a.strings(so, "Action")
			st["resources"] = a.strings(so, "Resource")
			statements = append(statements, st)
		}
		m := a.object(cfnObj{r: owner.r})
		m["name"] = a.val(owner, nameKey, "string", "")
		d := a.object(docObj)
		d["statements"] = statements
		m["document"] = d
		out = append(out, m)
	}
	for _, typ := range []string{"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"} {
		name := "PolicyName"
		if typ == "AWS::IAM::ManagedPolicy" {
			name = "ManagedPolicyName"
		}
		for _, r := range a.byType[typ] {
			add(props(r), name)
		}
	}
	for _, typ := range []string{"AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"} {
		for _, r := range a.byType[typ] {
			l, _ := r.Properties["Policies"].([]any)
			for _, x := range l {
				if pm, ok := x.(map[string]any); ok {
					add(cfnObj{r: r, m: pm}, "PolicyName")
				}
			}
		}
	}
	return out
}

// strings is a string-or-list property as one value per known string,
// each with the property's lines.
func (a *cfnAdapter) strings(o cfnObj, key string) []any {
	out := []any{}
	var l []any
	switch x := o.m[key].(type) {
	case string:
		l = []any{x}
	case []any:
		l = x
	}
	s, e := o.keyLines(key)
	for _, x := range l {
		if v, ok := x.(string); ok {
			out = append(out, withValue(a.meta(o, s, e, true), v))
		}
	}
	return out
}

// instances are the AWS::EC2::Instance resources. The metadata options
// are those of the AWS::EC2::LaunchTemplate its LaunchTemplate names by
// Ref/GetAtt (unknown when it names one not in the template; IMDSv1
// allowed without one). The first BlockDeviceMappings entry is the root
// device (unencrypted when there is none), the others EBS devices.
func (a *cfnAdapter) instances() []any {
	out := []any{}
	templates := map[string]*cloudformation.Resource{}
	for _, r := range a.byType["AWS::EC2::LaunchTemplate"] {
		templates[r.ID] = r
	}
	for _, r := range a.byType["AWS::EC2::Instance"] {
		p := props(r)
		m := a.object(cfnObj{r: r})
		opts := a.object(cfnObj{r: r})
		opts["httptokens"] = withValue(a.meta(p, r.StartLine, r.EndLine, false), "optional")
		opts["httpendpoint"] = withValue(a.meta(p, r.StartLine, r.EndLine, false), "enabled")
		if lt := p.child("LaunchTemplate"); lt.m != nil {
			opts["httptokens"].(map[string]any)["value"] = nil
			opts["httpendpoint"].(map[string]any)["value"] = nil
			for _, k := range []string{"LaunchTemplateId", "LaunchTemplateName"} {
				u, ok := lt.m[k].(cloudformation.Unknown)
				if !ok || templates[u.Ref] == nil {
					continue
				}
				mo := props(templates[u.Ref]).child("LaunchTemplateData").child("MetadataOptions")
				if mo.m == nil {
					lp := props(templates[u.Ref])
					s, e := lp.lines()
					opts = a.object(cfnObj{r: lp.r})
					opts["httptokens"] = withValue(a.meta(lp, s, e, false), "optional")
					opts["httpendpoint"] = withValue(a.meta(lp, s, e, false), "enabled")
					continue
				}
				opts = a.object(mo)
				opts["httptokens"] = a.val(mo, "HttpTokens", "string", "optional")
				opts["httpendpoint"] = a.val(mo, "HttpEndpoint", "string", "enabled")
			}
		}
		m["metadataoptions"] = opts
		root := a.object(cfnObj{r: r})
		root["encrypted"] = withValue(a.meta(p, r.StartLine, r.EndLine, false), false)
		ebs := []any{}
		l, _ := p.m["BlockDeviceMappings"].([]any)
		for i, x := range l {
			bm, ok := x.(map[string]any)
			if !ok {
				continue
			}
			eo := cfnObj{r: r, m: bm}.child("Ebs")
			if eo.m == nil {
				continue // an instance store volume
			}
			d := a.object(eo)
			d["encrypted"] = a.val(eo, "Encrypted", "bool", false)
			if i == 0 {
				root = d
				continue
			}
			ebs = append(ebs, d)
		}
		m["rootblockdevice"] = root
		m["ebsblockdevices"] = ebs
		out = append(out, m)
	}
	return out
}

func (a *cfnAdapter) kmsKeys() []any {
	out := []any{}
	for _, r := range a.byType["AWS::KMS::Key"] {
		p := props(r)
		m := a.object(cfnObj{r: r})
		m["usage"] = a.val(p, "KeyUsage", "string", "ENCRYPT_DECRYPT")
		m["rotationenabled"] = a.val(p, "EnableKeyRotation", "bool", false)
		out = append(out, m)
	}
	return out
}

func (a *cfnAdapter) ecrRepositories() []any {
	out := []any{}
	for _, r := range a.byType["AWS::ECR::Repository"] {
		p := props(r)
		m := a.object(cfnObj{r: r})
		isc := p.child("ImageScanningConfiguration")
		scan := a.object(isc)
		scan["scanonpush"] = a.val(isc, "ScanOnPush", "bool", false)
		m["imagescanning"] = scan
		mut := a.val(p, "ImageTagMutability", "string", "MUTABLE")
		if s, ok := mut["value"].(string); ok {
			mut["value"] = strings.HasPrefix(s, "IMMUTABLE")
		}
		m["imagetagsimmutable"] = mut
		out = append(out, m)
	}
	return out
}

func (a *cfnAdapter) snsTopics() []any {
	out := []any{}
	for _, r := range a.byType["AWS::SNS::Topic"] {
		m := a.object(cfnObj{r: r})
		enc := a.object(cfnObj{r: r})
		enc["kmskeyid"] = a.val(props(r), "KmsMasterKeyId", "string", "")
		m["encryption"] = enc
		out = append(out, m)
	}
	return out
}

func (a *cfnAdapter) sqsQueues() []any {
	out := []any{}
	for _, r := range a.byType["AWS::SQS::Queue"] {
		p := props(r)
		m := a.object(cfnObj{r: r})
		enc := a.object(cfnObj{r: r})
		enc["kmskeyid"] = a.val(p, "KmsMasterKeyId", "string", "")
		enc["managedencryption"] = a.val(p, "SqsManagedSseEnabled", "bool", false)
		m["encryption"] = enc
		out = append(out, m)
	}
	return out
}

func (a *cfnAdapter) lambdaFunctions() []any {
	out := []any{}
	for _, r := range a.byType["AWS::Lambda::Function"] {
		m := a.object(cfnObj{r: r})
		tc := props(r).child("TracingConfig")
		tr := a.object(tc)
		tr["mode"] = a.val(tc, "Mode", "string", "PassThrough")
		m["tracing"] = tr
		out = append(out, m)
	}
	return out
}

// eksClusters: EncryptionConfig entries covering "secrets" (and the
// key), ResourcesVpcConfig's public endpoint (enabled and open to
// 0.0.0.0/0 unless set).
func (a *cfnAdapter) eksClusters() []any {
	out := []any{}
	for _, r := range a.byType["AWS::EKS::Cluster"] {
		p := props(r)
		m := a.object(cfnObj{r: r})
		enc := a.object(cfnObj{r: r})
		enc["secrets"] = withValue(a.meta(p, r.StartLine, r.EndLine, false), false)
		enc["kmskeyid"] = withValue(a.meta(p, r.StartLine, r.EndLine, false), "")
		l, _ := p.m["EncryptionConfig"].([]any)
		for _, x := range l {
			em, ok := x.(map[string]any)
			if !ok {
				continue
			}
			eo := cfnObj{r: r, m: em}
			for _, x := range a.strings(eo, "Resources") {
				if v := x.(map[string]any); v["value"] == "secrets" {
					enc = a.object(eo)
					enc["secrets"] = withValue(v, true)
					enc["kmskeyid"] = a.val(eo.child("Provider"), "KeyArn", "string", "")
				}
			}
		}
		m["encryption"] = enc
		vc := p.child("ResourcesVpcConfig")
		m["publicaccessenabled"] = a.val(vc, "EndpointPublicAccess", "bool", true)
		cidrs := a.strings(vc, "PublicAccessCidrs")
		if _, ok := vc.m["PublicAccessCidrs"]; !ok {
			s, e := vc.lines()
			cidrs = []any{withValue(a.meta(vc, s, e, false), "0.0.0.0/0")}
		}
		m["publicaccesscidrs"] = cidrs
		out = append(out, m)
	}
	return out
}
