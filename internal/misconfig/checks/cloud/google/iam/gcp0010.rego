# METADATA
# title: "Default network should not be created at project level"
# description: "The default network of a new project comes with permissive firewall rules (SSH and RDP from anywhere)."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0010
# custom:
#   id: GCP-0010
#   avd_id: AVD-GCP-0010
#   provider: google
#   service: iam
#   severity: HIGH
#   recommended_actions: "Set 'auto_create_network = false' on the google_project."
#   input:
#     selector:
#       - type: cloud
package builtin.google.iam.GCP0010

deny contains res if {
	some project in input.google.iam.projects
	project.autocreatenetwork.value == true
	res := result.new("Project creates the default network.", project.autocreatenetwork)
}
