# METADATA
# title: "aws_instance should activate session tokens for Instance Metadata Service."
# description: "Without required session tokens (IMDSv2) the instance metadata service answers plain GET requests, so a server-side request forgery in any application on the instance can read its role credentials."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0028
# custom:
#   id: AWS-0028
#   avd_id: AVD-AWS-0028
#   provider: aws
#   service: ec2
#   severity: HIGH
#   recommended_actions: "Set 'http_tokens = \"required\"' in the instance's metadata_options block."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.ec2.AWS0028

deny contains res if {
	some instance in input.aws.ec2.instances
	opts := instance.metadataoptions
	is_string(opts.httptokens.value)
	opts.httptokens.value != "required"
	is_string(opts.httpendpoint.value)
	opts.httpendpoint.value != "disabled"
	res := result.new("Instance does not require IMDS access to require a token.", opts.httptokens)
}
