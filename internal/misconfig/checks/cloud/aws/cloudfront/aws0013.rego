# METADATA
# title: "CloudFront distribution uses outdated SSL/TLS protocols."
# description: "A distribution with its own certificate should accept TLS 1.2 or later only; older minimum protocol versions allow weak protocols and ciphers. A distribution on the default cloudfront.net certificate cannot change this and is not flagged."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0013
# custom:
#   id: AWS-0013
#   avd_id: AVD-AWS-0013
#   provider: aws
#   service: cloudfront
#   severity: HIGH
#   recommended_actions: "Set 'minimum_protocol_version = \"TLSv1.2_2021\"' (or a later TLS 1.2+ policy) in 'viewer_certificate'."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.cloudfront.AWS0013

modern := {"TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"}

deny contains res if {
	some dist in input.aws.cloudfront.distributions
	cert := dist.viewercertificate
	cert.cloudfrontdefaultcertificate.value == false
	is_string(cert.minimumprotocolversion.value)
	not cert.minimumprotocolversion.value in modern
	res := result.new(sprintf("Distribution allows TLS protocols older than TLS 1.2 (%s).", [cert.minimumprotocolversion.value]), cert.minimumprotocolversion)
}
