# METADATA
# title: "CloudTrail logs should be stored in S3 and also sent to CloudWatch Logs"
# description: "A trail that only writes to S3 cannot feed real-time metric filters and alarms; sending it to CloudWatch Logs as well allows them."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0162
# custom:
#   id: AWS-0162
#   avd_id: AVD-AWS-0162
#   provider: aws
#   service: cloudtrail
#   severity: LOW
#   recommended_actions: "Set 'cloud_watch_logs_group_arn' (and its role) on the trail."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.cloudtrail.AWS0162

deny contains res if {
	some trail in input.aws.cloudtrail.trails
	trail.cloudwatchlogsloggrouparn.value == ""
	res := result.new("Trail does not send its logs to CloudWatch Logs.", trail.cloudwatchlogsloggrouparn)
}
