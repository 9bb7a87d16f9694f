# METADATA
# title: "IAM Password policy should have minimum password length of 14 or more characters."
# description: "Longer passwords are harder to guess; the account password policy should require at least 14 characters (AWS's default is 6)."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0063
# custom:
#   id: AWS-0063
#   avd_id: AVD-AWS-0063
#   provider: aws
#   service: iam
#   severity: MEDIUM
#   recommended_actions: "Set 'minimum_password_length' to 14 or more."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.iam.AWS0063

deny contains res if {
	policy := input.aws.iam.passwordpolicy
	n := policy.minimumlength.value
	is_number(n)
	n < 14
	res := result.new(sprintf("Password policy requires only %d characters, fewer than 14.", [n]), policy.minimumlength)
}
