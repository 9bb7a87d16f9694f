# METADATA
# title: "Elasticsearch domain isn't encrypted at rest."
# description: "A domain without encryption at rest keeps its indices, logs and snapshots unencrypted on disk."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0048
# custom:
#   id: AWS-0048
#   avd_id: AVD-AWS-0048
#   provider: aws
#   service: elasticsearch
#   severity: HIGH
#   recommended_actions: "Add 'encrypt_at_rest { enabled = true }' to the domain."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.elasticsearch.AWS0048

deny contains res if {
	some domain in input.aws.elasticsearch.domains
	domain.atrestencryption.enabled.value == false
	res := result.new("Domain is not encrypted at rest.", domain.atrestencryption.enabled)
}
