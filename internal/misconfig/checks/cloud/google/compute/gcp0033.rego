# METADATA
# title: "VM disks should be encrypted with Customer Supplied Encryption Keys"
# description: "A boot or attached disk of an instance without a KMS key (or a customer-supplied key) is encrypted with keys you do not control."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0033
# custom:
#   id: GCP-0033
#   avd_id: AVD-GCP-0033
#   provider: google
#   service: compute
#   severity: LOW
#   recommended_actions: "Set 'kms_key_self_link' on the instance's boot_disk and attached_disk blocks."
#   input:
#     selector:
#       - type: cloud
package builtin.google.compute.GCP0033

deny contains res if {
	some instance in input.google.compute.instances
	some disk in array.concat(instance.bootdisks, instance.attacheddisks)
	disk.encryption.kmskeylink.value == ""
	disk.encryption.rawkey.value == ""
	res := result.new("Instance disk is not encrypted with a customer-controlled key.", disk)
}
