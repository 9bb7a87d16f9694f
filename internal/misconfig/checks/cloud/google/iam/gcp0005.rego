# METADATA
# title: "Users should not be granted service account access at the folder level"
# description: "Service Account User or Token Creator granted at folder level lets the member act as every service account below it."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0005
# custom:
#   id: GCP-0005
#   avd_id: AVD-GCP-0005
#   provider: google
#   service: iam
#   severity: MEDIUM
#   recommended_actions: "Grant these roles on the individual service accounts that need them (google_service_account_iam_*)."
#   input:
#     selector:
#       - type: cloud
package builtin.google.iam.GCP0005

members contains m if {
	some entry in input.google.iam.folders
	some m in entry.members
}

bindings contains b if {
	some entry in input.google.iam.folders
	some b in entry.bindings
}

impersonation_roles := {"roles/iam.serviceAccountUser", "roles/iam.serviceAccountTokenCreator"}

deny contains res if {
	some m in members
	m.role.value in impersonation_roles
	res := result.new(sprintf("%s is granted at folder level.", [m.role.value]), m.role)
}

deny contains res if {
	some b in bindings
	b.role.value in impersonation_roles
	res := result.new(sprintf("%s is granted at folder level.", [b.role.value]), b.role)
}
