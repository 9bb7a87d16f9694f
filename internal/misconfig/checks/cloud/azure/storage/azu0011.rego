# METADATA
# title: "The minimum TLS version for Storage Accounts should be TLS1_2"
# description: "A storage account that accepts TLS 1.0 or 1.1 lets clients connect with protocol versions that have known weaknesses."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/azu-0011
# custom:
#   id: AZU-0011
#   avd_id: AVD-AZU-0011
#   provider: azure
#   service: storage
#   severity: CRITICAL
#   recommended_actions: "Set the minimum TLS version to TLS1_2 (min_tls_version, minimumTlsVersion)."
#   input:
#     selector:
#       - type: cloud
package builtin.azure.storage.AZU0011

import data.lib.azure

deny contains res if {
	some account in input.azure.storage.accounts
	azure.managed(account)
	version := account.minimumtlsversion.value
	is_string(version)
	not version in {"TLS1_2", "TLS1_3"}
	res := result.new(sprintf("Storage account accepts TLS versions older than 1.2 (%s).", [version]), account.minimumtlsversion)
}
