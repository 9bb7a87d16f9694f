package misconfig

import (
	"github.com/zclconf/go-cty/cty"

	"github.com/trawlsec/trawl/internal/parse/terraform"
)

// extendAccount adds the account-level parts of the Terraform document
// that have no CloudFormation resource: input.aws.iam.passwordpolicy
// (aws_iam_account_password_policy) and the default security groups of
// VPCs (aws_default_security_group) under input.aws.ec2.vpcs[_].
// securitygroups; the IAM users with the policies attached to them
// directly; and the trails' event selectors (S3 data events).
// aws is the document's "aws" object.
func (b *cloudBuilder) extendAccount(aws map[string]any) {
	if iam, ok := aws["iam"].(map[string]any); ok {
		if p := b.passwordPolicy(); p != nil {
			iam["passwordpolicy"] = p
		}
		iam["users"] = b.iamUsers()
	}
	if ct, ok := aws["cloudtrail"].(map[string]any); ok {
		trails, _ := ct["trails"].([]any)
		if rs := b.byType["aws_cloudtrail"]; len(rs) == len(trails) {
			for i, r := range rs {
				if m, ok := trails[i].(map[string]any); ok {
					m["eventselectors"] = eventSelectors(r)
				}
			}
		}
	}
	ec2, ok := aws["ec2"].(map[string]any)
	if !ok {
		return
	}
	vpcs, _ := ec2["vpcs"].([]any)
	byVPC := map[*terraform.Resource]map[string]any{}
	if rs := b.byType["aws_vpc"]; len(rs) == len(vpcs) {
		for i, r := range rs {
			if m, ok := vpcs[i].(map[string]any); ok {
				m["securitygroups"] = []any{}
				byVPC[r] = m
			}
		}
	}
	rules, _ := b.sides([]string{"aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"},
		"security_group_id", []string{"aws_default_security_group"}, "id")
	for _, r := range b.byType["aws_default_security_group"] {
		sg := defaultSecurityGroup(r, rules[r])
		var vpc map[string]any
		for _, v := range b.linked(r, "vpc_id", "aws_vpc", "id") {
			vpc = byVPC[v]
		}
		if vpc == nil {
			// The default VPC, or one defined elsewhere: a VPC of its own
			// whose flow logs are not known here.
			vpc = object(r, r.Block)
			vpc["flowlogsenabled"] = withValue(meta(r, r.Range, false), nil)
			vpc["securitygroups"] = []any{}
			vpcs = append(vpcs, vpc)
		}
		vpc["securitygroups"] = append(vpc["securitygroups"].([]any), sg)
	}
	if vpcs == nil {
		vpcs = []any{}
	}
	ec2["vpcs"] = vpcs
}

// defaultSecurityGroup is an aws_default_security_group: isdefault true,
// its inline ingress/egress blocks and the standalone rules naming it.
// Terraform removes the rules it does not declare, so a group without
// any allows no traffic.
func defaultSecurityGroup(r *terraform.Resource, sides []*terraform.Resource) map[string]any {
	m := object(r, r.Block)
	m["isdefault"] = withValue(meta(r, r.Range, true), true)
	m["description"] = val(r, r.Block, "description", cty.String, "default VPC security group")
	rule := func(r *terraform.Resource, blk *terraform.Block, protoAttr string, cidrAttrs ...string) map[string]any {
		o := object(r, blk)
		o["description"] = val(r, blk, "description", cty.String, "")
		o["cidrs"] = list(r, blk, cidrAttrs...)
		o["fromport"] = val(r, blk, "from_port", cty.Number, -1)
		o["toport"] = val(r, blk, "to_port", cty.Number, -1)
		o["protocol"] = val(r, blk, protoAttr, cty.String, "")
		return o
	}
	in, eg := []any{}, []any{}
	for _, blk := range r.Children("ingress") {
		in = append(in, rule(r, blk, "protocol", "cidr_blocks", "ipv6_cidr_blocks"))
	}
	for _, blk := range r.Children("egress") {
		eg = append(eg, rule(r, blk, "protocol", "cidr_blocks", "ipv6_cidr_blocks"))
	}
	for _, s := range sides {
		switch s.Type {
		case "aws_vpc_security_group_ingress_rule":
			in = append(in, rule(s, s.Block, "ip_protocol", "cidr_ipv4", "cidr_ipv6"))
		case "aws_vpc_security_group_egress_rule":
			eg = append(eg, rule(s, s.Block, "ip_protocol", "cidr_ipv4", "cidr_ipv6"))
		default:
			t := s.Attrs["type"]
			if t == nil || !t.Value.IsKnown() || t.Value.IsNull() || t.Value.Type() != cty.String {
				continue
			}
			switch t.Value.AsString() {
			case "ingress":
				in = append(in, rule(s, s.Block, "protocol", "cidr_blocks", "ipv6_cidr_blocks"))
			case "egress":
				eg = append(eg, rule(s, s.Block, "protocol", "cidr_blocks", "ipv6_cidr_blocks"))
			}
		}
	}
	m["ingressrules"], m["egressrules"] = in, eg
	return m
}

