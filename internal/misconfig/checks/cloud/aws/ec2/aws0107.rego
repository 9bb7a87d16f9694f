# METADATA
# title: "Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 22 or port 3389."
# description: "A security group rule that admits the whole internet (0.0.0.0/0 or ::/0) to SSH (22) or RDP (3389) exposes remote administration to everyone. Rules for all protocols ('-1') open every port, these included."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0107
# custom:
#   id: AWS-0107
#   avd_id: AVD-AWS-0107
#   provider: aws
#   service: ec2
#   severity: HIGH
#   recommended_actions: "Restrict the rule's CIDR blocks to the addresses that need access."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.ec2.AWS0107

deny contains res if {
	some group in input.aws.ec2.securitygroups
	some rule in group.ingressrules
	some cidr in rule.cidrs
	cidr.value in {"0.0.0.0/0", "::/0"}
	admin_port(rule)
	res := result.new(sprintf("Security group rule allows ingress from public internet (%s) to SSH or RDP.", [cidr.value]), cidr)
}

protocol(v) := lower(v) if is_string(v)

protocol(v) := format_int(v, 10) if is_number(v)

# Every protocol: every port, whatever the range says.
admin_port(rule) if protocol(rule.protocol.value) in {"-1", "all"}

admin_port(rule) if {
	protocol(rule.protocol.value) in {"tcp", "udp", "6", "17"}
	some port in [22, 3389]
	covers(rule, port)
}

covers(rule, port) if {
	is_number(rule.fromport.value)
	is_number(rule.toport.value)
	rule.fromport.value <= port
	port <= rule.toport.value
}
