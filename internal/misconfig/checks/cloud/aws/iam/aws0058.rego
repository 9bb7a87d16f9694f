# METADATA
# title: "IAM Password policy should have requirement for at least one lowercase character."
# description: "Passwords drawn from more character classes are harder to guess; the account password policy should require a lowercase letter."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0058
# custom:
#   id: AWS-0058
#   avd_id: AVD-AWS-0058
#   provider: aws
#   service: iam
#   severity: MEDIUM
#   recommended_actions: "Set 'require_lowercase_characters = true'."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.iam.AWS0058

deny contains res if {
	policy := input.aws.iam.passwordpolicy
	policy.requirelowercase.value == false
	res := result.new("Password policy does not require lowercase letters.", policy.requirelowercase)
}
