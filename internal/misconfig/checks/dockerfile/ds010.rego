# METADATA
# title: "RUN using 'sudo'"
# description: "Build steps already run as the current USER; 'sudo' in RUN hides which user a step needs, behaves unpredictably without a TTY and needs sudo (and its configuration) in the image."
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#user
# custom:
#   id: DS-0010
#   avd_id: AVD-DS-0010
#   severity: CRITICAL
#   recommended_actions: "Drop 'sudo': switch with 'USER root' for the steps that need it, then back."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS010

import data.lib.docker
import data.lib.sh

deny contains res if {
	some instruction in docker.run
	some c in sh.run_commands(instruction)
	sh.program(c) == "sudo"
	res := result.new("Using 'sudo' in Dockerfile should be avoided", instruction)
}
