# METADATA
# title: "The S3 Bucket backing Cloudtrail should be private"
# description: "A trail writing to a bucket with a public ACL publishes the record of every API call in the account, which helps an attacker map it."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0161
# custom:
#   id: AWS-0161
#   avd_id: AVD-AWS-0161
#   provider: aws
#   service: cloudtrail
#   severity: CRITICAL
#   recommended_actions: "Use a private ACL on the trail's bucket (and block public access)."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.cloudtrail.AWS0161

public_acls := {"public-read", "public-read-write", "website", "authenticated-read"}

deny contains res if {
	some trail in input.aws.cloudtrail.trails
	is_string(trail.bucketname.value)
	trail.bucketname.value != ""
	some bucket in input.aws.s3.buckets
	bucket.name.value == trail.bucketname.value
	bucket.acl.value in public_acls
	res := result.new(sprintf("Trail bucket %s has a public ACL (%s).", [bucket.name.value, bucket.acl.value]), bucket.acl)
}
