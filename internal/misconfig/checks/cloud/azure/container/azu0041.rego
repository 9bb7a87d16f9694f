# METADATA
# title: "Ensure AKS has an API Server Authorized IP Ranges enabled"
# description: "A public AKS API server without authorized IP ranges accepts connections from any address."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0041
# custom:
#   id: AZU-0041
#   avd_id: AVD-AZU-0041
#   provider: azure
#   service: container
#   severity: CRITICAL
#   recommended_actions: "Set the API server's authorized IP ranges, or make the cluster private."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.container.AZU0041

import data.lib.azure

deny contains res if {
	some cluster in input.azure.container.kubernetesclusters
	azure.managed(cluster)
	cluster.enableprivatecluster.value == false
	count(cluster.apiserverauthorizedipranges) == 0
	res := result.new("Cluster does not limit API access to specific IP addresses.", cluster)
}
