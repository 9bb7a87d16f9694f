# METADATA
# title: "You should enable bucket access logging on the CloudTrail S3 bucket."
# description: "Access logs of the trail's bucket record who read or changed the trail's log files, which matters when investigating an incident."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0163
# custom:
#   id: AWS-0163
#   avd_id: AVD-AWS-0163
#   provider: aws
#   service: cloudtrail
#   severity: LOW
#   recommended_actions: "Enable server access logging on the trail's bucket."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.cloudtrail.AWS0163

deny contains res if {
	some trail in input.aws.cloudtrail.trails
	is_string(trail.bucketname.value)
	trail.bucketname.value != ""
	some bucket in input.aws.s3.buckets
	bucket.name.value == trail.bucketname.value
	bucket.logging.enabled.value == false
	res := result.new(sprintf("Trail bucket %s does not have access logging enabled.", [bucket.name.value]), bucket.logging.enabled)
}
