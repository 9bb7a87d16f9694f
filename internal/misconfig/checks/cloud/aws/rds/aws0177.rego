# METADATA
# title: "RDS Deletion Protection Disabled"
# description: "Without deletion protection one API call or a mistaken apply deletes the database."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0177
# custom:
#   id: AWS-0177
#   avd_id: AVD-AWS-0177
#   provider: aws
#   service: rds
#   severity: MEDIUM
#   recommended_actions: "Set 'deletion_protection = true' on the DB instance."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.rds.AWS0177

deny contains res if {
	some instance in input.aws.rds.instances
	instance.deletionprotection.value == false
	res := result.new("Instance does not have deletion protection enabled.", instance.deletionprotection)
}
