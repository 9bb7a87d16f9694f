# METADATA
# title: "Unencrypted S3 bucket."
# description: "A bucket without default server-side encryption stores objects that were uploaded without encryption headers unencrypted."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0088
# custom:
#   id: AWS-0088
#   avd_id: AVD-AWS-0088
#   provider: aws
#   service: s3
#   severity: HIGH
#   recommended_actions: "Configure default server-side encryption for the bucket (server_side_encryption_configuration)."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.s3.AWS0088

deny contains res if {
	some bucket in input.aws.s3.buckets
	bucket.encryption.enabled.value == false
	res := result.new("Bucket does not have encryption enabled", bucket.encryption.enabled)
}
