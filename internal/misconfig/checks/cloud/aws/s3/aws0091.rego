# METADATA
# title: "S3 Access Block should Ignore Public Acl"
# description: "A bucket whose public access block does not set ignore_public_acls still honours public ACLs already on the bucket and its objects."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0091
# custom:
#   id: AWS-0091
#   avd_id: AVD-AWS-0091
#   provider: aws
#   service: s3
#   severity: HIGH
#   recommended_actions: "Set 'ignore_public_acls = true' in the bucket's aws_s3_bucket_public_access_block."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.s3.AWS0091

deny contains res if {
	some bucket in input.aws.s3.buckets
	not bucket.publicaccessblock
	res := result.new("No public access block so not ignoring public acls", bucket)
}

deny contains res if {
	some bucket in input.aws.s3.buckets
	bucket.publicaccessblock.ignorepublicacls.value == false
	res := result.new("Public access block does not ignore public ACLs", bucket.publicaccessblock.ignorepublicacls)
}
