# METADATA
# title: "IAM policies should not be granted directly to users."
# description: "Permissions given to groups or roles, not to individual users, keep access reviewable as the number of users grows; a policy attached to a user is easily forgotten when the user's duties change."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0143
# custom:
#   id: AWS-0143
#   avd_id: AVD-AWS-0143
#   provider: aws
#   service: iam
#   severity: LOW
#   recommended_actions: "Attach the policy to a group the user belongs to (aws_iam_group_policy_attachment) or to a role."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.iam.AWS0143

deny contains res if {
	some user in input.aws.iam.users
	count(user.policies) > 0
	res := result.new("One or more policies are attached directly to the user.", user)
}
