# METADATA
# title: "An ingress security group rule allows traffic from /0."
# description: "A security group rule that admits traffic from 0.0.0.0/0 or ::/0 exposes the port to the whole internet."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0107
# custom:
#   id: AWS-0107
#   avd_id: AVD-AWS-0107
#   provider: aws
#   service: ec2
#   severity: CRITICAL
#   recommended_actions: "Restrict the rule's CIDR blocks to the addresses that need access."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.ec2.AWS0107

deny contains res if {
	some group in input.aws.ec2.securitygroups
	some rule in group.ingressrules
	some cidr in rule.cidrs
	endswith(cidr.value, "/0")
	res := result.new(sprintf("Security group rule allows ingress from public internet (%s).", [cidr.value]), cidr)
}
