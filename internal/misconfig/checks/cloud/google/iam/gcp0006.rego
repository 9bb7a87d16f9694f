# METADATA
# title: "Roles should not be assigned to default service accounts"
# description: "The default Compute Engine and App Engine service accounts are shared by every workload that does not name its own; roles granted to them at project level reach all of those workloads."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0006
# custom:
#   id: GCP-0006
#   avd_id: AVD-GCP-0006
#   provider: google
#   service: iam
#   severity: MEDIUM
#   recommended_actions: "Grant the role to a dedicated service account instead of a default one."
#   input:
#     selector:
#       - type: cloud
package builtin.google.iam.GCP0006

members contains m if {
	some entry in input.google.iam.projects
	some m in entry.members
}

bindings contains b if {
	some entry in input.google.iam.projects
	some b in entry.bindings
}

deny contains res if {
	some m in members
	m.defaultserviceaccount.value == true
	res := result.new("Role is assigned to a default service account at project level.", m.member)
}

deny contains res if {
	some b in bindings
	b.includesdefaultserviceaccount.value == true
	res := result.new("Role is assigned to a default service account at project level.", b.includesdefaultserviceaccount)
}
