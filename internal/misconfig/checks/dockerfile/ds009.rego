# METADATA
# title: "WORKDIR path not absolute"
# description: "A relative WORKDIR depends on every WORKDIR before it, including the base image's; an absolute path says where commands run."
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#workdir
# custom:
#   id: DS-0009
#   avd_id: AVD-DS-0009
#   severity: HIGH
#   recommended_actions: "Use an absolute path in WORKDIR."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS009

import data.lib.docker
import data.lib.sh

absolute(path) if startswith(path, "/")

absolute(path) if startswith(path, "$") # a variable: not known here

absolute(path) if regex.match(`^[A-Za-z]:[\\/]`, path) # Windows

deny contains res if {
	some instruction in docker.workdir
	path := trim(instruction.Value[0], `"'`)
	not absolute(path)
	res := result.new(sprintf("WORKDIR path '%s' should be absolute", [instruction.Value[0]]), instruction)
}
