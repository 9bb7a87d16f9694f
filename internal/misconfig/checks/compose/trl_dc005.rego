# METADATA
# title: "Dangerous capability added"
# description: "'cap_add' gives the container a capability that allows escaping it or taking over the host's network: ALL, SYS_ADMIN, NET_ADMIN, SYS_MODULE, SYS_RAWIO, SYS_PTRACE or DAC_READ_SEARCH."
# scope: package
# related_resources:
#   - https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities
# custom:
#   id: TRL-DC-0005
#   severity: HIGH
#   recommended_actions: "Remove the capability from 'cap_add'; add only narrow capabilities (NET_BIND_SERVICE, CHOWN, …) the service needs."
#   input:
#     selector:
#       - type: compose
package builtin.compose.TRLDC005

import data.lib.compose

dangerous := {"ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_MODULE", "SYS_RAWIO", "SYS_PTRACE", "DAC_READ_SEARCH"}

deny contains res if {
	some name, svc in compose.services
	some cap in compose.list(svc.cap_add)
	is_string(cap)
	c := trim_prefix(upper(cap), "CAP_")
	c in dangerous
	res := result.new(sprintf("%s should not add capability %s", [compose.describe(name), c]), svc)
}
