# METADATA
# title: "S3 Access block should restrict public bucket to limit access"
# description: "A bucket whose public access block does not set restrict_public_buckets stays reachable by anyone while it has a public policy."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0093
# custom:
#   id: AWS-0093
#   avd_id: AVD-AWS-0093
#   provider: aws
#   service: s3
#   severity: HIGH
#   recommended_actions: "Set 'restrict_public_buckets = true' in the bucket's aws_s3_bucket_public_access_block."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.s3.AWS0093

deny contains res if {
	some bucket in input.aws.s3.buckets
	not bucket.publicaccessblock
	res := result.new("No public access block so not restricting public buckets", bucket)
}

deny contains res if {
	some bucket in input.aws.s3.buckets
	bucket.publicaccessblock.restrictpublicbuckets.value == false
	res := result.new("Public access block does not restrict public buckets", bucket.publicaccessblock.restrictpublicbuckets)
}
