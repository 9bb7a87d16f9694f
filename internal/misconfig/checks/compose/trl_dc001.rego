# METADATA
# title: "Privileged service"
# description: "A privileged container has every capability and every device of the host and can escape the container at will."
# scope: package
# related_resources:
#   - https://docs.docker.com/reference/compose-file/services/#privileged
# custom:
#   id: TRL-DC-0001
#   severity: HIGH
#   recommended_actions: "Remove 'privileged: true' and add only the capabilities and devices the service needs."
#   input:
#     selector:
#       - type: compose
package builtin.compose.TRLDC001

import data.lib.compose

deny contains res if {
	some name, svc in compose.services
	compose.is_true(svc.privileged)
	res := result.new(sprintf("%s should not set 'privileged: true'", [compose.describe(name)]), svc)
}
