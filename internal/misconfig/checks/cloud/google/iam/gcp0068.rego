# METADATA
# title: "A configuration for an external workload identity pool provider should have conditions set"
# description: "Without an attribute condition, every identity of the external provider (for GitHub: any repository) can exchange its token for Google credentials."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0068
# custom:
#   id: GCP-0068
#   avd_id: AVD-GCP-0068
#   provider: google
#   service: iam
#   severity: HIGH
#   recommended_actions: "Set 'attribute_condition', e.g. restricting assertion.repository_owner to your organisation."
#   input:
#     selector:
#       - type: cloud
package builtin.google.iam.GCP0068

deny contains res if {
	some provider in input.google.iam.workloadidentitypoolproviders
	provider.attributecondition.value == ""
	res := result.new("Workload identity pool provider has no attribute condition.", provider.attributecondition)
}
