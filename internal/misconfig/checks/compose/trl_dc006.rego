# METADATA
# title: "Container runtime socket mounted"
# description: "Mounting the Docker (or Podman, containerd) socket gives the container the runtime's API: it can start a privileged container with the host's root filesystem, which is root on the host."
# scope: package
# related_resources:
#   - https://docs.docker.com/engine/security/#docker-daemon-attack-surface
# custom:
#   id: TRL-DC-0006
#   severity: HIGH
#   recommended_actions: "Do not mount the runtime socket; if a tool needs the API, put a filtering proxy in front of it."
#   input:
#     selector:
#       - type: compose
package builtin.compose.TRLDC006

import data.lib.compose

sockets := {"docker.sock", "podman.sock", "containerd.sock"}

deny contains res if {
	some name, svc in compose.services
	some mount in compose.host_mounts(svc)
	some s in sockets
	endswith(compose.clean_path(mount.source), concat("", ["/", s]))
	res := result.new(sprintf("%s mounts the container runtime socket %s", [compose.describe(name), mount.source]), mount.cause)
}
