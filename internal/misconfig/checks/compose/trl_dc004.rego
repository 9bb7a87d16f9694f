# METADATA
# title: "Host IPC namespace"
# description: "With 'ipc: host' the container shares the host's System V IPC and POSIX shared memory: it can read and write other processes' shared memory."
# scope: package
# related_resources:
#   - https://docs.docker.com/reference/compose-file/services/#ipc
# custom:
#   id: TRL-DC-0004
#   severity: HIGH
#   recommended_actions: "Remove 'ipc: host' (use 'ipc: shareable' and 'service:NAME' to share IPC between services)."
#   input:
#     selector:
#       - type: compose
package builtin.compose.TRLDC004

import data.lib.compose

deny contains res if {
	some name, svc in compose.services
	svc.ipc == "host"
	res := result.new(sprintf("%s should not set 'ipc: host'", [compose.describe(name)]), svc)
}
