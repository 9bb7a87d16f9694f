# METADATA
# title: "Databases should have the minimum TLS set for connections"
# description: "A database server that accepts TLS versions older than 1.2 (or enforces none) lets clients connect with protocol versions that have known weaknesses."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0026
# custom:
#   id: AZU-0026
#   avd_id: AVD-AZU-0026
#   provider: azure
#   service: database
#   severity: MEDIUM
#   recommended_actions: "Set the minimum TLS version to 1.2 (minimum_tls_version = \"1.2\", ssl_minimal_tls_version_enforced = \"TLS1_2\", minimalTlsVersion)."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.database.AZU0026

import data.lib.azure

deny contains res if {
	some server in azure.servers(["mysql", "postgresql"])
	azure.managed(server)
	version := server.minimumtlsversion.value
	is_string(version)
	not version in {"TLS1_2", "TLS1_3"}
	res := result.new(sprintf("Database server does not require TLS 1.2 (%s).", [version]), server.minimumtlsversion)
}

deny contains res if {
	some server in input.azure.database.mssqlservers
	azure.managed(server)
	version := server.minimumtlsversion.value
	is_string(version)
	not version in {"1.2", "1.3"}
	res := result.new(sprintf("Database server does not require TLS 1.2 (%q).", [version]), server.minimumtlsversion)
}
