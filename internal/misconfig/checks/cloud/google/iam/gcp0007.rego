# METADATA
# title: "Service accounts should not have roles assigned with excessive privileges"
# description: "A service account holding Owner, Editor or an admin role gives whoever obtains its credentials broad control of the resources."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0007
# custom:
#   id: GCP-0007
#   avd_id: AVD-GCP-0007
#   provider: google
#   service: iam
#   severity: HIGH
#   recommended_actions: "Grant service accounts narrowly scoped roles."
#   input:
#     selector:
#       - type: cloud
package builtin.google.iam.GCP0007

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

privileged(role) if role in {"roles/owner", "roles/editor"}

privileged(role) if endswith(lower(role), "admin")

deny contains res if {
	some m in members
	startswith(m.member.value, "serviceAccount:")
	privileged(m.role.value)
	res := result.new(sprintf("Service account is granted the privileged role %s.", [m.role.value]), m.role)
}

deny contains res if {
	some b in bindings
	privileged(b.role.value)
	some m in b.members
	startswith(m.value, "serviceAccount:")
	res := result.new(sprintf("Service account is granted the privileged role %s.", [b.role.value]), m)
}
