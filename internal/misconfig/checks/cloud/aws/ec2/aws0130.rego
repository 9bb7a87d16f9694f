# METADATA
# title: "aws_instance should activate session tokens for Instance Metadata Service."
# description: "Instances started from a launch configuration or template that does not require session tokens (IMDSv2) answer plain metadata requests, so a server-side request forgery can read their role credentials."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0130
# custom:
#   id: AWS-0130
#   avd_id: AVD-AWS-0130
#   provider: aws
#   service: ec2
#   severity: HIGH
#   recommended_actions: "Set 'http_tokens = \"required\"' in the metadata_options of the launch configuration or template."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.ec2.AWS0130

optional_tokens(opts) if {
	is_string(opts.httptokens.value)
	opts.httptokens.value != "required"
	is_string(opts.httpendpoint.value)
	opts.httpendpoint.value != "disabled"
}

deny contains res if {
	some config in input.aws.ec2.launchconfigurations
	optional_tokens(config.metadataoptions)
	res := result.new("Launch configuration does not require IMDS session tokens.", config.metadataoptions.httptokens)
}

deny contains res if {
	some template in input.aws.ec2.launchtemplates
	optional_tokens(template.instance.metadataoptions)
	res := result.new("Launch template does not require IMDS session tokens.", template.instance.metadataoptions.httptokens)
}
