# METADATA
# title: "Download piped into a shell"
# description: "'curl ... | sh' runs whatever the server sends at build time, unverified: a compromised or spoofed server owns the image."
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#run
# custom:
#   id: TRL-DS-0001
#   severity: HIGH
#   recommended_actions: "Download the script to a file, verify its checksum or signature, then run it."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.TRLDS001

import data.lib.docker
import data.lib.sh

fetchers := {"curl", "wget"}

interpreters := {"sh", "bash", "ash", "dash", "zsh", "ksh", "fish", "python", "python2", "python3", "perl", "ruby", "node", "php"}

# The program a pipeline stage runs, past sudo and env wrappers.
runs(c) := sh.program(concat(" ", array.slice(a, first, count(a)))) if {
	sh.program(c) in {"sudo", "env", "exec"}
	a := sh.argv(c)
	idx := {i | some i, w in a; i > 0; not startswith(w, "-"); not contains(w, "=")}
	count(idx) > 0
	first := min(idx)
} else := sh.program(c)

piped(line) if {
	some p in sh.pipelines(line)
	some i, fetch in p
	runs(fetch) in fetchers
	some j, target in p
	j > i
	runs(target) in interpreters
}

# sh -c "$(curl ...)", bash <(curl ...), source <(wget ...)
piped(line) if regex.match("(\\$\\(|<\\(|`)\\s*(curl|wget)\\s", line)

deny contains res if {
	some instruction in docker.run
	piped(sh.run_line(instruction))
	res := result.new(sprintf("A download is piped into an interpreter: '%s'", [concat(" ", instruction.Value)]), instruction)
}
