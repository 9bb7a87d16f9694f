# METADATA
# title: "'RUN <package-manager> update' instruction alone"
# description: "A package index update cached in its own layer is reused by later builds, so the install in another RUN gets stale packages."
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/
# custom:
#   id: DS-0017
#   avd_id: AVD-DS-0017
#   severity: HIGH
#   recommended_actions: "Run the update and the install in the same RUN instruction."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS017

import data.lib.docker
import data.lib.sh

managers := {"apt-get", "apt", "yum", "dnf", "apk", "zypper", "microdnf"}

updates(commands) if {
	some c in commands
	words := split(c, " ")
	words[0] in managers
	some w in words
	w in {"update", "makecache"}
}

installs(commands) if {
	some c in commands
	words := split(c, " ")
	words[0] in managers
	some w in words
	w in {"install", "add", "upgrade", "dist-upgrade"}
}

deny contains res if {
	some instruction in docker.run
	commands := sh.run_commands(instruction)
	updates(commands)
	not installs(commands)
	res := result.new(sprintf("The instruction 'RUN <package-manager> update' should always be followed by '<package-manager> install' in the same RUN statement: '%s'", [concat(" ", instruction.Value)]), instruction)
}
