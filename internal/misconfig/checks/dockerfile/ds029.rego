# METADATA
# title: "'apt-get' missing '--no-install-recommends'"
# description: "Without '--no-install-recommends' apt-get installs recommended packages too: a larger image with more code to patch."
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/
# custom:
#   id: DS-0029
#   avd_id: AVD-DS-0029
#   severity: HIGH
#   recommended_actions: "Add '--no-install-recommends' to 'apt-get install'."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS029

import data.lib.docker
import data.lib.sh

bad_install(c) if {
	regex.match(`^apt-get(\s+-\S+)*\s+install(\s|$)`, c)
	not contains(c, "--no-install-recommends")
	not regex.match(`APT::Install-Recommends=(false|0)`, c)
}

deny contains res if {
	some instruction in docker.run
	some c in sh.run_commands(instruction)
	bad_install(c)
	res := result.new(sprintf("'--no-install-recommends' flag is missed: '%s'", [concat(" ", instruction.Value)]), instruction)
}
