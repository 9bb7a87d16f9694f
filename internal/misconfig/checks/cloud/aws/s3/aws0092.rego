# METADATA
# title: "S3 Buckets not publicly accessible through ACL."
# description: "A canned ACL that grants read or write to everyone (or to every AWS account) exposes the bucket publicly."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0092
# custom:
#   id: AWS-0092
#   avd_id: AVD-AWS-0092
#   provider: aws
#   service: s3
#   severity: HIGH
#   recommended_actions: "Use the 'private' ACL, or no ACL, and grant access with policies instead."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.s3.AWS0092

public_acls := {"public-read", "public-read-write", "website", "authenticated-read"}

deny contains res if {
	some bucket in input.aws.s3.buckets
	bucket.acl.value in public_acls
	res := result.new(sprintf("Bucket has a public ACL (%s).", [bucket.acl.value]), bucket.acl)
}
