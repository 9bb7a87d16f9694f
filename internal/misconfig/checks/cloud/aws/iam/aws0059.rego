# METADATA
# title: "IAM Password policy should have requirement for at least one number in the password."
# description: "Passwords drawn from more character classes are harder to guess; the account password policy should require a digit."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0059
# custom:
#   id: AWS-0059
#   avd_id: AVD-AWS-0059
#   provider: aws
#   service: iam
#   severity: MEDIUM
#   recommended_actions: "Set 'require_numbers = true'."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.iam.AWS0059

deny contains res if {
	policy := input.aws.iam.passwordpolicy
	policy.requirenumbers.value == false
	res := result.new("Password policy does not require numbers.", policy.requirenumbers)
}
