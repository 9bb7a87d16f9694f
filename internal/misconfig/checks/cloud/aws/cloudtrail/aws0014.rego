# METADATA
# title: "Cloudtrail should be enabled in all regions regardless of where your AWS resources are generally homed"
# description: "A trail limited to one region misses activity in the others, where an attacker may work unnoticed."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0014
# custom:
#   id: AWS-0014
#   avd_id: AVD-AWS-0014
#   provider: aws
#   service: cloudtrail
#   severity: MEDIUM
#   recommended_actions: "Set 'is_multi_region_trail = true' on the trail."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.cloudtrail.AWS0014

deny contains res if {
	some trail in input.aws.cloudtrail.trails
	trail.ismultiregion.value == false
	res := result.new("Trail is not enabled across all regions.", trail.ismultiregion)
}
