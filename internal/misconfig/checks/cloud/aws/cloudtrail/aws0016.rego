# METADATA
# title: "Cloudtrail log validation should be enabled to prevent tampering of log data"
# description: "Without log file validation, log files changed or deleted in the bucket (for example to hide an intrusion) go unnoticed."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0016
# custom:
#   id: AWS-0016
#   avd_id: AVD-AWS-0016
#   provider: aws
#   service: cloudtrail
#   severity: HIGH
#   recommended_actions: "Set 'enable_log_file_validation = true' on the trail."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.cloudtrail.AWS0016

deny contains res if {
	some trail in input.aws.cloudtrail.trails
	trail.enablelogfilevalidation.value == false
	res := result.new("Trail does not have log file validation enabled.", trail.enablelogfilevalidation)
}
