# METADATA
# title: "There is no encryption specified or encryption is disabled on the RDS Cluster."
# description: "An RDS/Aurora cluster without storage encryption keeps its data, backups and snapshots unencrypted; with encryption it should use a key the account controls."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0079
# custom:
#   id: AWS-0079
#   avd_id: AVD-AWS-0079
#   provider: aws
#   service: rds
#   severity: HIGH
#   recommended_actions: "Set 'storage_encrypted = true' and 'kms_key_id' on the cluster."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.rds.AWS0079

deny contains res if {
	some cluster in input.aws.rds.clusters
	cluster.encryption.encryptstorage.value == false
	res := result.new("Cluster does not have storage encryption enabled.", cluster.encryption.encryptstorage)
}

deny contains res if {
	some cluster in input.aws.rds.clusters
	cluster.encryption.encryptstorage.value == true
	cluster.encryption.kmskeyid.value == ""
	res := result.new("Cluster storage encryption does not use a customer managed key.", cluster.encryption.kmskeyid)
}
