# METADATA
# title: "':latest' tag used"
# description: "A FROM without a tag, or with 'latest', builds from whatever the image is when the build runs: builds stop being reproducible and can pick up breaking or malicious changes."
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/
# custom:
#   id: DS-0001
#   avd_id: AVD-DS-0001
#   severity: MEDIUM
#   recommended_actions: "Name a specific tag (or a digest) in FROM, e.g. 'FROM alpine:3.20'."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS001

import data.lib.docker
import data.lib.sh

# Stage names defined before an instruction, in lower case.
aliases contains lower(stage.Commands[0].Value[2]) if {
	some stage in input.Stages
	count(stage.Commands[0].Value) == 3
}

untagged(image) if {
	not contains(image, "@")
	parts := split(image, "/")
	last := parts[count(parts) - 1]
	not contains(last, ":")
}

latest(image) if {
	not contains(image, "@")
	endswith(image, ":latest")
}

bad_from contains instruction if {
	some instruction in docker.from
	image := instruction.Value[0]
	image != "scratch"
	not startswith(image, "$")
	not aliases[lower(image)]
	untagged(image)
}

bad_from contains instruction if {
	some instruction in docker.from
	image := instruction.Value[0]
	not aliases[lower(image)]
	latest(image)
}

deny contains res if {
	some instruction in bad_from
	msg := sprintf("Specify a tag in the 'FROM' statement for image '%s'", [split(instruction.Value[0], ":")[0]])
	res := result.new(msg, instruction)
}
