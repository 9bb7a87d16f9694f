# METADATA
# title: "SSL connections to a SQL database instance should be enforced."
# description: "An instance that accepts unencrypted connections (require_ssl false and no encrypted-only ssl_mode) exposes data in transit."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0015
# custom:
#   id: GCP-0015
#   avd_id: AVD-GCP-0015
#   provider: google
#   service: sql
#   severity: HIGH
#   recommended_actions: "Set 'ip_configuration { ssl_mode = \"ENCRYPTED_ONLY\" }' (or require_ssl = true on older providers)."
#   input:
#     selector:
#       - type: cloud
package builtin.google.sql.GCP0015

deny contains res if {
	some instance in input.google.sql.instances
	ip := instance.settings.ipconfiguration
	ip.requiretls.value == false
	is_string(ip.sslmode.value)
	not ip.sslmode.value in {"ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"}
	res := result.new("Database instance does not require TLS for all connections.", ip.requiretls)
}
