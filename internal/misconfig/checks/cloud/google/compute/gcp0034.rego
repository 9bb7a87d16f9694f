# METADATA
# title: "Disks should be encrypted with customer managed encryption keys"
# description: "A google_compute_disk without a KMS key (or a customer-supplied key) is encrypted with keys you do not control."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0034
# custom:
#   id: GCP-0034
#   avd_id: AVD-GCP-0034
#   provider: google
#   service: compute
#   severity: LOW
#   recommended_actions: "Set 'disk_encryption_key { kms_key_self_link = ... }' on the google_compute_disk."
#   input:
#     selector:
#       - type: cloud
package builtin.google.compute.GCP0034

deny contains res if {
	some disk in input.google.compute.disks
	disk.encryption.kmskeylink.value == ""
	disk.encryption.rawkey.value == ""
	res := result.new("Disk is not encrypted with a customer-managed key.", disk.encryption.kmskeylink)
}
