# METADATA
# title: "Neptune logs export should be enabled"
# description: "Neptune keeps no audit trail by default; without exporting audit logs to CloudWatch the use of the cluster cannot be reviewed."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0075
# custom:
#   id: AWS-0075
#   avd_id: AVD-AWS-0075
#   provider: aws
#   service: neptune
#   severity: MEDIUM
#   recommended_actions: "Add \"audit\" to 'enable_cloudwatch_logs_exports'."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.neptune.AWS0075

deny contains res if {
	some cluster in input.aws.neptune.clusters
	cluster.logging.audit.value == false
	res := result.new("Cluster does not export audit logs.", cluster.logging.audit)
}
