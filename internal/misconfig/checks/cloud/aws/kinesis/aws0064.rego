# METADATA
# title: "Kinesis stream is unencrypted."
# description: "A Kinesis stream without server-side encryption stores its records unencrypted; with encryption it should use a key the account controls."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0064
# custom:
#   id: AWS-0064
#   avd_id: AVD-AWS-0064
#   provider: aws
#   service: kinesis
#   severity: HIGH
#   recommended_actions: "Set 'encryption_type = \"KMS\"' and 'kms_key_id' to a customer managed key."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.kinesis.AWS0064

deny contains res if {
	some stream in input.aws.kinesis.streams
	is_string(stream.encryption.type.value)
	stream.encryption.type.value != "KMS"
	res := result.new("Stream does not use KMS encryption.", stream.encryption.type)
}

deny contains res if {
	some stream in input.aws.kinesis.streams
	stream.encryption.type.value == "KMS"
	stream.encryption.kmskeyid.value in {"", "alias/aws/kinesis"}
	res := result.new("Stream encryption does not use a customer managed key.", stream.encryption.kmskeyid)
}
