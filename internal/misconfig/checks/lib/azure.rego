# Helpers over the input.azure document of the Azure checks (see
# docs/misconfig.md). Written for trawl.
package lib.azure

# managed: the object is a resource of the scanned configuration (not the
# stand-in parent of a child resource whose parent is elsewhere).
managed(obj) if obj.__defsec_metadata.managed == true

# open_address: an address prefix of a security rule that stands for any
# address on the internet.
open_address(addr) if lower(addr) in {"*", "0.0.0.0", "0.0.0.0/0", "::/0", "internet", "any"}

# port_in: a destination port range ({start, end}) includes port.
port_in(ports, port) if {
	ports.start.value <= port
	port <= ports.end.value
}

# inbound_allow: the rule admits inbound traffic.
inbound_allow(rule) if {
	rule.outbound.value == false
	rule.allow.value == true
}

# database servers of the given kinds (mssql, mysql, postgresql, mariadb).
servers(kinds) := [server |
	some kind in kinds
	some server in object.get(input.azure.database, sprintf("%sservers", [kind]), [])
]

# private_ip: an IPv4 address of a private, loopback or link-local range.
private_ip(ip) if {
	some cidr in {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16"}
	net.cidr_contains(cidr, ip)
}
