# METADATA
# title: "S3 Access block should block public ACL"
# description: "A bucket whose public access block does not set block_public_acls accepts PUT calls that carry public ACLs, so objects can be made public."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0086
# custom:
#   id: AWS-0086
#   avd_id: AVD-AWS-0086
#   provider: aws
#   service: s3
#   severity: HIGH
#   recommended_actions: "Set 'block_public_acls = true' in the bucket's aws_s3_bucket_public_access_block."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.s3.AWS0086

deny contains res if {
	some bucket in input.aws.s3.buckets
	not bucket.publicaccessblock
	res := result.new("No public access block so not blocking public acls", bucket)
}

deny contains res if {
	some bucket in input.aws.s3.buckets
	bucket.publicaccessblock.blockpublicacls.value == false
	res := result.new("Public access block does not block public ACLs", bucket.publicaccessblock.blockpublicacls)
}
