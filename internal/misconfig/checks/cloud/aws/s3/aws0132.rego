# METADATA
# title: "S3 encryption should use Customer Managed Keys"
# description: "Default S3 encryption uses keys the account does not control; SSE-KMS with a customer managed key adds control over key policy, rotation and auditing. Log delivery buckets cannot use SSE-KMS and are not flagged."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0132
# custom:
#   id: AWS-0132
#   avd_id: AVD-AWS-0132
#   provider: aws
#   service: s3
#   severity: HIGH
#   recommended_actions: "Configure SSE-KMS with 'kms_master_key_id' set to a customer managed key."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.s3.AWS0132

deny contains res if {
	some bucket in input.aws.s3.buckets
	bucket.acl.value != "log-delivery-write"
	bucket.encryption.kmskeyid.value == ""
	res := result.new("Bucket does not encrypt data with a customer managed key.", bucket.encryption.kmskeyid)
}
