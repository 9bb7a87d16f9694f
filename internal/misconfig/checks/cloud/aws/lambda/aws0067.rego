# METADATA
# title: "Ensure that lambda function permission has a source arn specified"
# description: "A permission granted to an AWS service principal without a source ARN lets any resource of that service, in any account, invoke the function."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0067
# custom:
#   id: AWS-0067
#   avd_id: AVD-AWS-0067
#   provider: aws
#   service: lambda
#   severity: CRITICAL
#   recommended_actions: "Set 'source_arn' on permissions granted to *.amazonaws.com principals."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.lambda.AWS0067

deny contains res if {
	some function in input.aws.lambda.functions
	some permission in function.permissions
	is_string(permission.principal.value)
	endswith(permission.principal.value, ".amazonaws.com")
	permission.sourcearn.value == ""
	res := result.new("Lambda permission for a service principal has no source ARN.", permission.sourcearn)
}
