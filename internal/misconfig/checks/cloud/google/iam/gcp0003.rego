# METADATA
# title: "IAM granted directly to user."
# description: "Roles granted to individual users (user:…) are hard to review and revoke; grant them to groups or service accounts."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0003
# custom:
#   id: GCP-0003
#   avd_id: AVD-GCP-0003
#   provider: google
#   service: iam
#   severity: MEDIUM
#   recommended_actions: "Grant roles to groups instead of individual users."
#   input:
#     selector:
#       - type: cloud
package builtin.google.iam.GCP0003

members contains m if {
	some level in ["projects", "folders", "organizations"]
	some entry in input.google.iam[level]
	some m in entry.members
}

bindings contains b if {
	some level in ["projects", "folders", "organizations"]
	some entry in input.google.iam[level]
	some b in entry.bindings
}

deny contains res if {
	some m in members
	startswith(m.member.value, "user:")
	res := result.new("Permissions are granted directly to a user.", m.member)
}

deny contains res if {
	some b in bindings
	some m in b.members
	startswith(m.value, "user:")
	res := result.new("Permissions are granted directly to a user.", m)
}
