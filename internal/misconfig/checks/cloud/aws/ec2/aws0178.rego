# METADATA
# title: "VPC Flow Logs is a feature that enables you to capture information about the IP traffic going to and from network interfaces in your VPC. After you've created a flow log, you can view and retrieve its data in Amazon CloudWatch Logs. It is recommended that VPC Flow Logs be enabled for packet \"Rejects\" for VPCs."
# description: "Without flow logs there is no record of the traffic in a VPC to detect anomalies or investigate an incident."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0178
# custom:
#   id: AWS-0178
#   avd_id: AVD-AWS-0178
#   provider: aws
#   service: ec2
#   severity: MEDIUM
#   recommended_actions: "Add an 'aws_flow_log' with 'vpc_id' set to the VPC."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.ec2.AWS0178

deny contains res if {
	some vpc in input.aws.ec2.vpcs
	vpc.flowlogsenabled.value == false
	res := result.new("VPC does not have flow logs enabled.", vpc.flowlogsenabled)
}
