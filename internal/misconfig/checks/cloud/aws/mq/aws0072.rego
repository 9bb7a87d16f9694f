# METADATA
# title: "Ensure MQ Broker is not publicly exposed"
# description: "A publicly accessible broker gets an endpoint reachable from the internet; brokers should only be reachable from the applications that use them."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0072
# custom:
#   id: AWS-0072
#   avd_id: AVD-AWS-0072
#   provider: aws
#   service: mq
#   severity: HIGH
#   recommended_actions: "Set 'publicly_accessible = false' on the broker."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.mq.AWS0072

deny contains res if {
	some broker in input.aws.mq.brokers
	broker.publicaccess.value == true
	res := result.new("Broker is publicly accessible.", broker.publicaccess)
}
