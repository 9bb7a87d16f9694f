# METADATA
# title: "Elasticache Replication Group stores unencrypted data at-rest."
# description: "A replication group without encryption at rest keeps its data, backups and swap unencrypted on disk."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0045
# custom:
#   id: AWS-0045
#   avd_id: AVD-AWS-0045
#   provider: aws
#   service: elasticache
#   severity: HIGH
#   recommended_actions: "Set 'at_rest_encryption_enabled = true' on the replication group."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.elasticache.AWS0045

deny contains res if {
	some group in input.aws.elasticache.replicationgroups
	group.atrestencryptionenabled.value == false
	res := result.new("Replication group does not encrypt data at rest.", group.atrestencryptionenabled)
}
