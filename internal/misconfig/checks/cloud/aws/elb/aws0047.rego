# METADATA
# title: "An outdated SSL policy is in use by a load balancer."
# description: "A listener whose security policy still allows TLS 1.0/1.1 or weak ciphers lets clients negotiate connections that can be downgraded or broken."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0047
# custom:
#   id: AWS-0047
#   avd_id: AVD-AWS-0047
#   provider: aws
#   service: elb
#   severity: CRITICAL
#   recommended_actions: "Use a current TLS 1.2+ security policy such as ELBSecurityPolicy-TLS13-1-2-2021-06."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.elb.AWS0047

# Predefined ELB policies that allow TLS versions or ciphers below the
# TLS 1.2 baseline.
outdated := {
	"ELBSecurityPolicy-2015-05",
	"ELBSecurityPolicy-2016-08",
	"ELBSecurityPolicy-FS-2018-06",
	"ELBSecurityPolicy-FS-1-1-2019-08",
	"ELBSecurityPolicy-TLS-1-0-2015-04",
	"ELBSecurityPolicy-TLS-1-1-2017-01",
	"ELBSecurityPolicy-TLS13-1-0-2021-06",
	"ELBSecurityPolicy-TLS13-1-1-2021-06",
	"ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
	"ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
}

deny contains res if {
	some lb in input.aws.elb.loadbalancers
	some listener in lb.listeners
	listener.tlspolicy.value in outdated
	res := result.new(sprintf("Listener uses the outdated TLS policy %s.", [listener.tlspolicy.value]), listener.tlspolicy)
}
