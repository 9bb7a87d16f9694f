# METADATA
# title: "EBS volumes must be encrypted"
# description: "An unencrypted EBS volume keeps its data, and the snapshots taken of it, readable to anyone who obtains them."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0026
# custom:
#   id: AWS-0026
#   avd_id: AVD-AWS-0026
#   provider: aws
#   service: ec2
#   severity: HIGH
#   recommended_actions: "Set 'encrypted = true' on the volume."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.ec2.AWS0026

deny contains res if {
	some volume in input.aws.ec2.volumes
	volume.encryption.enabled.value == false
	res := result.new("EBS volume is not encrypted.", volume.encryption.enabled)
}
