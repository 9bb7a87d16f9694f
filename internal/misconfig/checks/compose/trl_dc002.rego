# METADATA
# title: "Host network namespace"
# description: "With 'network_mode: host' the container shares the host's network stack: it can bind any host port, reach services listening on localhost and sniff the host's traffic."
# scope: package
# related_resources:
#   - https://docs.docker.com/reference/compose-file/services/#network_mode
# custom:
#   id: TRL-DC-0002
#   severity: HIGH
#   recommended_actions: "Remove 'network_mode: host'; publish the ports the service needs with 'ports'."
#   input:
#     selector:
#       - type: compose
package builtin.compose.TRLDC002

import data.lib.compose

deny contains res if {
	some name, svc in compose.services
	svc.network_mode == "host"
	res := result.new(sprintf("%s should not set 'network_mode: host'", [compose.describe(name)]), svc)
}
