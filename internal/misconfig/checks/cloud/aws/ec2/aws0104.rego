# METADATA
# title: "An egress security group rule allows traffic to /0."
# description: "A security group rule that allows traffic to 0.0.0.0/0 or ::/0 lets a compromised workload reach any address, which eases data exfiltration."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0104
# custom:
#   id: AWS-0104
#   avd_id: AVD-AWS-0104
#   provider: aws
#   service: ec2
#   severity: CRITICAL
#   recommended_actions: "Restrict the rule's CIDR blocks to the destinations that are needed."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.ec2.AWS0104

deny contains res if {
	some group in input.aws.ec2.securitygroups
	some rule in group.egressrules
	some cidr in rule.cidrs
	endswith(cidr.value, "/0")
	res := result.new(sprintf("Security group rule allows egress to public internet (%s).", [cidr.value]), cidr)
}
