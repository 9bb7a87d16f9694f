# METADATA
# title: "Unencrypted SQS queue."
# description: "Messages of a queue with neither a KMS key nor SQS-managed encryption are stored unencrypted."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0096
# custom:
#   id: AWS-0096
#   avd_id: AVD-AWS-0096
#   provider: aws
#   service: sqs
#   severity: HIGH
#   recommended_actions: "Set 'kms_master_key_id' or 'sqs_managed_sse_enabled = true' on the queue."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.sqs.AWS0096

deny contains res if {
	some queue in input.aws.sqs.queues
	queue.encryption.kmskeyid.value == ""
	queue.encryption.managedencryption.value == false
	res := result.new("Queue is not encrypted.", queue.encryption.kmskeyid)
}
