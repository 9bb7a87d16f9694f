# METADATA
# title: "Image user should not be 'root'"
# description: "A container that runs as root gives an attacker who breaks out of the application root's power inside the container and a shorter path to the host."
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/
# custom:
#   id: DS-0002
#   avd_id: AVD-DS-0002
#   severity: HIGH
#   recommended_actions: "Add a 'USER <non-root user>' instruction to the final stage."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS002

import data.lib.docker
import data.lib.sh

final_users := [instruction |
	some instruction in input.Stages[count(input.Stages) - 1].Commands
	instruction.Cmd == "user"
]

root_user(value) if {
	name := split(value, ":")[0]
	name in {"root", "0"}
}

deny contains res if {
	count(input.Stages) > 0
	count(final_users) == 0
	res := result.new("Specify at least 1 USER command in Dockerfile with non-root user as argument", {})
}

deny contains res if {
	count(final_users) > 0
	last := final_users[count(final_users) - 1]
	root_user(last.Value[0])
	res := result.new("Last USER command in Dockerfile should not be 'root'", last)
}
