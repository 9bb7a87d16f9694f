# METADATA
# title: "MQ Broker should have audit logging enabled"
# description: "Without audit logs there is no record of the management actions taken on an ActiveMQ broker. RabbitMQ brokers have no audit log and are not flagged."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0070
# custom:
#   id: AWS-0070
#   avd_id: AVD-AWS-0070
#   provider: aws
#   service: mq
#   severity: MEDIUM
#   recommended_actions: "Set 'logs { audit = true }' on the broker."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.mq.AWS0070

deny contains res if {
	some broker in input.aws.mq.brokers
	is_string(broker.engine.value)
	lower(broker.engine.value) != "rabbitmq"
	broker.logging.audit.value == false
	res := result.new("Broker does not have audit logging enabled.", broker.logging.audit)
}
