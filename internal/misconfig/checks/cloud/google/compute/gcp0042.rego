# METADATA
# title: "OS Login should be enabled at project level"
# description: "Project metadata that does not enable OS Login leaves SSH access managed by metadata keys, which are not revoked with IAM access."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0042
# custom:
#   id: GCP-0042
#   avd_id: AVD-GCP-0042
#   provider: google
#   service: compute
#   severity: MEDIUM
#   recommended_actions: "Set 'enable-oslogin = \"TRUE\"' in the project metadata."
#   input:
#     selector:
#       - type: cloud
package builtin.google.compute.GCP0042

deny contains res if {
	some pm in input.google.compute.projectmetadata
	v := pm.enableoslogin.value
	is_string(v)
	not v in {"true", "1"}
	res := result.new("Project metadata does not enable OS Login.", pm.enableoslogin)
}
