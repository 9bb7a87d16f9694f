# METADATA
# title: "DAX Cluster should always encrypt data at rest"
# description: "A DynamoDB Accelerator cluster without server-side encryption keeps its cached data, logs and configuration unencrypted on disk."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0023
# custom:
#   id: AWS-0023
#   avd_id: AVD-AWS-0023
#   provider: aws
#   service: dynamodb
#   severity: HIGH
#   recommended_actions: "Add 'server_side_encryption { enabled = true }' to the DAX cluster."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.dynamodb.AWS0023

deny contains res if {
	some cluster in input.aws.dynamodb.daxclusters
	cluster.serversideencryption.enabled.value == false
	res := result.new("DAX cluster does not encrypt data at rest.", cluster.serversideencryption.enabled)
}
