# METADATA
# title: "EFS Encryption has not been enabled"
# description: "An EFS file system without encryption at rest keeps its files and metadata unencrypted on the underlying storage."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0037
# custom:
#   id: AWS-0037
#   avd_id: AVD-AWS-0037
#   provider: aws
#   service: efs
#   severity: HIGH
#   recommended_actions: "Set 'encrypted = true' on the file system."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.efs.AWS0037

deny contains res if {
	some fs in input.aws.efs.filesystems
	fs.encrypted.value == false
	res := result.new("File system is not encrypted.", fs.encrypted)
}
