# METADATA
# title: "Point in time recovery should be enabled to protect DynamoDB table"
# description: "Without point-in-time recovery a table overwritten or deleted by mistake or by an attacker cannot be restored to an earlier state."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0024
# custom:
#   id: AWS-0024
#   avd_id: AVD-AWS-0024
#   provider: aws
#   service: dynamodb
#   severity: MEDIUM
#   recommended_actions: "Add 'point_in_time_recovery { enabled = true }' to the table."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.dynamodb.AWS0024

deny contains res if {
	some table in input.aws.dynamodb.tables
	table.pointintimerecovery.value == false
	res := result.new("Table does not have point-in-time recovery enabled.", table.pointintimerecovery)
}
