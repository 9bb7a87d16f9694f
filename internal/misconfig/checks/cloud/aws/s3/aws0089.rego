# METADATA
# title: "S3 Bucket Logging"
# description: "Without server access logging there is no record of who read or changed the bucket's objects."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0089
# custom:
#   id: AWS-0089
#   avd_id: AVD-AWS-0089
#   provider: aws
#   service: s3
#   severity: LOW
#   recommended_actions: "Add a logging block or an aws_s3_bucket_logging resource for the bucket."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.s3.AWS0089

deny contains res if {
	some bucket in input.aws.s3.buckets
	bucket.logging.enabled.value == false
	not is_log_target(bucket)
	res := result.new("Bucket has logging disabled", bucket.logging.enabled)
}

# A bucket that receives the access logs of others needs no log of its own.
is_log_target(bucket) if {
	some other in input.aws.s3.buckets
	other.logging.targetbucket.value != ""
	other.logging.targetbucket.value == bucket.name.value
}
