# METADATA
# title: "IAM Password policy should prevent password reuse."
# description: "The account password policy (aws_iam_account_password_policy) should remember at least the last five passwords so that a user cannot cycle back to a previous one."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0056
# custom:
#   id: AWS-0056
#   avd_id: AVD-AWS-0056
#   provider: aws
#   service: iam
#   severity: MEDIUM
#   recommended_actions: "Set 'password_reuse_prevention' to 5 or more."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.iam.AWS0056

deny contains res if {
	policy := input.aws.iam.passwordpolicy
	n := policy.reusepreventioncount.value
	is_number(n)
	n < 5
	res := result.new(sprintf("Password policy remembers %d previous passwords, fewer than 5.", [n]), policy.reusepreventioncount)
}
