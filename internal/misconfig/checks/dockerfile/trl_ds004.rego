# METADATA
# title: "'yum install' missing '-y' to avoid manual input"
# description: "Without '-y' yum and dnf ask for confirmation; a build has no one to answer, so the install aborts."
# scope: package
# related_resources:
#   - https://docs.docker.com/reference/dockerfile/#run
# custom:
#   id: TRL-DS-0004
#   severity: HIGH
#   recommended_actions: "Add '-y' to 'yum install' / 'dnf install'."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.TRLDS004

import data.lib.docker
import data.lib.sh

assumes_yes(c) if sh.has_word(c, {"--assumeyes", "--assume-yes"})

assumes_yes(c) if sh.has_short_flag(c, "y")

deny contains res if {
	some instruction in docker.run
	some c in sh.run_commands(instruction)
	sh.program(c) in {"yum", "dnf"}
	sh.subcommand(c) in {"install", "in", "groupinstall", "localinstall", "reinstall", "update", "upgrade", "remove", "erase"}
	not assumes_yes(c)
	res := result.new(sprintf("'-y' flag is missed: '%s'", [c]), instruction)
}
