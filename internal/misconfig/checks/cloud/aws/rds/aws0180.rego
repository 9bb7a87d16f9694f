# METADATA
# title: "RDS Publicly Accessible"
# description: "A publicly accessible database instance gets an address reachable from the internet; databases should only be reachable from inside the VPC."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0180
# custom:
#   id: AWS-0180
#   avd_id: AVD-AWS-0180
#   provider: aws
#   service: rds
#   severity: HIGH
#   recommended_actions: "Set 'publicly_accessible = false' on the DB instance or cluster instance."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.rds.AWS0180

deny contains res if {
	some instance in input.aws.rds.instances
	instance.publicaccess.value == true
	res := result.new("Instance is publicly accessible.", instance.publicaccess)
}

deny contains res if {
	some cluster in input.aws.rds.clusters
	some member in cluster.instances
	member.instance.publicaccess.value == true
	res := result.new("Cluster instance is publicly accessible.", member.instance.publicaccess)
}
