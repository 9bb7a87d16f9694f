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

maintainer contains instruction if {
	some instruction in input.Stages[_].Commands
	instruction.Cmd == "maintainer"
}

# The stage alias (lower case) of stage i, when its FROM has "AS name".
stage_alias[i] := lower(from.Value[2]) if {
	some i, stage in input.Stages
	from := stage.Commands[0]
	from.Cmd == "from"
	count(from.Value) == 3
	lower(from.Value[1]) == "as"
}

# flag_value(instruction, name) is the value of a --name=value flag.
flag_value(instruction, name) := v if {
	some f in instruction.Flags
	startswith(f, sprintf("--%s=", [name]))
	v := substring(f, count(name) + 3, -1)
}
