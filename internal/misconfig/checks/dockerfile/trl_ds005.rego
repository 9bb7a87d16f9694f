# METADATA
# title: "'zypper install' missing '-n' to avoid manual input"
# description: "Without '--non-interactive' (-n) or '-y' zypper asks for confirmation; a build has no one to answer, so the install aborts."
# scope: package
# related_resources:
#   - https://doc.opensuse.org/documentation/leap/reference/html/book-reference/cha-sw-cl.html
# custom:
#   id: TRL-DS-0005
#   severity: HIGH
#   recommended_actions: "Run 'zypper -n install' (or 'zypper install -y')."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.TRLDS005

import data.lib.docker
import data.lib.sh

non_interactive(c) if sh.has_word(c, {"-n", "--non-interactive", "-y", "--no-confirm"})

deny contains res if {
	some instruction in docker.run
	some c in sh.run_commands(instruction)
	sh.program(c) == "zypper"
	sh.subcommand(c) in {"install", "in", "remove", "rm", "update", "up", "patch", "dist-upgrade", "dup", "source-install", "si"}
	not non_interactive(c)
	res := result.new(sprintf("'-n' flag is missed: '%s'", [c]), instruction)
}
