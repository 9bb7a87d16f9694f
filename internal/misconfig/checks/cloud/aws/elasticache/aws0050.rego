# METADATA
# title: "Redis cluster should have backup retention turned on"
# description: "A Redis cluster that keeps no automatic snapshots cannot be restored after data loss."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0050
# custom:
#   id: AWS-0050
#   avd_id: AVD-AWS-0050
#   provider: aws
#   service: elasticache
#   severity: MEDIUM
#   recommended_actions: "Set 'snapshot_retention_limit' to at least 1 day."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.elasticache.AWS0050

deny contains res if {
	some cluster in input.aws.elasticache.clusters
	cluster.engine.value == "redis"
	is_string(cluster.nodetype.value)
	cluster.nodetype.value != "cache.t1.micro" # supports no snapshots
	cluster.snapshotretentionlimit.value == 0
	res := result.new("Redis cluster does not retain snapshots.", cluster.snapshotretentionlimit)
}
