# METADATA
# title: "Neptune encryption should use Customer Managed Keys"
# description: "Storage encrypted with the AWS managed key gives no control over the key policy or its rotation; a customer managed key does."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0128
# custom:
#   id: AWS-0128
#   avd_id: AVD-AWS-0128
#   provider: aws
#   service: neptune
#   severity: HIGH
#   recommended_actions: "Set 'kms_key_arn' on the cluster to a customer managed key."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.neptune.AWS0128

deny contains res if {
	some cluster in input.aws.neptune.clusters
	cluster.kmskeyid.value == ""
	res := result.new("Cluster does not encrypt data with a customer managed key.", cluster.kmskeyid)
}
