# METADATA
# title: "Lambda functions should have X-Ray tracing enabled"
# description: "Without active X-Ray tracing the calls a function makes cannot be followed when investigating errors or abuse."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0066
# custom:
#   id: AWS-0066
#   avd_id: AVD-AWS-0066
#   provider: aws
#   service: lambda
#   severity: LOW
#   recommended_actions: "Set 'mode = \"Active\"' in the function's tracing_config block."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.lambda.AWS0066

deny contains res if {
	some function in input.aws.lambda.functions
	is_string(function.tracing.mode.value)
	function.tracing.mode.value != "Active"
	res := result.new("Function does not have tracing enabled.", function.tracing.mode)
}
