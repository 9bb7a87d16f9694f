# METADATA
# title: "COPY with more than two arguments not ending with slash"
# description: "With several sources the destination of COPY must be a directory, written with a trailing '/'; otherwise the build fails."
# scope: package
# related_resources:
#   - https://docs.docker.com/reference/dockerfile/#copy
# custom:
#   id: DS-0011
#   avd_id: AVD-DS-0011
#   severity: CRITICAL
#   recommended_actions: "End the destination of a multi-source COPY with '/'."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS011

import data.lib.docker
import data.lib.sh

deny contains res if {
	some instruction in docker.copy
	count(instruction.Value) > 2
	dest := instruction.Value[count(instruction.Value) - 1]
	not endswith(dest, "/")
	res := result.new(sprintf("Slash is expected at the end of COPY command argument '%s'", [dest]), instruction)
}
