# METADATA
# title: "Ensure database firewalls do not permit public access"
# description: "A firewall rule whose range spans public addresses lets those addresses reach the database; start and end 0.0.0.0 is the special rule that only admits Azure services."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0029
# custom:
#   id: AZU-0029
#   avd_id: AVD-AZU-0029
#   provider: azure
#   service: database
#   severity: HIGH
#   recommended_actions: "Limit firewall rules to the addresses that need access."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.database.AZU0029

import data.lib.azure

deny contains res if {
	some server in azure.servers(["mssql", "mysql", "postgresql", "mariadb"])
	some rule in server.firewallrules
	start := rule.startip.value
	end := rule.endip.value
	is_string(start)
	is_string(end)
	start != end
	public_rule(start, end)
	res := result.new(sprintf("Firewall rule allows public internet access (%s to %s).", [start, end]), rule)
}

public_rule(start, _) if public(start)

public_rule(_, end) if public(end)

public(ip) if {
	ip != "0.0.0.0"
	net.cidr_contains("0.0.0.0/0", ip)
	not azure.private_ip(ip)
}
