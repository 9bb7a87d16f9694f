# METADATA
# title: "S3 object-level API operations such as GetObject, DeleteObject, and PutObject are called data events. By default, CloudTrail trails don't log data events and so it is recommended to enable Object-level logging for S3 buckets."
# description: "Without a trail logging S3 data events (reads: GetObject) for a bucket, object-level read access to it leaves no audit record. A bucket passes when a trail of the same Terraform module or template has an event selector that is not WriteOnly with an AWS::S3::Object data resource for every bucket (arn:aws:s3, arn:aws:s3:::) or for this bucket (arn:aws:s3:::NAME/)."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0172
# custom:
#   id: AWS-0172
#   avd_id: AVD-AWS-0172
#   provider: aws
#   service: s3
#   severity: LOW
#   recommended_actions: "Add an event_selector with a data_resource of type AWS::S3::Object covering the bucket to a trail."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.s3.AWS0172

deny contains res if {
	some bucket in input.aws.s3.buckets
	not logged(bucket)
	res := result.new("Bucket does not have object-level read logging enabled.", bucket)
}

logged(bucket) if {
	some trail in input.aws.cloudtrail.trails
	some selector in trail.eventselectors
	selector.readwritetype.value != "WriteOnly"
	some resource in selector.dataresources
	resource.type.value == "AWS::S3::Object"
	some v in resource.values
	covers(v.value, bucket)
}

# An unknown bucket name or value may match.
logged(bucket) if not is_string(bucket.name.value)

covers(v, _) if v == null

covers(v, _) if v in {"arn:aws:s3", "arn:aws:s3:::"}

covers(v, bucket) if {
	bucket.name.value != ""
	v == sprintf("arn:aws:s3:::%s/", [bucket.name.value])
}
