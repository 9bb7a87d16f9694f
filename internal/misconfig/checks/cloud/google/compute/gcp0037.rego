# METADATA
# title: "The encryption key used to encrypt a compute disk has been specified in plaintext."
# description: "A raw disk encryption key written in the configuration ends up in the source and in the Terraform state."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0037
# custom:
#   id: GCP-0037
#   avd_id: AVD-GCP-0037
#   provider: google
#   service: compute
#   severity: CRITICAL
#   recommended_actions: "Use 'kms_key_self_link' (a Cloud KMS key) instead of a raw key."
#   input:
#     selector:
#       - type: cloud
package builtin.google.compute.GCP0037

deny contains res if {
	some disk in input.google.compute.disks
	is_string(disk.encryption.rawkey.value)
	disk.encryption.rawkey.value != ""
	res := result.new("Disk encryption key is specified in plaintext.", disk.encryption.rawkey)
}

deny contains res if {
	some instance in input.google.compute.instances
	some disk in array.concat(instance.bootdisks, instance.attacheddisks)
	is_string(disk.encryption.rawkey.value)
	disk.encryption.rawkey.value != ""
	res := result.new("Instance disk encryption key is specified in plaintext.", disk.encryption.rawkey)
}
