# METADATA
# title: "Elasticsearch domain endpoint is using outdated TLS policy."
# description: "A domain endpoint whose TLS policy still accepts TLS 1.0/1.1 lets clients connect with outdated protocols."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0126
# custom:
#   id: AWS-0126
#   avd_id: AVD-AWS-0126
#   provider: aws
#   service: elasticsearch
#   severity: HIGH
#   recommended_actions: "Set 'tls_security_policy' to a Policy-Min-TLS-1-2-… policy."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.elasticsearch.AWS0126

deny contains res if {
	some domain in input.aws.elasticsearch.domains
	policy := domain.endpoint.tlspolicy
	is_string(policy.value)
	not startswith(policy.value, "Policy-Min-TLS-1-2-")
	not startswith(policy.value, "Policy-Min-TLS-1-3-")
	res := result.new(sprintf("Domain endpoint uses the outdated TLS policy %s.", [policy.value]), policy)
}
