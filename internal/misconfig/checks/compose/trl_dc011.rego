# METADATA
# title: "Database port published on all interfaces"
# description: "A database, cache or search port (MySQL 3306, PostgreSQL 5432, MSSQL 1433, Oracle 1521, Redis 6379, MongoDB 27017, Elasticsearch 9200, Cassandra 9042, CouchDB 5984, memcached 11211) is published without a host IP, so on every interface of the host: Docker's published ports bypass host firewalls such as ufw."
# scope: package
# related_resources:
#   - https://docs.docker.com/engine/network/packet-filtering-firewalls/#port-publishing-and-mapping
# custom:
#   id: TRL-DC-0011
#   severity: MEDIUM
#   recommended_actions: "Bind it to loopback ('127.0.0.1:5432:5432') or do not publish it: services of the stack reach it on the Compose network."
#   input:
#     selector:
#       - type: compose
package builtin.compose.TRLDC011

import data.lib.compose

databases := {3306, 5432, 1433, 1521, 6379, 27017, 9200, 9042, 5984, 11211}

deny contains res if {
	some name, svc in compose.services
	some port in compose.ports(svc)
	compose.all_interfaces(port.host_ip)
	compose.port_in(port.target, databases)
	res := result.new(sprintf("%s publishes database port %s on all interfaces", [compose.describe(name), port.target]), port.cause)
}
