# METADATA
# title: "RDS IAM Database Authentication Disabled"
# description: "Without IAM database authentication, access to a MySQL or PostgreSQL instance rests on long-lived database passwords instead of short-lived IAM tokens."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0176
# custom:
#   id: AWS-0176
#   avd_id: AVD-AWS-0176
#   provider: aws
#   service: rds
#   severity: MEDIUM
#   recommended_actions: "Set 'iam_database_authentication_enabled = true' on MySQL and PostgreSQL instances."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.rds.AWS0176

deny contains res if {
	some instance in input.aws.rds.instances
	instance.engine.value in {"postgres", "mysql"}
	instance.iamauthenabled.value == false
	res := result.new("Instance does not have IAM database authentication enabled.", instance.iamauthenabled)
}
