# METADATA
# title: "Enable Performance Insights to detect potential problems"
# description: "Performance Insights records database load and active sessions, which helps spot and investigate abnormal activity."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0133
# custom:
#   id: AWS-0133
#   avd_id: AVD-AWS-0133
#   provider: aws
#   service: rds
#   severity: LOW
#   recommended_actions: "Set 'performance_insights_enabled = true'."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.rds.AWS0133

deny contains res if {
	some instance in input.aws.rds.instances
	instance.performanceinsights.enabled.value == false
	res := result.new("Instance does not have Performance Insights enabled.", instance.performanceinsights.enabled)
}

deny contains res if {
	some cluster in input.aws.rds.clusters
	some member in cluster.instances
	member.instance.performanceinsights.enabled.value == false
	res := result.new("Cluster instance does not have Performance Insights enabled.", member.instance.performanceinsights.enabled)
}
