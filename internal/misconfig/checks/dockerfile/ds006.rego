# METADATA
# title: "COPY '--from' referring to the current image"
# description: "A stage cannot copy from itself: 'COPY --from' naming the stage it is in fails the build or copies from an image of the same name."
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/multi-stage/
#   - https://docs.docker.com/reference/dockerfile/#copy---from
# custom:
#   id: DS-0006
#   avd_id: AVD-DS-0006
#   severity: CRITICAL
#   recommended_actions: "Name an earlier stage (or an image) in '--from'."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS006

import data.lib.docker
import data.lib.sh

deny contains res if {
	some i, stage in input.Stages
	some instruction in stage.Commands
	instruction.Cmd == "copy"
	from := docker.flag_value(instruction, "from")
	self_reference(i, lower(from))
	res := result.new(sprintf("'COPY --from' should not mention the current stage '%s', since it is impossible to copy from itself", [from]), instruction)
}

self_reference(i, from) if from == docker.stage_alias[i]

self_reference(i, from) if from == sprintf("%d", [i])
