# METADATA
# title: "IAM policy should avoid use of wildcards and instead apply the principle of least privilege"
# description: "An Allow statement with a wildcard action (* or s3:*) or on every resource (*) grants more than the holder needs."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0057
# custom:
#   id: AWS-0057
#   avd_id: AVD-AWS-0057
#   provider: aws
#   service: iam
#   severity: HIGH
#   recommended_actions: "Name the actions and resources the policy needs instead of wildcards."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.iam.AWS0057

deny contains res if {
	some policy in input.aws.iam.policies
	some statement in policy.document.statements
	statement.effect.value == "Allow"
	some action in statement.actions
	contains(action.value, "*")
	res := result.new(sprintf("IAM policy document uses wildcarded action %q", [action.value]), action)
}

deny contains res if {
	some policy in input.aws.iam.policies
	some statement in policy.document.statements
	statement.effect.value == "Allow"
	some resource in statement.resources
	resource.value == "*"
	res := result.new("IAM policy document uses wildcarded resource '*'", resource)
}
