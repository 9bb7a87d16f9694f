# METADATA
# title: "'apt-get dist-upgrade' used"
# description: "'dist-upgrade' may add and remove packages and move the image towards another release; the base image should be chosen instead."
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#apt-get
# custom:
#   id: DS-0024
#   avd_id: AVD-DS-0024
#   severity: HIGH
#   recommended_actions: "Use a newer base image instead of 'apt-get dist-upgrade'."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS024

import data.lib.docker
import data.lib.sh

deny contains res if {
	some instruction in docker.run
	some c in sh.run_commands(instruction)
	sh.program(c) in {"apt-get", "apt"}
	sh.subcommand(c) in {"dist-upgrade", "full-upgrade"}
	res := result.new(sprintf("'%s %s' should not be used in Dockerfile", [sh.program(c), sh.subcommand(c)]), instruction)
}
