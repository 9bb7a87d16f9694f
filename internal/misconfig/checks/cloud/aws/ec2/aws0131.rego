# METADATA
# title: "Instance with unencrypted block device."
# description: "A block device that is not encrypted keeps the instance's data, and the snapshots taken of it, readable to anyone who obtains them."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0131
# custom:
#   id: AWS-0131
#   avd_id: AVD-AWS-0131
#   provider: aws
#   service: ec2
#   severity: HIGH
#   recommended_actions: "Set 'encrypted = true' on the root_block_device and every ebs_block_device."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.ec2.AWS0131

deny contains res if {
	some instance in input.aws.ec2.instances
	instance.rootblockdevice.encrypted.value == false
	res := result.new("Root block device is not encrypted.", instance.rootblockdevice.encrypted)
}

deny contains res if {
	some instance in input.aws.ec2.instances
	some device in instance.ebsblockdevices
	device.encrypted.value == false
	res := result.new("EBS block device is not encrypted.", device.encrypted)
}
