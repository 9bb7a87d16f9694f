# METADATA
# title: "Unencrypted SNS topic."
# description: "Messages of a topic without a KMS key are stored unencrypted and readable to anyone who gets at the storage."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0095
# custom:
#   id: AWS-0095
#   avd_id: AVD-AWS-0095
#   provider: aws
#   service: sns
#   severity: HIGH
#   recommended_actions: "Set 'kms_master_key_id' on the topic."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.sns.AWS0095

deny contains res if {
	some topic in input.aws.sns.topics
	topic.encryption.kmskeyid.value == ""
	res := result.new("Topic does not have encryption enabled.", topic.encryption.kmskeyid)
}
