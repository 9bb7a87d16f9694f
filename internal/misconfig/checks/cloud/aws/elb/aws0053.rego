# METADATA
# title: "Load balancer is exposed to the internet."
# description: "An internet-facing load balancer accepts connections from anywhere; make sure that exposure is intended and not an internal service left public."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0053
# custom:
#   id: AWS-0053
#   avd_id: AVD-AWS-0053
#   provider: aws
#   service: elb
#   severity: HIGH
#   recommended_actions: "Set 'internal = true' (CloudFormation: Scheme internal) unless the load balancer must be public."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.elb.AWS0053

deny contains res if {
	some lb in input.aws.elb.loadbalancers
	is_string(lb.type.value)
	lb.type.value != "gateway"
	lb.internal.value == false
	res := result.new("Load balancer is internet-facing.", lb.internal)
}
