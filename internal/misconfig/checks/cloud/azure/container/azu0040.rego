# METADATA
# title: "Ensure AKS logging to Azure Monitoring is Configured"
# description: "Without the monitoring (OMS) agent the cluster sends no container logs or metrics to Azure Monitor, so workload problems and attacks go unseen."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0040
# custom:
#   id: AZU-0040
#   avd_id: AVD-AZU-0040
#   provider: azure
#   service: container
#   severity: MEDIUM
#   recommended_actions: "Enable the oms_agent add-on (addonProfiles.omsagent) with a Log Analytics workspace."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.container.AZU0040

import data.lib.azure

deny contains res if {
	some cluster in input.azure.container.kubernetesclusters
	azure.managed(cluster)
	cluster.addonprofile.omsagent.enabled.value == false
	res := result.new("Cluster does not have logging enabled via OMS Agent.", cluster.addonprofile.omsagent.enabled)
}
