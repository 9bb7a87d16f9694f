# METADATA
# title: "API Gateway stages for V1 and V2 should have access logging enabled"
# description: "Without access logging there is no record of who called an API stage and how, which is needed to investigate abuse."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0001
# custom:
#   id: AWS-0001
#   avd_id: AVD-AWS-0001
#   provider: aws
#   service: apigateway
#   severity: MEDIUM
#   recommended_actions: "Add an 'access_log_settings' block with a 'destination_arn' to the stage."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.apigateway.AWS0001

deny contains res if {
	some version in ["v1", "v2"]
	some api in input.aws.apigateway[version].apis
	some stage in api.stages
	stage.accesslogging.cloudwatchloggrouparn.value == ""
	res := result.new("API Gateway stage does not have access logging enabled.", stage.accesslogging.cloudwatchloggrouparn)
}
