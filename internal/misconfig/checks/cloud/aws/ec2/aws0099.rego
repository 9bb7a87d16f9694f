# METADATA
# title: "Missing description for security group."
# description: "A security group without a description (or with Terraform's placeholder 'Managed by Terraform') leaves reviewers guessing what it is for."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0099
# custom:
#   id: AWS-0099
#   avd_id: AVD-AWS-0099
#   provider: aws
#   service: ec2
#   severity: LOW
#   recommended_actions: "Give the security group a 'description' that says what it allows and why."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.ec2.AWS0099

deny contains res if {
	some group in input.aws.ec2.securitygroups
	group.description.explicit == true
	group.description.value == ""
	res := result.new("Security group does not have a description.", group.description)
}

deny contains res if {
	some group in input.aws.ec2.securitygroups
	group.description.value == "Managed by Terraform"
	res := result.new("Security group uses Terraform's default description.", group.description)
}
