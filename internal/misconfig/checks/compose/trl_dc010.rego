# METADATA
# title: "Remote administration port published"
# description: "The service publishes SSH (22) or the Docker daemon API (2375, 2376): a Docker API reachable from the network is root on the host, and SSH in a container is an extra way in that 'docker exec' makes unnecessary."
# scope: package
# related_resources:
#   - https://docs.docker.com/engine/security/protect-access/
# custom:
#   id: TRL-DC-0010
#   severity: HIGH
#   recommended_actions: "Do not publish these ports; use 'docker exec' to reach a container, and never expose the daemon's TCP socket."
#   input:
#     selector:
#       - type: compose
package builtin.compose.TRLDC010

import data.lib.compose

admin := {22, 2375, 2376}

deny contains res if {
	some name, svc in compose.services
	some port in compose.ports(svc)
	some p in {port.target, port.published}
	compose.port_in(p, admin)
	res := result.new(sprintf("%s publishes remote administration port %s", [compose.describe(name), p]), port.cause)
}
