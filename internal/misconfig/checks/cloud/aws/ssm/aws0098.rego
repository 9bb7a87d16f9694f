# METADATA
# title: "Secrets Manager should use customer managed keys"
# description: "Secrets are encrypted by default with the AWS managed key; a customer managed KMS key gives control over who may decrypt them."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0098
# custom:
#   id: AWS-0098
#   avd_id: AVD-AWS-0098
#   provider: aws
#   service: ssm
#   severity: LOW
#   recommended_actions: "Set 'kms_key_id' on the secret to a customer managed key."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.ssm.AWS0098

deny contains res if {
	some secret in input.aws.ssm.secrets
	secret.kmskeyid.value in {"", "alias/aws/secretsmanager"}
	res := result.new("Secret is not encrypted with a customer managed key.", secret.kmskeyid)
}
