# METADATA
# title: "'RUN cd ...' to change directory"
# description: "A 'cd' inside RUN changes the directory for that command only, which is easy to misread; WORKDIR sets it for every later instruction and is clearer."
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/
# custom:
#   id: DS-0013
#   avd_id: AVD-DS-0013
#   severity: MEDIUM
#   recommended_actions: "Use WORKDIR to change the working directory."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS013

import data.lib.docker
import data.lib.sh

deny contains res if {
	some instruction in docker.run
	not instruction.JSON
	some c in sh.run_commands(instruction)
	regex.match(`^cd(\s|$)`, c)
	res := result.new(sprintf("RUN should not be used to change directory: '%s'. Use 'WORKDIR' statement instead.", [concat(" ", instruction.Value)]), instruction)
}
