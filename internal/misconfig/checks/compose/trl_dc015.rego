# METADATA
# title: "Root filesystem not read-only"
# description: "Without 'read_only: true' a compromised process can change the container's binaries and configuration and keep a foothold. Services using 'extends' are not checked."
# scope: package
# related_resources:
#   - https://docs.docker.com/reference/compose-file/services/#read_only
# custom:
#   id: TRL-DC-0015
#   severity: LOW
#   recommended_actions: "Set 'read_only: true' and mount tmpfs or volumes where the service writes."
#   input:
#     selector:
#       - type: compose
package builtin.compose.TRLDC015

import data.lib.compose

deny contains res if {
	some name, svc in compose.services
	not svc.extends
	not compose.is_true(object.get(svc, "read_only", false))
	res := result.new(sprintf("%s should set 'read_only: true'", [compose.describe(name)]), svc)
}
