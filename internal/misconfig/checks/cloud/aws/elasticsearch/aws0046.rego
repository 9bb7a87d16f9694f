# METADATA
# title: "Elasticsearch doesn't enforce HTTPS traffic."
# description: "A domain endpoint that accepts plain HTTP lets queries, documents and credentials cross the network unencrypted."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0046
# custom:
#   id: AWS-0046
#   avd_id: AVD-AWS-0046
#   provider: aws
#   service: elasticsearch
#   severity: CRITICAL
#   recommended_actions: "Set 'domain_endpoint_options { enforce_https = true }'."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.elasticsearch.AWS0046

deny contains res if {
	some domain in input.aws.elasticsearch.domains
	domain.endpoint.enforcehttps.value == false
	res := result.new("Domain does not enforce HTTPS.", domain.endpoint.enforcehttps)
}
