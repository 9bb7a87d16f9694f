# METADATA
# title: "Elasticsearch domain uses plaintext traffic for node to node communication."
# description: "Without node-to-node encryption the traffic inside the domain's cluster is readable on the network."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0043
# custom:
#   id: AWS-0043
#   avd_id: AVD-AWS-0043
#   provider: aws
#   service: elasticsearch
#   severity: HIGH
#   recommended_actions: "Add 'node_to_node_encryption { enabled = true }' to the domain."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.elasticsearch.AWS0043

deny contains res if {
	some domain in input.aws.elasticsearch.domains
	domain.transitencryption.enabled.value == false
	res := result.new("Domain does not encrypt node-to-node traffic.", domain.transitencryption.enabled)
}
