# METADATA
# title: "A KMS key is not configured to auto-rotate."
# description: "A key whose material never rotates stays usable by whoever obtained it for as long as the key lives."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0065
# custom:
#   id: AWS-0065
#   avd_id: AVD-AWS-0065
#   provider: aws
#   service: kms
#   severity: MEDIUM
#   recommended_actions: "Set 'enable_key_rotation = true' on the key."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.kms.AWS0065

deny contains res if {
	some key in input.aws.kms.keys
	key.usage.value != "SIGN_VERIFY"
	key.rotationenabled.value == false
	res := result.new("Key does not have rotation enabled.", key.rotationenabled)
}
