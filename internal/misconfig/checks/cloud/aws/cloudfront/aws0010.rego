# METADATA
# title: "Cloudfront distribution should have Access Logging configured"
# description: "Without access logs there is no record of the requests a distribution served, which is needed to investigate abuse."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0010
# custom:
#   id: AWS-0010
#   avd_id: AVD-AWS-0010
#   provider: aws
#   service: cloudfront
#   severity: MEDIUM
#   recommended_actions: "Add a 'logging_config' block with a bucket to the distribution."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.cloudfront.AWS0010

deny contains res if {
	some dist in input.aws.cloudfront.distributions
	dist.logging.bucket.value == ""
	res := result.new("Distribution does not have access logging enabled.", dist.logging.bucket)
}
