# METADATA
# title: "Elasticache Replication Group uses unencrypted traffic."
# description: "Without in-transit encryption the traffic between clients and nodes, and between nodes, is readable on the network."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0051
# custom:
#   id: AWS-0051
#   avd_id: AVD-AWS-0051
#   provider: aws
#   service: elasticache
#   severity: HIGH
#   recommended_actions: "Set 'transit_encryption_enabled = true' on the replication group."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.elasticache.AWS0051

deny contains res if {
	some group in input.aws.elasticache.replicationgroups
	group.transitencryptionenabled.value == false
	res := result.new("Replication group does not encrypt traffic in transit.", group.transitencryptionenabled)
}
