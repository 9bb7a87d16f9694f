# METADATA
# title: "Redshift cluster should be deployed into a specific VPC"
# description: "A cluster created without a subnet group runs outside a VPC the account controls and cannot use its network controls."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0127
# custom:
#   id: AWS-0127
#   avd_id: AVD-AWS-0127
#   provider: aws
#   service: redshift
#   severity: HIGH
#   recommended_actions: "Set 'cluster_subnet_group_name' to a subnet group of the intended VPC."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.redshift.AWS0127

deny contains res if {
	some cluster in input.aws.redshift.clusters
	cluster.subnetgroupname.value == ""
	res := result.new("Cluster is not deployed into a VPC subnet group.", cluster.subnetgroupname)
}
