# METADATA
# title: "An Network ACL rule allows ALL ports."
# description: "A network ACL rule that allows every protocol opens all ports; rules should allow only the protocols and ports needed."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0102
# custom:
#   id: AWS-0102
#   avd_id: AVD-AWS-0102
#   provider: aws
#   service: ec2
#   severity: CRITICAL
#   recommended_actions: "Set a specific 'protocol' and port range on the allowing rule."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.ec2.AWS0102

deny contains res if {
	some acl in input.aws.ec2.networkacls
	some rule in acl.rules
	rule.action.value == "allow"
	rule.protocol.value in {"all", "-1"}
	res := result.new("Network ACL rule allows all protocols and ports.", rule.protocol)
}
