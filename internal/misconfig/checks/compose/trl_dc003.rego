# METADATA
# title: "Host PID namespace"
# description: "With 'pid: host' the container sees every process of the host and can signal or (with ptrace) inspect them."
# scope: package
# related_resources:
#   - https://docs.docker.com/reference/compose-file/services/#pid
# custom:
#   id: TRL-DC-0003
#   severity: HIGH
#   recommended_actions: "Remove 'pid: host'."
#   input:
#     selector:
#       - type: compose
package builtin.compose.TRLDC003

import data.lib.compose

deny contains res if {
	some name, svc in compose.services
	svc.pid == "host"
	res := result.new(sprintf("%s should not set 'pid: host'", [compose.describe(name)]), svc)
}
