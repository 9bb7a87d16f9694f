# METADATA
# title: "IAM Password policy should have requirement for at least one uppercase character."
# description: "Passwords drawn from more character classes are harder to guess; the account password policy should require an uppercase letter."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0061
# custom:
#   id: AWS-0061
#   avd_id: AVD-AWS-0061
#   provider: aws
#   service: iam
#   severity: MEDIUM
#   recommended_actions: "Set 'require_uppercase_characters = true'."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.iam.AWS0061

deny contains res if {
	policy := input.aws.iam.passwordpolicy
	policy.requireuppercase.value == false
	res := result.new("Password policy does not require uppercase letters.", policy.requireuppercase)
}
