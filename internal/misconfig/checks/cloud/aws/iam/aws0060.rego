# METADATA
# title: "IAM Password policy should have requirement for at least one symbol in the password."
# description: "Passwords drawn from more character classes are harder to guess; the account password policy should require a symbol."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0060
# custom:
#   id: AWS-0060
#   avd_id: AVD-AWS-0060
#   provider: aws
#   service: iam
#   severity: MEDIUM
#   recommended_actions: "Set 'require_symbols = true'."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.iam.AWS0060

deny contains res if {
	policy := input.aws.iam.passwordpolicy
	policy.requiresymbols.value == false
	res := result.new("Password policy does not require symbols.", policy.requiresymbols)
}
