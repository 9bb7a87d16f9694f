# METADATA
# title: "Ensure AKS cluster has Network Policy configured"
# description: "Without a network policy engine, NetworkPolicy objects have no effect and every pod can reach every other pod."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0043
# custom:
#   id: AZU-0043
#   avd_id: AVD-AZU-0043
#   provider: azure
#   service: container
#   severity: HIGH
#   recommended_actions: "Set a network policy (network_profile.network_policy, networkProfile.networkPolicy: azure, calico or cilium)."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.container.AZU0043

import data.lib.azure

deny contains res if {
	some cluster in input.azure.container.kubernetesclusters
	azure.managed(cluster)
	cluster.networkprofile.networkpolicy.value == ""
	res := result.new("Kubernetes cluster does not have a network policy set.", cluster.networkprofile.networkpolicy)
}
