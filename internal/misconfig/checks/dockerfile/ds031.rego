# METADATA
# title: "Secrets passed via `build-args` or envs or copied secret files"
# description: "A secret written as the value of an ENV or ARG is in the Dockerfile, in the image history and (ENV) in every container's environment."
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/secrets/
# custom:
#   id: DS-0031
#   avd_id: AVD-DS-0031
#   severity: CRITICAL
#   recommended_actions: "Pass secrets at build time with 'RUN --mount=type=secret' and at run time through the orchestrator's secrets, never as ENV or ARG values."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS031

import data.lib.docker
import data.lib.sh

# Name parts that mark a secret (upper case).
secret_parts := {"PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "ACCESS_KEY"}

# Name suffixes of settings that locate a secret rather than hold it.
locator_suffixes := {"_FILE", "_PATH", "_DIR", "_URL"}

secret_name(name) if {
	n := upper(name)
	some part in secret_parts
	contains(n, part)
	not locator(n)
}

locator(n) if {
	some s in locator_suffixes
	endswith(n, s)
}

# A literal value: not empty, not a variable reference, not a switch.
literal(value) if {
	value != ""
	not startswith(value, "$")
	not lower(value) in {"true", "false", "yes", "no", "on", "off"}
}

instructions contains instruction if {
	some instruction in input.Stages[_].Commands
	instruction.Cmd in {"env", "arg"}
}

instructions contains instruction if {
	some instruction in input.MetaArgs
}

# [name, value] pairs of an ENV (key, value pairs) or ARG (name=default words).
pairs(instruction) := ps if {
	instruction.Cmd == "env"
	ps := [[instruction.Value[i], instruction.Value[i + 1]] |
		some i in numbers.range(0, count(instruction.Value) - 2)
		i % 2 == 0
	]
}

pairs(instruction) := ps if {
	instruction.Cmd == "arg"
	ps := [[name, trim(value, `"'`)] |
		some word in instruction.Value
		[name, value] := split_once(word)
	]
}

split_once(word) := [substring(word, 0, i), substring(word, i + 1, -1)] if {
	i := indexof(word, "=")
	i > 0
}

deny contains res if {
	some instruction in instructions
	some [name, value] in pairs(instruction)
	secret_name(name)
	literal(value)
	res := result.new(sprintf("Possible exposure of secret env %q in %s", [name, upper(instruction.Cmd)]), instruction)
}
