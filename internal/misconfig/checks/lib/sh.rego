# Shell helpers: a RUN command line split into its simple commands, and
# the words of a simple command.
package lib.sh

# Shells whose "-c" argument is a script (exec-form RUN, SHELL).
shells := {
	"sh", "/bin/sh", "/usr/bin/sh", "bash", "/bin/bash", "/usr/bin/bash",
	"ash", "/bin/ash", "dash", "/bin/dash", "zsh", "/bin/zsh", "/usr/bin/zsh",
}

# commands(line) is the list of simple commands of a shell line, split on
# &&, ||, ; and |, each trimmed.
commands(line) := [trim_space(c) |
	some c in regex.split(`&&|\|\||;|\||\n`, line)
	trim_space(c) != ""
]

# run_line(instruction) is the shell script of a RUN: the shell form as
# written (continuations joined, heredoc bodies appended); for the exec
# form the script of ["sh", "-c", script], else the words joined.
run_line(instruction) := concat(" ", array.slice(v, 2, count(v))) if {
	instruction.JSON
	v := instruction.Value
	count(v) > 2
	v[0] in shells
	v[1] == "-c"
} else := concat(" ", instruction.Value)

# The simple commands of a RUN instruction (shell or exec form).
run_commands(instruction) := commands(run_line(instruction))

# pipelines(line) is the list of pipelines of a shell line (split on &&,
# ||, ; and newlines), each the list of its commands (split on |).
pipelines(line) := [stages |
	some p in regex.split(`&&|\|\||;|\n`, line)
	stages := [trim_space(s) | some s in split(p, "|"); trim_space(s) != ""]
	count(stages) > 0
]

# words(c) are the whitespace-separated words of a simple command.
words(c) := [w | some w in regex.split(`\s+`, trim_space(c)); w != ""]

# argv(c) are the words of c without leading VAR=value assignments.
argv(c) := array.slice(ws, min(idx), count(ws)) if {
	ws := words(c)
	idx := {i | some i, w in ws; not regex.match(`^[A-Za-z_][A-Za-z0-9_]*=`, w)}
	count(idx) > 0
} else := []

# program(c) is the base name of the program c runs ("" for none):
# "/usr/bin/apt-get -y install x" → "apt-get".
program(c) := p if {
	a := argv(c)
	count(a) > 0
	parts := split(a[0], "/")
	p := parts[count(parts) - 1]
} else := ""

# subcommand(c) is the first word after the program that is no option
# (no leading '-', no '='): "apt-get -y -o A=b install x" → "install".
subcommand(c) := s if {
	a := argv(c)
	subs := [w | some i, w in a; i > 0; not startswith(w, "-"); not contains(w, "=")]
	s := subs[0]
} else := ""

# has_word(c, names): one of the words of c is in names.
has_word(c, names) if {
	some w in words(c)
	w in names
}

# has_short_flag(c, letter): a short-option cluster of c ("-qy") holds
# letter.
has_short_flag(c, letter) if {
	some w in words(c)
	regex.match(`^-[A-Za-z]+$`, w)
	contains(w, letter)
}
