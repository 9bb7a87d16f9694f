# METADATA
# title: "CloudTrail should use Customer managed keys to encrypt the logs"
# description: "Trail logs encrypted only with S3-managed keys give no control over who may decrypt them; a customer managed KMS key adds a policy and rotation the account controls."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0015
# custom:
#   id: AWS-0015
#   avd_id: AVD-AWS-0015
#   provider: aws
#   service: cloudtrail
#   severity: HIGH
#   recommended_actions: "Set 'kms_key_id' on the trail to a customer managed KMS key."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.cloudtrail.AWS0015

deny contains res if {
	some trail in input.aws.cloudtrail.trails
	trail.kmskeyid.value == ""
	res := result.new("Trail does not encrypt its logs with a customer managed key.", trail.kmskeyid)
}
