# METADATA
# title: "KMS keys should be rotated at least every 90 days"
# description: "A crypto key without a rotation period, or with one longer than 90 days, keeps the same key material in use for too long."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0065
# custom:
#   id: GCP-0065
#   avd_id: AVD-GCP-0065
#   provider: google
#   service: kms
#   severity: HIGH
#   recommended_actions: "Set 'rotation_period' to 7776000s (90 days) or less on the google_kms_crypto_key."
#   input:
#     selector:
#       - type: cloud
package builtin.google.kms.GCP0065

deny contains res if {
	some ring in input.google.kms.keyrings
	some key in ring.keys
	key.rotationperiodseconds.value == -1
	res := result.new("Key has no automatic rotation.", key.rotationperiodseconds)
}

deny contains res if {
	some ring in input.google.kms.keyrings
	some key in ring.keys
	key.rotationperiodseconds.value > 7776000
	res := result.new("Key rotation period is longer than 90 days.", key.rotationperiodseconds)
}
