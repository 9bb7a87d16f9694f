# METADATA
# title: "'pip install' missing '--no-cache-dir'"
# description: "pip keeps downloaded wheels in ~/.cache/pip; without '--no-cache-dir' they stay in the layer."
# scope: package
# related_resources:
#   - https://pip.pypa.io/en/stable/topics/caching/
# custom:
#   id: TRL-DS-0006
#   severity: LOW
#   recommended_actions: "Add '--no-cache-dir' to 'pip install', set 'ENV PIP_NO_CACHE_DIR=1', or mount a build cache on ~/.cache/pip."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.TRLDS006

import data.lib.docker
import data.lib.sh

pip_install(c) if {
	regex.match(`^pip[0-9.]*$`, sh.program(c))
	sh.subcommand(c) == "install"
}

pip_install(c) if {
	a := sh.argv(c)
	regex.match(`^python[0-9.]*$`, sh.program(c))
	some i, w in a
	w == "-m"
	a[i + 1] == "pip"
	some j, x in a
	j > i + 1
	x == "install"
}

# The stage sets PIP_NO_CACHE_DIR, or the RUN mounts a cache for pip.
cache_off(stage, instruction) if {
	some env in stage.Commands
	env.Cmd in {"env", "arg"}
	some v in env.Value
	startswith(v, "PIP_NO_CACHE_DIR")
}

cache_off(_, instruction) if {
	some f in instruction.Flags
	startswith(f, "--mount=")
	contains(f, "type=cache")
	contains(f, ".cache/pip")
}

deny contains res if {
	some stage in input.Stages
	some instruction in stage.Commands
	instruction.Cmd == "run"
	some c in sh.run_commands(instruction)
	pip_install(c)
	not sh.has_word(c, {"--no-cache-dir"})
	not cache_off(stage, instruction)
	res := result.new(sprintf("'--no-cache-dir' flag is missed: '%s'", [c]), instruction)
}
