# METADATA
# title: "RDS encryption has not been enabled at a DB Instance level."
# description: "An RDS instance without storage encryption keeps its data, logs, backups and snapshots unencrypted at rest."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0080
# custom:
#   id: AWS-0080
#   avd_id: AVD-AWS-0080
#   provider: aws
#   service: rds
#   severity: HIGH
#   recommended_actions: "Set 'storage_encrypted = true' on the DB instance."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.rds.AWS0080

deny contains res if {
	some instance in input.aws.rds.instances
	instance.replicationsourcearn.value == ""
	instance.encryption.encryptstorage.value == false
	res := result.new("Instance does not have storage encryption enabled.", instance.encryption.encryptstorage)
}
