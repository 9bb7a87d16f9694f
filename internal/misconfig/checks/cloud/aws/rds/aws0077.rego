# METADATA
# title: "RDS Cluster and RDS instance should have backup retention longer than default 1 day"
# description: "With one day of automated backups (or none) a problem noticed a day late can no longer be undone by a restore."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0077
# custom:
#   id: AWS-0077
#   avd_id: AVD-AWS-0077
#   provider: aws
#   service: rds
#   severity: MEDIUM
#   recommended_actions: "Set 'backup_retention_period' to more than 1 day."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.rds.AWS0077

low(db) if {
	db.replicationsourcearn.value == ""
	is_number(db.backupretentionperioddays.value)
	db.backupretentionperioddays.value < 2
}

deny contains res if {
	some cluster in input.aws.rds.clusters
	low(cluster)
	res := result.new("Cluster has a backup retention period of less than 2 days.", cluster.backupretentionperioddays)
}

deny contains res if {
	some instance in input.aws.rds.instances
	low(instance)
	res := result.new("Instance has a backup retention period of less than 2 days.", instance.backupretentionperioddays)
}
