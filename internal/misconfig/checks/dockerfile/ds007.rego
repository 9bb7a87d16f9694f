# METADATA
# title: "Multiple ENTRYPOINT instructions listed"
# description: "Only the last ENTRYPOINT of a stage takes effect; the earlier ones are dead code that misleads the reader."
# scope: package
# related_resources:
#   - https://docs.docker.com/reference/dockerfile/#entrypoint
# custom:
#   id: DS-0007
#   avd_id: AVD-DS-0007
#   severity: CRITICAL
#   recommended_actions: "Keep one ENTRYPOINT per stage."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS007

import data.lib.docker
import data.lib.sh

deny contains res if {
	some stage in input.Stages
	entrypoints := [instruction | some instruction in stage.Commands; instruction.Cmd == "entrypoint"]
	count(entrypoints) > 1
	some i, instruction in entrypoints
	i > 0
	res := result.new(sprintf("There are %d duplicate ENTRYPOINT instructions in stage '%s'", [count(entrypoints), stage.Name]), instruction)
}
