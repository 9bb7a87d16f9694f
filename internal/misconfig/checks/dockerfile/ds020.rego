# METADATA
# title: "'zypper clean' missing"
# description: "'zypper' keeps downloaded packages and metadata in its cache; without 'zypper clean' after the install in the same RUN they stay in the layer."
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#run
# custom:
#   id: DS-0020
#   avd_id: AVD-DS-0020
#   severity: HIGH
#   recommended_actions: "Add 'zypper clean' after the install in the same RUN."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS020

import data.lib.docker
import data.lib.sh

installs := {"install", "in", "remove", "rm", "source-install", "si", "patch"}

# Indexes of the RUN's commands that install, and that clean.
install_at(cmds) := [i | some i, c in cmds; sh.program(c) == "zypper"; sh.subcommand(c) in installs]

clean_at(cmds) := [i | some i, c in cmds; sh.program(c) == "zypper"; sh.subcommand(c) in {"clean", "cc"}]

deny contains res if {
	some instruction in docker.run
	cmds := sh.run_commands(instruction)
	ins := install_at(cmds)
	count(ins) > 0
	not cleaned(ins, clean_at(cmds))
	res := result.new(sprintf("'zypper clean' is missed: %s", [concat(" ", instruction.Value)]), instruction)
}

cleaned(ins, cleans) if {
	count(cleans) > 0
	max(cleans) > max(ins)
}
