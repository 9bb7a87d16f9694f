# METADATA
# title: "S3 Access block should block public policy"
# description: "A bucket whose public access block does not set block_public_policy lets a bucket policy that grants public access be put on it."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0087
# custom:
#   id: AWS-0087
#   avd_id: AVD-AWS-0087
#   provider: aws
#   service: s3
#   severity: HIGH
#   recommended_actions: "Set 'block_public_policy = true' in the bucket's aws_s3_bucket_public_access_block."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.s3.AWS0087

deny contains res if {
	some bucket in input.aws.s3.buckets
	not bucket.publicaccessblock
	res := result.new("No public access block so not blocking public policies", bucket)
}

deny contains res if {
	some bucket in input.aws.s3.buckets
	bucket.publicaccessblock.blockpublicpolicy.value == false
	res := result.new("Public access block does not block public policies", bucket.publicaccessblock.blockpublicpolicy)
}
