# METADATA
# title: "Ensure that Cloud Storage bucket is not anonymously or publicly accessible."
# description: "A bucket IAM member or binding that names allUsers or allAuthenticatedUsers lets anyone (or any Google account) reach the bucket's data."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0001
# custom:
#   id: GCP-0001
#   avd_id: AVD-GCP-0001
#   provider: google
#   service: storage
#   severity: HIGH
#   recommended_actions: "Grant bucket roles to specific users, groups or service accounts instead of allUsers/allAuthenticatedUsers."
#   input:
#     selector:
#       - type: cloud
package builtin.google.storage.GCP0001

public_member(v) if {
	is_string(v)
	lower(v) in {"allusers", "allauthenticatedusers"}
}

deny contains res if {
	some bucket in input.google.storage.buckets
	some member in bucket.members
	public_member(member.member.value)
	res := result.new(sprintf("Bucket grants %s to %s.", [member.role.value, member.member.value]), member.member)
}

deny contains res if {
	some bucket in input.google.storage.buckets
	some binding in bucket.bindings
	some m in binding.members
	public_member(m.value)
	res := result.new(sprintf("Bucket grants %s to %s.", [binding.role.value, m.value]), m)
}
