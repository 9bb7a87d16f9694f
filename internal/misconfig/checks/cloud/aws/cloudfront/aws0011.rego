# METADATA
# title: "CloudFront distribution does not have a WAF in front."
# description: "A distribution without a web application firewall passes common web attacks straight through to its origins."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0011
# custom:
#   id: AWS-0011
#   avd_id: AVD-AWS-0011
#   provider: aws
#   service: cloudfront
#   severity: HIGH
#   recommended_actions: "Associate a WAF web ACL with the distribution ('web_acl_id')."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.cloudfront.AWS0011

deny contains res if {
	some dist in input.aws.cloudfront.distributions
	dist.wafid.value == ""
	res := result.new("Distribution does not use a WAF.", dist.wafid)
}
