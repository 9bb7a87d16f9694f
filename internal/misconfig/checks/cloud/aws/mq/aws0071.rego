# METADATA
# title: "MQ Broker should have general logging enabled"
# description: "Without general logs the activity of a broker cannot be traced when investigating a problem or an incident."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0071
# custom:
#   id: AWS-0071
#   avd_id: AVD-AWS-0071
#   provider: aws
#   service: mq
#   severity: LOW
#   recommended_actions: "Set 'logs { general = true }' on the broker."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.mq.AWS0071

deny contains res if {
	some broker in input.aws.mq.brokers
	broker.logging.general.value == false
	res := result.new("Broker does not have general logging enabled.", broker.logging.general)
}