// passwordPolicy is the account's aws_iam_account_password_policy (the
// first one: an account has one), nil without one. Unset attributes have
// AWS's defaults: no reuse prevention, no expiry (0), no character
// classes required, at least 6 characters.
func (b *cloudBuilder) passwordPolicy() map[string]any {
	rs := b.byType["aws_iam_account_password_policy"]
	if len(rs) == 0 {
		return nil
	}
	r := rs[0]
	m := object(r, r.Block)
	m["reusepreventioncount"] = val(r, r.Block, "password_reuse_prevention", cty.Number, int64(0))
	m["requirelowercase"] = val(r, r.Block, "require_lowercase_characters", cty.Bool, false)
	m["requireuppercase"] = val(r, r.Block, "require_uppercase_characters", cty.Bool, false)
	m["requirenumbers"] = val(r, r.Block, "require_numbers", cty.Bool, false)
	m["requiresymbols"] = val(r, r.Block, "require_symbols", cty.Bool, false)
	m["maxagedays"] = val(r, r.Block, "max_password_age", cty.Number, int64(0))
	m["minimumlength"] = val(r, r.Block, "minimum_password_length", cty.Number, int64(6))
	return m
}

// eventSelectors are the event_selector blocks of an aws_cloudtrail:
// read_write_type (default All) and each data_resource's type and
// values. advanced_event_selector blocks are not read.
func eventSelectors(r *terraform.Resource) []any {
	out := []any{}
	for _, blk := range r.Children("event_selector") {
		m := object(r, blk)
		m["readwritetype"] = val(r, blk, "read_write_type", cty.String, "All")
		drs := []any{}
		for _, d := range blk.Children("data_resource") {
			dm := object(r, d)
			dm["type"] = val(r, d, "type", cty.String, "")
			values := list(r, d, "values")
			if a := d.Attrs["values"]; a != nil && !a.Value.IsWhollyKnown() {
				// Unknown values may cover any bucket.
				values = append(values, withValue(meta(r, a.Range, true), nil))
			}
			dm["values"] = values
			drs = append(drs, dm)
		}
		m["dataresources"] = drs
		out = append(out, m)
	}
	return out
}

// iamUsers are the aws_iam_user resources, each with the policies given
// to it directly: aws_iam_user_policy and aws_iam_user_policy_attachment
// naming it in "user" (by reference or name; one naming a user not in the
// module is a user of its own), and aws_iam_policy_attachment listing it
// in "users".
func (b *cloudBuilder) iamUsers() []any {
	attached, orphans := b.sides([]string{"aws_iam_user_policy", "aws_iam_user_policy_attachment"}, "user", []string{"aws_iam_user"}, "name")
	for _, pa := range b.byType["aws_iam_policy_attachment"] {
		for _, u := range b.linked(pa, "users", "aws_iam_user", "name") {
			attached[u] = append(attached[u], pa)
		}
	}
	policies := func(rs []*terraform.Resource) []any {
		out := []any{}
		for _, p := range rs {
			m := object(p, p.Block)
			m["name"] = withValue(meta(p, p.Range, false), p.Address)
			out = append(out, m)
		}
		return out
	}
	out := []any{}
	for _, r := range b.byType["aws_iam_user"] {
		m := object(r, r.Block)
		m["name"] = val(r, r.Block, "name", cty.String, "")
		m["policies"] = policies(attached[r])
		out = append(out, m)
	}
	for _, o := range orphans {
		m := object(o, o.Block)
		m["name"] = val(o, o.Block, "user", cty.String, "")
		m["policies"] = policies([]*terraform.Resource{o})
		out = append(out, m)
	}
	return out
}
