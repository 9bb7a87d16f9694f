# METADATA
# title: "CloudWatch log groups should be encrypted using CMK"
# description: "Log groups are encrypted by default with a service key; a customer managed KMS key gives control over its policy and rotation."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0017
# custom:
#   id: AWS-0017
#   avd_id: AVD-AWS-0017
#   provider: aws
#   service: cloudwatch
#   severity: LOW
#   recommended_actions: "Set 'kms_key_id' on the log group to a customer managed key."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.cloudwatch.AWS0017

deny contains res if {
	some group in input.aws.cloudwatch.loggroups
	group.kmskeyid.value == ""
	res := result.new("Log group is not encrypted with a customer managed key.", group.kmskeyid)
}
