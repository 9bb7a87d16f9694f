# METADATA
# title: "Instances in a subnet should not receive a public IP address by default."
# description: "A subnet that maps public IPs on launch gives every instance started in it an internet-reachable address, whether it needs one or not."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0164
# custom:
#   id: AWS-0164
#   avd_id: AVD-AWS-0164
#   provider: aws
#   service: ec2
#   severity: HIGH
#   recommended_actions: "Set 'map_public_ip_on_launch = false' on the subnet."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.ec2.AWS0164

deny contains res if {
	some subnet in input.aws.ec2.subnets
	subnet.mappubliciponlaunch.value == true
	res := result.new("Subnet assigns public IP addresses on launch.", subnet.mappubliciponlaunch)
}
