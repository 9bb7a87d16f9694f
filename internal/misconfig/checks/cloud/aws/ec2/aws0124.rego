# METADATA
# title: "Missing description for security group rule."
# description: "A rule without a description leaves reviewers guessing why the traffic is allowed."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0124
# custom:
#   id: AWS-0124
#   avd_id: AVD-AWS-0124
#   provider: aws
#   service: ec2
#   severity: LOW
#   recommended_actions: "Add a description to every security group rule."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.ec2.AWS0124

deny contains res if {
	some group in input.aws.ec2.securitygroups
	some rules in [group.ingressrules, group.egressrules]
	some rule in rules
	rule.description.value == ""
	res := result.new("Security group rule does not have a description.", rule.description)
}
