# METADATA
# title: "Launch configuration should not have a public IP address."
# description: "Instances launched from a configuration that associates a public IP address are reachable from the internet, whether they need to be or not."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0009
# custom:
#   id: AWS-0009
#   avd_id: AVD-AWS-0009
#   provider: aws
#   service: ec2
#   severity: HIGH
#   recommended_actions: "Set 'associate_public_ip_address = false' on the launch configuration."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.ec2.AWS0009

deny contains res if {
	some config in input.aws.ec2.launchconfigurations
	config.associatepublicip.value == true
	res := result.new("Launch configuration associates a public IP address.", config.associatepublicip)
}
