# Shell helpers: a RUN command line split into its simple commands.
package lib.sh

# commands(line) is the list of simple commands of a shell line, split on
# &&, ||, ; and |, each trimmed.
commands(line) := [trim_space(c) |
	some c in regex.split(`&&|\|\||;|\||\n`, line)
	trim_space(c) != ""
]

# The simple commands of a RUN instruction (shell or exec form).
run_commands(instruction) := commands(concat(" ", instruction.Value))
