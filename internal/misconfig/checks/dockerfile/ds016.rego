# METADATA
# title: "Multiple CMD instructions listed"
# description: "Only the last CMD of a stage takes effect; the others are dead code that misleads the reader."
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/
# custom:
#   id: DS-0016
#   avd_id: AVD-DS-0016
#   severity: HIGH
#   recommended_actions: "Keep one CMD per stage."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS016

import data.lib.docker
import data.lib.sh

deny contains res if {
	some stage in input.Stages
	cmds := [instruction | some instruction in stage.Commands; instruction.Cmd == "cmd"]
	count(cmds) > 1
	some i, instruction in cmds
	i > 0
	res := result.new(sprintf("There are %d duplicate CMD instructions in stage '%s'", [count(cmds), stage.Name]), instruction)
}
