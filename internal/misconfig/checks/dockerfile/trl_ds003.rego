# METADATA
# title: "RUN makes files world-writable"
# description: "'chmod 777' (or o+w) lets every user of the container, including a compromised unprivileged process, change those files or programs."
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#user
# custom:
#   id: TRL-DS-0003
#   severity: HIGH
#   recommended_actions: "Give write access to the owner (and group) only, e.g. 'chmod 755' / 'chown app'; for shared temporary directories use the sticky bit (1777)."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.TRLDS003

import data.lib.docker
import data.lib.sh

# A numeric mode whose 'others' digit has the write bit, without the
# sticky bit (1777 on a temporary directory is fine).
world_writable(mode) if {
	regex.match(`^[0-7]{3}$`, mode)
	substring(mode, 2, 1) in {"2", "3", "6", "7"}
}

world_writable(mode) if {
	regex.match(`^[0-7]{4}$`, mode)
	substring(mode, 3, 1) in {"2", "3", "6", "7"}
	not substring(mode, 0, 1) in {"1", "3", "5", "7"}
}

# Symbolic: o+w, a+w, go=rwx, ... (plain '+w' follows the umask).
world_writable(mode) if regex.match(`(^|,)[ugo]*[oa][ugoa]*[+=][rwxXst]*w`, mode)

deny contains res if {
	some instruction in docker.run
	some c in sh.run_commands(instruction)
	sh.program(c) == "chmod"
	some w in sh.argv(c)
	not startswith(w, "-")
	world_writable(w)
	res := result.new(sprintf("'%s' makes files writable by every user", [c]), instruction)
}
