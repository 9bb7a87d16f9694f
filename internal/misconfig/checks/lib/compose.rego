# Helpers over the Compose input document (the file as written; see
# docs/misconfig.md). Written for trawl. Values are checked as written:
# nothing is interpolated, so a "${VAR}" value is never taken for a
# literal one.
package lib.compose

# services maps each service's name to its definition (mappings only).
services[name] := svc if {
	some name, svc in input.services
	name != "__defsec_metadata"
	is_object(svc)
}

# describe names a service in messages.
describe(name) := sprintf("Service '%s'", [name])

# is_true: a Compose boolean, as Compose reads it (true, or the strings
# true/yes/on/y in any case).
is_true(v) if v == true

is_true(v) if {
	is_string(v)
	lower(v) in {"true", "yes", "on", "y"}
}

# interpolated: a string Compose would interpolate ($VAR, ${VAR}).
interpolated(v) if {
	is_string(v)
	contains(v, "$")
}

# --- ports ---

# ports are a service's published ports as {"host_ip", "published",
# "target", "cause"}: short syntax ("8080:80", "127.0.0.1:5432:5432",
# "[::1]:80:80", "22", 80, ranges "2375-2376:2375-2376"), long syntax
# ({target, published, host_ip}). Ports are strings ("" when not
# given); the cause is the long-syntax entry, else the service.
ports(svc) := {port |
	is_array(svc.ports)
	some entry in svc.ports
	port := _port(entry, svc)
}

_port(entry, svc) := {"host_ip": "", "published": "", "target": sprintf("%v", [entry]), "cause": svc} if is_number(entry)

_port(entry, svc) := object.union(_short_port(split(entry, "/")[0]), {"cause": svc}) if is_string(entry)

_port(entry, svc) := {
	"host_ip": sprintf("%v", [object.get(entry, "host_ip", "")]),
	"published": sprintf("%v", [object.get(entry, "published", "")]),
	"target": sprintf("%v", [object.get(entry, "target", "")]),
	"cause": entry,
} if is_object(entry)

# "[::1]:8080:80"
_short_port(s) := {"host_ip": trim_left(ip, "["), "published": hp[1], "target": hp[2]} if {
	startswith(s, "[")
	[ip, rest] := split(s, "]")
	hp := split(rest, ":")
	count(hp) == 3
}

_short_port(s) := p if {
	not startswith(s, "[")
	parts := split(s, ":")
	n := count(parts)
	p := _short_parts(parts, n)
}

_short_parts(parts, 1) := {"host_ip": "", "published": "", "target": parts[0]}

_short_parts(parts, 2) := {"host_ip": "", "published": parts[0], "target": parts[1]}

# "IP:HOST:CONTAINER", an unbracketed IPv6 address included.
_short_parts(parts, n) := {"host_ip": concat(":", array.slice(parts, 0, n - 2)), "published": parts[n - 2], "target": parts[n - 1]} if n > 2

# port_in: a port string ("22", "2375-2376") includes one of numbers.
port_in(s, numbers) if {
	regex.match(`^[0-9]+$`, s)
	to_number(s) in numbers
}

port_in(s, numbers) if {
	regex.match(`^[0-9]+-[0-9]+$`, s)
	[lo, hi] := split(s, "-")
	some n in numbers
	n >= to_number(lo)
	n <= to_number(hi)
}

# all_interfaces: a host IP that is every interface (or none given).
all_interfaces(ip) if ip in {"", "0.0.0.0", "::", "[::]"}

# --- volumes ---

# host_mounts are a service's bind mounts as {"source", "cause"}: short
# syntax "SRC:DST[:MODE]" whose SRC is a host path (/…, ./…, ../…, ~…;
# a name is a named volume), long syntax {type: bind, source}.
host_mounts(svc) := {mount |
	is_array(svc.volumes)
	some entry in svc.volumes
	mount := _mount(entry, svc)
}

_mount(entry, svc) := {"source": parts[0], "cause": svc} if {
	is_string(entry)
	parts := split(entry, ":")
	count(parts) >= 2
	_host_path(parts[0])
}

_mount(entry, _) := {"source": entry.source, "cause": entry} if {
	is_object(entry)
	entry.type == "bind"
	is_string(entry.source)
}

_host_path(s) if startswith(s, "/")

_host_path(s) if startswith(s, ".")

_host_path(s) if startswith(s, "~")

# clean_path drops trailing slashes ("/" stays "/").
clean_path(p) := "/" if {
	p != ""
	trim_right(p, "/") == ""
} else := trim_right(p, "/")

# --- other fields ---

# list is a field that takes one value or a list of them, as a list.
list(v) := v if is_array(v)

list(v) := [v] if not is_array(v)

# environment are a service's variables with a value as {"name",
# "value", "cause"}: map form (null values are taken from the shell) and
# list form ("NAME=value"; "NAME" alone is taken from the shell).
environment(svc) := _env_map(svc.environment) if is_object(svc.environment)

environment(svc) := _env_list(svc.environment, svc) if is_array(svc.environment)

environment(svc) := set() if {
	not is_object(svc.environment)
	not is_array(svc.environment)
}

_env_map(env) := {e |
	some name, value in env
	name != "__defsec_metadata"
	value != null
	e := {"name": name, "value": value, "cause": env}
}

_env_list(env, svc) := {e |
	some entry in env
	is_string(entry)
	contains(entry, "=")
	i := indexof(entry, "=")
	e := {"name": substring(entry, 0, i), "value": substring(entry, i + 1, -1), "cause": svc}
}
