# Helpers over the Dockerfile input document (see docs/misconfig.md).
# Written for trawl; the rule names are the ones Dockerfile checks commonly
# import as data.lib.docker.
package lib.docker

from contains instruction if {
	some instruction in input.Stages[_].Commands
	instruction.Cmd == "from"
}

add contains instruction if {
	some instruction in input.Stages[_].Commands
	instruction.Cmd == "add"
}

run contains instruction if {
	some instruction in input.Stages[_].Commands
	instruction.Cmd == "run"
}

copy contains instruction if {
	some instruction in input.Stages[_].Commands
	instruction.Cmd == "copy"
}

user contains instruction if {
	some instruction in input.Stages[_].Commands
	instruction.Cmd == "user"
}

expose contains instruction if {
	some instruction in input.Stages[_].Commands
	instruction.Cmd == "expose"
}

workdir contains instruction if {
	some instruction in input.Stages[_].Commands
	instruction.Cmd == "workdir"
}

healthcheck contains instruction if {
	some instruction in input.Stages[_].Commands
	instruction.Cmd == "healthcheck"
}

cmd contains instruction if {
	some instruction in input.Stages[_].Commands
	instruction.Cmd == "cmd"
}

entrypoint contains instruction if {
	some instruction in input.Stages[_].Commands
	instruction.Cmd == "entrypoint"
}

# The commands of the stages, keyed by stage index.
stage_commands[i] := stage.Commands if {
	some i, stage in input.Stages
}
