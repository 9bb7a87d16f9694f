# METADATA
# title: "Cloud Storage buckets should be encrypted with a customer-managed key."
# description: "A bucket without a default KMS key is encrypted with Google-managed keys, whose rotation and access you do not control."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0066
# custom:
#   id: GCP-0066
#   avd_id: AVD-GCP-0066
#   provider: google
#   service: storage
#   severity: LOW
#   recommended_actions: "Set 'encryption { default_kms_key_name = ... }' on the google_storage_bucket."
#   input:
#     selector:
#       - type: cloud
package builtin.google.storage.GCP0066

deny contains res if {
	some bucket in input.google.storage.buckets
	bucket.encryption.defaultkmskeyname.value == ""
	res := result.new("Bucket is not encrypted with a customer-managed key.", bucket.encryption.defaultkmskeyname)
}
