# METADATA
# title: "'apt-get' missing '-y' to avoid manual input"
# description: "Without '-y' apt-get asks for confirmation; a build has no one to answer, so the install aborts or hangs."
# scope: package
# related_resources:
#   - https://docs.docker.com/reference/dockerfile/#run
# custom:
#   id: DS-0021
#   avd_id: AVD-DS-0021
#   severity: HIGH
#   recommended_actions: "Add '-y' to 'apt-get install'."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS021

import data.lib.docker
import data.lib.sh

assumes_yes(c) if sh.has_word(c, {"--yes", "--assume-yes", "-qq", "--quiet=2"})

assumes_yes(c) if sh.has_short_flag(c, "y")

assumes_yes(c) if regex.match(`APT::Get::Assume-Yes=(true|1|yes)`, c)

deny contains res if {
	some instruction in docker.run
	some c in sh.run_commands(instruction)
	sh.program(c) == "apt-get"
	sh.subcommand(c) == "install"
	not assumes_yes(c)
	res := result.new(sprintf("'-y' flag is missed: '%s'", [c]), instruction)
}
