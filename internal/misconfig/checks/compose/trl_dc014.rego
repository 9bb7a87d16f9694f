# METADATA
# title: "No memory limit"
# description: "Without 'mem_limit' or 'deploy.resources.limits.memory' one service can use all of the host's memory and starve the others. Services using 'extends' are not checked (the limit may be inherited)."
# scope: package
# related_resources:
#   - https://docs.docker.com/reference/compose-file/deploy/#resources
# custom:
#   id: TRL-DC-0014
#   severity: LOW
#   recommended_actions: "Set 'deploy.resources.limits.memory' (or 'mem_limit')."
#   input:
#     selector:
#       - type: compose
package builtin.compose.TRLDC014

import data.lib.compose

limited(svc) if svc.mem_limit != null

limited(svc) if svc.deploy.resources.limits.memory != null

deny contains res if {
	some name, svc in compose.services
	not svc.extends
	not limited(svc)
	res := result.new(sprintf("%s should set a memory limit", [compose.describe(name)]), svc)
}
