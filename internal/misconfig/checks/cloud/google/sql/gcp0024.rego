# METADATA
# title: "Enable automated backups to recover from data-loss"
# description: "Automated backups are off by default; without them a corrupted or deleted database cannot be restored."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0024
# custom:
#   id: GCP-0024
#   avd_id: AVD-GCP-0024
#   provider: google
#   service: sql
#   severity: MEDIUM
#   recommended_actions: "Set 'settings.backup_configuration { enabled = true }'."
#   input:
#     selector:
#       - type: cloud
package builtin.google.sql.GCP0024

deny contains res if {
	some instance in input.google.sql.instances
	instance.isreplica.value == false
	instance.settings.backupconfiguration.enabled.value == false
	res := result.new("Database instance does not have automated backups enabled.", instance.settings.backupconfiguration.enabled)
}
