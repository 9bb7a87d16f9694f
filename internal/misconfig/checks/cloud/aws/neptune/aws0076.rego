# METADATA
# title: "Neptune storage must be encrypted at rest"
# description: "A Neptune cluster without storage encryption keeps its data, backups and snapshots unencrypted on disk."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0076
# custom:
#   id: AWS-0076
#   avd_id: AVD-AWS-0076
#   provider: aws
#   service: neptune
#   severity: HIGH
#   recommended_actions: "Set 'storage_encrypted = true' on the cluster."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.neptune.AWS0076

deny contains res if {
	some cluster in input.aws.neptune.clusters
	cluster.storageencrypted.value == false
	res := result.new("Cluster storage is not encrypted.", cluster.storageencrypted)
}
