# METADATA
# title: "DocumentDB storage must be encrypted"
# description: "A DocumentDB cluster without storage encryption keeps its data, backups and snapshots unencrypted on disk."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0021
# custom:
#   id: AWS-0021
#   avd_id: AVD-AWS-0021
#   provider: aws
#   service: documentdb
#   severity: HIGH
#   recommended_actions: "Set 'storage_encrypted = true' on the cluster."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.documentdb.AWS0021

deny contains res if {
	some cluster in input.aws.documentdb.clusters
	cluster.storageencrypted.value == false
	res := result.new("Cluster storage is not encrypted.", cluster.storageencrypted)
}
