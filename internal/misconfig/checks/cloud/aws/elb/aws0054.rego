# METADATA
# title: "Use of plain HTTP."
# description: "A listener serving plain HTTP sends requests and responses unencrypted, readable and changeable by anyone on the path."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0054
# custom:
#   id: AWS-0054
#   avd_id: AVD-AWS-0054
#   provider: aws
#   service: elb
#   severity: CRITICAL
#   recommended_actions: "Serve HTTPS, or make the HTTP listener redirect to HTTPS."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.elb.AWS0054

deny contains res if {
	some lb in input.aws.elb.loadbalancers
	lb.type.value == "application"
	some listener in lb.listeners
	listener.protocol.value == "HTTP"
	not redirects(listener)
	res := result.new("Application load balancer listener serves plain HTTP.", listener.protocol)
}

redirects(listener) if {
	some action in listener.defaultactions
	action.type.value == "redirect"
}
