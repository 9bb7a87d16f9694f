# METADATA
# title: "DynamoDB tables should use at rest encryption with a Customer Managed Key"
# description: "A table encrypted with the AWS owned or AWS managed key gives no control over the key's policy, rotation or revocation."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0025
# custom:
#   id: AWS-0025
#   avd_id: AVD-AWS-0025
#   provider: aws
#   service: dynamodb
#   severity: LOW
#   recommended_actions: "Add 'server_side_encryption { enabled = true, kms_key_arn = <customer managed key> }' to the table."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.dynamodb.AWS0025

deny contains res if {
	some table in input.aws.dynamodb.tables
	table.serversideencryption.enabled.value == false
	res := result.new("Table is not encrypted with a customer managed key.", table.serversideencryption.enabled)
}

deny contains res if {
	some table in input.aws.dynamodb.tables
	table.serversideencryption.enabled.value == true
	table.serversideencryption.kmskeyid.value in {"", "alias/aws/dynamodb"}
	res := result.new("Table encryption uses the AWS managed key.", table.serversideencryption.kmskeyid)
}
