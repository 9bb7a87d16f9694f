# METADATA
# title: "Load balancers should drop invalid headers"
# description: "An application load balancer that forwards header fields with invalid names passes malformed requests on to its targets, which helps request smuggling and desync attacks."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0052
# custom:
#   id: AWS-0052
#   avd_id: AVD-AWS-0052
#   provider: aws
#   service: elb
#   severity: HIGH
#   recommended_actions: "Set 'drop_invalid_header_fields = true' on the application load balancer."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.elb.AWS0052

deny contains res if {
	some lb in input.aws.elb.loadbalancers
	lb.type.value == "application"
	lb.dropinvalidheaderfields.value == false
	res := result.new("Application load balancer does not drop invalid header fields.", lb.dropinvalidheaderfields)
}
