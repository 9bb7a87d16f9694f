# METADATA
# title: "'COPY --from' refers to alias not defined previously"
# description: "'COPY --from' must name an earlier stage; a name that is no stage is pulled as an image from a registry (docker.io/library/<name>), so a typo or a later stage's name copies from an image nobody chose."
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/multi-stage/
#   - https://docs.docker.com/reference/dockerfile/#copy---from
# custom:
#   id: DS-0018
#   avd_id: AVD-DS-0018
#   severity: HIGH
#   recommended_actions: "Name a stage defined earlier, or a full image reference with a tag or digest."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS018

import data.lib.docker
import data.lib.sh

# Names and indexes of the stages before stage i.
earlier(i, from) if {
	some j, alias in docker.stage_alias
	j < i
	alias == from
}

earlier(i, from) if {
	regex.match(`^[0-9]+$`, from)
	to_number(from) < i
}

# An image reference: it has a tag, a digest or a registry/namespace.
image(from) if contains(from, ":")

image(from) if contains(from, "@")

image(from) if contains(from, "/")

later_or_unknown(i, from) if {
	regex.match(`^[0-9]+$`, from)
	to_number(from) > i
}

later_or_unknown(i, from) if {
	not regex.match(`^[0-9]+$`, from)
	not startswith(from, "$")
	not image(from)
	not earlier(i, from)
	not from == docker.stage_alias[i] # DS-0006
}

deny contains res if {
	some i, stage in input.Stages
	some instruction in stage.Commands
	instruction.Cmd == "copy"
	from := docker.flag_value(instruction, "from")
	later_or_unknown(i, lower(from))
	res := result.new(sprintf("The alias '%s' is not defined in the previous stages", [from]), instruction)
}
