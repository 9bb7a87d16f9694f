# METADATA
# title: "Ensure RBAC is enabled on AKS clusters"
# description: "Without Kubernetes RBAC every authenticated identity has full access to the cluster; RBAC grants only what each needs."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0042
# custom:
#   id: AZU-0042
#   avd_id: AVD-AZU-0042
#   provider: azure
#   service: container
#   severity: HIGH
#   recommended_actions: "Enable role-based access control (role_based_access_control_enabled, enableRBAC)."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.container.AZU0042

import data.lib.azure

deny contains res if {
	some cluster in input.azure.container.kubernetesclusters
	azure.managed(cluster)
	cluster.rolebasedaccesscontrol.enabled.value == false
	res := result.new("RBAC is not enabled on cluster", cluster.rolebasedaccesscontrol.enabled)
}
