# METADATA
# title: "Default security group should restrict all traffic"
# description: "A VPC's default security group is used by every resource placed in the VPC without a group of its own; with no rules it allows no traffic, which pushes resources into purpose-built groups. Terraform's aws_default_security_group removes every rule it does not declare."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0173
# custom:
#   id: AWS-0173
#   avd_id: AVD-AWS-0173
#   provider: aws
#   service: ec2
#   severity: LOW
#   recommended_actions: "Declare no ingress or egress rules in 'aws_default_security_group'."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.ec2.AWS0173

deny contains res if {
	some vpc in input.aws.ec2.vpcs
	some sg in vpc.securitygroups
	sg.isdefault.value == true
	count(sg.ingressrules) + count(sg.egressrules) > 0
	res := result.new("Default security group of the VPC has ingress or egress rules.", sg)
}
