# METADATA
# title: "DocumentDB encryption should use Customer Managed Keys"
# description: "Storage encrypted with the AWS managed key gives no control over the key policy or its rotation; a customer managed key does."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0022
# custom:
#   id: AWS-0022
#   avd_id: AVD-AWS-0022
#   provider: aws
#   service: documentdb
#   severity: LOW
#   recommended_actions: "Set 'kms_key_id' on the cluster to a customer managed key."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.documentdb.AWS0022

deny contains res if {
	some cluster in input.aws.documentdb.clusters
	cluster.kmskeyid.value == ""
	res := result.new("Cluster encryption does not use a customer managed key.", cluster.kmskeyid)
}
