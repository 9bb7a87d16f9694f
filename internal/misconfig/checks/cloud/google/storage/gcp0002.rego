# METADATA
# title: "Ensure that Cloud Storage buckets have uniform bucket-level access enabled"
# description: "Without uniform bucket-level access, object ACLs can grant access that the bucket's IAM policy does not show."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0002
# custom:
#   id: GCP-0002
#   avd_id: AVD-GCP-0002
#   provider: google
#   service: storage
#   severity: MEDIUM
#   recommended_actions: "Set 'uniform_bucket_level_access = true' on the google_storage_bucket."
#   input:
#     selector:
#       - type: cloud
package builtin.google.storage.GCP0002

deny contains res if {
	some bucket in input.google.storage.buckets
	bucket.enableuniformbucketlevelaccess.value == false
	res := result.new("Bucket does not have uniform bucket-level access enabled.", bucket.enableuniformbucketlevelaccess)
}
