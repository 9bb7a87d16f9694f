# METADATA
# title: "Redshift clusters should use at rest encryption"
# description: "A Redshift cluster holding sensitive data should be encrypted at rest with a key the account controls, so that a compromise of the storage does not expose it."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0084
# custom:
#   id: AWS-0084
#   avd_id: AVD-AWS-0084
#   provider: aws
#   service: redshift
#   severity: HIGH
#   recommended_actions: "Set 'encrypted = true' and 'kms_key_id' to a customer managed key."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.redshift.AWS0084

deny contains res if {
	some cluster in input.aws.redshift.clusters
	cluster.encryption.enabled.value == false
	res := result.new("Cluster is not encrypted at rest.", cluster.encryption.enabled)
}

deny contains res if {
	some cluster in input.aws.redshift.clusters
	cluster.encryption.enabled.value == true
	cluster.encryption.kmskeyid.value == ""
	res := result.new("Cluster is not encrypted with a customer managed key.", cluster.encryption.kmskeyid)
}
