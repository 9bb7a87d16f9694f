# METADATA
# title: "S3 Data should be versioned"
# description: "Without versioning an overwritten or deleted object cannot be recovered."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0090
# custom:
#   id: AWS-0090
#   avd_id: AVD-AWS-0090
#   provider: aws
#   service: s3
#   severity: MEDIUM
#   recommended_actions: "Enable versioning (a versioning block, or aws_s3_bucket_versioning with status Enabled)."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.s3.AWS0090

deny contains res if {
	some bucket in input.aws.s3.buckets
	bucket.versioning.enabled.value == false
	res := result.new("Bucket does not have versioning enabled", bucket.versioning.enabled)
}
