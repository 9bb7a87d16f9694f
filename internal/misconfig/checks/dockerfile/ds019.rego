# METADATA
# title: "'dnf clean all' missing"
# description: "'dnf' keeps downloaded packages and metadata in its cache; without 'dnf clean all' after the install in the same RUN they stay in the layer."
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#run
# custom:
#   id: DS-0019
#   avd_id: AVD-DS-0019
#   severity: HIGH
#   recommended_actions: "Add 'dnf clean all' after the install in the same RUN."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS019

import data.lib.docker
import data.lib.sh

installs := {"install", "in", "reinstall", "rei", "install-n", "install-na", "install-nevra", "groupinstall"}

# Indexes of the RUN's commands that install, and that clean.
install_at(cmds) := [i | some i, c in cmds; sh.program(c) == "dnf"; sh.subcommand(c) in installs]

clean_at(cmds) := [i | some i, c in cmds; sh.program(c) == "dnf"; sh.subcommand(c) == "clean"; sh.has_word(c, {"all"})]

deny contains res if {
	some instruction in docker.run
	cmds := sh.run_commands(instruction)
	ins := install_at(cmds)
	count(ins) > 0
	not cleaned(ins, clean_at(cmds))
	res := result.new(sprintf("'dnf clean all' is missed: %s", [concat(" ", instruction.Value)]), instruction)
}

cleaned(ins, cleans) if {
	count(cleans) > 0
	max(cleans) > max(ins)
}
