# METADATA
# title: "DocumentDB logs export should be enabled"
# description: "DocumentDB keeps no audit trail by default; without exporting audit or profiler logs to CloudWatch the use of the cluster cannot be reviewed."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0020
# custom:
#   id: AWS-0020
#   avd_id: AVD-AWS-0020
#   provider: aws
#   service: documentdb
#   severity: MEDIUM
#   recommended_actions: "Add \"audit\" (or \"profiler\") to 'enabled_cloudwatch_logs_exports'."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.documentdb.AWS0020

deny contains res if {
	some cluster in input.aws.documentdb.clusters
	not exports_known_or_logs(cluster)
	res := result.new("Cluster exports neither audit nor profiler logs to CloudWatch.", cluster)
}

exports_known_or_logs(cluster) if {
	some log in cluster.enabledlogexports
	log.value in {"audit", "profiler", null}
}
