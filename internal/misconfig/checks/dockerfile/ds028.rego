# METADATA
# title: "'(micro)dnf install' is missing '--nodocs'"
# description: "Without '--nodocs' dnf installs man pages and documentation, which a container does not need."
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#run
# custom:
#   id: DS-0028
#   avd_id: AVD-DS-0028
#   severity: HIGH
#   recommended_actions: "Add '--nodocs' to 'dnf install' and 'microdnf install'."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS028

import data.lib.docker
import data.lib.sh

nodocs(c) if sh.has_word(c, {"--nodocs"})

nodocs(c) if regex.match(`tsflags=nodocs`, c)

deny contains res if {
	some instruction in docker.run
	some c in sh.run_commands(instruction)
	sh.program(c) in {"dnf", "microdnf"}
	sh.subcommand(c) in {"install", "in", "reinstall", "rei", "groupinstall"}
	not nodocs(c)
	res := result.new(sprintf("'--nodocs' is missing for dnf package installation: %s", [c]), instruction)
}
