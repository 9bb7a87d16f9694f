# METADATA
# title: "S3 buckets should each define an aws_s3_bucket_public_access_block"
# description: "Without a public access block of its own a bucket depends on the account settings to stay private."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0094
# custom:
#   id: AWS-0094
#   avd_id: AVD-AWS-0094
#   provider: aws
#   service: s3
#   severity: LOW
#   recommended_actions: "Define an aws_s3_bucket_public_access_block for the bucket."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.s3.AWS0094

deny contains res if {
	some bucket in input.aws.s3.buckets
	not bucket.publicaccessblock
	res := result.new("Bucket does not have a corresponding public access block.", bucket)
}
