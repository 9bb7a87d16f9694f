# METADATA
# title: "An ingress Network ACL rule allows specific ports from /0."
# description: "A network ACL rule that admits traffic from 0.0.0.0/0 or ::/0 exposes the subnet to the whole internet."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0105
# custom:
#   id: AWS-0105
#   avd_id: AVD-AWS-0105
#   provider: aws
#   service: ec2
#   severity: CRITICAL
#   recommended_actions: "Restrict the rule's CIDR block to the addresses that need access."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.ec2.AWS0105

deny contains res if {
	some acl in input.aws.ec2.networkacls
	some rule in acl.rules
	rule.type.value == "ingress"
	rule.action.value == "allow"
	some cidr in rule.cidrs
	endswith(cidr.value, "/0")
	res := result.new(sprintf("Network ACL rule allows ingress from public internet (%s).", [cidr.value]), cidr)
}
