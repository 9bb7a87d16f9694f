# METADATA
# title: "ECR Repository should use customer managed keys to allow more control"
# description: "Images are encrypted by default with an AWS managed key; a customer managed KMS key gives control over its policy and rotation."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0033
# custom:
#   id: AWS-0033
#   avd_id: AVD-AWS-0033
#   provider: aws
#   service: ecr
#   severity: LOW
#   recommended_actions: "Add 'encryption_configuration { encryption_type = \"KMS\", kms_key = <customer managed key> }'."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.ecr.AWS0033

deny contains res if {
	some repo in input.aws.ecr.repositories
	is_string(repo.encryption.type.value)
	repo.encryption.type.value != "KMS"
	res := result.new("Repository is not encrypted with KMS.", repo.encryption.type)
}

deny contains res if {
	some repo in input.aws.ecr.repositories
	repo.encryption.type.value == "KMS"
	repo.encryption.kmskeyid.value == ""
	res := result.new("Repository encryption does not use a customer managed key.", repo.encryption.kmskeyid)
}
