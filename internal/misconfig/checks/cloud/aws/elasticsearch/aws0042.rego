# METADATA
# title: "Domain logging should be enabled for Elastic Search domains"
# description: "Without audit logs published to CloudWatch there is no record of who accessed or changed the data of a domain."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0042
# custom:
#   id: AWS-0042
#   avd_id: AVD-AWS-0042
#   provider: aws
#   service: elasticsearch
#   severity: MEDIUM
#   recommended_actions: "Add a 'log_publishing_options' block with 'log_type = \"AUDIT_LOGS\"'."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.elasticsearch.AWS0042

deny contains res if {
	some domain in input.aws.elasticsearch.domains
	domain.logpublishing.auditenabled.value == false
	res := result.new("Domain audit logging is not enabled.", domain.logpublishing.auditenabled)
}
