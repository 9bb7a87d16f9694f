# METADATA
# title: "No HEALTHCHECK defined"
# description: "Without a HEALTHCHECK the runtime only knows whether the process is alive, not whether it serves; an explicit 'HEALTHCHECK NONE' states the choice."
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/
# custom:
#   id: DS-0026
#   avd_id: AVD-DS-0026
#   severity: LOW
#   recommended_actions: "Add a HEALTHCHECK instruction (or 'HEALTHCHECK NONE' to opt out explicitly)."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS026

import data.lib.docker
import data.lib.sh

# The final image is the last stage and the stages it is built FROM
# (by name), whose HEALTHCHECK it inherits.
parents[i] := js if {
	some i, stage in input.Stages
	js := {j |
		some j, alias in docker.stage_alias
		j < i
		lower(stage.Commands[0].Value[0]) == alias
	}
}

final_stages := graph.reachable(parents, {count(input.Stages) - 1})

deny contains res if {
	count(input.Stages) > 0
	not final_healthcheck
	res := result.new("Add HEALTHCHECK instruction in your Dockerfile", {})
}

final_healthcheck if {
	some i in final_stages
	some instruction in input.Stages[i].Commands
	instruction.Cmd == "healthcheck"
}
