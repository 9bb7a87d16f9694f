# METADATA
# title: "CloudFront distribution allows unencrypted (HTTP) communications."
# description: "A cache behaviour whose viewer protocol policy is 'allow-all' serves content over plain HTTP, which can be read and altered in transit."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0012
# custom:
#   id: AWS-0012
#   avd_id: AVD-AWS-0012
#   provider: aws
#   service: cloudfront
#   severity: CRITICAL
#   recommended_actions: "Set 'viewer_protocol_policy' to 'redirect-to-https' or 'https-only' on every cache behaviour."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.cloudfront.AWS0012

deny contains res if {
	some dist in input.aws.cloudfront.distributions
	some behaviour in array.concat([dist.defaultcachebehaviour], dist.orderercachebehaviours)
	behaviour.viewerprotocolpolicy.value == "allow-all"
	res := result.new("Distribution cache behaviour allows unencrypted communications.", behaviour.viewerprotocolpolicy)
}
