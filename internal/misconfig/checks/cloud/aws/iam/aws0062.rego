# METADATA
# title: "IAM Password policy should have expiry less than or equal to 90 days."
# description: "Passwords should expire within 90 days. A policy without 'max_password_age' (or 0) lets passwords live forever and fails too."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0062
# custom:
#   id: AWS-0062
#   avd_id: AVD-AWS-0062
#   provider: aws
#   service: iam
#   severity: MEDIUM
#   recommended_actions: "Set 'max_password_age' to 90 or less (and more than 0)."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.iam.AWS0062

deny contains res if {
	policy := input.aws.iam.passwordpolicy
	days := policy.maxagedays.value
	is_number(days)
	days > 90
	res := result.new(sprintf("Password policy lets passwords live %d days, more than 90.", [days]), policy.maxagedays)
}

deny contains res if {
	policy := input.aws.iam.passwordpolicy
	policy.maxagedays.value == 0
	res := result.new("Password policy does not expire passwords.", policy.maxagedays)
}
