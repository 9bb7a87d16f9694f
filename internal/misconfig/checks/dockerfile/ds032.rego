# METADATA
# title: "RUN with pipe without pipefail"
# description: "A shell pipeline's status is its last command's: 'curl ... | tar x' succeeds when curl fails, and the build goes on with a broken step."
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#using-pipes
# custom:
#   id: DS-0032
#   avd_id: AVD-DS-0032
#   severity: LOW
#   recommended_actions: "Add 'set -o pipefail' before the pipe (with a shell that has it), or set it for all RUNs with 'SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]'."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS032

import data.lib.docker
import data.lib.sh

# The SHELL in effect for the command at index n of a stage.
shell_before(stage, n) := stage.Commands[max(idx)].Value if {
	idx := {i | some i, c in stage.Commands; c.Cmd == "shell"; i < n}
	count(idx) > 0
}

pipefail_shell(value) if {
	some i, w in value
	w == "-o"
	value[i + 1] == "pipefail"
}

pipefail_shell(value) if {
	some i, w in value
	regex.match(`^-[a-z]*o$`, w)
	value[i + 1] == "pipefail"
}

# PowerShell and cmd handle errors their own way.
pipefail_shell(value) if regex.match(`(?i)(pwsh|powershell|cmd)(\.exe)?$`, value[0])

pipefail_active(stage, n) if {
	value := shell_before(stage, n)
	pipefail_shell(value)
}

sets_pipefail(line) if regex.match(`set\s+(-[a-z]*o\s+pipefail|-o\s+pipefail)`, line)

has_pipe(line) if {
	some p in sh.pipelines(line)
	count(p) > 1
}

deny contains res if {
	some stage in input.Stages
	some n, instruction in stage.Commands
	instruction.Cmd == "run"
	not instruction.JSON
	line := sh.run_line(instruction)
	has_pipe(line)
	not sets_pipefail(line)
	not pipefail_active(stage, n)
	res := result.new("RUN instruction with a pipe should use 'set -o pipefail'", instruction)
}
